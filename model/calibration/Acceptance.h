#pragma once
// Acceptance criteria of a calibration checked against its result: pass/fail per criterion and output, and
// one verdict. A criterion on hold-out data fails when there are no hold-out observations (nothing was
// shown), and any metric that cannot be computed (NaN) fails.
#include "twin/model/calibration/Calibrator.h"
#include "twin/model/calibration/ProjectCalibration.h"

#include <string>
#include <vector>

namespace twin::model::calibration {

struct CriterionOutcome
{
    AcceptanceCriterion criterion;
    std::string output; // twin reference it was checked on
    double value = 0;   // the metric (NaN when it could not be computed)
    bool passed = false;
    std::string note; // why it failed beyond the number ("no hold-out observations")
};

struct AcceptanceOutcome
{
    std::vector<CriterionOutcome> criteria;
    bool passed = true; // every criterion passed (true when there are none)
    bool defined() const { return !criteria.empty(); }
};

// The value of metric `name` ("absBias" is |bias|) in `metrics`; NaN for an unknown name.
double metricValue(const FitMetrics &metrics, const std::string &name);

AcceptanceOutcome evaluateAcceptance(const CalibrationPlan &plan, const CalibrationResult &result);

} // namespace twin::model::calibration
