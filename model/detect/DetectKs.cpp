// Ks: a two-window test for distribution drift, one per standardized signal. The reference is the
// training data's distribution (kept as at most kReferencePoints quantiles); the other window holds the
// last `window` samples. The statistic is the two-sample Kolmogorov-Smirnov distance
// D = sup |F_window(x) - F_reference(x)|, scaled by sqrt(n m / (n + m)) so that it reads on the usual
// Kolmogorov scale; the sample's score is the most changed signal's. A shift of the mean, a change of the
// spread or of the shape all move D, where mean-shift charts only see the first. Until the window is full
// the score is NaN (no verdict on a handful of samples).
#include "twin/model/detect/Detector_p.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twin::model::detect::detail {

namespace {

constexpr std::size_t kReferencePoints = 512;

class TwoWindow final : public Statistic
{
public:
    TwoWindow(const Eigen::MatrixXd &z, std::size_t window) : m_window(std::max<std::size_t>(window, 2))
    {
        const std::size_t n = std::size_t(z.rows());
        for (Eigen::Index j = 0; j < z.cols(); ++j) {
            std::vector<double> sorted(z.col(j).data(), z.col(j).data() + n);
            std::sort(sorted.begin(), sorted.end());
            Signal s;
            if (n <= kReferencePoints) {
                s.reference = std::move(sorted);
            } else { // evenly spaced quantiles: the reference distribution at 1/512 resolution
                for (std::size_t k = 0; k < kReferencePoints; ++k)
                    s.reference.push_back(sorted[(2 * k + 1) * n / (2 * kReferencePoints)]);
            }
            m_signals.push_back(std::move(s));
        }
        const double a = double(m_window), b = double(m_signals.empty() ? 1 : m_signals[0].reference.size());
        m_scale = std::sqrt(a * b / (a + b));
    }
    int count() const override { return 1; }
    bool stateful() const override { return true; }
    void reset() override
    {
        for (Signal &s : m_signals) {
            s.recent.clear();
            s.sorted.clear();
            s.next = 0;
        }
    }
    void evaluate(const double *z, double *out, int *top) override
    {
        double best = -1;
        bool full = true;
        for (std::size_t j = 0; j < m_signals.size(); ++j) {
            Signal &s = m_signals[j];
            push(s, z[j]);
            if (s.sorted.size() < m_window) {
                full = false;
                continue;
            }
            const double d = distance(s) * m_scale;
            if (d > best) {
                best = d;
                *top = int(j);
            }
        }
        *out = full ? best : std::numeric_limits<double>::quiet_NaN();
        if (!full)
            *top = -1;
    }
    std::string describe() const override
    {
        return std::to_string(m_signals.size()) + (m_signals.size() == 1 ? " signal" : " signals") +
               ", window " + std::to_string(m_window) + " vs the training distribution";
    }

private:
    struct Signal
    {
        std::vector<double> reference; // ascending
        std::vector<double> recent;    // ring buffer of the window, oldest at `next` once full
        std::vector<double> sorted;    // the window, ascending
        std::size_t next = 0;
    };

    void push(Signal &s, double v) const
    {
        if (s.recent.size() < m_window) {
            s.recent.push_back(v);
        } else {
            const double old = s.recent[s.next];
            s.recent[s.next] = v;
            s.next = (s.next + 1) % m_window;
            s.sorted.erase(std::lower_bound(s.sorted.begin(), s.sorted.end(), old));
        }
        s.sorted.insert(std::upper_bound(s.sorted.begin(), s.sorted.end(), v), v);
    }

    // sup |F_window - F_reference|: between two window points F_window is flat and F_reference rises, so
    // the sup is reached at a window point, from the right (i/m - F_ref(x)) or from the left
    // (F_ref(x-) - (i-1)/m).
    static double distance(const Signal &s)
    {
        const auto &ref = s.reference;
        const double m = double(s.sorted.size()), n = double(ref.size());
        double d = 0;
        auto lower = ref.begin();
        for (std::size_t i = 0; i < s.sorted.size(); ++i) {
            const double x = s.sorted[i];
            lower = std::lower_bound(lower, ref.end(), x);
            const auto upper = std::upper_bound(lower, ref.end(), x);
            const double below = double(lower - ref.begin()) / n, atOrBelow = double(upper - ref.begin()) / n;
            d = std::max({d, double(i + 1) / m - atOrBelow, below - double(i) / m});
        }
        return d;
    }

    std::size_t m_window;
    std::vector<Signal> m_signals;
    double m_scale = 1;
};

} // namespace

std::unique_ptr<Statistic> fitKs(const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    return std::make_unique<TwoWindow>(z, std::size_t(std::max(options.ksWindow, 2)));
}

} // namespace twin::model::detect::detail
