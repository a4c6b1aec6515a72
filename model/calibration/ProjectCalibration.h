#pragma once
// A stored calibration definition turned into a CalibrationProblem from the twin's own data:
//   - the asset's simulation binding and the twin state at the first window's start (In bindings, as a
//     scenario starting then: planScenario), the asset's calibrated parameters, then the free ones on top;
//   - measured inputs (In bindings from telemetry to model inputs) as an input table from history on the
//     step grid, in model units;
//   - each fitted output (Out binding to telemetry) observed at its samples' times, converted to model units;
//     samples in calibration windows are fitted, those in hold-out windows only scored, others excluded;
//     samples flagged bad by data quality (bad value, out of range, out of order, duplicate, ambiguous time)
//     are excluded and counted.
// One simulation runs from the earliest window start to the latest window end; the data between windows
// drive it but are not scored.
//
// Threads: planCalibration reads the project (the thread that owns it); the plan is then plain data.
#include "twin/model/calibration/CalibrationDefinition.h"
#include "twin/model/scenario/ScenarioRun.h"

#include <map>
#include <string>
#include <vector>

namespace twin::model::calibration {

struct DataCounts
{
    std::size_t fitted = 0, holdout = 0, badQuality = 0, outside = 0;
};

// Quality flags that keep a sample out of a calibration.
constexpr std::uint16_t kExcludedQuality =
    QualityBadValue | QualityOutOfRange | QualityOutOfOrder | QualityDuplicate | QualityAmbiguousTime;

struct CalibrationPlan
{
    CalibrationDefinition definition;
    scenario::ScenarioPlan scenario;          // binding, asset, startAt (the first window's start), job
    CalibrationProblem problem;               // times in seconds from scenario.startAt, values in model units
    std::vector<scenario::OutputMap> outputs; // per problem output: the twin telemetry and unit conversion
    std::map<std::string, DataCounts> counts; // per fitted twin reference
    std::vector<std::string> inputs;          // twin references driven from history
    std::string dataHash;                     // "sha256:<hex>" over every sample used (time, value, quality)
    std::string pluginVersion, modelVersion;
    std::vector<std::string> warnings;
    // What set this calibration going, when not a person at the editor: a drift alarm ("alarm \"Anomaly\"
    // on <path> raised <time>: <message>"). Set by the caller; kept in the evidence.
    std::string trigger;
    // The problem output index of a twin reference; -1 when not fitted.
    int outputIndex(const std::string &twin) const;
};

Result<CalibrationPlan> planCalibration(const Project &project, const CalibrationDefinition &definition,
                                        const std::string &pluginDir, const std::string &projectDir = {});
// The same plan for running the model alongside its data without fitting it (shadow simulation): the
// definition's parameters may be empty, and an output without good samples in a window is planned with
// none (it is simulated, not compared) instead of being an error.
Result<CalibrationPlan> planModelData(const Project &project, const CalibrationDefinition &definition,
                                      const std::string &pluginDir, const std::string &projectDir = {});

} // namespace twin::model::calibration
