#include "twin/model/calibration/Residuals_p.h"

#include <algorithm>
#include <cmath>

namespace twin::model::calibration::detail {

double robustRho(Loss loss, double a, double s)
{
    switch (loss) {
    case Loss::Squared:
        return s;
    case Loss::Huber:
        return s <= a * a ? s : 2 * a * std::sqrt(s) - a * a;
    case Loss::Cauchy:
        return a * a * std::log1p(s / (a * a));
    }
    return s;
}

Residuals::Residuals(const CalibrationProblem &problem, std::vector<double> sigmas, ModelEvaluator &evaluator)
    : m_problem(problem), m_sigmas(std::move(sigmas)), m_evaluator(evaluator)
{
    for (std::size_t k = 0; k < problem.outputs.size(); ++k) {
        const FitOutput &o = problem.outputs[k];
        for (std::size_t i = 0; i < o.time.size(); ++i)
            if (o.useOf(i) == Use::Fit) {
                m_loss.push_back(o.loss);
                m_lossScale.push_back(o.lossScale);
            }
    }
    m_data = m_loss.size();
    for (const auto &p : problem.parameters)
        if (p.priorSd) {
            m_loss.push_back(Loss::Squared);
            m_lossScale.push_back(1);
        }
    m_rows = m_loss.size();
}

bool Residuals::note(const Evaluation &e)
{
    if (e.ok)
        return true;
    m_failure = e.message;
    m_fatal = m_fatal || e.fatal;
    return false;
}

bool Residuals::fill(const std::vector<double> &x, const Evaluation &e, std::vector<double> &r)
{
    if (!note(e))
        return false;
    r.assign(m_rows, 0);
    std::size_t row = 0;
    for (std::size_t k = 0; k < m_problem.outputs.size(); ++k) {
        const FitOutput &o = m_problem.outputs[k];
        const double scale = o.weight / m_sigmas[k];
        for (std::size_t i = 0; i < o.time.size(); ++i)
            if (o.useOf(i) == Use::Fit)
                r[row++] = scale * (e.outputs[k][i] - o.observed[i]);
    }
    for (std::size_t j = 0; j < m_problem.parameters.size(); ++j) {
        const FreeParameter &p = m_problem.parameters[j];
        if (p.priorSd)
            r[row++] = (x[j] - *p.priorMean) / *p.priorSd;
    }
    return true;
}

bool Residuals::evaluate(const std::vector<double> &x)
{
    if (m_haveR && x == m_x)
        return true;
    const std::vector<Evaluation> e = m_evaluator.evaluate({x});
    std::vector<double> r;
    if (!fill(x, e.front(), r))
        return false;
    m_x = x;
    m_r = std::move(r);
    m_simulated = e.front().outputs;
    m_haveR = true;
    m_haveJ = false;
    return true;
}

bool Residuals::evaluateWithJacobian(const std::vector<double> &x)
{
    if (m_haveJ && x == m_x)
        return true;
    for (std::size_t k = 0; k < m_keptJacobians; ++k)
        if (m_withJacobian[k].x == x) {
            const Point &known = m_withJacobian[k];
            m_x = known.x;
            m_r = known.r;
            m_jacobian = known.jacobian;
            m_simulated = known.simulated;
            m_haveR = m_haveJ = true;
            return true;
        }
    const std::size_t p = columns();
    // Forward steps relative to the value (or to the bound range near zero), turned inward at an upper bound.
    std::vector<std::vector<double>> points;
    const bool haveBase = m_haveR && x == m_x;
    if (!haveBase)
        points.push_back(x);
    std::vector<double> steps(p);
    for (std::size_t j = 0; j < p; ++j) {
        const FreeParameter &par = m_problem.parameters[j];
        double h = 1e-6 * std::max(std::abs(x[j]), 1e-3 * (par.upper - par.lower));
        if (x[j] + h > par.upper)
            h = -h;
        steps[j] = h;
        std::vector<double> xp = x;
        xp[j] += h;
        points.push_back(std::move(xp));
    }
    const std::vector<Evaluation> e = m_evaluator.evaluate(points);
    for (const auto &one : e)
        if (!note(one))
            return false;
    std::size_t first = 0;
    if (!haveBase) {
        std::vector<double> r;
        fill(x, e[0], r);
        m_x = x;
        m_r = std::move(r);
        m_simulated = e[0].outputs;
        m_haveR = true;
        first = 1;
    }
    m_jacobian.assign(m_rows * p, 0);
    std::vector<double> rp;
    for (std::size_t j = 0; j < p; ++j) {
        fill(points[first + j], e[first + j], rp);
        for (std::size_t i = 0; i < m_rows; ++i)
            m_jacobian[i * p + j] = (rp[i] - m_r[i]) / steps[j];
    }
    m_haveJ = true;
    m_withJacobian[1] = std::move(m_withJacobian[0]);
    m_withJacobian[0] = {m_x, m_r, m_jacobian, m_simulated};
    m_keptJacobians = std::min<std::size_t>(m_keptJacobians + 1, 2);
    return true;
}

double Residuals::robustCost() const
{
    double cost = 0;
    for (std::size_t i = 0; i < m_r.size(); ++i)
        cost += robustRho(m_loss[i], m_lossScale[i], m_r[i] * m_r[i]);
    return 0.5 * cost;
}

} // namespace twin::model::calibration::detail
