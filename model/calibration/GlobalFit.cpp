// Derivative-free global search with NLopt: seeded CRS2 (controlled random search with local mutation) over
// the bounds, then BOBYQA polishing from the best point found and from further seeded starts. Reproducible
// for a given seed; suited to discontinuous or stochastic models where finite-difference Jacobians mislead.
#include "twin/model/calibration/Solvers_p.h"

#include <nlopt.hpp>

#include <cmath>
#include <limits>
#include <random>

namespace twin::model::calibration::detail {

namespace {

struct Objective
{
    Objective(Residuals &r, const CalibrationOptions &o) : residuals(r), options(o) {}
    Residuals &residuals;
    const CalibrationOptions &options;
    nlopt::opt *running = nullptr;
    int calls = 0;
    bool stopped = false;
    double best = std::numeric_limits<double>::infinity();
    std::vector<double> bestX;

    double operator()(const std::vector<double> &x)
    {
        ++calls;
        if (!residuals.evaluate(x)) {
            if (residuals.fatal())
                stop();
            return std::numeric_limits<double>::max(); // an infeasible point: the search moves on
        }
        const double cost = residuals.robustCost();
        if (cost < best) {
            best = cost;
            bestX = x;
        }
        if (options.progress && !options.progress({calls, best, residuals.evaluations()}))
            stop();
        return cost;
    }
    void stop()
    {
        stopped = true;
        if (running)
            running->force_stop();
    }
};

double trampoline(unsigned n, const double *x, double *grad, void *data)
{
    auto *objective = static_cast<Objective *>(data);
    return (*objective)(std::vector<double>(x, x + n));
}

// Runs one NLopt algorithm from x; false when it was stopped. NLopt reports some endings (round-off limited,
// a forced stop) by exception; the best point seen is kept in the objective either way.
bool run(nlopt::opt &opt, Objective &objective, std::vector<double> x, std::string &message)
{
    objective.running = &opt;
    double f = 0;
    try {
        const nlopt::result r = opt.optimize(x, f);
        message = r == nlopt::MAXEVAL_REACHED ? "evaluation budget used" : "converged";
    } catch (const nlopt::forced_stop &) {
        message = "stopped";
    } catch (const nlopt::roundoff_limited &) {
        message = "converged (round-off limited)";
    } catch (const std::exception &e) {
        message = e.what();
    }
    objective.running = nullptr;
    return !objective.stopped;
}

} // namespace

SolveOutcome solveGlobal(Residuals &residuals, const CalibrationProblem &problem,
                         const CalibrationOptions &options, const std::vector<double> &start)
{
    SolveOutcome out;
    out.x = start;
    const unsigned p = unsigned(problem.parameters.size());
    std::vector<double> lower(p), upper(p);
    for (unsigned j = 0; j < p; ++j) {
        lower[j] = problem.parameters[j].lower;
        upper[j] = problem.parameters[j].upper;
    }
    Objective objective(residuals, options);
    if (!residuals.evaluate(start)) {
        out.message = residuals.failure();
        return out;
    }
    out.initialCost = residuals.robustCost();
    objective.best = out.initialCost;
    objective.bestX = start;

    nlopt::srand(options.seed);
    nlopt::opt global(nlopt::GN_CRS2_LM, p);
    global.set_lower_bounds(lower);
    global.set_upper_bounds(upper);
    global.set_min_objective(trampoline, &objective);
    global.set_maxeval(options.globalEvaluations > 0 ? options.globalEvaluations : int(150 * p));
    global.set_ftol_rel(1e-10);
    std::string message;
    bool going = run(global, objective, start, message);

    std::mt19937 random(options.seed);
    for (int s = 0; going && s < std::max(1, options.localStarts); ++s) {
        std::vector<double> from = objective.bestX;
        if (s > 0)
            for (unsigned j = 0; j < p; ++j)
                from[j] = std::uniform_real_distribution<double>(lower[j], upper[j])(random);
        nlopt::opt local(nlopt::LN_BOBYQA, p);
        local.set_lower_bounds(lower);
        local.set_upper_bounds(upper);
        local.set_min_objective(trampoline, &objective);
        local.set_xtol_rel(1e-10);
        local.set_ftol_rel(1e-12);
        local.set_maxeval(int(300 * p));
        going = run(local, objective, from, message);
    }
    out.x = objective.bestX;
    out.iterations = objective.calls;
    out.stopped = !going || residuals.fatal();
    out.converged = !out.stopped && message.rfind("converged", 0) == 0;
    out.message = residuals.fatal() ? residuals.failure() : message;
    return out;
}

} // namespace twin::model::calibration::detail
