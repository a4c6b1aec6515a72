// twinctl forecast p.twin --asset PATH: the asset's model run forward from the twin's state with parameter
// uncertainty (model/forecast/Forecast.h).
#include "Verbs.h"

#include "twin/formats/TimeText.h"
#include "twin/model/forecast/Forecast.h"
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/project/Project.h"
#include "twin/model/project/ProjectFile.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace twin::cli {

namespace {

const char *kUsage =
    "usage: twinctl forecast p.twin --asset PATH [--horizon 30m] [--runs N] [--at TIME] "
    "[--seed N] [--workers N]\n"
    "         [--scenario NAME] [--plugins DIR] [--out forecast.csv]\n"
    "  Runs the asset's bound model forward from the twin's state at --at (default: its "
    "newest data) over the\n"
    "  horizon (s, m or h; default 30m), --runs times (default 100) with parameters drawn "
    "from the covariance of\n"
    "  its newest approved calibration, measured inputs held at their last value (--scenario: "
    "as that what-if\n"
    "  scenario's overrides set them, from the forecast's start). Reports "
    "the 5/50/95 % band of\n"
    "  each forecast telemetry (forecast.csv: time,seconds then "
    "NAME_p05,NAME_p50,NAME_p95), the time until each\n"
    "  alarm of the asset's rules of the form 'telemetry > number' is crossed, and, where "
    "the history covers the\n"
    "  horizon, the skill against persistence (lift = 1 - RMSE forecast / RMSE "
    "persistence). Exit 0, 1 when the\n"
    "  runs failed, 2 on bad input.";

double parseDuration(const std::string &text)
{
    char *end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    const std::string unit = end;
    const double scale = unit.empty() || unit == "s"    ? 1
                         : unit == "m" || unit == "min" ? 60
                         : unit == "h"                  ? 3600
                                                        : 0;
    return end == text.c_str() || scale == 0 ? -1 : v * scale;
}

} // namespace

Report verbForecast(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("forecast", kUsage);
    auto bad = [](const std::string &why) { return badInput("forecast", why); };
    model::forecast::ForecastRequest request;
    request.asset = takeOption(args, "--asset");
    const std::string horizon = takeOption(args, "--horizon"), runs = takeOption(args, "--runs"),
                      at = takeOption(args, "--at"), seed = takeOption(args, "--seed"),
                      workers = takeOption(args, "--workers"), plugins = takeOption(args, "--plugins"),
                      output = takeOption(args, "--out");
    request.scenario = takeOption(args, "--scenario");
    if (args.size() != 1 || request.asset.empty())
        return bad(kUsage);
    if (!horizon.empty() && !((request.horizonSeconds = parseDuration(horizon)) > 0))
        return bad("--horizon: a duration such as 1800, 90s, 30m or 2h (got '" + horizon + "')");
    if (!runs.empty() && (request.runs = std::size_t(std::atol(runs.c_str()))) == 0)
        return bad("--runs: a whole number above 0 (got '" + runs + "')");
    if (!seed.empty())
        request.seed = std::strtoull(seed.c_str(), nullptr, 10);
    if (!workers.empty() && (request.workers = std::atoi(workers.c_str())) < 1)
        return bad("--workers: a whole number above 0 (got '" + workers + "')");
    if (!at.empty()) {
        const auto t = model::parseTime(at);
        if (!t)
            return bad("--at: " + t.error());
        request.at = *t;
    }
    request.pluginDir = pluginDirectoryOr(plugins);
    request.projectDir = std::filesystem::absolute(args[0]).parent_path().string();
    model::Project project;
    if (auto s = model::loadProject(args[0], project); !s)
        return bad(s.error());
    const auto result = model::forecast::forecastAsset(project, request);
    if (!result)
        return fail("forecast", result.error());
    if (!output.empty()) {
        std::ofstream out(output, std::ios::binary | std::ios::trunc);
        out << "time,seconds";
        for (const auto &b : result->bands)
            out << ',' << b.name << "_p05," << b.name << "_p50," << b.name << "_p95";
        out << '\n';
        for (std::size_t i = 0; i < result->times.size(); ++i) {
            out << model::isoUtc(result->start + model::TimeNs(std::llround(result->times[i] * 1e9))) << ','
                << result->times[i];
            for (const auto &b : result->bands)
                out << ',' << b.p05[i] << ',' << b.p50[i] << ',' << b.p95[i];
            out << '\n';
        }
        if (!out)
            return fail("forecast", output + ": cannot write");
    }
    using nlohmann::json;
    json thresholds = json::array(), skill = json::array();
    Report r;
    r.verb = "forecast";
    r.messages.push_back("from " + model::isoUtc(result->start) + ", " + std::to_string(result->runs) +
                         " runs (" + std::to_string(result->failed) +
                         " failed); parameters: " + result->parameters);
    char line[256];
    for (const auto &t : result->thresholds) {
        thresholds.push_back({{"alarm", t.alarm},
                              {"telemetry", t.telemetry},
                              {"limit", t.limit},
                              {"above", t.above},
                              {"crossed", t.crossed},
                              {"secondsP05", t.crossed ? json(t.p05) : json()},
                              {"secondsP50", t.crossed ? json(t.p50) : json()},
                              {"secondsP95", t.crossed ? json(t.p95) : json()}});
        if (t.crossed)
            std::snprintf(line, sizeof line,
                          "%s: %s %s %g in %.0f min (5-95 %%: %.0f-%.0f min; %zu of %zu runs)",
                          t.alarm.c_str(), t.telemetry.c_str(), t.above ? "reaches" : "falls to", t.limit,
                          t.p50 / 60, t.p05 / 60, t.p95 / 60, t.crossed, result->runs - result->failed);
        else
            std::snprintf(line, sizeof line, "%s: %s stays %s %g over the horizon", t.alarm.c_str(),
                          t.telemetry.c_str(), t.above ? "below" : "above", t.limit);
        r.messages.push_back(line);
    }
    for (const auto &s : result->skill) {
        skill.push_back({{"telemetry", s.name},
                         {"points", s.points},
                         {"rmseForecast", s.rmseForecast},
                         {"rmsePersistence", s.rmsePersistence},
                         {"lift", s.lift}});
        std::snprintf(line, sizeof line, "skill %s: RMSE %.3g vs persistence %.3g, lift %.2f over %zu points",
                      s.name.c_str(), s.rmseForecast, s.rmsePersistence, s.lift, s.points);
        r.messages.push_back(line);
    }
    for (const auto &w : result->warnings)
        r.messages.push_back("warning: " + w);
    r.fields = {{"asset", jsonString(request.asset)},
                {"start", jsonString(model::isoUtc(result->start))},
                {"runs", std::to_string(result->runs)},
                {"failed", std::to_string(result->failed)},
                {"parameters", jsonString(result->parameters)},
                {"thresholds", thresholds.dump()},
                {"skill", skill.dump()}};
    if (!output.empty())
        r.fields.push_back({"output", jsonString(output)});
    return r;
}

} // namespace twin::cli
