#include "twin/model/calibration/PredictionBand.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>

namespace twin::model::calibration {

namespace {

// A factor L with L L^T = C: Cholesky, or for a semi-definite C the eigen-decomposition with negative
// eigenvalues dropped.
Eigen::MatrixXd factor(const Eigen::MatrixXd &c)
{
    Eigen::LLT<Eigen::MatrixXd> llt(c);
    if (llt.info() == Eigen::Success)
        return llt.matrixL();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(c);
    const Eigen::VectorXd values = eigen.eigenvalues().cwiseMax(0.0).cwiseSqrt();
    return eigen.eigenvectors() * values.asDiagonal();
}

double quantile(std::vector<double> &values, double q)
{
    const double at = q * double(values.size() - 1);
    const auto lo = std::size_t(std::floor(at));
    std::nth_element(values.begin(), values.begin() + long(lo), values.end());
    const double a = values[lo];
    if (lo + 1 >= values.size())
        return a;
    const double b = *std::min_element(values.begin() + long(lo) + 1, values.end());
    return a + (b - a) * (at - double(lo));
}
} // namespace

Result<PredictionBand> predictionBand(const CalibrationProblem &problem, const CalibrationResult &result,
                                      ModelEvaluator &evaluator, const BandOptions &options)
{
    const std::size_t p = result.parameters.size();
    if (p == 0 || result.covariance.size() != p * p)
        return Error{"no prediction band: the result has no covariance"};
    Eigen::MatrixXd cov(p, p);
    Eigen::VectorXd mean(p);
    for (std::size_t i = 0; i < p; ++i) {
        mean(Eigen::Index(i)) = result.parameters[i].value;
        for (std::size_t j = 0; j < p; ++j)
            cov(Eigen::Index(i), Eigen::Index(j)) = result.covariance[i * p + j];
    }
    if (!cov.allFinite())
        return Error{"no prediction band: the parameters are not identifiable (no finite covariance)"};
    const Eigen::MatrixXd l = factor(cov);

    std::mt19937_64 random(options.seed);
    std::normal_distribution<double> normal;
    std::vector<std::vector<double>> points;
    for (int s = 0; s < options.samples; ++s) {
        Eigen::VectorXd z(p);
        for (std::size_t i = 0; i < p; ++i)
            z(Eigen::Index(i)) = normal(random);
        const Eigen::VectorXd theta = mean + l * z;
        std::vector<double> point(p);
        for (std::size_t i = 0; i < p; ++i)
            point[i] =
                std::clamp(theta(Eigen::Index(i)), result.parameters[i].lower, result.parameters[i].upper);
        points.push_back(std::move(point));
    }
    const std::vector<Evaluation> runs = evaluator.evaluate(points);

    PredictionBand band;
    std::vector<const Evaluation *> good;
    for (const auto &e : runs) {
        if (e.fatal)
            return Error{"prediction band: " + e.message};
        if (e.ok)
            good.push_back(&e);
    }
    band.samples = int(good.size());
    band.failed = int(runs.size() - good.size());
    if (good.size() < 20 || good.size() < runs.size() / 2)
        return Error{"prediction band: only " + std::to_string(good.size()) + " of " +
                     std::to_string(runs.size()) + " parameter draws simulated"};

    const double tail = (1 - options.level) / 2;
    const double s = std::isfinite(result.residualVariance) ? std::sqrt(result.residualVariance) : 1.0;
    for (std::size_t k = 0; k < problem.outputs.size(); ++k) {
        const FitOutput &o = problem.outputs[k];
        const double noise = k < result.outputs.size() ? result.outputs[k].sigma * s / o.weight : 0;
        OutputBand ob;
        std::vector<double> values(good.size());
        for (std::size_t i = 0; i < o.time.size(); ++i) {
            for (std::size_t j = 0; j < good.size(); ++j)
                values[j] = good[j]->outputs[k][i] + noise * normal(random);
            ob.lower.push_back(quantile(values, tail));
            ob.upper.push_back(quantile(values, 1 - tail));
        }
        band.outputs.push_back(std::move(ob));
    }
    return band;
}

void setCoverage(const CalibrationProblem &problem, const PredictionBand &band, CalibrationResult &result)
{
    for (std::size_t k = 0;
         k < problem.outputs.size() && k < band.outputs.size() && k < result.outputs.size(); ++k) {
        const FitOutput &o = problem.outputs[k];
        std::size_t inside[2] = {0, 0}, total[2] = {0, 0};
        for (std::size_t i = 0; i < o.time.size(); ++i) {
            const Use use = o.useOf(i);
            if (use == Use::Excluded || !std::isfinite(o.observed[i]))
                continue;
            const int w = use == Use::Fit ? 0 : 1;
            ++total[w];
            if (o.observed[i] >= band.outputs[k].lower[i] && o.observed[i] <= band.outputs[k].upper[i])
                ++inside[w];
        }
        if (total[0])
            result.outputs[k].calibration.coverage = double(inside[0]) / double(total[0]);
        if (total[1])
            result.outputs[k].holdout.coverage = double(inside[1]) / double(total[1]);
    }
}

} // namespace twin::model::calibration
