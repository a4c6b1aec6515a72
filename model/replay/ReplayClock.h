#pragma once
// One clock abstraction for live and replay. Live: the wall clock. Replay: a position in recorded time
// that moves at a speed (1x … 10,000x) while playing, or jumps (seek/step). "As fast as possible" is the
// caller driving ReplayEngine::advanceTo(end) directly.
#include "twin/formats/Sample.h"

#include <algorithm>

namespace twin::model {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual TimeNs now() const = 0;
    virtual bool isLive() const = 0;
};

class LiveClock final : public Clock
{
public:
    TimeNs now() const override;
    bool isLive() const override { return true; }
};

class ReplayClock final : public Clock
{
public:
    static constexpr double kMinSpeed = 0.1;
    static constexpr double kMaxSpeed = 10000.0;

    void setRange(TimeNs begin, TimeNs end);
    TimeNs begin() const { return m_begin; }
    TimeNs end() const { return m_end; }
    TimeNs now() const override { return m_position; }
    bool isLive() const override { return false; }

    void play() { m_playing = m_position < m_end; }
    void pause() { m_playing = false; }
    bool playing() const { return m_playing; }
    void setSpeed(double speed) { m_speed = std::clamp(speed, kMinSpeed, kMaxSpeed); }
    double speed() const { return m_speed; }
    void seek(TimeNs t) { m_position = std::clamp(t, m_begin, m_end); }
    void step(TimeNs delta) { seek(m_position + delta); }
    // Moves the position by wallElapsed * speed while playing; stops at the end. Returns the new position.
    TimeNs tick(TimeNs wallElapsed);

private:
    TimeNs m_begin = 0;
    TimeNs m_end = 0;
    TimeNs m_position = 0;
    double m_speed = 1.0;
    bool m_playing = false;
};

} // namespace twin::model
