#include "twin/model/detect/Detector.h"

#include "twin/model/detect/Detector_p.h"
#include "twin/util/Quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twin::model::detect {

using detail::Statistic;

struct DetectorState
{
    Method method = Method::T2Q;
    std::vector<std::string> signals, skipped;
    std::vector<std::size_t> columns; // used columns of the training table
    std::size_t rowWidth = 0;         // columns of the training table
    std::vector<double> mean, scale, inverseScale;
    double baselineWeight = 0;    // per sample, 0 = no baseline
    std::vector<double> baseline; // per column, NaN until the first sample
    std::vector<char> drifting;   // per column: follows a baseline
    // One row of the table into z (used signals, standardized; `stride` apart); a missing value gives NaN
    // there and false. Baselines move on with every finite value.
    bool standardize(const double *row, double *out, Eigen::Index stride)
    {
        bool finite = true;
        for (std::size_t j = 0; j < columns.size(); ++j) {
            const double v = row[columns[j]];
            if (!std::isfinite(v)) {
                out[Eigen::Index(j) * stride] = std::numeric_limits<double>::quiet_NaN();
                finite = false;
                continue;
            }
            out[Eigen::Index(j) * stride] = (relative(columns[j], v) - mean[j]) / scale[j];
        }
        return finite;
    }
    // The score of the standardized sample in z.
    SampleScore evaluate()
    {
        SampleScore result;
        for (double v : z)
            if (!std::isfinite(v)) {
                result.score = std::numeric_limits<double>::quiet_NaN();
                return result;
            }
        statistic->evaluate(z.data(), raw.data(), top.data());
        for (std::size_t k = 0; k < raw.size(); ++k) {
            const double ratio = raw[k] / limits[k];
            if (k == 0 || ratio > result.score) {
                result.score = ratio;
                result.topSignal = top[k];
            }
        }
        return result;
    }
    // x relative to its baseline, which then moves towards x (the first sample starts it).
    double relative(std::size_t j, double x)
    {
        if (baselineWeight <= 0 || !drifting[j])
            return x;
        double &b = baseline[j];
        if (std::isnan(b))
            b = x;
        const double d = x - b;
        b += baselineWeight * d;
        return d;
    }
    std::unique_ptr<Statistic> statistic;
    std::vector<double> limits; // per statistic, at the target false-alarm rate
    std::vector<double> z, raw;
    std::vector<int> top;
};

