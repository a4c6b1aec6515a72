#include "RunSampler_p.h"

#include <algorithm>
#include <cmath>

namespace twin::model::calibration::detail {

RunSampler::RunSampler(const CalibrationProblem &problem, const std::vector<std::string> &columns)
    : m_problem(problem), m_columnCount(columns.size())
{
    const std::size_t n = problem.outputs.size();
    m_column.assign(n, 0);
    m_next.assign(n, 0);
    m_early.assign(n, 0);
    m_values.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        const auto it = std::find(columns.begin(), columns.end(), problem.outputs[k].variable);
        m_column[k] = std::size_t(it - columns.begin());
        m_values[k].reserve(problem.outputs[k].time.size());
    }
}

void RunSampler::settleBefore(double t)
{
    // Rows so far end with m_last at m_lastTime; `t` is the next row's time (after m_lastTime).
    for (std::size_t k = 0; k < m_problem.outputs.size(); ++k) {
        const std::vector<double> &times = m_problem.outputs[k].time;
        const std::size_t c = m_column[k];
        if (c >= m_last.size())
            continue;
        for (std::size_t &i = m_next[k]; i < times.size() && times[i] < t; ++i)
            m_values[k].push_back(m_last[c]);
    }
}

void RunSampler::row(double t, const std::vector<double> &values)
{
    if (m_backwards)
        return;
    if (!m_haveRow) {
        m_haveRow = true;
        m_firstTime = m_lastTime = t;
        m_last = values;
        settleBefore(t); // before the first row: its values
        for (std::size_t k = 0; k < m_next.size(); ++k)
            m_early[k] = m_next[k];
        return;
    }
    if (t < m_lastTime) {
        m_backwards = true;
        return;
    }
    if (t > m_lastTime) {
        for (std::size_t k = 0; k < m_column.size(); ++k) {
            const std::vector<double> &times = m_problem.outputs[k].time;
            const std::size_t c = m_column[k];
            if (c >= values.size())
                continue;
            const std::size_t count = times.size();
            for (std::size_t &i = m_next[k]; i < count && times[i] < t; ++i) {
                const double ti = times[i];
                if (m_lastTime >= ti) {
                    m_values[k].push_back(m_last[c]);
                    continue;
                }
                const double t0 = m_lastTime, t1 = t;
                const double f = t1 > t0 ? (ti - t0) / (t1 - t0) : 0;
                m_values[k].push_back(m_last[c] + f * (values[c] - m_last[c]));
            }
        }
    }
    // A row has a handful of values and comes every step: copied by hand, not by a call to memmove.
    if (m_last.size() == values.size())
        for (std::size_t c = 0; c < values.size(); ++c)
            m_last[c] = values[c];
    else
        m_last = values;
    m_lastTime = t;
}

Evaluation RunSampler::finish()
{
    Evaluation e;
    if (m_backwards) {
        e.message = "the run's times went backwards";
        return e;
    }
    const double slack = 1e-9 * std::max(1.0, std::abs(m_lastTime));
    for (std::size_t k = 0; k < m_problem.outputs.size(); ++k) {
        const FitOutput &o = m_problem.outputs[k];
        auto fail = [&](const std::string &what) {
            e.message = o.variable + ": " + what;
            e.outputs.clear();
            return e;
        };
        if (m_column[k] >= m_columnCount)
            return fail("the run has no output '" + o.variable + "'");
        if (!m_haveRow)
            return fail("the run produced no results");
        auto unreached = [&](double t) {
            return fail("the run did not reach t=" + std::to_string(t) +
                        " (results end at t=" + std::to_string(m_lastTime) + ")");
        };
        if (m_early[k] > 0 && o.time.front() < m_firstTime - slack)
            return unreached(o.time.front());
        std::vector<double> &values = m_values[k];
        for (std::size_t i = m_next[k]; i < o.time.size(); ++i) { // at or after the last row
            if (o.time[i] > m_lastTime + slack)
                return unreached(o.time[i]);
            values.push_back(m_last[m_column[k]]);
        }
        for (double v : values)
            if (!std::isfinite(v))
                return fail("the model returned a value that is not a number");
        e.outputs.push_back(std::move(values));
    }
    e.ok = true;
    return e;
}

} // namespace twin::model::calibration::detail
