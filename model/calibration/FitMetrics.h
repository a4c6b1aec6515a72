#pragma once
// How well simulated values match observations, per output and per window kind (calibration or hold-out).
#include "twin/model/calibration/CalibrationProblem.h"

#include <cstddef>
#include <vector>

namespace twin::model::calibration {

struct FitMetrics
{
    std::size_t n = 0;
    double rmse = 0;
    double nrmse = 0; // rmse / (max - min of the observations); NaN when they are constant
    double mae = 0;
    double bias = 0;     // mean of simulated - observed
    double maxError = 0; // largest |simulated - observed|
    double r2 = 0;       // 1 - SSres / SStot; NaN when the observations are constant
    double mape = 0; // mean |error| / |observed| in %, over observations with |observed| > 1e-3 max|observed|
                     // (NaN when none): percentages near zero say nothing
    double lag1 = 0; // lag-1 autocorrelation of the residuals (near 0: no structure left)
    double coverage = -1; // share of observations inside the prediction band; < 0 when no band was computed
};

// Metrics over the observations of `output` whose use is `use`; simulated[i] belongs to observation i.
FitMetrics computeMetrics(const FitOutput &output, const std::vector<double> &simulated, Use use);

} // namespace twin::model::calibration
