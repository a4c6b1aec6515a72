#pragma once
// Running scenarios: plan (twin state + binding + overrides -> a SimulationJob), run in the isolated worker
// process (model/simrunner/SimulationRunner), convert outputs back to twin units, evaluate KPIs, store
// results.
//
// One code path for the workbench and twinctl: planScenarioTargets on the thread that owns the project,
// executePlan on any thread (progress callbacks arrive on that thread; cancel() from another), then
// storeScenarioRun back on the thread that owns the project. runMany (with Sweep.h) does the same for many
// variants on N parallel workers.
#include "twin/formats/Units.h"
#include "twin/model/scenario/Binding.h"
#include "twin/model/scenario/Kpi.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace twin::model::scenario {

struct OutputMap
{
    std::string model;  // model output
    std::string column; // result column: the twin reference ("flow", "feeds/level")
    AssetId asset = kNoAsset;
    std::string telemetry; // on `asset`
    std::string twinUnit;
    UnitConversion toTwin; // model unit -> twin unit
};

// Everything one run needs, prepared on the thread that owns the project; then safe to hand to any thread.
struct ScenarioPlan
{
    ScenarioDefinition definition;
    SimulationBinding binding;
    AssetId asset = kNoAsset;
    std::string assetPath;
    TimeNs startAt = 0;
    sim::SimulationJob job;
    std::vector<OutputMap> outputs;
    std::vector<std::string> warnings; // e.g. "no telemetry before start for feeds/level; model default used"
};

// Resolves the binding of `target` (an asset path), reads the twin state at the definition's start (latest
// telemetry <= start, else the current property value), converts to model units, applies the overrides
// (constants as parameters, the rest as an input table on the step grid). Relative resource paths of the
// backend config (FMI "fmu") are resolved against projectDir, then the share/twinworks folder next to
// pluginDir (resolveResourcePath, Binding.h); the job gets the absolute path.
Result<ScenarioPlan> planScenario(const Project &project, const ScenarioDefinition &definition,
                                  const std::string &target, const std::string &pluginDir,
                                  const std::string &projectDir = {});
// Plans every target of a definition: the plans in target order, and one line per target that cannot be
// planned
// ("<scenario> on <target>: why"; "<scenario>: no target asset" when it has none).
struct ScenarioPlans
{
    std::vector<ScenarioPlan> plans;
    std::vector<std::string> errors;
};
ScenarioPlans planScenarioTargets(const Project &project, const ScenarioDefinition &definition,
                                  const std::string &pluginDir, const std::string &projectDir = {});
// Sets or replaces a constant override on a prepared plan (sweeps, Monte Carlo). `name` as Override::target.
Status setPlanValue(ScenarioPlan &plan, const std::string &name, double value, const std::string &unit = {});

struct ScenarioRunResult
{
    std::string assetPath;
    sim::RunOutcome outcome = sim::RunOutcome::WorkerFailed;
    std::string message;   // the runner's message (names the model, phase and time on a crash)
    ScenarioSeries series; // bound outputs (twin units, named by twin reference) then every model column
    std::vector<KpiValue> kpis;
    std::vector<std::string> warnings;
    bool ok() const { return outcome == sim::RunOutcome::Completed; }
    // The model stopped early on its own (a discarded step, terminateSimulation): the series up to there is a
    // result, as with other importers; `message` says why.
    bool stoppedEarly() const { return outcome == sim::RunOutcome::Discarded; }
    bool hasResult() const { return ok() || stoppedEarly(); }
};

struct ExecutorOptions
{
    std::string pluginDir;
    std::string projectDir; // the project's folder (resource paths, see planScenario); may be empty
    std::string workerPath = sim::SimulationRunner::defaultWorkerPath();
    sim::RunLimits limits;
};

class ScenarioExecutor
{
public:
    explicit ScenarioExecutor(ExecutorOptions options);
    // One plan, blocking; progress(model time reached) on the calling thread.
    ScenarioRunResult runPlan(const ScenarioPlan &plan, const std::function<void(double)> &progress = {});
    // Runs many plans on `workers` parallel worker processes, each kept for the next plan while runs end
    // normally; results in plan order. progress(done, total) is called from the runner threads, one call at
    // a time.
    std::vector<ScenarioRunResult>
    runMany(const std::vector<ScenarioPlan> &plans, int workers,
            const std::function<void(std::size_t, std::size_t)> &progress = {});
    // Any thread: stops the running runs (their result: Cancelled) and runs not yet started.
    void cancel();
    void resetCancel() { m_cancelled.store(false); }
    const ExecutorOptions &options() const { return m_options; }

private:
    ScenarioRunResult runPlanOn(sim::SimulationRunner &runner, const ScenarioPlan &plan,
                                const std::function<void(double)> &progress = {});

    ExecutorOptions m_options;
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::vector<sim::SimulationRunner *> m_active;
};

// Converts a finished run's columns into a ScenarioRunResult (bound outputs in twin units) and KPIs.
ScenarioRunResult collectResult(const ScenarioPlan &plan, const sim::SimulationResult &result);

// A finished run with the versions of the plugin and model that produced it: what storeScenarioRun records.
struct CompletedRun
{
    ScenarioRunResult result;
    std::string pluginVersion, modelVersion; // read only when the run completed
};
// Runs one plan (blocking, any thread) and reads the backend versions when it completed.
CompletedRun executePlan(ScenarioExecutor &executor, const ScenarioPlan &plan,
                         const std::function<void(double)> &progress = {});

// Writes the series of bound outputs to project.history as {asset, "<prefix><telemetry>"} in twin units,
// where prefix is "scenario:<name>/" for the first run and "scenario:<name>@<n>/" for reruns (the store
// cannot replace samples), and the run record (signal prefix, plugin + version, model + version, target,
// startAt, ranAt, outcome, message, KPIs) into meta "scenario:<name>".
// A run without a result (crashed, timed out, cancelled, a model error) is refused (nothing is written); one
// that stopped early is stored as far as it got, the record saying so.
Status storeScenarioRun(Project &project, const ScenarioPlan &plan, const CompletedRun &run);

// Plugin version and model version (ModelInfo.version) of a binding; reads metadata and asks the backend for
// its models in this process (ODE/DES: built in; FMI: reads modelDescription.xml only). Empty on failure.
std::pair<std::string, std::string> backendVersions(const std::string &pluginDir,
                                                    const SimulationBinding &binding);
// The model's variables (for validateBinding / lintBindings); nullopt with `why` when unavailable.
std::optional<std::vector<sdk::VariableInfo>>
modelVariables(const std::string &pluginDir, const SimulationBinding &binding, std::string &why);

// A CSV of a result: time then every column.
std::string resultCsv(const ScenarioRunResult &result);

} // namespace twin::model::scenario
