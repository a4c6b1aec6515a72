#pragma once
// Fits the free parameters of a CalibrationProblem and says how far the result can be trusted.
//
// Local ("lm"): bounded Levenberg-Marquardt (Ceres Solver) on the scaled residuals, robust losses per
// observation, forward-difference Jacobians simulated in parallel. Global ("global"): seeded CRS2 (NLopt)
// over the bounds, then BOBYQA from the best point and from further seeded starts; for non-smooth or
// stochastic models. Either way the result carries standard errors and 95 % intervals from the Jacobian at
// the optimum (covariance s^2 (J^T J)^-1, s^2 the residual variance), the correlation matrix, identifiability
// findings (near-singular J^T J, |rho| > 0.95, parameters the data do not inform) and fit metrics per output
// for the calibration and hold-out observations.
//
// Threads: calibrate() blocks; progress is called on the calling thread; cancel through the evaluator.
#include "twin/model/calibration/FitMetrics.h"
#include "twin/model/calibration/ModelEvaluator.h"

#include <functional>
#include <string>
#include <vector>

namespace twin::model::calibration {

enum class Method
{
    LevenbergMarquardt,
    Global,
};

struct CalibrationProgress
{
    int iteration = 0;
    double cost = 0; // 0.5 * sum rho(r^2) of the scaled residuals
    std::size_t evaluations = 0;
};

struct CalibrationOptions
{
    Method method = Method::LevenbergMarquardt;
    int maxIterations = 100;
    unsigned seed = 1;         // global search and its starts: the same seed gives the same result
    int globalEvaluations = 0; // budget of the global search; 0: 150 per free parameter
    int localStarts = 3;       // BOBYQA starts after the global search (the best point and seeded others)
    // Let an evaluator that prefers it run the solver next to the model (WorkerFit.h); the result is the
    // same.
    bool fitInWorker = true;
    // Called after every iteration; return false to stop (the result is then not converged).
    std::function<bool(const CalibrationProgress &)> progress;
};

struct ParameterEstimate
{
    std::string name;
    double start = 0, value = 0;
    double lower = 0, upper = 0;
    double stderror = 0;     // NaN when not identifiable
    double ci95[2] = {0, 0}; // value -+ t(0.975, dof) * stderror
    bool atBound = false;
    bool informed = true; // false: the fitted outputs do not depend on it
};

struct OutputFit
{
    std::string variable;
    double sigma = 0;              // the noise used to scale its residuals
    bool sigmaEstimated = false;   // from the data (estimateNoise) rather than given
    std::vector<double> simulated; // at every observation time, with the fitted parameters
    FitMetrics calibration, holdout;
};

struct CalibrationResult
{
    bool converged = false;      // the solver met its tolerances
    bool identifiable = true;    // J^T J well conditioned and every parameter informed
    std::string message;         // the solver's or the model's last word
    std::string method;          // "lm" or "global"
    bool fittedInWorker = false; // the solver ran in the worker process, next to the model
    int iterations = 0;
    std::size_t evaluations = 0; // model runs
    double seconds = 0;
    double initialCost = 0, finalCost = 0;
    double residualVariance = 0; // s^2 of the scaled residuals
    std::size_t dof = 0;
    double conditionNumber = 0; // of J^T J with columns scaled to unit norm
    std::vector<ParameterEstimate> parameters;
    std::vector<double> covariance, correlation; // row-major p x p
    std::vector<OutputFit> outputs;
    std::vector<std::string> warnings; // identifiability and bound findings, in words
};

// Fits `problem` (validated first: bad input is an error naming what is wrong). A model failure at the start
// point or a fatal one (crash, hang, memory) later is an error naming the model's message.
Result<CalibrationResult> calibrate(const CalibrationProblem &problem, ModelEvaluator &evaluator,
                                    const CalibrationOptions &options = {});

// Two-sided 97.5 % quantile of Student's t with `dof` degrees of freedom (1.96 for large dof).
double tQuantile975(std::size_t dof);

const char *methodName(Method method);

} // namespace twin::model::calibration
