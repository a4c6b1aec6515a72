#include "twin/model/detect/Detector.h"

#include "twin/model/detect/Detector_p.h"

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
    std::vector<double> mean, scale;
    double baselineWeight = 0;    // per sample, 0 = no baseline
    std::vector<double> baseline; // per column, NaN until the first sample
    std::vector<char> drifting;   // per column: follows a baseline
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
    std::vector<double> out(std::size_t(k), 0.0);
    std::vector<int> top(std::size_t(k), -1);
    Eigen::VectorXd row(z.cols());
    for (Eigen::Index r = from; r < to; ++r) {
        row = z.row(r).transpose();
        statistic.evaluate(row.data(), out.data(), top.data());
        for (int i = 0; i < k; ++i)
            values[std::size_t(i)].push_back(out[std::size_t(i)]);
    }
}

// Limits at the false-alarm rate from samples the model was not fitted to: each of `folds` contiguous blocks
// is scored by a model fitted to the others. Charts (stateful) run over the whole training data instead. With
// several statistics the rate is shared among them.
std::vector<double> limitsFor(Method method, const Eigen::MatrixXd &z, const DetectorOptions &options,
                              Statistic &whole)
{
    const int k = whole.count();
    std::vector<std::vector<double>> values{std::size_t(k)};
    const Eigen::Index n = z.rows();
    const int folds = std::clamp(options.folds, 2, int(n / 10));
    if (whole.stateful() || folds < 2) {
        whole.reset();
        collect(whole, z, 0, n, values);
        whole.reset();
    } else {
        for (int f = 0; f < folds; ++f) {
            const Eigen::Index from = n * f / folds, to = n * (f + 1) / folds;
            Eigen::MatrixXd rest(n - (to - from), z.cols());
            rest << z.topRows(from), z.bottomRows(n - to);
            const auto held = fit(method, rest, options);
            collect(*held, z, from, to, values);
        }
    }
    const double q = 1.0 - options.falseAlarmRate / k;
    std::vector<double> limits;
    for (auto &v : values)
        limits.push_back(std::max(detail::quantile(v, q), 1e-12));
    return limits;
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
    }
    return "?";
}

bool methodFromName(const std::string &name, Method &method)
{
    for (Method m : {Method::Auto, Method::T2Q, Method::Mset, Method::Ewma, Method::Cusum})
        if (name == methodName(m)) {
            method = m;
            return true;
        }
    return false;
}

double detail::quantile(std::vector<double> values, double q)
{
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const double at = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
    const std::size_t i = std::size_t(at);
    const double frac = at - double(i);
    return i + 1 < values.size() ? values[i] + frac * (values[i + 1] - values[i]) : values[i];
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
    // The training rows as the detector will see them (relative to each signal's baseline when asked).
    std::vector<double> seen = training.values;
    if (options.baselineSamples > 0) {
        state->baselineWeight = 1.0 / double(options.baselineSamples);
        state->baseline.assign(p, std::numeric_limits<double>::quiet_NaN());
        state->drifting.assign(p, 0);
        for (std::size_t c = 0; c < p; ++c) { // a signal that trends through the training rows
            double st = 0, sx = 0, stt = 0, sxx = 0, stx = 0, k = 0;
            for (std::size_t r = 0; r < n; ++r)
                if (const double x = training.row(r)[c]; std::isfinite(x)) {
                    const double t = double(r);
                    st += t, sx += x, stt += t * t, sxx += x * x, stx += t * x, k += 1;
                }
            const double cov = stx - st * sx / k, vt = stt - st * st / k, vx = sxx - sx * sx / k;
            state->drifting[c] =
                vt > 0 && vx > 0 && std::abs(cov / std::sqrt(vt * vx)) > options.driftCorrelation;
        }
        for (std::size_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c < p; ++c)
                if (double &v = seen[r * p + c]; std::isfinite(v))
                    v = state->relative(c, v);
    }
    auto value = [&](std::size_t r, std::size_t c) { return seen[r * p + c]; };
    for (std::size_t c = 0; c < p; ++c) {
        double sum = 0, sq = 0;
        std::size_t finite = 0;
        for (std::size_t r = 0; r < n; ++r) {
            const double v = value(r, c);
            if (std::isfinite(v)) {
                sum += v;
                ++finite;
            }
        }
        const double mean = finite ? sum / double(finite) : 0;
        for (std::size_t r = 0; r < n; ++r) {
            const double v = value(r, c);
            if (std::isfinite(v))
                sq += (v - mean) * (v - mean);
        }
        const double sd = finite > 1 ? std::sqrt(sq / double(finite - 1)) : 0;
        if (finite < n) {
            state->skipped.push_back(training.names[c] + ": " + std::to_string(n - finite) +
                                     " missing or non-numeric values in the training rows");
            continue;
        }
        if (!(sd > 1e-9 * std::max(1.0, std::abs(mean)))) {
            state->skipped.push_back(training.names[c] + ": constant in the training rows");
            continue;
        }
        state->columns.push_back(c);
        state->signals.push_back(training.names[c]);
        state->mean.push_back(mean);
        state->scale.push_back(sd);
    }
    if (state->columns.empty())
        return Error{"no signal varies in the training rows (every column is constant, missing or "
                     "non-numeric)"};
    Method method = options.method;
    if (method == Method::Auto)
        method = state->columns.size() >= 2 ? Method::T2Q : Method::Ewma;
    state->method = method;
    const std::size_t m = state->columns.size();
    Eigen::MatrixXd z{Eigen::Index(n), Eigen::Index(m)};
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t j = 0; j < m; ++j)
            z(Eigen::Index(r), Eigen::Index(j)) =
                (value(r, state->columns[j]) - state->mean[j]) / state->scale[j];
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
    SampleScore result;
    for (std::size_t j = 0; j < s.columns.size(); ++j) {
        const double v = row[s.columns[j]];
        if (!std::isfinite(v)) {
            result.score = std::numeric_limits<double>::quiet_NaN();
            return result;
        }
        s.z[j] = (s.relative(s.columns[j], v) - s.mean[j]) / s.scale[j];
    }
    s.statistic->evaluate(s.z.data(), s.raw.data(), s.top.data());
    for (std::size_t k = 0; k < s.raw.size(); ++k) {
        const double ratio = s.raw[k] / s.limits[k];
        if (k == 0 || ratio > result.score) {
            result.score = ratio;
            result.topSignal = s.top[k];
        }
    }
    if (s.method == Method::T2Q) {
        result.t2 = s.raw[0] / s.limits[0];
        result.q = s.raw[1] / s.limits[1];
    }
    return result;
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
