#include "twin/model/calibration/EvidenceReview.h"

#include "twin/formats/TimeText.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace twin::model::calibration {

namespace {

using nlohmann::json;

const json &at(const json &j, const char *key)
{
    static const json null;
    if (!j.is_object())
        return null;
    const auto it = j.find(key);
    return it == j.end() ? null : *it;
}

double num(const json &j, double fallback = NAN)
{
    return j.is_number() ? j.get<double>() : fallback;
}

std::string text(const json &j, const char *key)
{
    const json &v = at(j, key);
    return v.is_string() ? v.get<std::string>() : std::string();
}

bool flag(const json &j, const char *key, bool fallback = false)
{
    const json &v = at(j, key);
    return v.is_boolean() ? v.get<bool>() : fallback;
}

std::vector<double> numbers(const json &j)
{
    std::vector<double> out;
    if (j.is_array())
        for (const json &v : j)
            out.push_back(num(v));
    return out;
}

FitMetrics metricsOf(const json &j)
{
    FitMetrics m;
    if (!j.is_object())
        return m;
    m.n = std::size_t(num(at(j, "n"), 0));
    m.rmse = num(at(j, "rmse"));
    m.nrmse = num(at(j, "nrmse"));
    m.mae = num(at(j, "mae"));
    m.bias = num(at(j, "bias"));
    m.maxError = num(at(j, "maxError"));
    m.r2 = num(at(j, "r2"));
    m.mape = num(at(j, "mape"));
    m.lag1 = num(at(j, "lag1"));
    m.coverage = num(at(j, "coverage"), -1);
    return m;
}

void readParameters(const json &result, ReviewData &r)
{
    const json &parameters = at(result, "parameters");
    const json &order = at(result, "parameterOrder");
    std::vector<std::string> names;
    if (order.is_array())
        for (const json &n : order)
            if (n.is_string())
                names.push_back(n.get<std::string>());
    if (names.empty() && parameters.is_object())
        for (const auto &[name, _] : parameters.items())
            names.push_back(name);
    for (const std::string &name : names) {
        const json &p = at(parameters, name.c_str());
        ReviewParameter e;
        e.name = name;
        e.before = num(at(p, "start"));
        e.after = num(at(p, "value"));
        e.stderror = num(at(p, "stderr"));
        const std::vector<double> ci = numbers(at(p, "ci95"));
        e.ci95[0] = ci.size() == 2 ? ci[0] : NAN;
        e.ci95[1] = ci.size() == 2 ? ci[1] : NAN;
        e.lower = num(at(p, "lower"));
        e.upper = num(at(p, "upper"));
        e.atBound = flag(p, "atBound");
        e.informed = flag(p, "informed", true);
        r.parameters.push_back(e);
    }
    const std::size_t n = r.parameters.size();
    r.correlation.assign(n * n, NAN);
    const json &rows = at(result, "correlation");
    for (std::size_t i = 0; i < n && rows.is_array() && i < rows.size(); ++i)
        for (std::size_t j = 0; j < n && rows[i].is_array() && j < rows[i].size(); ++j)
            r.correlation[i * n + j] = num(rows[i][j]);
}

// Per output and window kind, after calibration and (when the record has it) before.
void readMetrics(const json &result, const json &series, ReviewData &r)
{
    for (const bool holdout : {false, true}) {
        const json &group = at(result, holdout ? "holdout" : "metrics");
        if (!group.is_object())
            continue;
        for (const auto &[output, m] : group.items()) {
            ReviewMetrics row;
            row.output = output;
            row.holdout = holdout;
            row.after = metricsOf(m);
            if (series.is_object())
                for (const auto &[column, s] : series.items())
                    if (text(s, "model") == output)
                        row.before =
                            metricsOf(at(at(s, "initialMetrics"), holdout ? "holdout" : "calibration"));
            r.metrics.push_back(row);
        }
    }
}

void readSeries(const json &series, ReviewData &r)
{
    if (!series.is_object())
        return;
    for (const auto &[column, s] : series.items()) {
        ReviewSeries one;
        one.column = column;
        one.model = text(s, "model");
        one.unit = text(s, "unit");
        one.t = numbers(at(s, "t"));
        one.observed = numbers(at(s, "observed"));
        one.simulated = numbers(at(s, "simulated"));
        one.before = numbers(at(s, "initial"));
        one.lower = numbers(at(s, "lower"));
        one.upper = numbers(at(s, "upper"));
        one.use = text(s, "use");
        one.bandSamples = std::size_t(num(at(s, "bandSamples"), 0));
        // A series of another length than the times is not drawn against them.
        const std::size_t n = one.t.size();
        for (std::vector<double> *v : {&one.observed, &one.simulated})
            if (v->size() != n)
                v->assign(n, NAN);
        for (std::vector<double> *v : {&one.before, &one.lower, &one.upper})
            if (v->size() != n)
                v->clear();
        one.use.resize(n, 'F');
        r.series.push_back(std::move(one));
    }
}

void readSensitivity(const json &sensitivity, ReviewData &r)
{
    const json &results = at(sensitivity, "results");
    if (!results.is_object())
        return;
    for (const auto &[method, result] : results.items()) {
        const char *measure = method == "local" ? "normalized" : method == "morris" ? "muStar" : "total";
        const json &outputs = at(result, "outputs");
        if (!outputs.is_object())
            continue;
        for (const auto &[output, list] : outputs.items()) {
            ReviewSensitivity s;
            s.method = method;
            s.output = output;
            s.measure = measure;
            s.runs = std::size_t(num(at(result, "runs"), 0));
            s.failed = std::size_t(num(at(result, "failed"), 0));
            s.seconds = num(at(result, "seconds"), 0);
            if (list.is_array())
                for (const json &e : list) {
                    s.bars.emplace_back(text(e, "parameter"), num(at(e, measure)));
                    if (method == "sobol")
                        s.second.push_back(num(at(e, "first")));
                }
            r.sensitivity.push_back(std::move(s));
        }
    }
}

} // namespace

