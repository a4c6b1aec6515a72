#include "twin/model/calibration/Sensitivity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace twin::model::calibration {

namespace {

Status checkParameters(const std::vector<SensitivityParameter> &parameters)
{
    if (parameters.empty())
        return Error{"no parameter to vary"};
    for (const auto &p : parameters)
        if (!std::isfinite(p.lower) || !std::isfinite(p.upper) || !(p.lower < p.upper))
            return Error{"parameter '" + p.name + "': the range needs finite bounds with lower < upper"};
    return okStatus();
}

std::vector<double> toRange(const std::vector<SensitivityParameter> &parameters,
                            const std::vector<double> &unit)
{
    std::vector<double> x(unit.size());
    for (std::size_t j = 0; j < unit.size(); ++j)
        x[j] = parameters[j].lower + unit[j] * (parameters[j].upper - parameters[j].lower);
    return x;
}

// One Morris trajectory in the unit cube: a grid start, then each factor moved once by +-delta in random
// order.
std::vector<std::vector<double>> trajectory(std::size_t p, int levels, std::mt19937 &random,
                                            std::vector<std::size_t> &order, std::vector<double> &steps)
{
    const double delta = double(levels) / (2.0 * (levels - 1));
    std::uniform_int_distribution<int> level(0, levels - 1);
    std::vector<double> x(p);
    for (auto &v : x)
        v = double(level(random)) / (levels - 1);
    order.resize(p);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), random);
    std::vector<std::vector<double>> points{x};
    steps.assign(p, 0);
    for (std::size_t k : order) {
        const bool up = x[k] + delta <= 1 + 1e-12 && (x[k] - delta < -1e-12 || random() % 2 == 0);
        steps[k] = up ? delta : -delta;
        x[k] += steps[k];
        points.push_back(x);
    }
    return points;
}

double mean(const std::vector<double> &v)
{
    return v.empty() ? std::nan("") : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

struct SobolSums
{
    std::vector<double> first, total;
};

// Saltelli 2010 first-order and Jansen total-order estimates over the rows `rows` of the design.
SobolSums estimate(const std::vector<double> &fA, const std::vector<double> &fB,
                   const std::vector<std::vector<double>> &fAB, const std::vector<std::size_t> &rows)
{
    const std::size_t p = fAB.size();
    double m = 0;
    for (std::size_t r : rows)
        m += (fA[r] + fB[r]) / (2.0 * double(rows.size()));
    double var = 0;
    for (std::size_t r : rows)
        var += ((fA[r] - m) * (fA[r] - m) + (fB[r] - m) * (fB[r] - m)) / (2.0 * double(rows.size()) - 1);
    SobolSums out{std::vector<double>(p), std::vector<double>(p)};
    for (std::size_t i = 0; i < p; ++i) {
        double s = 0, t = 0;
        for (std::size_t r : rows) {
            s += fB[r] * (fAB[i][r] - fA[r]);
            t += (fA[r] - fAB[i][r]) * (fA[r] - fAB[i][r]);
        }
        out.first[i] = var > 0 ? s / double(rows.size()) / var : std::nan("");
        out.total[i] = var > 0 ? 0.5 * t / double(rows.size()) / var : std::nan("");
    }
    return out;
}

void percentile95(std::vector<double> v, double ci[2])
{
    std::sort(v.begin(), v.end());
    if (v.empty())
        return;
    ci[0] = v[std::size_t(0.025 * double(v.size() - 1))];
    ci[1] = v[std::size_t(std::ceil(0.975 * double(v.size() - 1)))];
}

} // namespace

