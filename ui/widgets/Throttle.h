#pragma once
// Runs a function at most once per interval on the GUI thread: the first request at once, requests during
// the interval folded into one run at its end. For views that follow a fast clock (the telemetry snapshot
// comes at up to 60 Hz) but need not redraw that often.
#include <QObject>
#include <QTimer>

#include <functional>

namespace twin::ui {

class Throttle : public QObject
{
public:
    Throttle(int intervalMs, std::function<void()> run, QObject *parent)
        : QObject(parent), m_run(std::move(run))
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (m_pending) {
                m_pending = false;
                m_run();
                m_timer.start();
            }
        });
    }
    void request()
    {
        if (m_timer.isActive()) {
            m_pending = true;
            return;
        }
        m_run();
        m_timer.start();
    }

private:
    std::function<void()> m_run;
    QTimer m_timer;
    bool m_pending = false;
};

} // namespace twin::ui