namespace {

constexpr std::size_t kMinRows = 20;

std::unique_ptr<Statistic> fit(Method method, const Eigen::MatrixXd &z, const DetectorOptions &options)
{
    switch (method) {
    case Method::Mset:
        return detail::fitMset(z, options);
    case Method::Ewma:
        return detail::fitEwma(z, options);
    case Method::Cusum:
        return detail::fitCusum(z, options);
    case Method::Ks:
        return detail::fitKs(z, options);
    case Method::PageHinkley:
        return detail::fitPageHinkley(z, options);
    case Method::Auto:
    case Method::T2Q:
        break;
    }
    return detail::fitT2Q(z, options);
}

// The raw statistics of `rows` of z under `statistic`, appended per statistic.
void collect(Statistic &statistic, const Eigen::MatrixXd &z, Eigen::Index from, Eigen::Index to,
             std::vector<std::vector<double>> &values)
{
    const int k = statistic.count();
    Eigen::MatrixXd block, many;
    constexpr Eigen::Index kBlock = 4096; // rows: a block and its statistics stay in cache
    Eigen::Index at = from;
    while (!statistic.stateful() && at < to) { // a statistic evaluates every block at once or none
        block = z.middleRows(at, std::min(kBlock, to - at));
        if (!statistic.evaluateMany(block, many))
            break;
        for (int i = 0; i < k; ++i)
            values[std::size_t(i)].insert(values[std::size_t(i)].end(), many.col(i).data(),
                                          many.col(i).data() + many.rows());
        at += block.rows();
    }
    std::vector<double> out(std::size_t(k), 0.0);
    std::vector<int> top(std::size_t(k), -1);
    Eigen::VectorXd row(z.cols());
    for (Eigen::Index r = at; r < to; ++r) {
        row = z.row(r).transpose();
        statistic.evaluate(row.data(), out.data(), top.data());
        for (int i = 0; i < k; ++i)
            if (std::isfinite(out[std::size_t(i)])) // a two-window test gives none until its window is full
                values[std::size_t(i)].push_back(out[std::size_t(i)]);
    }
}

// Limits at the false-alarm rate from samples the model was not fitted to: each of `folds` contiguous blocks
// is scored by a model fitted to the others. Charts (stateful) run over the whole training data instead;
// the two-window test, whose reference is the training data itself, is held out by folds too (each fold's
// windows against the others' distribution), started afresh in each. With several statistics the rate is
// shared among them.
std::vector<double> limitsFor(Method method, const Eigen::MatrixXd &z, const DetectorOptions &options,
                              Statistic &whole)
{
    const int k = whole.count();
    const Eigen::Index n = z.rows();
    std::vector<std::vector<double>> values{std::size_t(k)};
    for (auto &v : values)
        v.reserve(std::size_t(n));
    int folds = std::clamp(options.folds, 2, int(n / 10));
    if (method == Method::Ks) // every held-out fold at least two windows long
        folds = std::min(folds, int(n / (2 * std::max(options.ksWindow, 2))));
    if ((whole.stateful() && method != Method::Ks) || folds < 2) {
        whole.reset();
        collect(whole, z, 0, n, values);
        whole.reset();
    } else if (method == Method::T2Q) { // each fold's fit from the moments of the others
        std::vector<detail::Moments> parts;
        detail::Moments all{0, Eigen::VectorXd::Zero(z.cols()), Eigen::MatrixXd::Zero(z.cols(), z.cols())};
        for (int f = 0; f < folds; ++f) {
            const Eigen::Index from = n * f / folds, to = n * (f + 1) / folds;
            parts.push_back(detail::moments(z.middleRows(from, to - from)));
            all.n += parts.back().n;
            all.sum += parts.back().sum;
            all.outer += parts.back().outer;
        }
        for (int f = 0; f < folds; ++f) {
            const detail::Moments &part = parts[std::size_t(f)];
            const auto held = detail::fitT2Q(
                detail::Moments{all.n - part.n, all.sum - part.sum, all.outer - part.outer}, options);
            collect(*held, z, n * f / folds, n * (f + 1) / folds, values);
        }
    } else {
        for (int f = 0; f < folds; ++f) {
            const Eigen::Index from = n * f / folds, to = n * (f + 1) / folds;
            Eigen::MatrixXd rest(n - (to - from), z.cols());
            rest << z.topRows(from), z.bottomRows(n - to);
            const auto held = fit(method, rest, options);
            held->reset();
            collect(*held, z, from, to, values);
        }
    }
    const double q = 1.0 - options.falseAlarmRate / k;
    std::vector<double> limits;
    for (auto &v : values)
        limits.push_back(std::max(twin::quantile(std::move(v), q), 1e-12));
    return limits;
}

struct ColumnStats
{
    std::size_t finite = 0;
    double mean = 0, sd = 0;
};

// Per column of row-major values (p columns): finite count, mean and standard deviation, in two passes
// over the rows.
std::vector<ColumnStats> columnStats(const std::vector<double> &values, std::size_t p)
{
    std::vector<ColumnStats> stats(p);
    std::vector<double> sum(p, 0.0), sq(p, 0.0);
    const std::size_t n = p ? values.size() / p : 0;
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < p; ++c)
            if (const double v = values[r * p + c]; std::isfinite(v)) {
                sum[c] += v;
                ++stats[c].finite;
            }
    for (std::size_t c = 0; c < p; ++c)
        stats[c].mean = stats[c].finite ? sum[c] / double(stats[c].finite) : 0;
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < p; ++c)
            if (const double v = values[r * p + c]; std::isfinite(v))
                sq[c] += (v - stats[c].mean) * (v - stats[c].mean);
    for (std::size_t c = 0; c < p; ++c)
        stats[c].sd = stats[c].finite > 1 ? std::sqrt(sq[c] / double(stats[c].finite - 1)) : 0;
    return stats;
}

