// T2Q: principal component model of the standardized signals. T² = sum of squared scores over their
// variances in the retained components; Q (SPE) = squared distance from the component subspace.
#include "twin/model/detect/Detector_p.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>

namespace twin::model::detect::detail {

namespace {

class T2Q final : public Statistic
{
public:
    T2Q(Eigen::VectorXd mean, Eigen::MatrixXd loadings, Eigen::VectorXd variances, double share)
        : m_mean(std::move(mean)), m_p(std::move(loadings)), m_lambda(std::move(variances)), m_share(share),
          m_x(m_p.rows()), m_t(m_p.cols()), m_e(m_p.rows()), m_c(m_p.rows())
    {
    }
    int count() const override { return 2; }
    void evaluate(const double *zData, double *out, int *top) override
    {
        m_x = Eigen::Map<const Eigen::VectorXd>(zData, m_p.rows()) - m_mean;
        const Eigen::VectorXd &z = m_x;
        m_t.noalias() = m_p.transpose() * z;
        m_e = z;
        m_e.noalias() -= m_p * m_t;
        out[0] = (m_t.array().square() / m_lambda.array()).sum();
        out[1] = m_e.squaredNorm();
        // T² contribution of signal j: z_j * sum_i p_ji t_i / lambda_i (they sum to T²)
        m_c.noalias() = m_p * (m_t.array() / m_lambda.array()).matrix();
        m_c.array() *= z.array();
        Eigen::Index j = 0;
        m_c.maxCoeff(&j);
        top[0] = int(j);
        m_e.array().square().maxCoeff(&j);
        top[1] = int(j);
    }
    bool evaluateMany(const Eigen::MatrixXd &z, Eigen::MatrixXd &out) override
    {
        // buffers kept between calls: no allocation per block
        m_xb = z.rowwise() - m_mean.transpose();
        m_tb.resize(z.rows(), m_p.cols());
        m_tb.noalias() = m_xb * m_p;
        out.resize(z.rows(), 2);
        out.col(0) = (m_tb.array().square().rowwise() * m_inverseLambda.transpose().array()).rowwise().sum();
        // the loadings are orthonormal: |x - P t|² = |x|² - |t|² with t = Pᵀ x
        out.col(1) =
            (m_xb.array().square().rowwise().sum() - m_tb.array().square().rowwise().sum()).cwiseMax(0.0);
        return true;
    }
    std::string describe() const override
    {
        return std::to_string(m_p.rows()) + " signals, " + std::to_string(m_p.cols()) + " components (" +
               std::to_string(int(std::lround(100 * m_share))) + " % of the variance)";
    }

private:
    Eigen::VectorXd m_mean;
    Eigen::MatrixXd m_p;
    Eigen::VectorXd m_lambda;
    double m_share;
    Eigen::VectorXd m_x, m_t, m_e, m_c;
    Eigen::VectorXd m_inverseLambda = m_lambda.cwiseInverse();
    Eigen::MatrixXd m_xb, m_tb;
};

} // namespace

Moments moments(const Eigen::MatrixXd &z)
{
    Moments m;
    m.n = double(z.rows());
    m.sum = z.colwise().sum().transpose();
    m.outer = Eigen::MatrixXd::Zero(z.cols(), z.cols());
    m.outer.selfadjointView<Eigen::Lower>().rankUpdate(z.transpose());
    m.outer = m.outer.selfadjointView<Eigen::Lower>();
    return m;
}

std::unique_ptr<Statistic> fitT2Q(const Moments &moments, const DetectorOptions &options)
{
    const Eigen::Index m = moments.sum.size();
    const double n = moments.n;
    const Eigen::VectorXd mean = moments.sum / n;
    const Eigen::MatrixXd cov = (moments.outer - n * mean * mean.transpose()) / std::max(n - 1, 1.0);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(cov);
    const Eigen::VectorXd values = eigen.eigenvalues().reverse(); // largest first
    const Eigen::MatrixXd vectors = eigen.eigenvectors().rowwise().reverse();
    const double total = std::max(values.sum(), 1e-12);
    Eigen::Index k = 0;
    double kept = 0;
    while (k < m && kept / total < options.varianceKept)
        kept += std::max(values(k++), 0.0);
    k = std::clamp<Eigen::Index>(k, 1, std::max<Eigen::Index>(m - 1, 1));
    kept = values.head(k).cwiseMax(0.0).sum();
    const double floor = 1e-9 * std::max(values(0), 1e-12);
    return std::make_unique<T2Q>(mean, vectors.leftCols(k), values.head(k).cwiseMax(floor), kept / total);
}

std::unique_ptr<Statistic> fitT2Q(const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    return fitT2Q(moments(z), options);
}

} // namespace twin::model::detect::detail
