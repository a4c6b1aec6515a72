#pragma once
// What a calibration fits: a simulation job (model, fixed parameters, measured inputs, time span) with some
// of the model's parameters left free within bounds, and model outputs compared with observed series.
//
// Residual of observation i of output k: w_k * (simulated - observed) / sigma_k, where sigma_k is the
// output's noise (given, or estimated from the data by estimateNoise) and w_k its weight. Observations
// flagged out (e.g. samples of bad quality, or those in hold-out windows) are not fitted but still get
// metrics.
#include "twin/model/simrunner/SimulationRunner.h"
#include "twin/util/Result.h"

#include <optional>
#include <string>
#include <vector>

namespace twin::model::calibration {

struct FreeParameter
{
    std::string name;
    double lower = 0, upper = 0, start = 0;
    // Optional Gaussian prior (regularization): adds (value - mean) / sd as one more residual.
    std::optional<double> priorMean, priorSd;
};

enum class Loss
{
    Squared,
    Huber,  // quadratic within `lossScale` (in units of sigma), linear beyond
    Cauchy, // log(1 + r^2), for gross outliers
};
const char *lossName(Loss loss);
std::optional<Loss> lossFromName(const std::string &name);

enum class Use : unsigned char
{
    Fit,     // calibration window
    Holdout, // validation only
    Excluded // bad quality or outside every window: neither fitted nor scored
};

struct FitOutput
{
    std::string variable;         // the model's output
    std::vector<double> time;     // model time of each observation, ascending
    std::vector<double> observed; // in the model's unit
    std::vector<Use> use;         // empty: every observation is fitted
    double sigma = 0;             // noise standard deviation; 0: estimated from the data
    double weight = 1;
    Loss loss = Loss::Squared;
    double lossScale = 1.345; // in units of sigma (Huber's 95 % efficiency constant)

    Use useOf(std::size_t i) const { return use.empty() ? Use::Fit : use[i]; }
};

// One separately simulated stretch of the data: `job` with this span and these values (the state the twin
// had at `start`, e.g. an initial temperature) in place of job's.
struct Segment
{
    double start = 0, stop = 0;
    std::vector<std::pair<std::string, double>> parameters;
};

struct CalibrationProblem
{
    sim::SimulationJob job; // job.parameters: the fixed values; free parameters are set on top
    // Empty: one run over job's span. Otherwise one run per segment (ascending, not overlapping), and each
    // observation is taken from the run of the segment that holds it.
    std::vector<Segment> segments;
    std::vector<FreeParameter> parameters;
    std::vector<FitOutput> outputs;
};

// Checks bounds, starts, priors and data: every problem named (parameter, output and row). `modelParameters`
// / `modelOutputs`, when not empty, are the names the model has (unknown names are errors).
Status validateProblem(const CalibrationProblem &problem,
                       const std::vector<std::string> &modelParameters = {},
                       const std::vector<std::string> &modelOutputs = {});

// Noise of a sampled signal from its second differences (robust: median absolute deviation), which removes
// a smooth trend: sigma = 1.4826 * MAD(d2) / sqrt(6). Only observations marked Fit are used. 0 when too few.
double estimateNoise(const FitOutput &output);

// Number of observations used in the fit, over all outputs.
std::size_t fittedCount(const CalibrationProblem &problem);

} // namespace twin::model::calibration
