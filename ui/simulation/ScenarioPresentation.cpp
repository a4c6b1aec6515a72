#include "twin/ui/simulation/ScenarioPresentation.h"

#include "twin/model/scenario/Scenario.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/simulation/ScenarioCompare3D.h"
#include "twin/viz/SceneController.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QQuickItem>
#include <QScreen>
#include <QTimer>
#include <QVBoxLayout>

namespace twin::ui {

namespace {
const char *kSide[2] = {"Left", "Right"};

QLabel *label(QWidget *parent, const char *name, int pointSize, bool bold)
{
    auto *l = new QLabel(parent);
    l->setObjectName(name);
    QFont font = l->font();
    font.setPointSize(pointSize);
    font.setBold(bold);
    l->setFont(font);
    l->setAlignment(Qt::AlignCenter);
    l->setStyleSheet("color: white;");
    return l;
}
} // namespace

ScenarioPresentation::ScenarioPresentation(ScenarioCompare3D &compare)
    : QWidget(&compare, Qt::Window), m_compare(compare)
{
    setObjectName("scenarioPresentation");
    setWindowTitle(tr("Scenario comparison — presentation"));
    setAutoFillBackground(true);
    QPalette dark = palette();
    dark.setColor(QPalette::Window, QColor(18, 22, 30));
    setPalette(dark);
    setFocusPolicy(Qt::StrongFocus);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 12);
    m_clock = label(this, "presentationClock", 36, true);
    layout->addWidget(m_clock);
    auto *sides = new QHBoxLayout;
    sides->setSpacing(24);
    for (int side = 0; side < 2; ++side) {
        auto *column = new QVBoxLayout;
        m_titles[side] = label(this, "", 28, true);
        m_titles[side]->setObjectName(QString("presentationTitle%1").arg(kSide[side]));
        m_titles[side]->setWordWrap(true); // long descriptions must not widen one side
        m_titles[side]->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        m_kpis[side] = label(this, "", 16, false);
        m_kpis[side]->setObjectName(QString("presentationKpis%1").arg(kSide[side]));
        m_kpis[side]->setTextFormat(Qt::RichText);
        m_kpis[side]->setWordWrap(true);
        m_kpis[side]->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        m_views[side] = new SceneWidget(compare.document(), this);
        m_views[side]->setObjectName(QString("presentationScene%1").arg(kSide[side]));
        m_views[side]->setFocusPolicy(Qt::NoFocus); // keys go to the window
        column->addWidget(m_titles[side]);
        column->addWidget(m_kpis[side]);
        column->addWidget(m_views[side], 1);
        sides->addLayout(column, 1);
    }
    layout->addLayout(sides, 1);
    m_state = label(this, "presentationHint", 12, false);
    m_state->setStyleSheet("color: #8fa0b8;");
    layout->addWidget(m_state);
    if (m_views[0]->rootObject() && m_views[1]->rootObject())
        new CameraLink(m_views[0]->rootObject(), m_views[1]->rootObject(), this);

    connect(&compare, &ScenarioCompare3D::runsChanged, this, &ScenarioPresentation::showRuns);
    connect(&compare, &ScenarioCompare3D::timeChanged, this, &ScenarioPresentation::showTime);
    connect(&compare, &ScenarioCompare3D::playingChanged, this, &ScenarioPresentation::showTime);
    showRuns();
}

void ScenarioPresentation::present()
{
    showRuns();
    if (QScreen *s = m_compare.screen()) // without a window manager full screen keeps the old size
        setGeometry(s->geometry());
    showFullScreen();
    raise();
    activateWindow();
    setFocus();
    // Frame the scene again at the large size.
    QTimer::singleShot(100, this, [this] {
        for (SceneWidget *view : m_views)
            view->fit(false);
    });
}

void ScenarioPresentation::showRuns()
{
    const model::Project &project = m_compare.document().project();
    for (int side = 0; side < 2; ++side) {
        const QString run = m_compare.run(side);
        QString title = run.isEmpty() ? tr("(no scenario)") : run;
        if (const auto def =
                model::scenario::findScenario(project, model::scenario::scenarioOfRun(run.toStdString()));
            def && !def->description.empty())
            title += QString(" — %1").arg(QString::fromStdString(def->description));
        m_titles[side]->setText(title);
        const QString error = m_compare.runError(side);
        m_kpis[side]->setText(error.isEmpty() ? m_compare.kpiHtml(side, 16) : error.toHtmlEscaped());
    }
    showTime();
}

void ScenarioPresentation::showTime()
{
    m_clock->setText(m_compare.clockText());
    for (int side = 0; side < 2; ++side)
        m_views[side]->controller()->setStateOverlay(m_compare.statesAt(side, m_compare.time()));
    m_state->setText(tr("%1 · %2× · Space play/pause · ←/→ step 10 s (Shift: 1 min) · Esc leaves")
                         .arg(m_compare.isPlaying() ? tr("playing") : tr("paused"))
                         .arg(m_compare.speed()));
}

void ScenarioPresentation::keyPressEvent(QKeyEvent *event)
{
    const double step = event->modifiers() & Qt::ShiftModifier ? 60 : 10;
    switch (event->key()) {
    case Qt::Key_Space:
        m_compare.setPlaying(!m_compare.isPlaying());
        break;
    case Qt::Key_Left:
        m_compare.step(-step);
        break;
    case Qt::Key_Right:
        m_compare.step(step);
        break;
    case Qt::Key_Home:
        m_compare.setTime(m_compare.begin());
        break;
    case Qt::Key_End:
        m_compare.setTime(m_compare.end());
        break;
    case Qt::Key_Escape:
    case Qt::Key_F11:
        m_compare.setPlaying(false);
        showNormal();
        close();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace twin::ui
