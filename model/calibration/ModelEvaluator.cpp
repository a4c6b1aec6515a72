#include "twin/model/calibration/ModelEvaluator.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace twin::model::calibration {

sim::SimulationJob jobFor(const CalibrationProblem &problem, const std::vector<double> &point)
{
    sim::SimulationJob job = problem.job;
    for (std::size_t i = 0; i < problem.parameters.size() && i < point.size(); ++i) {
        const std::string &name = problem.parameters[i].name;
        std::erase_if(job.parameters, [&](const auto &p) { return p.first == name; });
        job.parameters.emplace_back(name, point[i]);
    }
    job.outputs.clear();
    for (const auto &o : problem.outputs)
        if (std::find(job.outputs.begin(), job.outputs.end(), o.variable) == job.outputs.end())
            job.outputs.push_back(o.variable);
    return job;
}

Result<std::vector<double>> sampleAt(const sim::SimulationResult &result, const std::string &column,
                                     const std::vector<double> &times)
{
    const auto it = std::find(result.columns.begin(), result.columns.end(), column);
    if (it == result.columns.end())
        return Error{"the run has no output '" + column + "'"};
    const std::size_t c = std::size_t(it - result.columns.begin());
    const auto &rows = result.rows;
    if (rows.empty())
        return Error{"the run produced no results"};
    std::vector<double> out(times.size());
    std::size_t r = 0;
    const double slack = 1e-9 * std::max(1.0, std::abs(rows.back()[0]));
    for (std::size_t i = 0; i < times.size(); ++i) {
        const double t = times[i];
        if (t < rows.front()[0] - slack || t > rows.back()[0] + slack)
            return Error{"the run did not reach t=" + std::to_string(t) +
                         " (results end at t=" + std::to_string(rows.back()[0]) + ")"};
        while (r + 1 < rows.size() && rows[r + 1][0] <= t)
            ++r;
        if (r + 1 >= rows.size() || rows[r][0] >= t) {
            out[i] = rows[r][c];
            continue;
        }
        const double t0 = rows[r][0], t1 = rows[r + 1][0];
        const double f = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
        out[i] = rows[r][c] + f * (rows[r + 1][c] - rows[r][c]);
    }
    return out;
}

Evaluation toEvaluation(const CalibrationProblem &problem, const sim::SimulationResult &result)
{
    Evaluation e;
    if (!result.ok()) {
        using sim::RunOutcome;
        e.fatal = result.outcome != RunOutcome::ModelError && result.outcome != RunOutcome::Discarded;
        e.message = std::string(sim::outcomeName(result.outcome)) +
                    (result.message.empty() ? std::string() : ": " + result.message);
        return e;
    }
    for (const auto &o : problem.outputs) {
        auto values = sampleAt(result, o.variable, o.time);
        if (!values) {
            e.message = o.variable + ": " + values.error();
            return e;
        }
        for (double v : *values)
            if (!std::isfinite(v)) {
                e.message = o.variable + ": the model returned a value that is not a number";
                return e;
            }
        e.outputs.push_back(std::move(values.value()));
    }
    e.ok = true;
    return e;
}

WorkerEvaluator::WorkerEvaluator(CalibrationProblem problem, int workers, sim::RunLimits limits,
                                 std::string workerPath)
    : m_problem(std::move(problem)), m_workers(std::max(1, workers)), m_limits(limits),
      m_workerPath(std::move(workerPath))
{
}

std::vector<Evaluation> WorkerEvaluator::evaluate(const std::vector<std::vector<double>> &points)
{
    std::vector<Evaluation> out(points.size());
    std::atomic<std::size_t> next{0};
    const int threads = int(std::min<std::size_t>(std::size_t(m_workers), points.size()));
    {
        std::lock_guard lock(m_mutex);
        while (int(m_runners.size()) < threads) {
            m_runners.push_back(std::make_unique<sim::SimulationRunner>(m_workerPath));
            m_runners.back()->setReuse(true); // one worker process per thread for the whole calibration
        }
    }
    auto loop = [&](sim::SimulationRunner &runner) {
        for (std::size_t i; (i = next++) < points.size();) {
            if (m_cancelled) {
                out[i].fatal = true;
                out[i].message = "cancelled";
                continue;
            }
            out[i] = toEvaluation(m_problem, runner.run(jobFor(m_problem, points[i]), m_limits));
            ++m_evaluations;
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(loop, std::ref(*m_runners[std::size_t(t)]));
    if (threads > 0)
        loop(*m_runners[0]);
    for (auto &t : pool)
        t.join();
    return out;
}

std::size_t WorkerEvaluator::workersStarted() const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto &r : m_runners)
        n += r->workersStarted();
    return n;
}

void WorkerEvaluator::cancel()
{
    ModelEvaluator::cancel();
    std::lock_guard lock(m_mutex);
    for (auto &runner : m_runners)
        runner->cancel();
}

std::vector<Evaluation> FunctionEvaluator::evaluate(const std::vector<std::vector<double>> &points)
{
    std::vector<Evaluation> out;
    out.reserve(points.size());
    for (const auto &p : points) {
        if (m_cancelled) {
            out.push_back({false, true, "cancelled", {}});
            continue;
        }
        out.push_back(m_model(p));
        ++m_evaluations;
    }
    return out;
}

} // namespace twin::model::calibration
