#pragma once
// Sensitivity analysis on a calibration definition (the same plan: model, inputs from history, windows,
// free parameters with their bounds). The response of each fitted output is its mean simulated value over
// the calibration and hold-out observations, in twin units.
//   local:  normalized sensitivities (d mean / d theta) * theta / mean at one point (the asset's calibrated
//           values, else the start values), forward differences, p + 1 runs;
//   morris: elementary effects over the bounds (screening);
//   sobol:  first and total order indices with bootstrap intervals (Saltelli sampling, N (p + 2) runs).
// The runs of each design go to the worker processes together; a design is simulated once for all outputs.
// Results as JSON for twinctl and the report; stored per asset as meta "calibration-sensitivity:<path>"
// (the newest per method), and the report of that asset shows them.
//
// Threads: blocks the calling thread; cancel through the evaluator.
#include "twin/model/calibration/ModelEvaluator.h"
#include "twin/model/calibration/ProjectCalibration.h"

#include <string>

namespace twin::model::calibration {

struct SensitivityRequest
{
    std::string method = "morris"; // local, morris, sobol
    int samples = 0;               // morris: trajectories (default 20); sobol: N (default 256)
    unsigned seed = 1;
};

// The result as a JSON object: {"method", "asset", "runs", "failed", "seconds", "point" (local),
// "outputs": {TWIN: [{"parameter", ...measures}]}, "rows": [{"parameter", "output", "measure", "value"}]}.
Result<std::string> projectSensitivity(const CalibrationPlan &plan, ModelEvaluator &evaluator,
                                       const SensitivityRequest &request,
                                       const std::vector<double> &point = {});

std::string sensitivityKey(const std::string &assetPath);
// Stores a result (replacing the same method's) and returns the change; the record JSON of the asset's report
// with the stored sensitivity added (unchanged when there is none).
struct MetaChange;
MetaChange storeSensitivity(const Project &project, const std::string &assetPath,
                            const std::string &resultJson);
std::string withSensitivity(const Project &project, const std::string &assetPath,
                            const std::string &recordJson);

} // namespace twin::model::calibration
