#pragma once
// 95 % prediction band of a calibrated model: parameter vectors drawn from the fitted estimate's normal
// approximation (mean = fitted values, covariance from the Jacobian), clipped to the bounds, each simulated
// through the evaluator (worker processes, in parallel), plus the measurement noise the fit found
// (sigma_k * s / w_k). The band at each observation is the central `level` quantile range of those draws.
// Coverage (the share of observations inside the band) is written into the result's metrics per window kind:
// an honest model and noise estimate cover about `level` of the hold-out data.
//
// Threads: blocks the calling thread; cancel through the evaluator.
#include "twin/model/calibration/Calibrator.h"

#include <vector>

namespace twin::model::calibration {

struct BandOptions
{
    int samples = 200;
    unsigned seed = 1;
    double level = 0.95;
};

struct OutputBand
{
    std::vector<double> lower, upper; // per observation, model units
};

struct PredictionBand
{
    std::vector<OutputBand> outputs; // per problem output
    int samples = 0;                 // draws simulated
    int failed = 0;                  // draws the model rejected (left out)
};

// Errors: the result has no finite covariance (parameters not identifiable), or too few draws ran.
Result<PredictionBand> predictionBand(const CalibrationProblem &problem, const CalibrationResult &result,
                                      ModelEvaluator &evaluator, const BandOptions &options = {});

// Sets FitMetrics::coverage of every output (calibration and hold-out) from the band.
void setCoverage(const CalibrationProblem &problem, const PredictionBand &band, CalibrationResult &result);

} // namespace twin::model::calibration
