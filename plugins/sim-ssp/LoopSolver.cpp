#include "LoopSolver.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twin::ssp {

namespace {

// The largest magnitude; NaN when any value is not finite (std::max would drop a NaN).
double maxAbs(const std::vector<double> &v)
{
    double m = 0;
    for (double x : v) {
        if (!std::isfinite(x))
            return std::numeric_limits<double>::quiet_NaN();
        m = std::max(m, std::abs(x));
    }
    return m;
}

// Solves a x = b (a: n x n row-major, overwritten) by Gaussian elimination with partial pivoting; false
// when a is singular at the scale of its largest entry.
bool solveLinear(std::vector<double> &a, std::vector<double> &b, std::size_t n)
{
    const double scale = std::max(maxAbs(a), 1e-300);
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < n; ++r)
            if (std::abs(a[r * n + col]) > std::abs(a[pivot * n + col]))
                pivot = r;
        if (std::abs(a[pivot * n + col]) <= 1e-13 * scale)
            return false;
        if (pivot != col) {
            for (std::size_t c = 0; c < n; ++c)
                std::swap(a[col * n + c], a[pivot * n + c]);
            std::swap(b[col], b[pivot]);
        }
        for (std::size_t r = col + 1; r < n; ++r) {
            const double f = a[r * n + col] / a[col * n + col];
            for (std::size_t c = col; c < n; ++c)
                a[r * n + c] -= f * a[col * n + c];
            b[r] -= f * b[col];
        }
    }
    for (std::size_t i = n; i-- > 0;) {
        double s = b[i];
        for (std::size_t c = i + 1; c < n; ++c)
            s -= a[i * n + c] * b[c];
        b[i] = s / a[i * n + i];
    }
    return true;
}

} // namespace

bool solveLoop(std::vector<double> &z, const LoopFunction &g, LoopSolution &solution, std::string &error,
               int maxIterations, double tolerance)
{
    const std::size_t n = z.size();
    solution = {};
    std::vector<double> gz(n), f(n);
    auto residual = [&](const std::vector<double> &at, std::vector<double> &out) {
        if (!g(at, gz, error))
            return false;
        out.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            out[i] = gz[i] - at[i];
        return true;
    };
    if (!residual(z, f))
        return false;
    std::vector<double> jacobian(n * n), step(n), trial(n), fTrial(n), fShifted(n);
    for (;;) {
        solution.residual = maxAbs(f);
        if (!std::isfinite(solution.residual))
            return true; // not converged: a value is not a number
        if (solution.residual <= tolerance * (1 + maxAbs(z))) {
            solution.converged = true;
            return true;
        }
        if (solution.iterations >= maxIterations)
            return true;
        ++solution.iterations;
        // J = dg/dz - I, one column per coupling value.
        for (std::size_t j = 0; j < n; ++j) {
            const double h = 1e-7 * std::max(1.0, std::abs(z[j]));
            trial = z;
            trial[j] += h;
            if (!residual(trial, fShifted))
                return false;
            for (std::size_t i = 0; i < n; ++i)
                jacobian[i * n + j] = (fShifted[i] - f[i]) / h;
        }
        for (std::size_t i = 0; i < n; ++i)
            step[i] = -f[i];
        if (!solveLinear(jacobian, step, n))
            return true; // singular: the loop does not determine its values; left where they are
        // Halve the step until the residual shrinks (a nonlinear loop may overshoot).
        double lambda = 1;
        for (;;) {
            for (std::size_t i = 0; i < n; ++i)
                trial[i] = z[i] + lambda * step[i];
            if (!residual(trial, fTrial))
                return false;
            const double trialResidual = maxAbs(fTrial); // NaN (a component gave no number) is no better
            if (trialResidual < solution.residual)
                break;
            if (lambda < 1.0 / 64) {
                if (!std::isfinite(trialResidual))
                    return true; // not converged; z stays the last point with numbers
                break;
            }
            lambda /= 2;
        }
        z = trial;
        f = fTrial;
    }
}

} // namespace twin::ssp
