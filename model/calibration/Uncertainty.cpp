// Linearised uncertainty at the optimum: covariance s^2 (J^T J)^-1 from the Jacobian of the scaled residuals,
// computed on column-scaled J so the condition number and the rank decision do not depend on parameter units.
#include "twin/model/calibration/Solvers_p.h"

#include <Eigen/Dense>

#include <cmath>
#include <cstdio>
#include <limits>

namespace twin::model::calibration::detail {

namespace {

std::string format(const char *pattern, double value)
{
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

constexpr double kNearSingular = 1e10;   // condition number of the column-scaled J^T J
constexpr double kRankTolerance = 1e-12; // eigenvalues below this share of the largest count as zero
constexpr double kStrongCorrelation = 0.95;

} // namespace

bool estimateUncertainty(Residuals &residuals, CalibrationResult &result)
{
    const std::size_t p = result.parameters.size();
    std::vector<double> x(p);
    for (std::size_t j = 0; j < p; ++j)
        x[j] = result.parameters[j].value;
    if (!residuals.evaluateWithJacobian(x))
        return false;
    const std::size_t m = residuals.rows();
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> J(
        residuals.jacobian().data(), Eigen::Index(m), Eigen::Index(p));
    const Eigen::Map<const Eigen::VectorXd> r(residuals.residuals().data(), Eigen::Index(m));
    result.dof = m > p ? m - p : 0;
    result.residualVariance = result.dof ? r.squaredNorm() / double(result.dof) : std::nan("");

    Eigen::VectorXd norms = J.colwise().norm().transpose();
    const double largest = norms.maxCoeff();
    for (std::size_t j = 0; j < p; ++j) {
        result.parameters[j].informed = largest > 0 && norms(Eigen::Index(j)) > 1e-9 * largest;
        if (!result.parameters[j].informed) {
            result.warnings.push_back(
                "parameter '" + result.parameters[j].name +
                "' is not informed by the data: the fitted outputs do not depend on it");
            norms(Eigen::Index(j)) = 1;
        }
    }
    const Eigen::MatrixXd scaled = J * norms.cwiseInverse().asDiagonal();
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(scaled.transpose() * scaled);
    const Eigen::VectorXd lambda = eig.eigenvalues(); // ascending
    const double top = lambda(Eigen::Index(p) - 1);
    result.conditionNumber = lambda(0) > 0 ? top / lambda(0) : std::numeric_limits<double>::infinity();
    Eigen::VectorXd inverse = Eigen::VectorXd::Zero(Eigen::Index(p));
    std::vector<bool> inNullSpace(p, false);
    for (Eigen::Index k = 0; k < Eigen::Index(p); ++k) {
        if (lambda(k) > kRankTolerance * top && top / lambda(k) <= kNearSingular) {
            inverse(k) = 1 / lambda(k);
            continue;
        }
        for (std::size_t j = 0; j < p; ++j)
            inNullSpace[j] = inNullSpace[j] || std::abs(eig.eigenvectors()(Eigen::Index(j), k)) > 0.1;
    }
    const Eigen::MatrixXd pinv = eig.eigenvectors() * inverse.asDiagonal() * eig.eigenvectors().transpose();
    const Eigen::MatrixXd cov = result.residualVariance * (norms.cwiseInverse().asDiagonal() * pinv *
                                                           norms.cwiseInverse().asDiagonal());
    if (result.conditionNumber > kNearSingular) {
        std::string names;
        for (std::size_t j = 0; j < p; ++j)
            if (inNullSpace[j])
                names += (names.empty() ? "'" : ", '") + result.parameters[j].name + "'";
        result.warnings.push_back("near-singular J^T J (condition number " +
                                  format("%.2g", result.conditionNumber) + "): " + names +
                                  " cannot be told apart by these data (only a combination is determined); "
                                  "fix some of them or add data that separates them");
    }
    const double t = tQuantile975(result.dof);
    result.covariance.assign(p * p, 0);
    result.correlation.assign(p * p, 0);
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < p; ++j) {
            result.covariance[i * p + j] = cov(Eigen::Index(i), Eigen::Index(j));
            const double d =
                std::sqrt(cov(Eigen::Index(i), Eigen::Index(i)) * cov(Eigen::Index(j), Eigen::Index(j)));
            result.correlation[i * p + j] = i == j  ? 1.0
                                            : d > 0 ? cov(Eigen::Index(i), Eigen::Index(j)) / d
                                                    : 0.0;
        }
    for (std::size_t j = 0; j < p; ++j) {
        ParameterEstimate &e = result.parameters[j];
        const bool unknown = inNullSpace[j] || !e.informed;
        e.stderror = unknown ? std::nan("") : std::sqrt(std::max(0.0, cov(Eigen::Index(j), Eigen::Index(j))));
        e.ci95[0] = e.value - t * e.stderror;
        e.ci95[1] = e.value + t * e.stderror;
        for (std::size_t i = 0; i < j; ++i)
            if (!unknown && !inNullSpace[i] && std::abs(result.correlation[i * p + j]) > kStrongCorrelation)
                result.warnings.push_back("'" + result.parameters[i].name + "' and '" + e.name +
                                          "' are strongly correlated (rho = " +
                                          format("%.3f", result.correlation[i * p + j]) + ")");
    }
    result.identifiable = result.conditionNumber <= kNearSingular;
    for (const auto &e : result.parameters)
        result.identifiable = result.identifiable && e.informed;
    return true;
}

} // namespace twin::model::calibration::detail
