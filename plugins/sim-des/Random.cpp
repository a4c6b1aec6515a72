#include "Random.h"

#include <cmath>
#include <limits>

namespace twin::simdes {

std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t tag, std::uint64_t index)
{
    std::uint64_t z =
        seed + 0x9E3779B97F4A7C15ull * (1 + tag * 0x100000001B3ull + index * 0xBF58476D1CE4E5B9ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double Stream::normal()
{
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    double u, v, s;
    do {
        u = 2 * uniform01() - 1;
        v = 2 * uniform01() - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    m_spare = v * f;
    m_hasSpare = true;
    return u * f;
}

double Distribution::sample(Stream &s) const
{
    switch (kind) {
    case DistKind::Deterministic:
        return a;
    case DistKind::Exponential:
        return -std::log(1 - s.uniform01()) / a; // 1 - u is in (0, 1]
    case DistKind::Uniform:
        return a + (b - a) * s.uniform01();
    case DistKind::Normal:
        return a + b * s.normal();
    case DistKind::Lognormal:
        return std::exp(a + b * s.normal());
    case DistKind::Weibull:
        return b * std::pow(-std::log(1 - s.uniform01()), 1 / a);
    }
    return 0;
}

double Distribution::mean() const
{
    switch (kind) {
    case DistKind::Deterministic:
        return a;
    case DistKind::Exponential:
        return 1 / a;
    case DistKind::Uniform:
        return 0.5 * (a + b);
    case DistKind::Normal:
        return a;
    case DistKind::Lognormal:
        return std::exp(a + 0.5 * b * b);
    case DistKind::Weibull:
        return b * std::tgamma(1 + 1 / a);
    }
    return 0;
}

double Distribution::variance() const
{
    switch (kind) {
    case DistKind::Deterministic:
        return 0;
    case DistKind::Exponential:
        return 1 / (a * a);
    case DistKind::Uniform:
        return (b - a) * (b - a) / 12;
    case DistKind::Normal:
        return b * b;
    case DistKind::Lognormal:
        return (std::exp(b * b) - 1) * std::exp(2 * a + b * b);
    case DistKind::Weibull: {
        const double g1 = std::tgamma(1 + 1 / a), g2 = std::tgamma(1 + 2 / a);
        return b * b * (g2 - g1 * g1);
    }
    }
    return 0;
}

std::string Distribution::check() const
{
    if (!std::isfinite(a) || !std::isfinite(b))
        return "distribution parameters must be finite";
    switch (kind) {
    case DistKind::Deterministic:
        return a >= 0 ? "" : "deterministic value must be >= 0";
    case DistKind::Exponential:
        return a > 0 ? "" : "exponential rate must be > 0";
    case DistKind::Uniform:
        return a <= b ? "" : "uniform needs min <= max";
    case DistKind::Normal:
    case DistKind::Lognormal:
        return b >= 0 ? "" : "standard deviation / sigma must be >= 0";
    case DistKind::Weibull:
        return a > 0 && b > 0 ? "" : "weibull shape and scale must be > 0";
    }
    return "unknown distribution";
}

} // namespace twin::simdes
