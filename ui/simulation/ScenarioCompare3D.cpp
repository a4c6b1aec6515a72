#include "twin/ui/simulation/ScenarioCompare3D.h"

#include "twin/model/scenario/Scenario.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/simulation/ScenarioPresentation.h"
#include "twin/ui/telemetry/ReplayTimeline.h"
#include "twin/viz/SceneController.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QQuickItem>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace twin::ui {

using model::kNsPerSecond;
using model::TimeNs;
namespace sc = model::scenario;

namespace {
const char *kSide[2] = {"Left", "Right"};
constexpr int kTickMs = 100;
const char *kCameraProperties[] = {"yaw", "pitch", "distance", "target"};
} // namespace

CameraLink::CameraLink(QObject *a, QObject *b, QObject *parent) : QObject(parent), m_a(a), m_b(b)
{
    for (QObject *root : {a, b}) {
        const QMetaObject *meta = root->metaObject();
        for (const char *name : kCameraProperties) {
            const int index = meta->indexOfProperty(name);
            if (index >= 0 && meta->property(index).hasNotifySignal())
                connect(root, meta->property(index).notifySignal(), this,
                        metaObject()->method(metaObject()->indexOfSlot("sync()")));
        }
    }
}

void CameraLink::sync()
{
    QObject *from = sender();
    if (m_busy || !from || !from->property("userMoved").toBool())
        return; // automatic framing stays per view until the user orbits one of them
    QObject *to = from == m_a ? m_b : m_a;
    m_busy = true;
    to->setProperty("userMoved", true);
    for (const char *name : kCameraProperties)
        to->setProperty(name, from->property(name));
    m_busy = false;
}

ScenarioCompare3D::ScenarioCompare3D(ProjectDocument &document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    setObjectName("scenarioCompare3D");
    setWindowTitle(tr("Compare scenarios in 3D"));
    auto *layout = new QVBoxLayout(this);
    auto *sides = new QHBoxLayout;
    for (int side = 0; side < 2; ++side) {
        auto *column = new QVBoxLayout;
        auto *header = new QHBoxLayout;
        m_runs[side] = new QComboBox(this);
        m_runs[side]->setObjectName(QString("compareRun%1").arg(kSide[side]));
        m_runs[side]->setMinimumContentsLength(16);
        m_kpis[side] = new QLabel(this);
        m_kpis[side]->setObjectName(QString("compareKpis%1").arg(kSide[side]));
        m_kpis[side]->setTextFormat(Qt::RichText);
        header->addWidget(new QLabel(side == 0 ? tr("Left:") : tr("Right:"), this));
        header->addWidget(m_runs[side]);
        header->addWidget(m_kpis[side], 1);
        m_views[side] = new SceneWidget(document, this);
        m_views[side]->setReadOnly(true); // comparing must never edit the twin
        m_views[side]->setObjectName(QString("compareScene%1").arg(kSide[side]));
        column->addLayout(header);
        column->addWidget(m_views[side], 1);
        sides->addLayout(column, 1);
        connect(m_runs[side], &QComboBox::currentIndexChanged, this, [this, side] {
            if (m_updating)
                return;
            derive(side);
            updateRange();
            emit runsChanged();
        });
    }
    layout->addLayout(sides, 1);
    if (m_views[0]->rootObject() && m_views[1]->rootObject())
        new CameraLink(m_views[0]->rootObject(), m_views[1]->rootObject(), this);

    auto *timeline = new QHBoxLayout;
    m_play = new QToolButton(this);
    m_play->setObjectName("comparePlay");
    m_play->setCheckable(true);
    m_play->setText(tr("Play"));
    m_speed = new QComboBox(this);
    m_speed->setObjectName("compareSpeed");
    for (int speed : {1, 2, 5, 10, 30, 60, 300})
        m_speed->addItem(QString("%1×").arg(speed), speed);
    m_speed->setCurrentIndex(3);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName("compareSlider");
    m_time = new QLabel(this);
    m_time->setObjectName("compareTime");
    m_time->setMinimumWidth(
        m_time->fontMetrics().horizontalAdvance("2026-01-05 06:42:10.000 UTC · T+00:00:00"));
    auto *present = new QToolButton(this);
    present->setObjectName("comparePresent");
    present->setText(tr("Present"));
    present->setToolTip(tr("Presentation mode (F11)"));
    timeline->addWidget(m_play);
    timeline->addWidget(m_speed);
    timeline->addWidget(m_slider, 1);
    timeline->addWidget(m_time);
    timeline->addWidget(present);
    layout->addLayout(timeline);

    m_timer = new QTimer(this);
    m_timer->setInterval(kTickMs);
    connect(m_timer, &QTimer::timeout, this, &ScenarioCompare3D::tick);
    connect(m_play, &QToolButton::toggled, this, &ScenarioCompare3D::setPlaying);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            setTime(m_begin + TimeNs(value) * kNsPerSecond);
    });
    connect(present, &QToolButton::clicked, this, &ScenarioCompare3D::showPresentation);
    connect(&document, &ProjectDocument::historyChanged, this, &ScenarioCompare3D::reload);
    connect(&document, &ProjectDocument::projectReplaced, this, &ScenarioCompare3D::reload);
    connect(&document, &ProjectDocument::rulesChanged, this, &ScenarioCompare3D::reload);
    reload();
}