Result<std::vector<MorrisIndex>> morrisScreening(const std::vector<SensitivityParameter> &parameters,
                                                 const BatchModel &model, const MorrisOptions &options,
                                                 SensitivityRuns *runs)
{
    if (auto s = checkParameters(parameters); !s)
        return Error{s.error()};
    if (options.trajectories < 2 || options.levels < 2)
        return Error{"Morris screening needs at least 2 trajectories and 2 levels"};
    const std::size_t p = parameters.size();
    std::mt19937 random(options.seed);
    std::vector<std::vector<double>> design;
    std::vector<std::vector<std::size_t>> orders;
    std::vector<std::vector<double>> steps;
    for (int t = 0; t < options.trajectories; ++t) {
        std::vector<std::size_t> order;
        std::vector<double> step;
        for (auto &point : trajectory(p, options.levels, random, order, step))
            design.push_back(toRange(parameters, point));
        orders.push_back(order);
        steps.push_back(step);
    }
    const std::vector<double> y = model(design);
    if (y.size() != design.size())
        return Error{"the model returned " + std::to_string(y.size()) + " responses for " +
                     std::to_string(design.size()) + " runs"};
    std::vector<std::vector<double>> effects(p);
    std::size_t failed = 0;
    for (std::size_t t = 0; t < orders.size(); ++t)
        for (std::size_t s = 0; s < p; ++s) {
            const double before = y[t * (p + 1) + s], after = y[t * (p + 1) + s + 1];
            const std::size_t k = orders[t][s];
            if (std::isfinite(before) && std::isfinite(after))
                effects[k].push_back((after - before) / steps[t][k]);
        }
    for (double v : y)
        failed += !std::isfinite(v);
    if (runs)
        *runs = {design.size(), failed};
    std::vector<MorrisIndex> out;
    for (std::size_t k = 0; k < p; ++k) {
        MorrisIndex m;
        m.name = parameters[k].name;
        if (effects[k].empty())
            return Error{"every run around parameter '" + m.name + "' failed"};
        m.mu = mean(effects[k]);
        std::vector<double> absolute(effects[k].size());
        std::transform(effects[k].begin(), effects[k].end(), absolute.begin(),
                       [](double e) { return std::abs(e); });
        m.muStar = mean(absolute);
        double sq = 0;
        for (double e : effects[k])
            sq += (e - m.mu) * (e - m.mu);
        m.sigma = effects[k].size() > 1 ? std::sqrt(sq / double(effects[k].size() - 1)) : 0;
        out.push_back(m);
    }
    return out;
}

Result<std::vector<SobolIndex>> sobolIndices(const std::vector<SensitivityParameter> &parameters,
                                             const BatchModel &model, const SobolOptions &options,
                                             SensitivityRuns *runs)
{
    if (auto s = checkParameters(parameters); !s)
        return Error{s.error()};
    if (options.samples < 16)
        return Error{"Sobol indices need at least 16 base samples"};
    const std::size_t p = parameters.size(), n = std::size_t(options.samples);
    std::mt19937_64 random(options.seed);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<std::vector<double>> a(n, std::vector<double>(p)), b = a;
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t j = 0; j < p; ++j) {
            a[r][j] = unit(random);
            b[r][j] = unit(random);
        }
    // One batch: A, B, then A with column i from B for every i.
    std::vector<std::vector<double>> design;
    design.reserve(n * (p + 2));
    for (const auto &row : a)
        design.push_back(toRange(parameters, row));
    for (const auto &row : b)
        design.push_back(toRange(parameters, row));
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t r = 0; r < n; ++r) {
            std::vector<double> row = a[r];
            row[i] = b[r][i];
            design.push_back(toRange(parameters, row));
        }
    const std::vector<double> y = model(design);
    if (y.size() != design.size())
        return Error{"the model returned " + std::to_string(y.size()) + " responses for " +
                     std::to_string(design.size()) + " runs"};
    std::vector<double> fA(y.begin(), y.begin() + std::ptrdiff_t(n)),
        fB(y.begin() + std::ptrdiff_t(n), y.begin() + std::ptrdiff_t(2 * n));
    std::vector<std::vector<double>> fAB(p);
    for (std::size_t i = 0; i < p; ++i)
        fAB[i].assign(y.begin() + std::ptrdiff_t((2 + i) * n), y.begin() + std::ptrdiff_t((3 + i) * n));
    // Rows where any run failed are left out of every estimate.
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < n; ++r) {
        bool ok = std::isfinite(fA[r]) && std::isfinite(fB[r]);
        for (std::size_t i = 0; i < p; ++i)
            ok = ok && std::isfinite(fAB[i][r]);
        if (ok)
            rows.push_back(r);
    }
    if (runs)
        *runs = {design.size(),
                 std::size_t(std::count_if(y.begin(), y.end(), [](double v) { return !std::isfinite(v); }))};
    if (rows.size() < 16)
        return Error{"too few successful runs for Sobol indices (" + std::to_string(rows.size()) +
                     " complete rows)"};
    const SobolSums all = estimate(fA, fB, fAB, rows);
    std::vector<std::vector<double>> firsts(p), totals(p);
    std::uniform_int_distribution<std::size_t> pick(0, rows.size() - 1);
    for (int k = 0; k < options.bootstrap; ++k) {
        std::vector<std::size_t> resampled(rows.size());
        for (auto &r : resampled)
            r = rows[pick(random)];
        const SobolSums one = estimate(fA, fB, fAB, resampled);
        for (std::size_t i = 0; i < p; ++i) {
            firsts[i].push_back(one.first[i]);
            totals[i].push_back(one.total[i]);
        }
    }
    std::vector<SobolIndex> out;
    for (std::size_t i = 0; i < p; ++i) {
        SobolIndex s;
        s.name = parameters[i].name;
        s.first = all.first[i];
        s.total = all.total[i];
        percentile95(firsts[i], s.firstCi);
        percentile95(totals[i], s.totalCi);
        out.push_back(s);
    }
    return out;
}

} // namespace twin::model::calibration
