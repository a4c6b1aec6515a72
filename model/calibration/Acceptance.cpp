#include "twin/model/calibration/Acceptance.h"

#include <cmath>
#include <limits>

namespace twin::model::calibration {

double metricValue(const FitMetrics &m, const std::string &name)
{
    if (name == "rmse")
        return m.rmse;
    if (name == "nrmse")
        return m.nrmse;
    if (name == "mae")
        return m.mae;
    if (name == "bias")
        return m.bias;
    if (name == "absBias")
        return std::abs(m.bias);
    if (name == "maxError")
        return m.maxError;
    if (name == "r2")
        return m.r2;
    if (name == "mape")
        return m.mape;
    if (name == "lag1")
        return m.lag1;
    if (name == "coverage")
        return m.coverage >= 0 ? m.coverage : std::numeric_limits<double>::quiet_NaN();
    return std::numeric_limits<double>::quiet_NaN();
}

AcceptanceOutcome evaluateAcceptance(const CalibrationPlan &plan, const CalibrationResult &result)
{
    AcceptanceOutcome out;
    for (const auto &c : plan.definition.acceptance) {
        for (std::size_t k = 0; k < plan.outputs.size() && k < result.outputs.size(); ++k) {
            const std::string &twin = plan.outputs[k].column;
            if (!c.output.empty() && c.output != twin)
                continue;
            const FitMetrics &m = c.holdout ? result.outputs[k].holdout : result.outputs[k].calibration;
            CriterionOutcome o{c, twin, metricValue(m, c.metric), false, {}};
            if (m.n == 0)
                o.note = c.holdout ? "no hold-out observations" : "no calibration observations";
            else if (!std::isfinite(o.value))
                o.note = c.metric == "coverage" ? "no prediction band was computed" : "cannot be computed";
            else
                o.passed = c.op == "<=" ? o.value <= c.value : o.value >= c.value;
            out.passed = out.passed && o.passed;
            out.criteria.push_back(std::move(o));
        }
        if (!c.output.empty() && plan.outputIndex(c.output) < 0) {
            out.criteria.push_back(
                {c, c.output, std::numeric_limits<double>::quiet_NaN(), false, "not a fitted output"});
            out.passed = false;
        }
    }
    return out;
}

} // namespace twin::model::calibration