ScenarioCompare3D::~ScenarioCompare3D() = default;

QString ScenarioCompare3D::run(int side) const
{
    return m_runs[side]->currentData().toString();
}

void ScenarioCompare3D::reload()
{
    const model::Project &project = m_document.project();
    const std::vector<std::string> runs = sc::scenarioRunsInStore(project);
    m_updating = true;
    for (int side = 0; side < 2; ++side) {
        const QString previous = run(side);
        m_runs[side]->clear();
        for (const std::string &r : runs) {
            const QString label = QString::fromStdString(r);
            m_runs[side]->addItem(label, label);
            if (const auto def = sc::findScenario(project, sc::scenarioOfRun(r)))
                m_runs[side]->setItemData(m_runs[side]->count() - 1, QString::fromStdString(def->description),
                                          Qt::ToolTipRole);
        }
        int index = m_runs[side]->findData(previous);
        if (index < 0) // default: the first two runs side by side
            index = std::min(side, m_runs[side]->count() - 1);
        m_runs[side]->setCurrentIndex(index);
    }
    m_updating = false;
    derive(0);
    derive(1);
    updateRange();
    emit runsChanged();
}

void ScenarioCompare3D::setRuns(const QString &left, const QString &right)
{
    m_updating = true;
    m_runs[0]->setCurrentIndex(m_runs[0]->findData(left));
    m_runs[1]->setCurrentIndex(m_runs[1]->findData(right));
    m_updating = false;
    derive(0);
    derive(1);
    updateRange();
    emit runsChanged();
}

void ScenarioCompare3D::derive(int side)
{
    m_tracks[side].reset();
    m_errors[side].clear();
    const QString name = run(side);
    if (!name.isEmpty()) {
        auto track = sc::deriveScenarioStates(m_document.project(), name.toStdString());
        if (track.ok())
            m_tracks[side] = std::move(track.value());
        else
            m_errors[side] = QString::fromStdString(track.error());
    }
    m_kpis[side]->setText(m_errors[side].isEmpty() ? kpiHtml(side, 0) : m_errors[side]);
}

const sc::ScenarioStateTrack *ScenarioCompare3D::track(int side) const
{
    return m_tracks[side] ? &*m_tracks[side] : nullptr;
}

QString ScenarioCompare3D::kpiHtml(int side, int pointSize) const
{
    if (!m_tracks[side])
        return {};
    QStringList badges;
    const QString size = pointSize > 0 ? QString("font-size:%1pt;").arg(pointSize) : QString();
    for (const auto &k : sc::scenarioRunKpis(m_document.project(), m_tracks[side]->run)) {
        if (!k.error.empty())
            continue;
        badges
            << QString(
                   "<span "
                   "style=\"background:#2d4f7c;color:white;%1\">&nbsp;%2&nbsp;<b>%3</b>&nbsp;%4&nbsp;</span>")
                   .arg(size, QString::fromStdString(k.name).toHtmlEscaped(),
                        QString::number(k.value, 'g', 4), QString::fromStdString(k.unit).toHtmlEscaped());
    }
    return badges.join("&nbsp;&nbsp;");
}

std::unordered_map<model::AssetId, std::string> ScenarioCompare3D::statesAt(int side, TimeNs t) const
{
    return m_tracks[side] ? m_tracks[side]->statesAt(t) : std::unordered_map<model::AssetId, std::string>{};
}

