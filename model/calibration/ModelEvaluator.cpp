#include "twin/model/calibration/ModelEvaluator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <thread>
#include <unistd.h>
#include <utility>

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

std::vector<sim::SimulationJob> jobsFor(const CalibrationProblem &problem, const std::vector<double> &point)
{
    if (problem.segments.empty())
        return {jobFor(problem, point)};
    // A segment's values are the twin's state at its start. One that is also a free parameter (a fitted
    // initial temperature, say) is fitted for the first segment; the later ones start from the twin's state.
    auto isFree = [&](const std::string &name) {
        return std::any_of(problem.parameters.begin(), problem.parameters.end(),
                           [&](const FreeParameter &p) { return p.name == name; });
    };
    auto set = [](sim::SimulationJob &job, const std::string &name, double value) {
        std::erase_if(job.parameters, [&](const auto &p) { return p.first == name; });
        job.parameters.emplace_back(name, value);
    };
    const sim::SimulationJob whole = jobFor(problem, point);
    std::vector<sim::SimulationJob> jobs;
    for (std::size_t s = 0; s < problem.segments.size(); ++s) {
        const Segment &segment = problem.segments[s];
        sim::SimulationJob &job = jobs.emplace_back(whole);
        job.start = segment.start;
        job.stop = segment.stop;
        for (const auto &[name, value] : segment.parameters)
            if (s > 0 || !isFree(name))
                set(job, name, value);
    }
    return jobs;
}

sim::SimulationResult joinSegments(std::vector<sim::SimulationResult> runs)
{
    if (runs.empty())
        return {};
    for (auto &run : runs)
        if (!run.ok())
            return std::move(run);
    sim::SimulationResult joined = std::move(runs.front());
    for (std::size_t i = 1; i < runs.size(); ++i) {
        if (runs[i].columns != joined.columns) {
            joined.outcome = sim::RunOutcome::ModelError;
            joined.message = "the runs of the windows returned different columns";
            return joined;
        }
        joined.rows.insert(joined.rows.end(), std::make_move_iterator(runs[i].rows.begin()),
                           std::make_move_iterator(runs[i].rows.end()));
        joined.warnings.insert(joined.warnings.end(), runs[i].warnings.begin(), runs[i].warnings.end());
        joined.reached = runs[i].reached;
    }
    return joined;
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

namespace {

// twin-fitworker beside `workerPath`, or empty when it is not there.
std::string fitWorkerBeside(const std::string &workerPath)
{
    const std::string fit = std::filesystem::path(workerPath).replace_filename("twin-fitworker").string();
    return ::access(fit.c_str(), X_OK) == 0 ? fit : std::string();
}

} // namespace

WorkerEvaluator::WorkerEvaluator(CalibrationProblem problem, int workers, sim::RunLimits limits,
                                 std::string workerPath, std::unique_ptr<sim::SimulationRunner> ahead)
    : m_problem(std::move(problem)), m_workers(std::max(1, workers)), m_limits(limits),
      m_workerPath(std::move(workerPath)), m_fitWorkerPath(fitWorkerBeside(m_workerPath))
{
    if (ahead)
        m_runners.push_back(std::move(ahead));
}

WorkerEvaluator::WorkerEvaluator(CalibrationProblem problem, int workers, sim::RunLimits limits,
                                 std::string workerPath, Runners kept)
    : WorkerEvaluator(std::move(problem), workers, limits, std::move(workerPath))
{
    m_runners = std::move(kept);
    std::erase(m_runners, nullptr);
}

WorkerEvaluator::Runners WorkerEvaluator::takeRunners()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_runners, {});
}

std::unique_ptr<sim::SimulationRunner> WorkerEvaluator::startAhead(const sim::RunLimits &limits,
                                                                   const std::string &workerPath,
                                                                   const std::string &pluginDir,
                                                                   const std::string &pluginId)
{
    const std::string fit = fitWorkerBeside(workerPath);
    auto runner = std::make_unique<sim::SimulationRunner>(fit.empty() ? workerPath : fit);
    runner->setReuse(true);
    (void)runner->start(limits, pluginDir, pluginId);
    return runner;
}

sim::SimulationRunner &WorkerEvaluator::runner(std::size_t index)
{
    std::lock_guard lock(m_mutex);
    while (m_runners.size() <= index) {
        m_runners.push_back(std::make_unique<sim::SimulationRunner>(
            m_fitWorkerPath.empty() ? m_workerPath : m_fitWorkerPath));
        m_runners.back()->setReuse(true); // one worker process per thread for the whole calibration
    }
    return *m_runners[index];
}

std::vector<Evaluation> WorkerEvaluator::evaluate(const std::vector<std::vector<double>> &points)
{
    // Every (point, segment) run is one task for the pool; a point's runs are joined afterwards. Points a
    // worker fit ran last are answered from its runs.
    std::vector<std::vector<sim::SimulationJob>> jobs(points.size());
    std::vector<std::pair<std::size_t, std::size_t>> tasks; // (point, segment)
    std::vector<Evaluation> out(points.size());
    std::vector<bool> known(points.size(), false);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto hit = std::find_if(m_known.begin(), m_known.end(),
                                      [&](const auto &run) { return run.first == points[i]; });
        if (hit != m_known.end()) {
            out[i] = hit->second;
            known[i] = true;
            continue;
        }
        jobs[i] = jobsFor(m_problem, points[i]);
        for (std::size_t s = 0; s < jobs[i].size(); ++s)
            tasks.emplace_back(i, s);
    }
    std::vector<std::vector<sim::SimulationResult>> runs(points.size());
    for (std::size_t i = 0; i < points.size(); ++i)
        runs[i].resize(jobs[i].size());
    std::atomic<std::size_t> next{0};
    const int threads = int(std::min<std::size_t>(std::size_t(m_workers), tasks.size()));
    if (threads > 0)
        (void)runner(std::size_t(threads - 1));
    auto loop = [&](sim::SimulationRunner &runner) {
        for (std::size_t k; (k = next++) < tasks.size();) {
            const auto [i, s] = tasks[k];
            if (m_cancelled) {
                runs[i][s].outcome = sim::RunOutcome::Cancelled;
                runs[i][s].message = "cancelled";
                continue;
            }
            runs[i][s] = runner.run(jobs[i][s], m_limits);
            m_lastRunSeconds = runs[i][s].seconds;
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(loop, std::ref(*m_runners[std::size_t(t)]));
    if (threads > 0)
        loop(*m_runners[0]);
    for (auto &t : pool)
        t.join();
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (known[i])
            continue;
        out[i] = toEvaluation(m_problem, joinSegments(std::move(runs[i])));
        if (m_cancelled && !out[i].ok) {
            out[i].fatal = true;
            out[i].message = "cancelled";
            continue;
        }
        ++m_evaluations;
    }
    return out;
}

bool WorkerEvaluator::prefersFitInWorker() const
{
    if (m_fitWorkerPath.empty())
        return false;
    const double run = m_lastRunSeconds;
    return m_workers == 1 || (run > 0 && run < 0.5e-3);
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
