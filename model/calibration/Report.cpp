#include "twin/model/calibration/Report.h"

#include "ReportSvg_p.h"

#include "twin/formats/Units.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace twin::model::calibration {

using nlohmann::json;
using report::escape;
namespace {

const char *kStyle = R"(<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 13px; color: #1b1b1b; margin: 24px auto;
  max-width: 960px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 16px; border-bottom: 1px solid #ccc;
  padding-bottom: 3px; margin-top: 26px; }
table { border-collapse: collapse; margin: 6px 0 10px 0; } th, td { border: 1px solid #ccc; padding: 3px 8px;
  text-align: right; } th { background: #f1f1f1; } td.l, th.l { text-align: left; }
.pass { color: #176b2c; font-weight: bold; } .fail { color: #b00000; font-weight: bold; }
.pending { color: #8a5a00; font-weight: bold; } .muted { color: #666; } .warn { color: #8a5a00; }
.verdict { font-size: 15px; padding: 6px 10px; border: 1px solid #ccc; display: inline-block; }
code { font-size: 12px; word-break: break-all; }
</style>)";

// Safe reading: a missing key or index is null (const operator[] of nlohmann::json must not miss).
const json &field(const json &j, const std::string &key)
{
    static const json null;
    if (!j.is_object())
        return null;
    const auto it = j.find(key);
    return it == j.end() ? null : *it;
}
const json &field(const json &j, std::size_t index)
{
    static const json null;
    return j.is_array() && index < j.size() ? j[index] : null;
}

bool flag(const json &j, const char *key, bool fallback)
{
    const json &v = field(j, key);
    return v.is_boolean() ? v.get<bool>() : fallback;
}

double num(const json &j)
{
    return j.is_number() ? j.get<double>() : NAN;
}

std::string str(const json &j, const char *key, const std::string &fallback = "")
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : fallback;
}

std::string row(std::initializer_list<std::string> cells, bool header = false, std::size_t leftColumns = 1)
{
    std::string out = "<tr>";
    std::size_t i = 0;
    for (const auto &c : cells) {
        const char *tag = header ? "th" : "td";
        out +=
            std::string("<") + tag + (i++ < leftColumns ? " class=\"l\"" : "") + ">" + c + "</" + tag + ">";
    }
    return out + "</tr>\n";
}

std::string verdictSpan(bool passed, const std::string &yes = "PASS", const std::string &no = "FAIL")
{
    return passed ? "<span class=\"pass\">" + yes + "</span>" : "<span class=\"fail\">" + no + "</span>";
}

std::string header(const json &r)
{
    const json &d = field(r, "decision");
    const std::string status = str(d, "status", "pending");
    const json &a = field(r, "acceptance");
    const std::string key = str(r, "evidence");
    const auto hash = key.rfind('#');
    const std::string record =
        key.empty() ? "not recorded" : "record " + key.substr(hash == std::string::npos ? 0 : hash);
    std::string out = "<h1>Calibration of " + escape(str(r, "asset")) +
                      "</h1>\n<p class=\"muted\">Evidence " + escape(record) + " · created " +
                      escape(str(r, "createdAt")) + " · Twinworks " +
                      escape(str(field(r, "software"), "version")) + "</p>\n<p class=\"verdict\">";
    const json &res = field(r, "result");
    out += "Fit: " + verdictSpan(flag(res, "converged", false), "converged", "not converged") + " · " +
           verdictSpan(flag(res, "identifiable", false), "identifiable", "not identifiable") +
           " · Acceptance: " +
           (flag(a, "defined", false) ? verdictSpan(flag(a, "passed", false), "passed", "FAILED")
                                      : std::string("<span class=\"muted\">no criteria</span>")) +
           " · Decision: " +
           (status == "approved"   ? "<span class=\"pass\">approved</span>"
            : status == "rejected" ? "<span class=\"fail\">rejected</span>"
                                   : "<span class=\"pending\">pending sign-off</span>") +
           "</p>\n";
    return out;
}

std::string whatSection(const json &r)
{
    const json &m = field(r, "model"), &res = field(r, "result"), &def = field(r, "definition");
    std::string out = "<h2>What was calibrated</h2>\n<table>\n";
    out += row({"asset", escape(str(r, "asset"))}, false, 2);
    if (!str(r, "trigger").empty())
        out += row({"started from", escape(str(r, "trigger"))}, false, 2);
    out += row({"model", escape(str(m, "plugin")) + " " + escape(str(m, "pluginVersion")) + " · " +
                             escape(str(m, "model")) + " (" + escape(str(m, "modelVersion")) + ")"},
               false, 2);
    out += row({"backend config", "<code>" + escape(str(m, "config")) + "</code>"}, false, 2);
    out += row({"asset type", escape(str(m, "typeId"))}, false, 2);
    out += row({"method", escape(str(res, "method")) + ", " + report::number(num(field(res, "iterations"))) +
                              " iterations, " + report::number(num(field(res, "evaluations"))) +
                              " model runs, " + report::number(num(field(res, "seconds")), 3) + " s, seed " +
                              report::number(num(field(def, "seed")))},
               false, 2);
    out += row({"solver", escape(str(res, "message"))}, false, 2);
    return out + "</table>\n";
}

std::string dataSection(const json &r)
{
    const json &data = field(r, "data");
    std::string out = "<h2>Data provenance and quality</h2>\n<table>\n";
    auto windows = [](const json &list) {
        std::string s;
        for (const auto &w : list)
            s += (s.empty() ? "" : "<br>") + escape(str(w, "from")) + " – " + escape(str(w, "to"));
        return s.empty() ? std::string("none") : s;
    };
    out += row({"calibration windows (UTC)", windows(field(data, "windows"))}, false, 2);
    out += row({"hold-out windows (UTC)", windows(field(data, "holdout"))}, false, 2);
    if (const json &state = field(data, "initialState"); state.is_object()) {
        std::string text = escape(str(state, "mode"));
        for (const auto &segment : field(state, "segments")) {
            std::string values;
            for (const auto &[name, value] : field(segment, "state").items())
                values +=
                    (values.empty() ? "" : ", ") + escape(name) + " = " + report::number(value.get<double>());
            for (const auto &name : field(segment, "fitted"))
                values += (values.empty() ? "" : ", ") + escape(name.get<std::string>()) + " fitted";
            text += "<br>" + escape(str(segment, "start")) + ": " + (values.empty() ? "no state" : values);
        }
        out += row({"initial state", text}, false, 2);
    }
    std::string inputs;
    for (const auto &i : field(data, "inputs"))
        inputs += (inputs.empty() ? "" : ", ") + escape(i.get<std::string>());
    out += row({"inputs from history", inputs.empty() ? "none" : inputs}, false, 2);
    out += row({"samples used (SHA-256)", "<code>" + escape(str(data, "hash")) + "</code>"}, false, 2);
    out += "</table>\n<table>\n" +
           row({"output", "fitted", "hold-out", "excluded: bad quality", "outside windows"}, true);
    for (const auto &[name, c] : field(data, "outputs").items())
        out += row({escape(name), report::number(num(field(c, "fitted")), 10),
                    report::number(num(field(c, "holdout")), 10),
                    report::number(num(field(c, "badQuality")), 10),
                    report::number(num(field(c, "outside")), 10)});
    return out + "</table>\n";
}

std::string parameterSection(const json &r)
{
    const json &res = field(r, "result");
    std::string out =
        "<h2>Parameters</h2>\n<table>\n" +
        row({"parameter", "before", "after", "std. error", "95 % interval", "bounds", "notes"}, true);
    std::vector<std::string> names;
    for (const auto &n : field(res, "parameterOrder"))
        names.push_back(n.get<std::string>());
    for (const auto &n : names) {
        const json &p = field(field(res, "parameters"), n);
        std::string notes;
        if (flag(p, "atBound", false))
            notes += "<span class=\"warn\">at a bound</span> ";
        if (!flag(p, "informed", true))
            notes += "<span class=\"warn\">not informed by the data</span>";
        out += row({escape(n), report::number(num(field(p, "start")), 6),
                    "<b>" + report::number(num(field(p, "value")), 6) + "</b>",
                    report::number(num(field(p, "stderr")), 3),
                    report::number(num(field(field(p, "ci95"), 0)), 6) + " … " +
                        report::number(num(field(field(p, "ci95"), 1)), 6),
                    report::number(num(field(p, "lower"))) + " … " + report::number(num(field(p, "upper"))),
                    notes});
    }
    out += "</table>\n";
    std::vector<std::vector<double>> rho;
    for (const auto &rowJson : field(res, "correlation")) {
        rho.emplace_back();
        for (const auto &v : rowJson)
            rho.back().push_back(num(v));
    }
    if (names.size() > 1 && rho.size() == names.size())
        out += "<p>Correlation of the estimates (|ρ| &gt; 0.95 outlined: the data cannot tell these "
               "apart)</p>\n" +
               report::correlationSvg(names, rho);
    out += "<p class=\"muted\">Condition number of JᵀJ (scaled): " +
           report::number(num(field(res, "conditionNumber")), 3) + "; residual variance s² " +
           report::number(num(field(res, "residualVariance")), 4) + " on " +
           report::number(num(field(res, "dof")), 10) + " degrees of freedom.</p>\n";
    return out;
}

std::string metricCells(const json &m)
{
    std::string out;
    for (const char *k :
         {"n", "rmse", "nrmse", "mae", "bias", "maxError", "r2", "mape", "coverage", "lag1"}) {
        double v = m.is_object() && m.contains(k) ? num(m[k]) : NAN;
        if (std::string(k) == "nrmse" || std::string(k) == "coverage")
            v *= 100;
        out += "<td>" + report::number(v, std::string(k) == "n" ? 10 : 4) + "</td>";
    }
    return out;
}

std::string metricsSection(const json &r)
{
    const json &res = field(r, "result"), &series = field(r, "series");
    std::string out =
        "<h2>Fit metrics</h2>\n<table>\n<tr><th class=\"l\">output</th><th class=\"l\">data</th>"
        "<th class=\"l\">model</th><th>n</th><th>RMSE</th><th>NRMSE %</th><th>MAE</th><th>bias</th>"
        "<th>max error</th><th>R²</th><th>MAPE %</th><th>band coverage %</th><th>lag-1 ρ</th></tr>\n";
    for (const auto &[twin, s] : series.items()) {
        const std::string model = str(s, "model");
        for (const char *kind : {"calibration", "holdout"}) {
            const bool hold = std::string(kind) == "holdout";
            const json &after =
                hold ? field(field(res, "holdout"), model) : field(field(res, "metrics"), model);
            if (!after.is_object())
                continue;
            if (s.contains("initialMetrics"))
                out += "<tr><td class=\"l\">" + escape(twin) + "</td><td class=\"l\">" +
                       (hold ? "hold-out" : "calibration") + "</td><td class=\"l\">before</td>" +
                       metricCells(field(field(s, "initialMetrics"), kind)) + "</tr>\n";
            out += "<tr><td class=\"l\">" + escape(twin) + "</td><td class=\"l\">" +
                   (hold ? "hold-out" : "calibration") + "</td><td class=\"l\"><b>after</b></td>" +
                   metricCells(after) + "</tr>\n";
        }
    }
    out += "</table>\n";
    const json &a = field(r, "acceptance");
    if (flag(a, "defined", false)) {
        out += "<p>Acceptance criteria</p>\n<table>\n" +
               row({"criterion", "output", "value", "result"}, true, 2);
        for (const auto &c : field(a, "criteria"))
            out +=
                row({escape(str(c, "criterion")), escape(str(c, "output")),
                     report::number(num(field(c, "value"))),
                     verdictSpan(flag(c, "passed", false)) +
                         (c.contains("note") ? " <span class=\"muted\">" + escape(str(c, "note")) + "</span>"
                                             : "")},
                    false, 2);
        out += "</table>\n";
    }
    return out;
}

report::PlotSeries plotSeries(const json &s)
{
    report::PlotSeries p;
    p.unit = unitSymbol(str(s, "unit"));
    auto numbers = [](const json &a) {
        std::vector<double> v;
        if (a.is_array())
            for (const auto &x : a)
                v.push_back(num(x));
        return v;
    };
    p.t = numbers(field(s, "t"));
    p.observed = numbers(field(s, "observed"));
    p.simulated = numbers(field(s, "simulated"));
    if (s.contains("initial"))
        p.initial = numbers(field(s, "initial"));
    if (s.contains("lower")) {
        p.lower = numbers(field(s, "lower"));
        p.upper = numbers(field(s, "upper"));
    }
    p.use = str(s, "use");
    return p;
}

std::string plotSection(const json &r)
{
    std::string out = "<h2>Observed and simulated</h2>\n";
    for (const auto &[twin, s] : field(r, "series").items())
        out += report::timePlotSvg(plotSeries(s), twin) + "\n";
    if (r.contains("band") && field(r, "band").is_string())
        out += "<p class=\"muted\">" + escape(field(r, "band").get<std::string>()) + "</p>\n";
    return out;
}

std::string sensitivitySection(const json &r)
{
    const json &sensitivity = field(r, "sensitivity");
    if (!sensitivity.is_object())
        return {};
    std::string out = "<h2>Sensitivity</h2>\n";
    for (const auto &[method, result] : field(sensitivity, "results").items()) {
        const char *measure = method == "local" ? "normalized" : method == "morris" ? "muStar" : "total";
        const std::string label = method == "local"    ? "normalized sensitivity (d mean / d θ) · θ / mean"
                                  : method == "morris" ? "Morris μ* (mean |elementary effect|)"
                                                       : "Sobol total order";
        for (const auto &[output, list] : field(result, "outputs").items()) {
            std::vector<report::TornadoBar> bars;
            for (const auto &e : list)
                bars.push_back({str(e, "parameter"), num(field(e, measure)),
                                method == "sobol" ? num(field(e, "first")) : NAN});
            out += report::tornadoSvg(method + ": " + output, bars, label,
                                      method == "sobol" ? "first order" : "");
        }
        out += "<p class=\"muted\">" + escape(method) + ": " +
               report::number(num(field(result, "runs")), 10) + " model runs, " +
               report::number(num(field(result, "failed")), 10) + " failed, " +
               report::number(num(field(result, "seconds")), 3) + " s.</p>\n";
    }
    out += "<table>\n" + row({"parameter", "output", "measure", "value"}, true, 3);
    for (const auto &e : field(sensitivity, "rows"))
        out += row({escape(str(e, "parameter")), escape(str(e, "output")), escape(str(e, "measure")),
                    report::number(num(field(e, "value")))},
                   false, 3);
    return out + "</table>\n";
}

std::string warningsSection(const json &r)
{
    std::string items;
    for (const auto *list : {&field(field(r, "result"), "warnings"), &field(r, "warnings")})
        if (list->is_array())
            for (const auto &w : *list)
                if (w.is_string())
                    items += "<li>" + escape(w.get<std::string>()) + "</li>\n";
    return items.empty() ? std::string() : "<h2>Warnings</h2>\n<ul>\n" + items + "</ul>\n";
}

std::string decisionSection(const json &r)
{
    const json &d = field(r, "decision");
    const std::string status = str(d, "status", "pending");
    std::string out = "<h2>Decision</h2>\n";
    if (status == "pending")
        return out + "<p class=\"pending\">Pending sign-off.</p>\n<table>\n" +
               row({"decision", "approve / reject"}, false, 2) + row({"reviewer", "&nbsp;"}, false, 2) +
               row({"reason", "&nbsp;"}, false, 2) + row({"date, signature", "&nbsp;"}, false, 2) +
               "</table>\n";
    return out + "<table>\n" +
           row({"decision", verdictSpan(status == "approved", "approved", "rejected")}, false, 2) +
           row({"reviewer", escape(str(d, "reviewer"))}, false, 2) +
           row({"reason", escape(str(d, "reason"))}, false, 2) +
           row({"at (UTC)", escape(str(d, "at"))}, false, 2) + "</table>\n";
}
} // namespace

namespace {
Result<std::string> renderReport(const std::string &recordJson, const std::string &evidenceKey);
}

Result<std::string> reportHtml(const std::string &recordJson, const std::string &evidenceKey)
{
    try {
        return renderReport(recordJson, evidenceKey);
    } catch (const json::exception &e) { // a hand-edited record with values of the wrong type
        return Error{std::string("not a readable calibration evidence record (") + e.what() + ")"};
    }
}

namespace {
Result<std::string> renderReport(const std::string &recordJson, const std::string &evidenceKey)
{
    json r = json::parse(recordJson, nullptr, false);
    if (!r.is_object() || !r.contains("result") || !r.contains("series") || !field(r, "result").is_object())
        return Error{"not a calibration evidence record"};
    if (!evidenceKey.empty())
        r["evidence"] = evidenceKey;
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Calibration of " +
        escape(str(r, "asset")) + "</title>\n" + kStyle + "\n</head>\n<body>\n";
    html += header(r) + plotSection(r) + parameterSection(r) + metricsSection(r) + whatSection(r) +
            dataSection(r) + sensitivitySection(r) + warningsSection(r) + decisionSection(r);
    return html + "</body>\n</html>\n";
}

} // namespace

} // namespace twin::model::calibration
