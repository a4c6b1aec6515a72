#pragma once
// Asset states over the time of a stored scenario run (side-by-side 3D comparison).
//
// A run's results live in project.history as {asset, "<prefix><telemetry>"} with prefix "scenario:<run>/"
// (<run> is the scenario name, or "<name>@<n>" for reruns; see storeScenarioRun). deriveScenarioStates
// replays them through a fresh StateEngine over the project's rule sets: first the observed history (signals
// without the "scenario:" prefix) of the `warmup` before the run starts, so every asset enters the run in its
// observed state, then the run's series mapped back to their telemetry names on the same asset. Assets
// without results keep the state they had at the start (their last observed inputs are held).
//
// Threads: plain data and free functions; the store locks itself.
#include "twin/formats/Sample.h"
#include "twin/model/project/Project.h"
#include "twin/model/scenario/Kpi.h"
#include "twin/model/state/StateEngine.h"
#include "twin/util/Result.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace twin::model::scenario {

struct ScenarioStateTrack
{
    std::string run;          // "<name>" or "<name>@<n>"
    std::string signalPrefix; // "scenario:<run>/"
    TimeNs begin = 0;         // first and last sample time of the run's series
    TimeNs end = 0;
    std::unordered_map<AssetId, std::string> initial; // rule initial states, before the warm-up
    std::vector<StateChange> changes;                 // in time order (warm-up included)
    std::vector<AssetId> resultAssets;                // assets with result series, sorted

    // The state of every asset with rules at time t (changes at exactly t applied).
    std::unordered_map<AssetId, std::string> statesAt(TimeNs t) const;
    std::string stateAt(AssetId asset, TimeNs t) const; // "" when the asset has no rules
};

struct ScenarioStatesOptions
{
    TimeNs warmup = 15 * 60 * kNsPerSecond; // observed history replayed before the run's start
};

// Runs with result series in the store ("baseline", "valve-50@2", ...), sorted; empty without history.
std::vector<std::string> scenarioRunsInStore(const Project &project);
// The latest run of a scenario: the lastRun record's signal prefix, else "scenario:<name>/" (its run id).
std::string latestScenarioRun(const Project &project, const std::string &name);
// The scenario name of a run id ("valve-50@2" -> "valve-50").
std::string scenarioOfRun(const std::string &run);

// KPIs of a run: the run record's values when `run` is the scenario's latest run, else the definition's
// KPIs evaluated over the run's series of its first target (columns named by telemetry; KPIs over model
// variables then carry an error). Units from the definition. Empty when neither is available.
std::vector<KpiValue> scenarioRunKpis(const Project &project, const std::string &run);

// Errors: no history, no series for the run, rule sets that do not compile.
Result<ScenarioStateTrack> deriveScenarioStates(const Project &project, const std::string &run,
                                                const ScenarioStatesOptions &options = {});

} // namespace twin::model::scenario
