#include "twin/model/calibration/FitMetrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twin::model::calibration {

FitMetrics computeMetrics(const FitOutput &output, const std::vector<double> &simulated, Use use)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> obs, err;
    for (std::size_t i = 0; i < output.observed.size() && i < simulated.size(); ++i)
        if (output.useOf(i) == use) {
            obs.push_back(output.observed[i]);
            err.push_back(simulated[i] - output.observed[i]);
        }
    FitMetrics m;
    m.n = obs.size();
    if (m.n == 0) {
        m.rmse = m.nrmse = m.mae = m.bias = m.maxError = m.r2 = m.mape = m.lag1 = nan;
        return m;
    }
    const double n = double(m.n);
    double sq = 0, abs = 0, sum = 0, mean = 0;
    for (double o : obs)
        mean += o / n;
    double ssTot = 0, maxObs = 0;
    for (std::size_t i = 0; i < m.n; ++i) {
        sq += err[i] * err[i];
        abs += std::abs(err[i]);
        sum += err[i];
        m.maxError = std::max(m.maxError, std::abs(err[i]));
        ssTot += (obs[i] - mean) * (obs[i] - mean);
        maxObs = std::max(maxObs, std::abs(obs[i]));
    }
    m.rmse = std::sqrt(sq / n);
    m.mae = abs / n;
    m.bias = sum / n;
    const auto [lo, hi] = std::minmax_element(obs.begin(), obs.end());
    m.nrmse = *hi > *lo ? m.rmse / (*hi - *lo) : nan;
    m.r2 = ssTot > 0 ? 1 - sq / ssTot : nan;
    double pct = 0;
    std::size_t counted = 0;
    for (std::size_t i = 0; i < m.n; ++i)
        if (std::abs(obs[i]) > 1e-3 * maxObs && maxObs > 0) {
            pct += std::abs(err[i]) / std::abs(obs[i]);
            ++counted;
        }
    m.mape = counted ? 100 * pct / double(counted) : nan;
    const double eMean = m.bias;
    double c0 = 0, c1 = 0;
    for (std::size_t i = 0; i < m.n; ++i) {
        c0 += (err[i] - eMean) * (err[i] - eMean);
        if (i > 0)
            c1 += (err[i] - eMean) * (err[i - 1] - eMean);
    }
    m.lag1 = c0 > 0 ? c1 / c0 : nan;
    return m;
}

} // namespace twin::model::calibration
