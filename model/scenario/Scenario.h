#pragma once
// A what-if scenario: which assets, from which twin state, with which overrides, for how
// long. Stored in the project as meta "scenario:<name>" = {"definition": ..., "lastRun": ...} (the run record
// names the backend plugin and model with their versions, the resolved start time and the run timestamp, so a
// run can be reproduced from the stored definition). Results go to project.history as signals
// {asset, "scenario:<name>/<telemetry>"} (twin units; sample time = start + model time).
//
// Threads: plain data and free functions.
#include "twin/formats/Sample.h"
#include "twin/model/project/Project.h"
#include "twin/util/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace twin::model::scenario {

// Changes one model input or parameter over the run. `target` is a bound twin reference (e.g. "speed",
// converted from `unit`, default the twin's unit) or a model variable name (e.g. "valve.command", `unit`
// default the model's). Times are seconds from the scenario start.
struct Override
{
    enum class Kind
    {
        Constant, // value
        Step,     // baseline (or `from` when set) before `at`, `value` from `at` on
        Ramp,     // `from` until t0, linear to `to` at t1, held after
        Series    // recorded series: times/values, linear between, held outside
    };
    std::string target;
    Kind kind = Kind::Constant;
    double value = 0;
    double at = 0;
    std::optional<double> from; // Step: the value before `at` (none: the baseline)
    double to = 0, t0 = 0, t1 = 0;
    std::vector<double> times, values;
    std::string unit;
    bool operator==(const Override &) const = default;
    bool timeVarying() const { return kind != Kind::Constant; }
    // The value at model time t (baseline: the value without the override).
    double valueAt(double t, double baseline) const;
};

struct Kpi
{
    std::string name;
    std::string expression; // e.g. "integral(P) / 3.6e6", see Kpi.h
    std::string unit;       // display only
    bool operator==(const Kpi &) const = default;
};

struct ScenarioDefinition
{
    std::string name;
    std::string description;
    std::vector<std::string> targets; // asset paths ("Riverside site/.../Pump P-101"); one run per target
    std::optional<TimeNs> startAt;    // the twin state at this time; none: now (latest telemetry)
    double horizon = 600;             // seconds of model time
    double step = 1;                  // communication step, seconds
    std::uint64_t seed = 1;           // given to stochastic backends (config "seed")
    std::vector<Override> overrides;
    std::vector<Kpi> kpis;
    bool operator==(const ScenarioDefinition &) const = default;
};

std::string overrideKindName(Override::Kind kind);
std::string scenarioToJson(const ScenarioDefinition &definition);
Result<ScenarioDefinition> scenarioFromJson(const std::string &json);

// Parses a command-line override: "speed=1200", "speed=1200 rpm", "valve.command=step(60,0.5)",
// "speed=ramp(1480,1200,0,60)". Series overrides only through JSON.
Result<Override> parseOverride(const std::string &text);

// Project storage.
void setScenario(Project &project, const ScenarioDefinition &definition); // keeps the last run record
std::optional<ScenarioDefinition> findScenario(const Project &project, const std::string &name);
std::vector<std::string> scenarioNames(const Project &project);
void removeScenario(Project &project, const std::string &name);
// The stored run record (JSON object text; empty when never run).
std::string scenarioRunRecord(const Project &project, const std::string &name);
void setScenarioRunRecord(Project &project, const std::string &name, const std::string &recordJson);

// "scenario:<name>/<telemetry>" (the history signal name of a scenario series).
std::string scenarioSignalName(const std::string &scenario, const std::string &telemetry);
AssetId findAssetByPath(const Project &project, const std::string &path);

} // namespace twin::model::scenario
