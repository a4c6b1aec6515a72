#pragma once
// Internal to the calibration: the problem as a vector of scaled residuals with a forward-difference Jacobian
// whose columns are simulated together (in parallel on the evaluator's workers). Keeps the last point, so the
// per-row cost functions of the solver share one simulation, and the last two points with a Jacobian: a
// trust-region solver takes the Jacobian at a candidate before it decides to stop where it was, so the
// uncertainty analysis at the optimum finds its Jacobian there instead of running the model again.
#include "twin/model/calibration/ModelEvaluator.h"

#include <string>
#include <vector>

namespace twin::model::calibration::detail {

class Residuals
{
public:
    Residuals(const CalibrationProblem &problem, std::vector<double> sigmas, ModelEvaluator &evaluator);

    std::size_t rows() const { return m_rows; }     // fitted observations + priors
    std::size_t dataRows() const { return m_data; } // fitted observations only
    std::size_t columns() const { return m_problem.parameters.size(); }
    const std::vector<double> &sigmas() const { return m_sigmas; }
    // The loss and its scale (in units of the scaled residual) of each row.
    Loss loss(std::size_t row) const { return m_loss[row]; }
    double lossScale(std::size_t row) const { return m_lossScale[row]; }

    // Residuals at x; false when the model failed there (see failure()/fatal()).
    bool evaluate(const std::vector<double> &x);
    // Residuals and the Jacobian (row-major rows x columns) at x.
    bool evaluateWithJacobian(const std::vector<double> &x);
    const std::vector<double> &residuals() const { return m_r; }
    const std::vector<double> &jacobian() const { return m_jacobian; }
    // Simulated outputs at the last evaluated point (every observation, fitted or not).
    const std::vector<std::vector<double>> &simulated() const { return m_simulated; }

    std::size_t evaluations() const { return m_evaluator.evaluations(); } // model runs so far
    const std::string &failure() const { return m_failure; }
    bool fatal() const { return m_fatal; }
    // 0.5 * sum rho(r^2) over the rows at the last point: the solver's cost with robust losses.
    double robustCost() const;

private:
    bool fill(const std::vector<double> &x, const Evaluation &e, std::vector<double> &r);
    bool note(const Evaluation &e);

    const CalibrationProblem &m_problem;
    std::vector<double> m_sigmas;
    ModelEvaluator &m_evaluator;
    std::size_t m_rows = 0, m_data = 0;
    std::vector<Loss> m_loss;
    std::vector<double> m_lossScale;
    struct Point
    {
        std::vector<double> x, r, jacobian;
        std::vector<std::vector<double>> simulated;
    };
    std::vector<double> m_x, m_r, m_jacobian;
    std::vector<std::vector<double>> m_simulated;
    bool m_haveR = false, m_haveJ = false; // m_haveJ: m_jacobian is at m_x
    Point m_withJacobian[2];               // the last two points with a Jacobian, newest first
    std::size_t m_keptJacobians = 0;
    std::string m_failure;
    bool m_fatal = false;
};

// rho(s) of a loss at squared residual s with scale a (Ceres' convention: cost = 0.5 * sum rho).
double robustRho(Loss loss, double a, double s);

} // namespace twin::model::calibration::detail
