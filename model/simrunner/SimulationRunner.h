#pragma once
// Runs one simulation in a separate worker process (twin-simworker) so a model that crashes, hangs or eats
// memory cannot take the caller down. The child gets an address-space limit (RLIMIT_AS, set before exec), no
// core dumps, and dies with the parent (PR_SET_PDEATHSIG). The parent enforces a wall-time limit and an
// "answer" limit (no result row or heartbeat for that long = hung), kills the child (SIGTERM on cancel, then
// SIGKILL after a grace period; SIGKILL at once on a limit), always reaps it, and turns what happened into
// a RunOutcome with a message naming the model, the phase and the model time ("SIGSEGV in doStep of
// crash.fmu at t=0.3"). The model's stdout/stderr go to a pipe the parent keeps the tail of; the protocol
// never uses stdout (WorkerProtocol.h).
//
// Threads: run() blocks the calling thread; progress is called on that thread. cancel() may be called from
// any thread. One run at a time per runner; use several runners for parallel runs. std only.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace twin::model::sim {

struct InputTable
{
    std::vector<double> time;                                         // ascending
    std::vector<std::pair<std::string, std::vector<double>>> columns; // input name -> values at `time`
    // String inputs (and Binary ones as hex digits) at `time`, each held until the next time (text is not
    // interpolated); set only when the held value changes.
    std::vector<std::pair<std::string, std::vector<std::string>>> textColumns;
};

struct SimulationJob
{
    std::string pluginDir;                                  // folder scanned for the plugin
    std::string pluginId;                                   // e.g. "twin.sim-fmi"
    std::string modelId;                                    // empty: the plugin's only model
    std::string config;                                     // plugin JSON config, e.g. {"fmu": "/path/x.fmu"}
    std::string label;                                      // names the model in messages, e.g. "crash.fmu"
    std::string stepName = "step";                          // how messages call a step ("doStep" for FMUs)
    std::vector<std::pair<std::string, double>> parameters; // set before initialize()
    // String and Binary variables set before initialize() (backends with text or byte variables: FMI).
    std::vector<std::pair<std::string, std::string>> textParameters;
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> binaryParameters;
    double start = 0, stop = 1, step = 0.1;
    std::vector<std::string> outputs;     // empty: every numeric output of the model (and every text output)
    std::vector<std::string> textOutputs; // String / Binary outputs to record beside `outputs`
    InputTable inputs;                    // linear interpolation, held outside the table
    // Backends with SimCapability::SaveRestore: the model's state is saved when the run reaches this time
    // (a communication point) and comes back in SimulationResult::savedState ...
    std::optional<double> saveStateAt;
    // ... and a run given one continues from it: restored right after initialize(); `start` must be the
    // time it was saved at.
    std::vector<std::uint8_t> restoreState;
    // A JSON object for the worker's extension (WorkerProtocol.h), which handles the job instead of a plain
    // run (twin-fitworker: a calibration fit); its answer comes back in SimulationResult::reply.
    std::string extension;
    // Bytes that travel beside the job as they are (an extension's long series, which JSON would make slow).
    std::string attachment;
};

struct RunLimits
{
    double wallSeconds = 600;               // the whole run
    double answerSeconds = 5;               // longest silence (no row, no beacon beat) before "hung"
    std::uint64_t memoryBytes = 2ull << 30; // RLIMIT_AS of the worker; 0 = none
    double killGraceSeconds = 1;            // after SIGTERM (cancel) before SIGKILL
};

enum class RunOutcome
{
    Completed,
    Discarded,   // the model could not complete a step; results up to `reached`
    ModelError,  // the model or backend reported an error (incl. NaN outputs, bad parameters)
    Crashed,     // the worker died from a signal
    TimedOut,    // hung (no answer) or over the wall-time limit; the worker was killed
    MemoryLimit, // over the memory limit
    Cancelled,
    WorkerFailed, // the worker could not start or broke the protocol
};
const char *outcomeName(RunOutcome outcome);

struct SimulationResult
{
    RunOutcome outcome = RunOutcome::WorkerFailed;
    std::string message;                   // empty when Completed
    double reached = 0;                    // last model time with results
    std::vector<std::string> columns;      // "time" then the outputs
    std::vector<std::vector<double>> rows; // one per communication point: time, outputs...
    // String and Binary outputs (Binary as lowercase hex digits): names, and one row per row of `rows`.
    std::vector<std::string> textColumns;
    std::vector<std::vector<std::string>> textRows;
    std::vector<std::string> warnings;
    std::string modelOutput;              // the last 16 KiB the model wrote to stdout/stderr
    std::vector<std::uint8_t> savedState; // see SimulationJob::saveStateAt; empty when none was saved
    double savedStateTime = 0;
    std::string reply;  // an extension's answer (SimulationJob::extension)
    double seconds = 0; // the worker's time on the run itself: not the process start, not the plugin's load
    bool ok() const { return outcome == RunOutcome::Completed; }
};

class SimulationRunner
{
public:
    explicit SimulationRunner(std::string workerPath = defaultWorkerPath());
    ~SimulationRunner(); // ends a kept worker
    SimulationRunner(const SimulationRunner &) = delete;
    SimulationRunner &operator=(const SimulationRunner &) = delete;

    // Reuse: keep the worker process after a run that ended normally (completed, discarded, or a model error
    // the model reported) and send it the next job, saving the process start and plugin scan per run (many
    // short runs: calibration, sensitivity, sweeps). A worker that crashed, hung, ran out of memory or was
    // cancelled is never reused, nor one started with other limits. Off by default: one process per run.
    void setReuse(bool reuse) { m_reuse = reuse; }
    // Worker processes this runner started (a measure of reuse).
    std::size_t workersStarted() const { return m_started; }
    // twin-simworker next to the running executable (build/bin or the install's bin).
    static std::string defaultWorkerPath();

    // `message` gets the JSON text of worker messages this runner does not know itself (an extension's).
    // With reuse: starts the worker process now, without a job, so that the first run does not wait for it
    // (the process loads, and loads the plugin `pluginId` of `pluginDir` when given, while the caller goes
    // on). False when it cannot start (run() then says why).
    bool start(const RunLimits &limits = {}, const std::string &pluginDir = {},
               const std::string &pluginId = {});
    SimulationResult run(const SimulationJob &job, const RunLimits &limits = {},
                         const std::function<void(double reached)> &progress = {},
                         const std::function<void(const std::string &json)> &message = {});
    void cancel() { m_cancel.store(true); }

private:
    struct Kept; // a live worker between runs
    std::string m_worker;
    std::atomic<bool> m_cancel{false};
    bool m_reuse = false;
    std::size_t m_started = 0;
    std::unique_ptr<Kept> m_kept;
};

} // namespace twin::model::sim