void ScenarioCompare3D::updateRange()
{
    // The common range of both runs; the one run's range when only one is chosen or they do not overlap.
    const auto *a = track(0), *b = track(1);
    if (a && b && std::max(a->begin, b->begin) < std::min(a->end, b->end)) {
        m_begin = std::max(a->begin, b->begin);
        m_end = std::min(a->end, b->end);
    } else if (a || b) {
        m_begin = a ? a->begin : b->begin;
        m_end = a ? a->end : b->end;
    } else {
        m_begin = m_end = 0;
    }
    m_updating = true;
    m_slider->setRange(0, int((m_end - m_begin) / kNsPerSecond));
    m_updating = false;
    m_slider->setEnabled(m_end > m_begin);
    m_play->setEnabled(m_end > m_begin);
    setTime(std::clamp(m_timeNow, m_begin, m_end));
}

void ScenarioCompare3D::setTime(TimeNs t)
{
    m_timeNow = std::clamp(t, m_begin, m_end);
    m_updating = true;
    m_slider->setValue(int((m_timeNow - m_begin) / kNsPerSecond));
    m_updating = false;
    applyTime();
}

void ScenarioCompare3D::applyTime()
{
    for (int side = 0; side < 2; ++side)
        m_views[side]->controller()->setStateOverlay(statesAt(side, m_timeNow));
    m_time->setText(clockText());
    emit timeChanged(m_timeNow);
}

QString ScenarioCompare3D::clockText() const
{
    if (m_end <= m_begin && !track(0) && !track(1))
        return tr("no scenario results");
    const qint64 offset = (m_timeNow - m_begin) / kNsPerSecond;
    return QString("%1 · T+%2:%3:%4")
        .arg(ReplayTimeline::formatTime(m_timeNow))
        .arg(offset / 3600, 2, 10, QChar('0'))
        .arg(offset / 60 % 60, 2, 10, QChar('0'))
        .arg(offset % 60, 2, 10, QChar('0'));
}

void ScenarioCompare3D::step(double seconds)
{
    setTime(m_timeNow + TimeNs(std::llround(seconds * double(kNsPerSecond))));
}

bool ScenarioCompare3D::isPlaying() const
{
    return m_timer->isActive();
}

void ScenarioCompare3D::setPlaying(bool playing)
{
    playing = playing && m_end > m_begin;
    if (playing == isPlaying()) {
        m_play->setChecked(playing);
        return;
    }
    if (playing && m_timeNow >= m_end)
        setTime(m_begin); // play again from the start
    playing ? m_timer->start() : m_timer->stop();
    m_play->setChecked(playing);
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    emit playingChanged(playing);
}

double ScenarioCompare3D::speed() const
{
    return m_speed->currentData().toDouble();
}

void ScenarioCompare3D::tick()
{
    step(speed() * kTickMs / 1000.0);
    if (m_timeNow >= m_end)
        setPlaying(false);
}

ScenarioPresentation *ScenarioCompare3D::presentation()
{
    if (!m_presentation)
        m_presentation = new ScenarioPresentation(*this);
    return m_presentation;
}

void ScenarioCompare3D::showPresentation()
{
    presentation()->present();
}

ScenarioCompare3D *installScenarioCompare3D(MainWindow &window)
{
    auto *compare = new ScenarioCompare3D(window.document(), &window);
    compare->setWindowFlag(Qt::Window);
    compare->resize(1400, 700);
    compare->hide();
    auto *open = new QAction(QObject::tr("Compare in &3D…"), &window);
    open->setObjectName("actionCompare3D");
    QObject::connect(open, &QAction::triggered, compare, [compare] {
        compare->show();
        compare->raise();
        compare->activateWindow();
    });
    auto *present = new QAction(QObject::tr("&Presentation mode"), &window);
    present->setObjectName("actionPresentation");
    present->setShortcut(QKeySequence(Qt::Key_F11));
    present->setShortcutContext(Qt::ApplicationShortcut);
    QObject::connect(present, &QAction::triggered, compare, [compare] { // F11 toggles
        if (compare->presentation()->isVisible())
            compare->presentation()->close();
        else
            compare->showPresentation();
    });
    QMenu *view = nullptr;
    for (QAction *menu : window.menuBar()->actions())
        if (menu->menu() && menu->text().remove(QLatin1Char('&')) == QObject::tr("View"))
            view = menu->menu();
    if (!view)
        view = window.menuBar()->addMenu(QObject::tr("&View"));
    view->addSeparator();
    view->addAction(open);
    view->addAction(present);
    return compare;
}

} // namespace twin::ui
