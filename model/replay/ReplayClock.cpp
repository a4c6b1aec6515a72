#include "twin/model/replay/ReplayClock.h"

#include <chrono>

namespace twin::model {

TimeNs LiveClock::now() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void ReplayClock::setRange(TimeNs begin, TimeNs end)
{
    m_begin = begin;
    m_end = std::max(begin, end);
    m_position = std::clamp(m_position, m_begin, m_end);
}

TimeNs ReplayClock::tick(TimeNs wallElapsed)
{
    if (!m_playing)
        return m_position;
    m_position = std::min(m_end, m_position + TimeNs(double(wallElapsed) * m_speed));
    if (m_position >= m_end)
        m_playing = false;
    return m_position;
}

} // namespace twin::model