// The columns that trend through the rows: |correlation with the row number| above `threshold`.
std::vector<char> driftingColumns(const Table &t, double threshold)
{
    const std::size_t n = t.rows(), p = t.names.size();
    std::vector<double> sx(p, 0.0), sxx(p, 0.0), stx(p, 0.0), st(p, 0.0), stt(p, 0.0), k(p, 0.0);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < p; ++c)
            if (const double x = t.row(r)[c]; std::isfinite(x)) {
                const double tr = double(r);
                st[c] += tr, sx[c] += x, stt[c] += tr * tr, sxx[c] += x * x, stx[c] += tr * x, k[c] += 1;
            }
    std::vector<char> drifting(p, 0);
    for (std::size_t c = 0; c < p; ++c) {
        const double cov = stx[c] - st[c] * sx[c] / k[c], vt = stt[c] - st[c] * st[c] / k[c],
                     vx = sxx[c] - sx[c] * sx[c] / k[c];
        drifting[c] = vt > 0 && vx > 0 && std::abs(cov / std::sqrt(vt * vx)) > threshold;
    }
    return drifting;
}

} // namespace

const char *methodName(Method method)
{
    switch (method) {
    case Method::Auto:
        return "auto";
    case Method::T2Q:
        return "t2q";
    case Method::Mset:
        return "mset";
    case Method::Ewma:
        return "ewma";
    case Method::Cusum:
        return "cusum";
    case Method::Ks:
        return "ks";
    case Method::PageHinkley:
        return "page-hinkley";
    }
    return "?";
}

bool methodFromName(const std::string &name, Method &method)
{
    for (Method m : {Method::Auto, Method::T2Q, Method::Mset, Method::Ewma, Method::Cusum, Method::Ks,
                     Method::PageHinkley})
        if (name == methodName(m)) {
            method = m;
            return true;
        }
    return false;
}

Result<Detector> Detector::train(const Table &training, const DetectorOptions &options)
{
    const std::size_t n = training.rows(), p = training.names.size();
    if (!(options.falseAlarmRate > 0 && options.falseAlarmRate < 0.5))
        return Error{"the false-alarm rate must lie between 0 and 0.5"};
    if (n < kMinRows)
        return Error{"too few training rows: " + std::to_string(n) + " (at least " +
                     std::to_string(kMinRows) + ")"};
    auto state = std::make_unique<DetectorState>();
    state->rowWidth = p;
    // The training rows as the detector will see them (relative to each signal's baseline when asked; a copy
    // only then).
    std::vector<double> relativeRows;
    if (options.baselineSamples > 0) {
        state->baselineWeight = 1.0 / double(options.baselineSamples);
        state->baseline.assign(p, std::numeric_limits<double>::quiet_NaN());
        state->drifting = driftingColumns(training, options.driftCorrelation);
    }
    if (std::find(state->drifting.begin(), state->drifting.end(), 1) != state->drifting.end()) {
        relativeRows = training.values;
        for (std::size_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c < p; ++c)
                if (double &v = relativeRows[r * p + c]; std::isfinite(v))
                    v = state->relative(c, v);
    }
    const std::vector<double> &seen = relativeRows.empty() ? training.values : relativeRows;
    const std::vector<ColumnStats> stats = columnStats(seen, p);
    for (std::size_t c = 0; c < p; ++c) {
        const ColumnStats &cs = stats[c];
        if (cs.finite < n) {
            state->skipped.push_back(training.names[c] + ": " + std::to_string(n - cs.finite) +
                                     " missing or non-numeric values in the training rows");
            continue;
        }
        if (!(cs.sd > 1e-9 * std::max(1.0, std::abs(cs.mean)))) {
            state->skipped.push_back(training.names[c] + ": constant in the training rows");
            continue;
        }
        state->columns.push_back(c);
        state->signals.push_back(training.names[c]);
        state->mean.push_back(cs.mean);
        state->scale.push_back(cs.sd);
        state->inverseScale.push_back(1 / cs.sd);
    }
    if (state->columns.empty())
        return Error{"no signal varies in the training rows (every column is constant, missing or "
                     "non-numeric)"};
    Method method = options.method;
    if (method == Method::Auto)
        method = state->columns.size() >= 2 ? Method::T2Q : Method::Ewma;
    state->method = method;
    // Two held-out folds of two windows each: its limit is never scored on the rows it was fitted to.
    if (method == Method::Ks && n < 4 * std::size_t(std::max(options.ksWindow, 2)))
        return Error{"too few training rows for the two-window test: " + std::to_string(n) +
                     " (at least four times its window of " + std::to_string(options.ksWindow) + ")"};
    const std::size_t m = state->columns.size();
    Eigen::MatrixXd z{Eigen::Index(n), Eigen::Index(m)};
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t j = 0; j < m; ++j)
            z(Eigen::Index(r), Eigen::Index(j)) =
                (seen[r * p + state->columns[j]] - state->mean[j]) * state->inverseScale[j];
    state->statistic = fit(method, z, options);
    state->limits = limitsFor(method, z, options, *state->statistic);
    if (options.baselineSamples > 0) { // baselines per used signal, started afresh by the first sample scored
        state->baseline.assign(p, std::numeric_limits<double>::quiet_NaN());
    }
    state->z.assign(m, 0.0);
    state->raw.assign(std::size_t(state->statistic->count()), 0.0);
    state->top.assign(state->raw.size(), -1);
    return Detector(std::move(state));
}

