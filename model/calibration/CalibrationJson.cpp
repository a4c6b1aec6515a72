#include "twin/model/calibration/CalibrationJson.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace twin::model::calibration {

namespace {
using nlohmann::json;

json number(double v)
{
    return std::isfinite(v) ? json(v) : json();
}

json metricsJson(const FitMetrics &m)
{
    json j = {{"n", m.n},
              {"rmse", number(m.rmse)},
              {"nrmse", number(m.nrmse)},
              {"mae", number(m.mae)},
              {"bias", number(m.bias)},
              {"maxError", number(m.maxError)},
              {"r2", number(m.r2)},
              {"mape", number(m.mape)},
              {"lag1", number(m.lag1)}};
    if (m.coverage >= 0)
        j["coverage"] = m.coverage;
    return j;
}

json matrix(const std::vector<double> &values, std::size_t p)
{
    json rows = json::array();
    for (std::size_t i = 0; i < p; ++i) {
        json row = json::array();
        for (std::size_t j = 0; j < p; ++j)
            row.push_back(number(values[i * p + j]));
        rows.push_back(row);
    }
    return rows;
}
} // namespace

std::string fitMetricsJson(const FitMetrics &metrics)
{
    return metricsJson(metrics).dump();
}

std::string resultJson(const CalibrationResult &r)
{
    json parameters = json::object(), order = json::array();
    for (const auto &e : r.parameters) {
        parameters[e.name] = {{"value", e.value},
                              {"start", e.start},
                              {"lower", e.lower},
                              {"upper", e.upper},
                              {"stderr", number(e.stderror)},
                              {"ci95", {number(e.ci95[0]), number(e.ci95[1])}},
                              {"atBound", e.atBound},
                              {"informed", e.informed}};
        order.push_back(e.name);
    }
    json metrics = json::object(), holdout = json::object();
    for (const auto &o : r.outputs) {
        json m = metricsJson(o.calibration);
        m["sigma"] = o.sigma;
        m["sigmaEstimated"] = o.sigmaEstimated;
        metrics[o.variable] = m;
        if (o.holdout.n > 0)
            holdout[o.variable] = metricsJson(o.holdout);
    }
    const std::size_t p = r.parameters.size();
    const json out = {{"converged", r.converged},
                      {"identifiable", r.identifiable},
                      {"method", r.method},
                      {"message", r.message},
                      {"evaluations", r.evaluations},
                      {"iterations", r.iterations},
                      {"seconds", r.seconds},
                      {"initialCost", number(r.initialCost)},
                      {"finalCost", number(r.finalCost)},
                      {"residualVariance", number(r.residualVariance)},
                      {"dof", r.dof},
                      {"conditionNumber", number(r.conditionNumber)},
                      {"parameters", parameters},
                      {"parameterOrder", order},
                      {"correlation", matrix(r.correlation, p)},
                      {"covariance", matrix(r.covariance, p)},
                      {"metrics", metrics},
                      {"holdout", holdout},
                      {"warnings", r.warnings}};
    return out.dump(2);
}

} // namespace twin::model::calibration
