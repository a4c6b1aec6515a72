#pragma once
// A calibration as the project stores it: which asset, which parameters of its bound model are free (bounds,
// start, prior), which bound outputs are fitted (noise, weight, robust loss), which measured inputs drive the
// model from history, the calibration and hold-out windows, the method and the acceptance criteria.
// Stored as meta "calibration:<asset path>" (JSON, see definitionToJson). Times are UTC; the JSON writes them
// as ISO 8601 ("2026-01-05T06:10:00Z") and reads ISO 8601 or nanoseconds since the epoch.
//
// Threads: plain data and free functions.
#include "twin/formats/Sample.h"
#include "twin/formats/TimeText.h"
#include "twin/model/calibration/CalibrationProblem.h"
#include "twin/model/project/Project.h"
#include "twin/util/Result.h"

#include <optional>
#include <string>
#include <vector>

namespace twin::model::calibration {

// The time helpers calibration has always offered, now shared (formats/TimeText.h).
using twin::model::isoUtc;
using twin::model::parseTime;
using twin::model::parseWindow;
using twin::model::TimeWindow;

struct ParameterSpec
{
    std::string name; // a model parameter of the asset's binding
    double lower = 0, upper = 0;
    std::optional<double> start; // none: the asset's calibrated value, else the model's default
    std::optional<double> priorMean, priorSd;
    bool operator==(const ParameterSpec &) const = default;
};

struct OutputSpec
{
    std::string twin;            // twin telemetry reference of an Out binding ("windingTemperature")
    std::optional<double> sigma; // noise in the twin unit; none: estimated from the data
    double weight = 1;
    Loss loss = Loss::Squared;
    bool operator==(const OutputSpec &) const = default;
};

// "metric op value" on one output (empty: every fitted output) over the hold-out or calibration data.
struct AcceptanceCriterion
{
    std::string metric; // rmse, nrmse, mae, bias, absBias, maxError, r2, mape, lag1, coverage
    std::string op = "<=";
    double value = 0;    // nrmse, mape and coverage as fractions/percent as computed
    std::string output;  // twin reference; empty: every fitted output
    bool holdout = true; // false: on the calibration windows
    bool operator==(const AcceptanceCriterion &) const = default;
    std::string describe() const; // "nrmse <= 0.05 on hold-out"
};

struct CalibrationDefinition
{
    std::string asset; // asset path
    std::vector<ParameterSpec> parameters;
    std::vector<OutputSpec> outputs; // empty: every Out binding to telemetry
    // Twin references of In bindings to telemetry whose model variable is an input: driven from history
    // during the fit. Empty: every such binding. Other In bindings are the twin state at a window's start.
    std::vector<std::string> inputs;
    std::vector<TimeWindow> windows, holdout;
    // true: every window (calibration and hold-out) is simulated on its own, from the twin's state at its
    // start; false: one run from the first window's start through the last one's end, the data between
    // windows driving the model but not scored.
    bool restartEachWindow = true;
    double step = 0; // communication step in seconds; 0: the median spacing of the fitted data
    std::string method = "lm";
    unsigned seed = 1;
    std::vector<AcceptanceCriterion> acceptance;
    bool operator==(const CalibrationDefinition &) const = default;
};

std::string definitionToJson(const CalibrationDefinition &definition);
// Errors name the field ("parameters[1].lower: not a number").
Result<CalibrationDefinition> definitionFromJson(const std::string &json);

// "NAME=LO:HI[:START]".
Result<ParameterSpec> parseParameterSpec(const std::string &text);
// "nrmse<=0.05", "absBias<=0.5@holdout", "r2>=0.9:windingTemperature@calibration".
Result<AcceptanceCriterion> parseCriterion(const std::string &text);

// Project storage: meta "calibration:<asset path>".
std::string definitionKey(const std::string &assetPath);
void setDefinition(Project &project, const CalibrationDefinition &definition);
std::optional<CalibrationDefinition> findDefinition(const Project &project, const std::string &assetPath);
std::vector<std::string> calibratedAssets(const Project &project); // asset paths with a definition

// A calibration for every asset of a type (and of types extending it): meta "calibration-type:<type id>",
// the definition's `asset` left empty. An asset's own definition wins over its type's.
std::string typeDefinitionKey(const std::string &typeId);
void setTypeDefinition(Project &project, const std::string &typeId, CalibrationDefinition definition);
std::optional<CalibrationDefinition> findTypeDefinition(const Project &project, const std::string &typeId);
// The asset's own definition, else the one of its type or nearest ancestor type (with `asset` set to the
// path; `fromType` gets that type's id, empty for an own definition).
std::optional<CalibrationDefinition> definitionForAsset(const Project &project, const std::string &assetPath,
                                                        std::string *fromType = nullptr);
// Paths of the assets a type's definition covers (of the type or extending it), in tree order.
std::vector<std::string> assetsOfType(const Project &project, const std::string &typeId);

} // namespace twin::model::calibration
