#include "twin/ui/shell/LiveActions.h"

#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/MqttConnectDialog.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <QAction>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace twin::ui {

namespace {
// Dot colour and text of a live snapshot.
void describe(const TelemetrySnapshot &s, QColor &color, QString &text)
{
    if (!s.live) {
        color = s.liveError.isEmpty() ? QColor(Qt::gray) : QColor(198, 40, 40);
        text = s.liveError.isEmpty() ? QObject::tr("MQTT Disconnected")
                                     : QObject::tr("MQTT connection failed: %1").arg(s.liveError);
        return;
    }
    QString link = s.link;
    if (link.startsWith("Connected"))
        color = QColor(46, 160, 67);
    else if (link.startsWith("Reconnecting") || link.startsWith("Connecting"))
        color = QColor(255, 190, 0);
    else
        color = QColor(198, 40, 40);
    // "Reconnecting: reason (attempt 3)" -> "Reconnecting (attempt 3)"; the reason goes to the tooltip.
    if (link.startsWith("Reconnecting")) {
        const int attempt = link.lastIndexOf(QStringLiteral("(attempt"));
        link = attempt >= 0 ? QStringLiteral("Reconnecting ") + link.mid(attempt)
                            : QStringLiteral("Reconnecting");
    } else if (const int colon = link.indexOf(':'); colon > 0 && !link.startsWith("Failed")) {
        link = link.left(colon); // "Connected: new session" -> "Connected"
    }
    text = QObject::tr("MQTT %1 %2 · %L3 records · %L4 problems")
               .arg(s.endpoint, link)
               .arg(s.liveRecords)
               .arg(s.liveProblems);
}

class LiveStatus : public QWidget
{
public:
    LiveStatus(TelemetrySession &session, QWidget *parent) : QWidget(parent), m_session(session)
    {
        setObjectName("liveStatus");
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(4, 0, 18, 0); // room for the size grip
        m_dot = new QLabel(this);
        m_dot->setObjectName("liveStatusDot");
        m_dot->setFixedSize(12, 12);
        m_text = new QLabel(this);
        m_text->setObjectName("liveStatusText");
        layout->addWidget(m_dot);
        layout->addWidget(m_text);
        setVisible(false);
        connect(&session, &TelemetrySession::snapshotChanged, this, &LiveStatus::refresh);
    }

    void refresh()
    {
        const auto s = m_session.snapshot();
        QColor color;
        QString text;
        describe(*s, color, text);
        // Shown while live, after a failure, and (Disconnected) once a connection was made.
        m_seen |= s->live;
        setVisible(s->live || !s->liveError.isEmpty() || m_seen);
        if (text != m_text->text())
            m_text->setText(text);
        m_dot->setStyleSheet(QStringLiteral("background: %1; border-radius: 6px;").arg(color.name()));
        QString tip =
            s->live ? QObject::tr("%1\n%L2 samples stored").arg(s->link).arg(s->liveStored) : QString();
        if (!s->lastProblem.isEmpty())
            tip += QObject::tr("\nLast problem: %1").arg(s->lastProblem);
        setToolTip(tip);
    }

private:
    TelemetrySession &m_session;
    QLabel *m_dot;
    QLabel *m_text;
    bool m_seen = false;
};
} // namespace

QWidget *liveStatusWidget(MainWindow &window)
{
    return window.findChild<QWidget *>(QStringLiteral("liveStatus"));
}

void connectMqtt(MainWindow &window, const MqttConnectDialog &dialog)
{
    auto &meta = window.document().project().meta;
    const std::string saved = QJsonDocument(dialog.settings()).toJson(QJsonDocument::Compact).toStdString();
    if (meta[MqttConnectDialog::kMetaKey] != saved) {
        meta[MqttConnectDialog::kMetaKey] = saved;
        window.document().markHistoryChanged(); // marks modified (the session reloads before connecting)
    }
    window.telemetrySession()->connectLive(dialog.connectorConfig(), dialog.endpoint());
}

void installLiveActions(MainWindow &window)
{
    TelemetrySession *session = window.telemetrySession();
    QMenu *menu = window.menuBar()->addMenu(QObject::tr("&Telemetry"));
    menu->setObjectName("telemetryMenu");
    QAction *connectAction = menu->addAction(QObject::tr("Connect &MQTT…"));
    connectAction->setObjectName("connectMqttAction");
    QAction *disconnectAction = menu->addAction(QObject::tr("&Disconnect"));
    disconnectAction->setObjectName("disconnectLiveAction");
    disconnectAction->setEnabled(false);
    QObject::connect(connectAction, &QAction::triggered, &window, [&window] {
        MqttConnectDialog dialog(window.document().project(), &window);
        if (dialog.exec() == QDialog::Accepted)
            connectMqtt(window, dialog);
    });
    QObject::connect(disconnectAction, &QAction::triggered, session, &TelemetrySession::disconnectLive);
    QObject::connect(session, &TelemetrySession::snapshotChanged, &window,
                     [session, connectAction, disconnectAction] {
                         const bool live = session->snapshot()->live;
                         connectAction->setEnabled(!live);
                         disconnectAction->setEnabled(live);
                     });
    window.statusBar()->addPermanentWidget(new LiveStatus(*session, &window));
}

} // namespace twin::ui
