#include "twin/model/calibration/CalibrationProblem.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace twin::model::calibration {

const char *lossName(Loss loss)
{
    switch (loss) {
    case Loss::Squared:
        return "squared";
    case Loss::Huber:
        return "huber";
    case Loss::Cauchy:
        return "cauchy";
    }
    return "squared";
}

std::optional<Loss> lossFromName(const std::string &name)
{
    for (Loss l : {Loss::Squared, Loss::Huber, Loss::Cauchy})
        if (name == lossName(l))
            return l;
    return std::nullopt;
}

namespace {

bool contains(const std::vector<std::string> &names, const std::string &name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

Status validateParameter(const FreeParameter &p, const std::vector<std::string> &modelParameters)
{
    const std::string where = "parameter '" + p.name + "'";
    if (p.name.empty())
        return Error{"a free parameter has no name"};
    if (!modelParameters.empty() && !contains(modelParameters, p.name))
        return Error{where + ": the model has no such parameter"};
    if (!std::isfinite(p.lower) || !std::isfinite(p.upper) || !(p.lower < p.upper))
        return Error{where + ": bounds must be finite with lower < upper"};
    if (!std::isfinite(p.start) || p.start < p.lower || p.start > p.upper)
        return Error{where + ": start value must lie within its bounds"};
    if (p.priorSd && !(*p.priorSd > 0))
        return Error{where + ": prior standard deviation must be > 0"};
    if (p.priorSd.has_value() != p.priorMean.has_value())
        return Error{where + ": a prior needs both mean and standard deviation"};
    return okStatus();
}

Status validateOutput(const FitOutput &o, const sim::SimulationJob &job,
                      const std::vector<std::string> &outputs)
{
    const std::string where = "output '" + o.variable + "'";
    if (!outputs.empty() && !contains(outputs, o.variable))
        return Error{where + ": the model has no such output"};
    if (o.time.size() != o.observed.size() || (!o.use.empty() && o.use.size() != o.time.size()))
        return Error{where + ": times, values and flags differ in length"};
    if (o.time.empty())
        return Error{where + ": no observations"};
    std::size_t fitted = 0;
    for (std::size_t i = 0; i < o.time.size(); ++i) {
        const std::string row = where + ", observation " + std::to_string(i + 1);
        if (!std::isfinite(o.time[i]))
            return Error{row + ": time is not a number"};
        if (i > 0 && o.time[i] < o.time[i - 1])
            return Error{row + ": time goes backwards"};
        if (o.time[i] < job.start - 1e-9 || o.time[i] > job.stop + 1e-9)
            return Error{row + ": time " + std::to_string(o.time[i]) + " is outside the simulated span [" +
                         std::to_string(job.start) + ", " + std::to_string(job.stop) + "]"};
        if (o.useOf(i) != Use::Excluded && !std::isfinite(o.observed[i]))
            return Error{row + ": value is not a number (NaN or infinite); exclude it or fix the data"};
        fitted += o.useOf(i) == Use::Fit;
    }
    if (fitted == 0)
        return Error{where + ": no observation inside a calibration window"};
    if (!(o.sigma >= 0) || !(o.weight > 0) || !(o.lossScale > 0))
        return Error{where + ": sigma must be >= 0, weight and loss scale > 0"};
    return okStatus();
}

} // namespace

Status validateProblem(const CalibrationProblem &problem, const std::vector<std::string> &modelParameters,
                       const std::vector<std::string> &modelOutputs)
{
    if (problem.parameters.empty())
        return Error{"nothing to calibrate: no free parameter"};
    if (problem.outputs.empty())
        return Error{"nothing to fit: no output with observations"};
    std::set<std::string> seen;
    for (const auto &p : problem.parameters) {
        if (auto s = validateParameter(p, modelParameters); !s)
            return s;
        if (!seen.insert(p.name).second)
            return Error{"parameter '" + p.name + "' is listed twice"};
    }
    for (const auto &o : problem.outputs)
        if (auto s = validateOutput(o, problem.job, modelOutputs); !s)
            return s;
    if (!(problem.job.step > 0) || !(problem.job.stop > problem.job.start))
        return Error{"the simulated span needs stop > start and a step > 0"};
    for (std::size_t i = 0; i < problem.segments.size(); ++i) {
        const Segment &s = problem.segments[i];
        if (!(s.stop > s.start) || s.start < problem.job.start || s.stop > problem.job.stop ||
            (i > 0 && s.start < problem.segments[i - 1].stop))
            return Error{"segment " + std::to_string(i + 1) +
                         " does not lie within the simulated span after the one before it"};
    }
    if (fittedCount(problem) <= problem.parameters.size())
        return Error{"fewer observations (" + std::to_string(fittedCount(problem)) +
                     ") than free parameters + 1"};
    return okStatus();
}

double estimateNoise(const FitOutput &output)
{
    std::vector<double> x;
    for (std::size_t i = 0; i < output.observed.size(); ++i)
        if (output.useOf(i) == Use::Fit)
            x.push_back(output.observed[i]);
    if (x.size() < 5)
        return 0;
    std::vector<double> d2(x.size() - 2);
    for (std::size_t i = 0; i + 2 < x.size(); ++i)
        d2[i] = x[i + 2] - 2 * x[i + 1] + x[i];
    auto median = [](std::vector<double> v) {
        const auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
        std::nth_element(v.begin(), mid, v.end());
        return *mid;
    };
    const double m = median(d2);
    for (double &d : d2)
        d = std::abs(d - m);
    return 1.4826 * median(d2) / std::sqrt(6.0);
}

std::size_t fittedCount(const CalibrationProblem &problem)
{
    std::size_t n = 0;
    for (const auto &o : problem.outputs)
        for (std::size_t i = 0; i < o.time.size(); ++i)
            n += o.useOf(i) == Use::Fit;
    return n;
}

} // namespace twin::model::calibration
