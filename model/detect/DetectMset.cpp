// Mset: a similarity-based estimator in the manner of MSET. A memory of healthy states D (columns) is kept;
// a sample z is estimated as x̂ = D w with w solving (D ⊗ D) w = D ⊗ z, where ⊗ is a Gaussian similarity of
// states; the score is the mean squared standardized residual z - x̂.
#include "twin/model/detect/Detector_p.h"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <set>

namespace twin::model::detect::detail {

namespace {

class Mset final : public Statistic
{
public:
    Mset(Eigen::MatrixXd memory, double width)
        : m_d(std::move(memory)), m_width(width), m_a(m_d.cols()), m_w(m_d.cols()), m_e(m_d.rows())
    {
        const Eigen::Index k = m_d.cols();
        Eigen::MatrixXd g(k, k);
        for (Eigen::Index i = 0; i < k; ++i)
            for (Eigen::Index j = 0; j < k; ++j)
                g(i, j) = similarity(m_d.col(i), m_d.col(j));
        g.diagonal().array() += 1e-6 * k; // keeps the system solvable when states are alike
        m_solver.compute(g);
    }
    int count() const override { return 1; }
    void evaluate(const double *zData, double *out, int *top) override
    {
        const Eigen::Map<const Eigen::VectorXd> z(zData, m_d.rows());
        for (Eigen::Index i = 0; i < m_d.cols(); ++i)
            m_a(i) = similarity(m_d.col(i), z);
        m_w = m_solver.solve(m_a);
        const double sum = m_w.sum();
        if (std::abs(sum) > 1e-12)
            m_w /= sum;
        m_e = z;
        m_e.noalias() -= m_d * m_w;
        out[0] = m_e.squaredNorm() / double(m_d.rows());
        Eigen::Index j = 0;
        m_e.array().square().maxCoeff(&j);
        top[0] = int(j);
    }
    std::string describe() const override
    {
        return std::to_string(m_d.rows()) + " signals, " + std::to_string(m_d.cols()) + " remembered states";
    }

private:
    template <typename A, typename B> double similarity(const A &x, const B &y) const
    {
        return std::exp(-(x - y).squaredNorm() / (2 * m_width * m_width * double(m_d.rows())));
    }

    Eigen::MatrixXd m_d;
    double m_width;
    Eigen::LDLT<Eigen::MatrixXd> m_solver;
    Eigen::VectorXd m_a, m_w, m_e;
};

} // namespace

std::unique_ptr<Statistic> fitMset(const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    const Eigen::Index n = z.rows(), m = z.cols();
    // The extremes of every signal, then states spread evenly over the training rows.
    std::set<Eigen::Index> chosen;
    for (Eigen::Index j = 0; j < m; ++j) {
        Eigen::Index lo = 0, hi = 0;
        z.col(j).minCoeff(&lo);
        z.col(j).maxCoeff(&hi);
        chosen.insert(lo);
        chosen.insert(hi);
    }
    const Eigen::Index want =
        std::min<Eigen::Index>(n, Eigen::Index(std::max<std::size_t>(options.memoryStates, 2)));
    for (Eigen::Index i = 0; Eigen::Index(chosen.size()) < want && i < want; ++i)
        chosen.insert(i * (n - 1) / std::max<Eigen::Index>(want - 1, 1));
    Eigen::MatrixXd memory(m, Eigen::Index(chosen.size()));
    Eigen::Index c = 0;
    for (Eigen::Index r : chosen)
        memory.col(c++) = z.row(r).transpose();
    return std::make_unique<Mset>(std::move(memory), 1.0);
}

} // namespace twin::model::detect::detail