Result<ReviewData> reviewFromRecord(const std::string &recordJson)
{
    const json record = json::parse(recordJson, nullptr, false);
    if (record.is_discarded() || !record.is_object())
        return Error{"the evidence record is not JSON"};
    const json &result = at(record, "result");
    if (!result.is_object())
        return Error{"the evidence record has no result"};
    ReviewData r;
    r.asset = text(record, "asset");
    r.evidenceKey = text(record, "evidence");
    r.createdAt = text(record, "createdAt");
    const json &decision = at(record, "decision");
    if (const std::string status = text(decision, "status"); !status.empty())
        r.decision = status;
    r.reviewer = text(decision, "reviewer");
    r.reason = text(decision, "reason");
    r.decidedAt = text(decision, "at");
    const json &model = at(record, "model");
    r.modelText = text(model, "plugin") + " " + text(model, "pluginVersion") + " · " + text(model, "model");
    if (const auto start = parseTime(text(at(record, "data"), "start")); start.ok())
        r.start = *start;
    r.converged = flag(result, "converged");
    r.identifiable = flag(result, "identifiable");
    r.method = text(result, "method");
    r.solverMessage = text(result, "message");
    r.trigger = text(record, "trigger");
    r.iterations = int(num(at(result, "iterations"), 0));
    r.evaluations = std::size_t(num(at(result, "evaluations"), 0));
    r.seconds = num(at(result, "seconds"), 0);
    r.conditionNumber = num(at(result, "conditionNumber"));
    const json &acceptance = at(record, "acceptance");
    r.acceptanceDefined = flag(acceptance, "defined");
    r.accepted = flag(acceptance, "passed", !r.acceptanceDefined);
    if (const json &criteria = at(acceptance, "criteria"); criteria.is_array())
        for (const json &c : criteria)
            r.criteria.push_back({text(c, "criterion"), text(c, "output"), text(c, "note"),
                                  num(at(c, "value")), text(c, "on") == "holdout", flag(c, "passed")});
    for (const json *warnings : {&at(result, "warnings"), &at(record, "warnings")})
        if (warnings->is_array())
            for (const json &w : *warnings)
                if (w.is_string())
                    r.warnings.push_back(w.get<std::string>());
    readParameters(result, r);
    const json &series = at(record, "series");
    readMetrics(result, series, r);
    readSeries(series, r);
    readSensitivity(at(record, "sensitivity"), r);
    return r;
}

std::vector<std::pair<std::size_t, std::size_t>> stronglyCorrelated(const ReviewData &review, double limit)
{
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    const std::size_t n = review.parameters.size();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j)
            if (review.correlation.size() == n * n && std::abs(review.correlation[i * n + j]) > limit)
                pairs.emplace_back(i, j);
    return pairs;
}

} // namespace twin::model::calibration
