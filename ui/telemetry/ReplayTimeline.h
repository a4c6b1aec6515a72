#pragma once
// The replay timeline toolbar: play/pause, steps of 1 s and 1 min, speed (1x … 10,000x, max), a seek slider
// over the recorded range and the clock as UTC text. Sends commands to the session, shows its snapshots.
// Child object names (tests): replayPlay, replayBack1m, replayBack1s, replayForward1s, replayForward1m,
// replaySpeed, replaySlider, replayTime, replayLive (the LIVE badge shown instead of the replay controls
// while the session is live).
#include "twin/formats/Sample.h"

#include <QToolBar>

class QAction;
class QComboBox;
class QLabel;
class QSlider;

namespace twin::ui {

class TelemetrySession;

class ReplayTimeline : public QToolBar
{
    Q_OBJECT
public:
    explicit ReplayTimeline(TelemetrySession &session, QWidget *parent = nullptr);

    QAction *playAction() const { return m_play; }
    QComboBox *speedCombo() const { return m_speed; }
    QSlider *slider() const { return m_slider; }
    QLabel *timeLabel() const { return m_time; }
    QLabel *liveLabel() const { return m_live; }
    // "2026-01-05 06:42:10 UTC" (milliseconds shown when not whole seconds).
    static QString formatTime(model::TimeNs t);

private:
    void addStep(const QString &text, const char *name, model::TimeNs delta);
    void onSpeedChosen(int index);
    void onSliderMoved(int value);
    void showSnapshot();

    TelemetrySession &m_session;
    QAction *m_play;
    QComboBox *m_speed;
    QSlider *m_slider;
    QLabel *m_time;
    QLabel *m_live;
    QAction *m_liveAction = nullptr;
    QList<QAction *> m_replayActions; // hidden while live
    model::TimeNs m_begin = 0;
    model::TimeNs m_tick = 1; // nanoseconds per slider step
    bool m_updating = false;
};

} // namespace twin::ui
