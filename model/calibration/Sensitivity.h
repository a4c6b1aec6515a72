#pragma once
// Sensitivity of a scalar model response (an output's mean, a KPI, the fit's cost) to the parameters over
// their ranges: Morris elementary effects (screening: mu* ranks influence, sigma flags interactions or
// non-linearity) and variance-based Sobol indices (first order: the share of the response's variance a
// parameter explains alone; total: with all its interactions), estimated with Saltelli's sampling (N (p + 2)
// runs), the Saltelli 2010 first-order and Jansen total-order estimators, and bootstrap 95 % intervals.
//
// The model is a batch function, so the runs of one design go to the worker processes together.
#include "twin/util/Result.h"

#include <functional>
#include <string>
#include <vector>

namespace twin::model::calibration {

struct SensitivityParameter
{
    std::string name;
    double lower = 0, upper = 1;
};

// Responses for many points (values in parameter order); NaN marks a failed run.
using BatchModel = std::function<std::vector<double>(const std::vector<std::vector<double>> &points)>;

struct MorrisOptions
{
    int trajectories = 20;
    int levels = 4; // grid levels per factor; the step is levels / (2 (levels - 1)) of the range
    unsigned seed = 1;
};

struct MorrisIndex
{
    std::string name;
    double muStar = 0; // mean |elementary effect|, in response units per full parameter range
    double mu = 0;     // mean elementary effect (signed)
    double sigma = 0;  // standard deviation of the elementary effects
};

struct SobolOptions
{
    int samples = 1024; // N: the design makes N (p + 2) runs
    int bootstrap = 200;
    unsigned seed = 1;
};

struct SobolIndex
{
    std::string name;
    double first = 0, total = 0;
    double firstCi[2] = {0, 0}, totalCi[2] = {0, 0}; // bootstrap 95 % intervals
};

struct SensitivityRuns
{
    std::size_t runs = 0;   // model runs made
    std::size_t failed = 0; // runs that returned NaN (their effects are left out)
};

Result<std::vector<MorrisIndex>> morrisScreening(const std::vector<SensitivityParameter> &parameters,
                                                 const BatchModel &model, const MorrisOptions &options = {},
                                                 SensitivityRuns *runs = nullptr);
Result<std::vector<SobolIndex>> sobolIndices(const std::vector<SensitivityParameter> &parameters,
                                             const BatchModel &model, const SobolOptions &options = {},
                                             SensitivityRuns *runs = nullptr);

} // namespace twin::model::calibration
