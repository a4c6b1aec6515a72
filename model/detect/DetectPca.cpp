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
};

} // namespace

std::unique_ptr<Statistic> fitT2Q(const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    const Eigen::Index n = z.rows(), m = z.cols();
    const Eigen::RowVectorXd mean = z.colwise().mean(); // ~0 on all the training data, not on a fold of it
    const Eigen::MatrixXd centered = z.rowwise() - mean;
    const Eigen::MatrixXd cov = centered.transpose() * centered / double(std::max<Eigen::Index>(n - 1, 1));
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
    return std::make_unique<T2Q>(mean.transpose(), vectors.leftCols(k), values.head(k).cwiseMax(floor),
                                 kept / total);
}

} // namespace twin::model::detect::detail
