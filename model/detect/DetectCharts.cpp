// Ewma, Cusum and Page-Hinkley: a mean-shift chart per standardized signal. EWMA: z_t = λ x_t + (1 - λ)
// z_{t-1}, scored as |z_t| over its stationary deviation sqrt(λ / (2 - λ)). CUSUM (two-sided, slack k):
// S⁺ = max(0, S⁺ + x - k), S⁻ = max(0, S⁻ - x - k), scored as max(S⁺, S⁻). Page-Hinkley (two-sided,
// tolerance δ): against the running mean m_t of the samples since the last reset rather than the training
// mean, U_t = Σ (x - m_t - δ) and L_t = Σ (x - m_t + δ), scored as max(U_t - min U, max L - L_t): a change is
// measured from where the stream itself was, so a level the training never saw is not a change by itself.
// The sample's score is the most shifted signal's.
#include "twin/model/detect/Detector_p.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace twin::model::detect::detail {

namespace {

class Chart final : public Statistic
{
public:
    enum class Kind
    {
        Ewma,
        Cusum,
        PageHinkley
    };
    Chart(Kind kind, Eigen::Index signals, double parameter)
        : m_kind(kind), m_parameter(parameter), m_a(Eigen::VectorXd::Zero(signals)),
          m_b(Eigen::VectorXd::Zero(signals)), m_mean(Eigen::VectorXd::Zero(signals)),
          m_lowA(Eigen::VectorXd::Zero(signals)), m_highB(Eigen::VectorXd::Zero(signals))
    {
    }
    int count() const override { return 1; }
    bool stateful() const override { return true; }
    void reset() override
    {
        m_a.setZero();
        m_b.setZero();
        m_mean.setZero();
        m_lowA.setZero();
        m_highB.setZero();
        m_count = 0;
    }
    void evaluate(const double *z, double *out, int *top) override
    {
        double best = -1;
        ++m_count;
        for (Eigen::Index j = 0; j < m_a.size(); ++j) {
            double s = 0;
            if (m_kind == Kind::PageHinkley) {
                m_mean(j) += (z[j] - m_mean(j)) / double(m_count);
                m_a(j) += z[j] - m_mean(j) - m_parameter;
                m_b(j) += z[j] - m_mean(j) + m_parameter;
                m_lowA(j) = std::min(m_lowA(j), m_a(j));
                m_highB(j) = std::max(m_highB(j), m_b(j));
                s = std::max(m_a(j) - m_lowA(j), m_highB(j) - m_b(j));
            } else if (m_kind == Kind::Ewma) {
                const double lambda = m_parameter;
                m_a(j) = lambda * z[j] + (1 - lambda) * m_a(j);
                s = std::abs(m_a(j)) / std::sqrt(lambda / (2 - lambda));
            } else {
                m_a(j) = std::max(0.0, m_a(j) + (z[j] - m_parameter));
                m_b(j) = std::max(0.0, m_b(j) + (-z[j] - m_parameter));
                s = std::max(m_a(j), m_b(j));
            }
            if (s > best) {
                best = s;
                *top = int(j);
            }
        }
        *out = best;
    }
    bool evaluateMany(const Eigen::MatrixXd &z, Eigen::MatrixXd &out) override
    {
        if (m_a.size() != 1 || m_kind == Kind::PageHinkley)
            return false;
        out.resize(z.rows(), 1);
        const double *x = z.data();
        double *s = out.data();
        const Eigen::Index n = z.rows();
        double a = m_a(0), b = m_b(0);
        const double p = m_parameter;
        if (m_kind == Kind::Ewma) {
            const double scale = 1 / std::sqrt(p / (2 - p));
            for (Eigen::Index i = 0; i < n; ++i) {
                a = p * x[i] + (1 - p) * a;
                s[i] = std::abs(a) * scale;
            }
        } else {
            // S_i = max(0, S_{i-1} + y_i) is C_i - min(-S_0, C_1, ..., C_i), C the running sum of y: a chain
            // of adds and a chain of mins that run side by side, where the recursion is one chain of an add
            // then a max. The sums restart every few hundred samples so that they stay small.
            constexpr Eigen::Index kRun = 256;
            for (Eigen::Index from = 0; from < n; from += kRun) {
                const Eigen::Index to = std::min(n, from + kRun);
                double ca = 0, cb = 0, ma = -a, mb = -b;
                for (Eigen::Index i = from; i < to; ++i) {
                    ca += x[i] - p;
                    cb += -x[i] - p;
                    ma = std::min(ma, ca);
                    mb = std::min(mb, cb);
                    s[i] = std::max(ca - ma, cb - mb);
                }
                a = ca - ma;
                b = cb - mb;
            }
        }
        m_a(0) = a;
        m_b(0) = b;
        return true;
    }
    std::string describe() const override
    {
        return std::to_string(m_a.size()) + (m_a.size() == 1 ? " signal" : " signals") +
               (m_kind == Kind::Ewma    ? ", lambda "
                : m_kind == Kind::Cusum ? ", slack "
                                        : ", tolerance ") +
               std::to_string(m_parameter).substr(0, 4);
    }

private:
    Kind m_kind;
    double m_parameter;
    Eigen::VectorXd m_a, m_b;
    Eigen::VectorXd m_mean, m_lowA, m_highB; // Page-Hinkley: running mean, min of U, max of L
    std::uint64_t m_count = 0;
};

} // namespace

std::unique_ptr<Statistic> fitEwma(const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    return std::make_unique<Chart>(Chart::Kind::Ewma, z.cols(), std::clamp(options.ewmaLambda, 1e-3, 1.0));
}

std::unique_ptr<Statistic> fitCusum(const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    return std::make_unique<Chart>(Chart::Kind::Cusum, z.cols(), std::max(options.cusumSlack, 0.0));
}

std::unique_ptr<Statistic> fitPageHinkley(const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    return std::make_unique<Chart>(Chart::Kind::PageHinkley, z.cols(), std::max(options.cusumSlack, 0.0));
}

} // namespace twin::model::detect::detail
