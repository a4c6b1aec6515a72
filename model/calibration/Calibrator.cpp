#include "twin/model/calibration/Calibrator.h"

#include "twin/model/calibration/Solvers_p.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace twin::model::calibration {

const char *methodName(Method method)
{
    return method == Method::Global ? "global" : "lm";
}

double tQuantile975(std::size_t dof)
{
    static const double small[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
    if (dof == 0)
        return std::nan("");
    if (dof <= 10)
        return small[dof - 1];
    // Cornish-Fisher expansion around the normal quantile (error < 1e-4 for dof > 10).
    const double z = 1.959963984540054, v = double(dof);
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
}

namespace {

// The noise of each output: given, else estimated from its data; noise-free data get a tiny positive sigma
// (the scale of the residuals then only weighs the outputs against each other).
std::vector<double> outputSigmas(const CalibrationProblem &problem, std::vector<bool> &estimated)
{
    std::vector<double> sigmas;
    for (const FitOutput &o : problem.outputs) {
        double sigma = o.sigma;
        estimated.push_back(sigma <= 0);
        if (sigma <= 0)
            sigma = estimateNoise(o);
        if (sigma <= 0) {
            const auto [lo, hi] = std::minmax_element(o.observed.begin(), o.observed.end());
            sigma = std::max(1e-9, 1e-6 * std::max(std::abs(*hi - *lo), std::abs(*hi)));
        }
        sigmas.push_back(sigma);
    }
    return sigmas;
}

void describeBounds(CalibrationResult &result)
{
    for (ParameterEstimate &e : result.parameters) {
        const double span = e.upper - e.lower;
        e.atBound = e.value - e.lower <= 1e-6 * span || e.upper - e.value <= 1e-6 * span;
        if (e.atBound)
            result.warnings.push_back("parameter '" + e.name + "' ended at its " +
                                      (e.value - e.lower <= 1e-6 * span ? "lower" : "upper") +
                                      " bound: the optimum may lie outside the bounds");
    }
}

} // namespace

Result<CalibrationResult> calibrate(const CalibrationProblem &problem, ModelEvaluator &evaluator,
                                    const CalibrationOptions &options)
{
    if (auto valid = validateProblem(problem); !valid)
        return Error{valid.error()};
    const auto started = std::chrono::steady_clock::now();
    const std::size_t runsBefore = evaluator.evaluations(); // an evaluator may have served an earlier fit
    std::vector<bool> estimated;
    const std::vector<double> sigmas = outputSigmas(problem, estimated);
    detail::Residuals residuals(problem, sigmas, evaluator);
    std::vector<double> start;
    for (const auto &p : problem.parameters)
        start.push_back(p.start);
    const bool workerFirst = options.fitInWorker && evaluator.prefersFitInWorker();
    if (!workerFirst && !residuals.evaluate(start))
        return Error{"the model fails at the start values: " + residuals.failure()};
    const bool inWorker = workerFirst || (options.fitInWorker && evaluator.prefersFitInWorker());
    auto failedDuringFit = [](const std::string &failure) {
        return Error{"the model failed during the fit, the calibration stopped (nothing was changed): " +
                     failure};
    };
    detail::SolveOutcome solved;
    if (inWorker) {
        const WorkerFit fit = evaluator.fitInWorker(sigmas, options);
        if (fit.stopped || evaluator.cancelled())
            return Error{evaluator.cancelled() ? std::string("cancelled") : "stopped: " + fit.message};
        if (fit.startFailed && !fit.fatal)
            return Error{"the model fails at the start values: " + fit.failure};
        if (fit.fatal)
            return failedDuringFit(fit.failure);
        solved = {fit.x, fit.converged, false, fit.iterations, fit.initialCost, fit.message};
    } else {
        solved = options.method == Method::Global ? detail::solveGlobal(residuals, problem, options, start)
                                                  : detail::solveLocal(residuals, problem, options, start);
        if (residuals.fatal())
            return failedDuringFit(residuals.failure());
        if (solved.stopped)
            return Error{evaluator.cancelled() ? std::string("cancelled") : "stopped: " + solved.message};
    }

    CalibrationResult result;
    result.method = methodName(options.method);
    result.converged = solved.converged;
    result.fittedInWorker = inWorker;
    result.message = solved.message;
    result.iterations = solved.iterations;
    result.initialCost = solved.initialCost;
    for (std::size_t j = 0; j < problem.parameters.size(); ++j) {
        const FreeParameter &p = problem.parameters[j];
        ParameterEstimate e;
        e.name = p.name;
        e.start = p.start;
        e.value = solved.x[j];
        e.lower = p.lower;
        e.upper = p.upper;
        result.parameters.push_back(e);
    }
    describeBounds(result);
    if (!detail::estimateUncertainty(residuals, result))
        return Error{"the model fails at the fitted values: " + residuals.failure()};
    result.finalCost = residuals.robustCost();
    for (std::size_t k = 0; k < problem.outputs.size(); ++k) {
        const FitOutput &o = problem.outputs[k];
        OutputFit fit;
        fit.variable = o.variable;
        fit.sigma = residuals.sigmas()[k];
        fit.sigmaEstimated = estimated[k];
        fit.simulated = residuals.simulated()[k];
        fit.calibration = computeMetrics(o, fit.simulated, Use::Fit);
        fit.holdout = computeMetrics(o, fit.simulated, Use::Holdout);
        result.outputs.push_back(std::move(fit));
    }
    result.evaluations = evaluator.evaluations() - runsBefore;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace twin::model::calibration
