// Bounded Levenberg-Marquardt with Ceres Solver. Squared-loss rows in shared blocks, a block per row with a
// robust loss (its own loss); the blocks share one simulation per parameter point through detail::Residuals.
#include "twin/model/calibration/Solvers_p.h"

#include <ceres/ceres.h>

#include <algorithm>

namespace twin::model::calibration::detail {

namespace {

// Rows [first, first + count) of the residuals as one block: a run of squared-loss rows shares one block (far
// less solver bookkeeping than a block per row); a row with a robust loss is a block of its own, so its loss
// applies to it alone.
class RowsCost final : public ceres::CostFunction
{
public:
    RowsCost(Residuals &residuals, std::size_t first, std::size_t count)
        : m_residuals(residuals), m_first(first), m_count(count)
    {
        set_num_residuals(int(count));
        mutable_parameter_block_sizes()->push_back(int(residuals.columns()));
    }

    bool Evaluate(double const *const *parameters, double *residual, double **jacobians) const override
    {
        const std::size_t p = m_residuals.columns();
        const std::vector<double> x(parameters[0], parameters[0] + p);
        const bool wantJ = jacobians && jacobians[0];
        if (!(wantJ ? m_residuals.evaluateWithJacobian(x) : m_residuals.evaluate(x)))
            return false;
        std::copy_n(m_residuals.residuals().begin() + std::ptrdiff_t(m_first), m_count, residual);
        if (wantJ)
            std::copy_n(m_residuals.jacobian().begin() + std::ptrdiff_t(m_first * p), m_count * p,
                        jacobians[0]);
        return true;
    }

private:
    Residuals &m_residuals;
    std::size_t m_first, m_count;
};

ceres::LossFunction *lossFor(Loss loss, double scale)
{
    switch (loss) {
    case Loss::Squared:
        return nullptr;
    case Loss::Huber:
        return new ceres::HuberLoss(scale);
    case Loss::Cauchy:
        return new ceres::CauchyLoss(scale);
    }
    return nullptr;
}

class Progress final : public ceres::IterationCallback
{
public:
    Progress(const CalibrationOptions &options, Residuals &residuals)
        : m_options(options), m_residuals(residuals)
    {
    }
    ceres::CallbackReturnType operator()(const ceres::IterationSummary &summary) override
    {
        if (m_residuals.fatal()) {
            stopped = true;
            return ceres::SOLVER_ABORT;
        }
        if (m_options.progress &&
            !m_options.progress({summary.iteration, summary.cost, m_residuals.evaluations()})) {
            stopped = true;
            return ceres::SOLVER_ABORT;
        }
        return ceres::SOLVER_CONTINUE;
    }
    bool stopped = false;

private:
    const CalibrationOptions &m_options;
    Residuals &m_residuals;
};

} // namespace

SolveOutcome solveLocal(Residuals &residuals, const CalibrationProblem &problem,
                        const CalibrationOptions &options, const std::vector<double> &start)
{
    SolveOutcome out;
    out.x = start;
    ceres::Problem::Options problemOptions;
    problemOptions.cost_function_ownership = ceres::TAKE_OWNERSHIP;
    problemOptions.loss_function_ownership = ceres::TAKE_OWNERSHIP;
    ceres::Problem ceresProblem(problemOptions);
    for (std::size_t row = 0; row < residuals.rows();) {
        std::size_t end = row + 1;
        if (residuals.loss(row) == Loss::Squared)
            while (end < residuals.rows() && residuals.loss(end) == Loss::Squared)
                ++end;
        ceresProblem.AddResidualBlock(new RowsCost(residuals, row, end - row),
                                      lossFor(residuals.loss(row), residuals.lossScale(row)), out.x.data());
        row = end;
    }
    for (std::size_t j = 0; j < problem.parameters.size(); ++j) {
        ceresProblem.SetParameterLowerBound(out.x.data(), int(j), problem.parameters[j].lower);
        ceresProblem.SetParameterUpperBound(out.x.data(), int(j), problem.parameters[j].upper);
    }
    ceres::Solver::Options solverOptions;
    solverOptions.minimizer_type = ceres::TRUST_REGION;
    solverOptions.trust_region_strategy_type = ceres::LEVENBERG_MARQUARDT;
    solverOptions.linear_solver_type = ceres::DENSE_QR;
    solverOptions.max_num_iterations = options.maxIterations;
    solverOptions.function_tolerance = 1e-10;
    solverOptions.parameter_tolerance = 1e-10;
    solverOptions.gradient_tolerance = 1e-12;
    solverOptions.num_threads = 1; // the model runs are the parallel part
    solverOptions.logging_type = ceres::SILENT;
    Progress progress(options, residuals);
    solverOptions.callbacks.push_back(&progress);
    solverOptions.update_state_every_iteration = false;
    ceres::Solver::Summary summary;
    ceres::Solve(solverOptions, &ceresProblem, &summary);
    out.iterations = int(summary.iterations.size());
    out.initialCost = summary.initial_cost;
    out.stopped = progress.stopped || residuals.fatal();
    out.converged = summary.termination_type == ceres::CONVERGENCE && !out.stopped;
    out.message = residuals.fatal() ? residuals.failure() : summary.message;
    if (summary.termination_type == ceres::FAILURE && !residuals.failure().empty())
        out.message = residuals.failure();
    return out;
}

} // namespace twin::model::calibration::detail
