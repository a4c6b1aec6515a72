#pragma once
// What the two forms of twinctl calibrate share (file form: CalibrateVerbs.cpp; project form:
// CalibrateProject.cpp).
#include "Verbs.h"

#include "twin/model/calibration/Calibrator.h"

#include <string>

namespace twin::cli {

struct RunOptions
{
    model::calibration::CalibrationOptions options;
    bool methodGiven = false, seedGiven = false;
    int workers = 1;
    model::sim::RunLimits limits;
};

// --method, --seed, --workers, --timeout (removed from args); errors are the user's.
Status takeRunOptions(Args &args, RunOptions &run);
Report badInput(std::string error);
std::string fixed(double v, int digits = 6);
// The human lines and JSON of a result; ok when it converged and is identifiable.
Report describeResult(const model::calibration::CalibrationResult &result, const std::string &out);

// The report of an evidence record: HTML, or PDF for a path ending in .pdf (workbench build only).
Status writeReport(const std::string &recordJson, const std::string &path);

const char *projectCalibrateUsage();
Report calibrateProject(Args args);

} // namespace twin::cli
