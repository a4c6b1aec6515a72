#pragma once
// A calibration result as JSON (twinctl calibrate --out, the project's evidence records):
// {"converged", "identifiable", "method", "message", "evaluations", "iterations", "seconds", "initialCost",
//  "finalCost", "residualVariance", "dof", "conditionNumber",
//  "parameters": {NAME: {"value", "start", "lower", "upper", "stderr", "ci95": [lo, hi], "atBound",
//  "informed"}}, "parameterOrder": [NAME...], "correlation": [[...]...], "covariance": [[...]...], "metrics":
//  {VAR: {"n", "rmse", "nrmse", "mae", "bias", "maxError", "r2", "mape", "lag1", "coverage" (with a
//  prediction band), "sigma",
//                    "sigmaEstimated"}},
//  "holdout": {VAR: {...same metrics...}}, "warnings": [text]}
// Numbers that are not finite (an unknown standard error) are written as null.
#include "twin/model/calibration/Calibrator.h"

#include <string>

namespace twin::model::calibration {

std::string resultJson(const CalibrationResult &result);
// One output's metrics as a JSON object (the "metrics" entries above, without sigma).
std::string fitMetricsJson(const FitMetrics &metrics);

} // namespace twin::model::calibration
