#pragma once
// Simulates a calibration problem for many parameter vectors. The worker-process evaluator runs the vectors
// in twin-simworker processes (time and memory limits: a model that crashes or hangs cannot take the caller
// down), `workers` at a time, each process kept for the next run while its runs end normally; the function
// evaluator calls an in-process model (tests, analytic models).
//
// Threads: evaluate() blocks the calling thread; cancel() may be called from any thread.
#include "twin/model/calibration/CalibrationProblem.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace twin::model::calibration {

struct Evaluation
{
    bool ok = false;
    // The model crashed, hung, ran out of memory or the run was cancelled: the calibration stops. A model
    // that only reports an error (e.g. NaN outputs for these parameters) is not fatal; the point is rejected.
    bool fatal = false;
    std::string message;
    std::vector<std::vector<double>> outputs; // per FitOutput: simulated values at its observation times
};

struct CalibrationOptions;

// A fit made where the model runs (WorkerEvaluator::fitInWorker): the solver's outcome, and the runs at the
// last points it simulated, which answer the Jacobian of the uncertainty analysis without running again.
struct WorkerFit
{
    bool startFailed = false; // the model fails at the start values (failure says how)
    bool fatal = false;       // the model crashed, hung, ran out of memory, or the fit was cancelled
    std::string failure;
    std::vector<double> x;
    bool converged = false;
    bool stopped = false;
    int iterations = 0;
    double initialCost = 0;
    std::string message;
    std::size_t evaluations = 0;
    std::vector<std::pair<std::vector<double>, Evaluation>> lastRuns;
};

class ModelEvaluator
{
public:
    virtual ~ModelEvaluator() = default;
    // One Evaluation per point (values in problem.parameters order), in the same order.
    virtual std::vector<Evaluation> evaluate(const std::vector<std::vector<double>> &points) = 0;
    virtual void cancel() { m_cancelled = true; }
    bool cancelled() const { return m_cancelled; }
    std::size_t evaluations() const { return m_evaluations; }
    // Parallel runs this evaluator makes (finite differences are evaluated together).
    virtual int parallelism() const { return 1; }
    // Whether fitInWorker would be faster than runs sent one by one (whole fit next to the model, no round
    // trip per run). Asked before the first run and again after it.
    virtual bool prefersFitInWorker() const { return false; }
    // The solver run where the model runs, from the problem's start values with these output sigmas. Its
    // last runs answer evaluate() afterwards.
    virtual WorkerFit fitInWorker(const std::vector<double> &sigmas, const CalibrationOptions &options)
    {
        (void)sigmas;
        (void)options;
        return {false, true, "this evaluator cannot fit in a worker", {}, false, false, 0, 0, {}, 0, {}};
    }

protected:
    std::atomic<bool> m_cancelled{false};
    std::atomic<std::size_t> m_evaluations{0};
};

// The job of one evaluation: the problem's job with the free parameters set (replacing fixed values of the
// same name) and only the fitted outputs requested.
sim::SimulationJob jobFor(const CalibrationProblem &problem, const std::vector<double> &point);
// The runs of one evaluation: jobFor's job, or one per segment with the segment's span and fixed values.
std::vector<sim::SimulationJob> jobsFor(const CalibrationProblem &problem, const std::vector<double> &point);
// The runs of the segments joined in time order (the first failed one instead, when one failed).
sim::SimulationResult joinSegments(std::vector<sim::SimulationResult> runs);
// Values of `result` column `column` at `times` (linear between communication points). Times the run did not
// reach are an error.
Result<std::vector<double>> sampleAt(const sim::SimulationResult &result, const std::string &column,
                                     const std::vector<double> &times);
// Turns a finished run into an Evaluation of the problem's outputs.
Evaluation toEvaluation(const CalibrationProblem &problem, const sim::SimulationResult &result);

class WorkerEvaluator final : public ModelEvaluator
{
public:
    // `ahead`: a runner startAhead() started while the caller prepared the problem; it becomes the first.
    WorkerEvaluator(CalibrationProblem problem, int workers, sim::RunLimits limits = {},
                    std::string workerPath = sim::SimulationRunner::defaultWorkerPath(),
                    std::unique_ptr<sim::SimulationRunner> ahead = {});
    using Runners = std::vector<std::unique_ptr<sim::SimulationRunner>>;
    // `kept`: the runners of an earlier evaluator (takeRunners), their worker processes warm from its work;
    // they serve this one's first threads.
    WorkerEvaluator(CalibrationProblem problem, int workers, sim::RunLimits limits, std::string workerPath,
                    Runners kept);
    // The runners with their worker processes, for a later evaluator (call when no work is running); this
    // one starts new ones if used again.
    Runners takeRunners();
    // A runner with its worker process started now (the fit worker when there is one), so that the process
    // loads (and loads the plugin, when named) while the caller reads the project and plans; hand it to the
    // constructor.
    static std::unique_ptr<sim::SimulationRunner>
    startAhead(const sim::RunLimits &limits = {},
               const std::string &workerPath = sim::SimulationRunner::defaultWorkerPath(),
               const std::string &pluginDir = {}, const std::string &pluginId = {});
    std::vector<Evaluation> evaluate(const std::vector<std::vector<double>> &points) override;
    void cancel() override;
    int parallelism() const override { return m_workers; }
    // Worker processes started so far: each of the `workers` runners keeps its process for the next run
    // (SimulationRunner::setReuse) and starts a new one only after a crash, hang or cancel.
    std::size_t workersStarted() const;
    // With twin-fitworker beside the worker (it runs plain jobs as twin-simworker does, and whole fits): on
    // one worker; on several, when the model's last run took under 0.5 ms in its worker (its plugin's load
    // not counted): with a round trip of about 0.1 ms per run and a second process to start, parallel finite
    // differences gain nothing below that.
    bool prefersFitInWorker() const override;
    WorkerFit fitInWorker(const std::vector<double> &sigmas, const CalibrationOptions &options) override;

private:
    sim::SimulationRunner &runner(std::size_t index);

    CalibrationProblem m_problem;
    int m_workers;
    sim::RunLimits m_limits;
    std::string m_workerPath, m_fitWorkerPath;
    std::vector<std::pair<std::vector<double>, Evaluation>> m_known; // a worker fit's last runs
    std::atomic<double> m_lastRunSeconds{0};
    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<sim::SimulationRunner>> m_runners; // Owned; one per parallel thread
};

class FunctionEvaluator final : public ModelEvaluator
{
public:
    using Model = std::function<Evaluation(const std::vector<double> &point)>;
    explicit FunctionEvaluator(Model model) : m_model(std::move(model)) {}
    std::vector<Evaluation> evaluate(const std::vector<std::vector<double>> &points) override;

private:
    Model m_model;
};

} // namespace twin::model::calibration
