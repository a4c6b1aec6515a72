#include "twin/model/detect/AlarmLogic.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twin::model::detect {

namespace {
constexpr int kMaxWindow = 256;
}

AlarmLogic::AlarmLogic(const AlarmOptions &options) : m_options(options)
{
    m_options.smoothing = std::clamp(m_options.smoothing, 1, kMaxWindow);
    m_options.persistence = std::max(m_options.persistence, 1);
}

AlarmLogic::Step AlarmLogic::push(double score)
{
    Step step;
    if (!std::isfinite(score)) {
        step.smoothed = m_filled ? m_sum / m_filled : std::numeric_limits<double>::quiet_NaN();
        step.alarm = m_alarm;
        return step;
    }
    if (m_filled == m_options.smoothing)
        m_sum -= m_window[m_next];
    else
        ++m_filled;
    m_window[m_next] = score;
    m_sum += score;
    m_next = (m_next + 1) % m_options.smoothing;
    step.smoothed = m_sum / m_filled;
    m_above = step.smoothed > 1.0 ? m_above + 1 : 0;
    m_below = step.smoothed < m_options.clearBelow ? m_below + 1 : 0;
    if (!m_alarm && m_above >= m_options.persistence) {
        m_alarm = true;
        step.raised = true;
    } else if (m_alarm && m_below >= m_options.persistence) {
        m_alarm = false;
        step.cleared = true;
    }
    step.alarm = m_alarm;
    return step;
}

void AlarmLogic::reset()
{
    *this = AlarmLogic(m_options);
}

} // namespace twin::model::detect
