#pragma once
// Internal to the calibration: the solvers behind calibrate() and the uncertainty analysis.
#include "twin/model/calibration/Calibrator.h"
#include "twin/model/calibration/Residuals_p.h"

#include <string>
#include <vector>

namespace twin::model::calibration::detail {

struct SolveOutcome
{
    std::vector<double> x;
    bool converged = false;
    bool stopped = false; // by the progress callback, a cancel or a fatal model failure
    int iterations = 0;
    double initialCost = 0;
    std::string message;
};

// Bounded Levenberg-Marquardt (Ceres) from `start`.
SolveOutcome solveLocal(Residuals &residuals, const CalibrationProblem &problem,
                        const CalibrationOptions &options, const std::vector<double> &start);
// Seeded CRS2 over the bounds, then BOBYQA polish from the best point and seeded starts (NLopt).
SolveOutcome solveGlobal(Residuals &residuals, const CalibrationProblem &problem,
                         const CalibrationOptions &options, const std::vector<double> &start);
// Standard errors, intervals, covariance, correlation and identifiability from the Jacobian at result's
// parameter values (evaluated here). False when the model fails there.
bool estimateUncertainty(Residuals &residuals, CalibrationResult &result);

} // namespace twin::model::calibration::detail
