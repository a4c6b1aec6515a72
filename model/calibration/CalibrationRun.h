#pragma once
// One calibration of a planned project problem, as twinctl and the workbench run it: the fit, the prediction
// band and coverage (when the parameters are identifiable), then the acceptance verdict.
//
// Threads: blocks the calling thread (run it off the GUI thread); progress on that thread; cancel through
// the evaluator.
#include "twin/model/calibration/Acceptance.h"
#include "twin/model/calibration/PredictionBand.h"

#include <optional>
#include <string>

namespace twin::model::calibration {

struct CalibrationRun
{
    CalibrationResult result;
    std::optional<PredictionBand> band;
    std::string bandProblem; // why there is no band
    AcceptanceOutcome acceptance;
    // The model before calibration (the start values): simulated values and metrics per output, so a review
    // shows what calibration changed. Empty when the start point could not be simulated.
    std::vector<OutputFit> initial;
    // Converged, identifiable and passing its acceptance criteria.
    bool passed() const { return result.converged && result.identifiable && acceptance.passed; }
};

Result<CalibrationRun> runCalibration(const CalibrationPlan &plan, ModelEvaluator &evaluator,
                                      CalibrationOptions options, const BandOptions &band = {});

} // namespace twin::model::calibration
