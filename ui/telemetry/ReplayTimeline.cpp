#include "twin/ui/telemetry/ReplayTimeline.h"

#include "twin/ui/telemetry/TelemetrySession.h"

#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QTimeZone>
#include <QToolButton>
#include <cmath>

namespace twin::ui {
using model::kNsPerSecond;
using model::TimeNs;

namespace {
constexpr double kMaxSpeedMarker = -1; // the "max" entry of the speed combo

QString formatDuration(TimeNs ns)
{
    const qint64 s = ns / kNsPerSecond;
    return QString("%1:%2:%3")
        .arg(s / 3600, 2, 10, QChar('0'))
        .arg((s / 60) % 60, 2, 10, QChar('0'))
        .arg(s % 60, 2, 10, QChar('0'));
}
} // namespace

ReplayTimeline::ReplayTimeline(TelemetrySession &session, QWidget *parent)
    : QToolBar(tr("Replay"), parent), m_session(session)
{
    setObjectName("replayTimeline");
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_live = new QLabel(tr("● LIVE"), this);
    m_live->setObjectName("replayLive");
    m_live->setStyleSheet("QLabel { color: white; background: #c62828; font-weight: bold; padding: 2px 8px; "
                          "border-radius: 3px; }");
    m_live->setToolTip(tr("Live telemetry: the clock is the wall clock"));
    m_liveAction = addWidget(m_live);
    m_liveAction->setVisible(false);
    addStep(tr("−1 min"), "replayBack1m", -60 * kNsPerSecond);
    addStep(tr("−1 s"), "replayBack1s", -kNsPerSecond);
    m_play = addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Play"));
    m_play->setObjectName("replayPlay");
    m_play->setCheckable(true);
    m_play->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space));
    widgetForAction(m_play)->setObjectName("replayPlayButton");
    m_replayActions.append(m_play);
    connect(m_play, &QAction::triggered, this,
            [this](bool on) { on ? m_session.play() : m_session.pause(); });
    addStep(tr("+1 s"), "replayForward1s", kNsPerSecond);
    addStep(tr("+1 min"), "replayForward1m", 60 * kNsPerSecond);

    m_speed = new QComboBox(this);
    m_speed->setObjectName("replaySpeed");
    m_speed->setToolTip(tr("Replay speed"));
    for (double speed : {1.0, 10.0, 60.0, 600.0, 1000.0, 10000.0})
        m_speed->addItem(QString("%L1×").arg(speed, 0, 'f', 0), speed);
    m_speed->addItem(tr("max"), kMaxSpeedMarker);
    m_replayActions.append(addWidget(m_speed));
    connect(m_speed, &QComboBox::activated, this, &ReplayTimeline::onSpeedChosen);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName("replaySlider");
    m_slider->setMinimumWidth(240);
    m_slider->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_slider->setToolTip(tr("Replay position: drag to seek"));
    m_replayActions.append(addWidget(m_slider));
    connect(m_slider, &QSlider::valueChanged, this, &ReplayTimeline::onSliderMoved);

    m_time = new QLabel(this);
    m_time->setObjectName("replayTime");
    m_time->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_time->setMinimumWidth(
        m_time->fontMetrics().horizontalAdvance("0000-00-00 00:00:00 UTC  (+00:00:00 / 00:00:00)"));
    addWidget(m_time);

    connect(&session, &TelemetrySession::snapshotChanged, this, &ReplayTimeline::showSnapshot);
    showSnapshot();
}

QString ReplayTimeline::formatTime(TimeNs t)
{
    const qint64 ms = t / 1'000'000;
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    return when.toString(ms % 1000 ? "yyyy-MM-dd HH:mm:ss.zzz" : "yyyy-MM-dd HH:mm:ss") + " UTC";
}

void ReplayTimeline::addStep(const QString &text, const char *name, TimeNs delta)
{
    QAction *action = addAction(text);
    action->setObjectName(name);
    action->setToolTip(delta < 0 ? tr("Step back %1").arg(text) : tr("Step forward %1").arg(text));
    widgetForAction(action)->setObjectName(QString(name) + "Button");
    m_replayActions.append(action);
    connect(action, &QAction::triggered, this, [this, delta] { m_session.step(delta); });
}

void ReplayTimeline::onSpeedChosen(int index)
{
    const double speed = m_speed->itemData(index).toDouble();
    if (speed == kMaxSpeedMarker) {
        m_session.setAsFastAsPossible(true);
    } else {
        m_session.setSpeed(speed); // also leaves "as fast as possible"
    }
}

void ReplayTimeline::onSliderMoved(int value)
{
    if (!m_updating)
        m_session.seek(m_begin + TimeNs(value) * m_tick);
}

void ReplayTimeline::showSnapshot()
{
    const auto s = m_session.snapshot();
    m_updating = true;
    setEnabled(s->hasHistory || s->live);
    m_liveAction->setVisible(s->live);
    for (QAction *action : std::as_const(m_replayActions))
        action->setVisible(!s->live);
    if (s->live) {
        m_time->setText(formatTime(s->position - s->position % kNsPerSecond));
        m_updating = false;
        return;
    }
    m_play->setChecked(s->playing);
    m_play->setText(s->playing ? tr("Pause") : tr("Play"));
    m_play->setIcon(style()->standardIcon(s->playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    // Slider steps: at most a million over the range, at least a millisecond each.
    m_begin = s->begin;
    const TimeNs range = std::max<TimeNs>(0, s->end - s->begin);
    m_tick = std::max<TimeNs>(1'000'000, (range + 999'999) / 1'000'000);
    m_slider->setRange(0, int(range / m_tick));
    if (!m_slider->isSliderDown())
        m_slider->setValue(int((s->position - s->begin) / m_tick));
    if (!m_speed->view()->isVisible()) {
        const double wanted = s->asFastAsPossible ? kMaxSpeedMarker : s->speed;
        const int index = m_speed->findData(wanted);
        if (index >= 0)
            m_speed->setCurrentIndex(index);
    }
    m_time->setText(s->hasHistory ? QString("%1  (+%2 / %3)")
                                        .arg(formatTime(s->position), formatDuration(s->position - s->begin),
                                             formatDuration(range))
                                  : tr("No recorded telemetry"));
    m_updating = false;
}

} // namespace twin::ui
