#pragma once
// Seeded random numbers whose values do not depend on the standard library: std::mt19937_64's output sequence
// is fixed by the C++ standard, but std::*_distribution algorithms are not, so every distribution here is
// written out (inverse transform / Marsaglia polar). Only std::log/exp/sqrt/pow of the C library remain;
// glibc rounds them identically on every x86-64 build.
#include <cstdint>
#include <random>
#include <string>

namespace twin::simdes {

// splitmix64: derives independent stream seeds from one user seed.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t tag, std::uint64_t index);

class Stream
{
public:
    explicit Stream(std::uint64_t seed = 1) : m_gen(seed) {}
    // Uniform on [0, 1) with 53 random bits.
    double uniform01() { return double(m_gen() >> 11) * 0x1.0p-53; }
    // Standard normal (Marsaglia polar method; the second value of each pair is kept for the next call).
    double normal();
    std::uint64_t raw() { return m_gen(); }

private:
    std::mt19937_64 m_gen;
    double m_spare = 0;
    bool m_hasSpare = false;
};

enum class DistKind : std::uint8_t
{
    Deterministic, // a = value
    Exponential,   // a = rate (mean 1/a)
    Uniform,       // a = min, b = max
    Normal,        // a = mean, b = standard deviation
    Lognormal,     // a = mu, b = sigma of the underlying normal
    Weibull,       // a = shape k, b = scale
};

struct Distribution
{
    DistKind kind = DistKind::Exponential;
    double a = 1, b = 0;

    static Distribution deterministic(double v) { return {DistKind::Deterministic, v, 0}; }
    static Distribution exponential(double rate) { return {DistKind::Exponential, rate, 0}; }
    static Distribution uniform(double lo, double hi) { return {DistKind::Uniform, lo, hi}; }
    static Distribution normal(double mean, double sd) { return {DistKind::Normal, mean, sd}; }
    static Distribution lognormal(double mu, double sigma) { return {DistKind::Lognormal, mu, sigma}; }
    static Distribution weibull(double shape, double scale) { return {DistKind::Weibull, shape, scale}; }

    double sample(Stream &s) const;
    // A duration: the sample clamped at 0 (a normal may go negative).
    double duration(Stream &s) const
    {
        const double v = sample(s);
        return v > 0 ? v : 0;
    }
    double mean() const;
    double variance() const;
    // Empty when the parameters are valid, else why not.
    std::string check() const;
};

} // namespace twin::simdes