Detector::Detector(std::unique_ptr<DetectorState> state) : m_state(std::move(state)) {}
Detector::Detector(Detector &&) noexcept = default;
Detector &Detector::operator=(Detector &&) noexcept = default;
Detector::~Detector() = default;

Method Detector::method() const
{
    return m_state->method;
}

const std::vector<std::string> &Detector::signalNames() const
{
    return m_state->signals;
}

const std::vector<std::string> &Detector::skipped() const
{
    return m_state->skipped;
}

std::vector<std::string> Detector::drifting() const
{
    std::vector<std::string> names;
    for (std::size_t j = 0; j < m_state->columns.size(); ++j)
        if (!m_state->drifting.empty() && m_state->drifting[m_state->columns[j]])
            names.push_back(m_state->signals[j]);
    return names;
}

SampleScore Detector::score(const double *row)
{
    DetectorState &s = *m_state;
    s.standardize(row, s.z.data(), 1);
    SampleScore result = s.evaluate();
    if (s.method == Method::T2Q && std::isfinite(result.score)) {
        result.t2 = s.raw[0] / s.limits[0];
        result.q = s.raw[1] / s.limits[1];
    }
    return result;
}

void Detector::scoreRows(const double *rows, std::size_t count, double *scores)
{
    DetectorState &s = *m_state;
    const std::size_t m = s.columns.size();
    constexpr std::size_t kBlock = 1024; // rows: the block's buffers stay in cache
    Eigen::MatrixXd z, out;
    for (std::size_t from = 0; from < count; from += kBlock) {
        const std::size_t n = std::min(kBlock, count - from);
        z.resize(Eigen::Index(n), Eigen::Index(m));
        bool finite = true;
        for (std::size_t r = 0; r < n; ++r) { // rows are read in order; z is written a column per signal
            const double *row = rows + (from + r) * s.rowWidth;
            for (std::size_t j = 0; j < m; ++j) {
                const std::size_t c = s.columns[j];
                double v = row[c];
                if (!std::isfinite(v)) {
                    z(Eigen::Index(r), Eigen::Index(j)) = std::numeric_limits<double>::quiet_NaN();
                    finite = false;
                    continue;
                }
                if (s.baselineWeight > 0 && s.drifting[c])
                    v = s.relative(c, v);
                z(Eigen::Index(r), Eigen::Index(j)) = (v - s.mean[j]) * s.inverseScale[j];
            }
        }
        if (finite && s.statistic->evaluateMany(z, out)) {
            for (std::size_t r = 0; r < n; ++r) {
                double best = out(Eigen::Index(r), 0) / s.limits[0];
                for (std::size_t k = 1; k < s.limits.size(); ++k)
                    best = std::max(best, out(Eigen::Index(r), Eigen::Index(k)) / s.limits[k]);
                scores[from + r] = best;
            }
            continue;
        }
        for (std::size_t r = 0; r < n; ++r) { // one by one: a row with a missing value scores NaN
            for (std::size_t j = 0; j < m; ++j)
                s.z[j] = z(Eigen::Index(r), Eigen::Index(j));
            scores[from + r] = s.evaluate().score;
        }
    }
}

void Detector::reset()
{
    m_state->statistic->reset();
    std::fill(m_state->baseline.begin(), m_state->baseline.end(), std::numeric_limits<double>::quiet_NaN());
}

std::string Detector::describe() const
{
    const auto drift = drifting();
    std::string text = std::string(methodName(m_state->method)) + ": " + m_state->statistic->describe();
    if (!drift.empty()) {
        text += "; relative to their baseline:";
        for (const auto &name : drift)
            text += " " + name;
    }
    return text;
}

} // namespace twin::model::detect
