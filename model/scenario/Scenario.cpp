#include "twin/model/scenario/Scenario.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace twin::model::scenario {

using nlohmann::json;
namespace {
const std::string kPrefix = "scenario:";

double interpolate(const std::vector<double> &t, const std::vector<double> &v, double x)
{
    if (t.empty() || v.size() != t.size())
        return 0;
    if (x <= t.front())
        return v.front();
    if (x >= t.back())
        return v.back();
    const auto it = std::upper_bound(t.begin(), t.end(), x);
    const std::size_t i = std::size_t(it - t.begin());
    const double w = t[i] > t[i - 1] ? (x - t[i - 1]) / (t[i] - t[i - 1]) : 1;
    return v[i - 1] + w * (v[i] - v[i - 1]);
}

bool number(const std::string &text, double &out)
{
    char *end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return !text.empty() && end && *end == '\0';
}

std::string trim(std::string s)
{
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}
} // namespace

double Override::valueAt(double t, double baseline) const
{
    switch (kind) {
    case Kind::Constant:
        return value;
    case Kind::Step:
        return t < at ? from.value_or(baseline) : value;
    case Kind::Ramp:
        if (t <= t0)
            return from.value_or(baseline);
        if (t >= t1)
            return to;
        return from.value_or(baseline) + (to - from.value_or(baseline)) * (t - t0) / (t1 - t0);
    case Kind::Series:
        return interpolate(times, values, t);
    }
    return value;
}

std::string overrideKindName(Override::Kind kind)
{
    switch (kind) {
    case Override::Kind::Constant:
        return "constant";
    case Override::Kind::Step:
        return "step";
    case Override::Kind::Ramp:
        return "ramp";
    case Override::Kind::Series:
        return "series";
    }
    return "constant";
}

std::string scenarioToJson(const ScenarioDefinition &d)
{
    json overrides = json::array();
    for (const auto &o : d.overrides) {
        json j = {{"target", o.target}, {"kind", overrideKindName(o.kind)}};
        if (!o.unit.empty())
            j["unit"] = o.unit;
        switch (o.kind) {
        case Override::Kind::Constant:
            j["value"] = o.value;
            break;
        case Override::Kind::Step:
            j["at"] = o.at;
            j["value"] = o.value;
            if (o.from)
                j["from"] = *o.from;
            break;
        case Override::Kind::Ramp:
            if (o.from)
                j["from"] = *o.from;
            j["to"] = o.to;
            j["t0"] = o.t0;
            j["t1"] = o.t1;
            break;
        case Override::Kind::Series:
            j["times"] = o.times;
            j["values"] = o.values;
            break;
        }
        overrides.push_back(std::move(j));
    }
    json kpis = json::array();
    for (const auto &k : d.kpis)
        kpis.push_back({{"name", k.name}, {"expression", k.expression}, {"unit", k.unit}});
    json j = {{"name", d.name},         {"description", d.description},
              {"targets", d.targets},   {"horizon", d.horizon},
              {"step", d.step},         {"seed", d.seed},
              {"overrides", overrides}, {"kpis", kpis}};
    if (d.startAt)
        j["startAt"] = *d.startAt;
    return j.dump(2);
}

Result<ScenarioDefinition> scenarioFromJson(const std::string &text)
{
    try {
        const json j = json::parse(text);
        ScenarioDefinition d;
        d.name = j.at("name").get<std::string>();
        if (d.name.empty())
            return Error{"scenario: empty name"};
        d.description = j.value("description", std::string());
        d.targets = j.value("targets", std::vector<std::string>());
        if (j.contains("startAt") && !j["startAt"].is_null())
            d.startAt = j["startAt"].get<TimeNs>();
        d.horizon = j.value("horizon", 600.0);
        d.step = j.value("step", 1.0);
        d.seed = j.value("seed", std::uint64_t(1));
        if (!(d.horizon > 0) || !(d.step > 0))
            return Error{"scenario " + d.name + ": horizon and step must be positive"};
        for (const auto &o : j.value("overrides", json::array())) {
            Override ov;
            ov.target = o.at("target").get<std::string>();
            ov.unit = o.value("unit", std::string());
            const std::string kind = o.value("kind", std::string("constant"));
            if (o.contains("from"))
                ov.from = o["from"].get<double>();
            if (kind == "constant") {
                ov.value = o.at("value").get<double>();
            } else if (kind == "step") {
                ov.kind = Override::Kind::Step;
                ov.at = o.at("at").get<double>();
                ov.value = o.at("value").get<double>();
            } else if (kind == "ramp") {
                ov.kind = Override::Kind::Ramp;
                ov.to = o.at("to").get<double>();
                ov.t0 = o.at("t0").get<double>();
                ov.t1 = o.at("t1").get<double>();
                if (!(ov.t1 > ov.t0))
                    return Error{"scenario " + d.name + ": ramp of " + ov.target + " needs t1 > t0"};
            } else if (kind == "series") {
                ov.kind = Override::Kind::Series;
                ov.times = o.at("times").get<std::vector<double>>();
                ov.values = o.at("values").get<std::vector<double>>();
                if (ov.times.empty() || ov.times.size() != ov.values.size() ||
                    !std::is_sorted(ov.times.begin(), ov.times.end()))
                    return Error{"scenario " + d.name + ": series of " + ov.target +
                                 " needs ascending times and as many values"};
            } else {
                return Error{"scenario " + d.name + ": unknown override kind '" + kind + "'"};
            }
            d.overrides.push_back(std::move(ov));
        }
        for (const auto &k : j.value("kpis", json::array()))
            d.kpis.push_back({k.at("name").get<std::string>(), k.at("expression").get<std::string>(),
                              k.value("unit", std::string())});
        return d;
    } catch (const json::exception &e) {
        return Error{std::string("scenario JSON: ") + e.what()};
    }
}

Result<Override> parseOverride(const std::string &text)
{
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        return Error{"override '" + text + "': expected name=value"};
    Override o;
    o.target = trim(text.substr(0, eq));
    std::string rhs = trim(text.substr(eq + 1));
    const auto open = rhs.find('(');
    if (open != std::string::npos && rhs.back() == ')') {
        const std::string fn = trim(rhs.substr(0, open));
        std::vector<double> args;
        std::string inner = rhs.substr(open + 1, rhs.size() - open - 2);
        for (std::size_t pos = 0; pos <= inner.size();) {
            const auto comma = std::min(inner.find(',', pos), inner.size());
            double v = 0;
            if (!number(trim(inner.substr(pos, comma - pos)), v))
                return Error{"override '" + text + "': arguments must be numbers"};
            args.push_back(v);
            pos = comma + 1;
        }
        if (fn == "step" && args.size() == 2) {
            o.kind = Override::Kind::Step;
            o.at = args[0];
            o.value = args[1];
        } else if (fn == "ramp" && args.size() == 4) {
            o.kind = Override::Kind::Ramp;
            o.from = args[0];
            o.to = args[1];
            o.t0 = args[2];
            o.t1 = args[3];
            if (!(o.t1 > o.t0))
                return Error{"override '" + text + "': ramp needs t1 > t0"};
        } else {
            return Error{"override '" + text + "': expected step(at,value) or ramp(from,to,t0,t1)"};
        }
        return o;
    }
    const auto space = rhs.find(' ');
    if (space != std::string::npos) {
        o.unit = trim(rhs.substr(space + 1));
        rhs = rhs.substr(0, space);
    }
    if (!number(rhs, o.value))
        return Error{"override '" + text + "': '" + rhs + "' is not a number"};
    return o;
}

void setScenario(Project &project, const ScenarioDefinition &d)
{
    json j = json::object();
    if (auto it = project.meta.find(kPrefix + d.name); it != project.meta.end())
        j = json::parse(it->second, nullptr, false);
    if (!j.is_object())
        j = json::object();
    j["definition"] = json::parse(scenarioToJson(d));
    project.meta[kPrefix + d.name] = j.dump();
}

std::optional<ScenarioDefinition> findScenario(const Project &project, const std::string &name)
{
    const auto it = project.meta.find(kPrefix + name);
    if (it == project.meta.end())
        return std::nullopt;
    const json j = json::parse(it->second, nullptr, false);
    if (!j.is_object() || !j.contains("definition"))
        return std::nullopt;
    auto d = scenarioFromJson(j["definition"].dump());
    if (!d)
        return std::nullopt;
    return d.value();
}

std::vector<std::string> scenarioNames(const Project &project)
{
    std::vector<std::string> out;
    for (auto it = project.meta.lower_bound(kPrefix);
         it != project.meta.end() && it->first.starts_with(kPrefix); ++it)
        out.push_back(it->first.substr(kPrefix.size()));
    return out;
}

void removeScenario(Project &project, const std::string &name)
{
    project.meta.erase(kPrefix + name);
}

std::string scenarioRunRecord(const Project &project, const std::string &name)
{
    const auto it = project.meta.find(kPrefix + name);
    if (it == project.meta.end())
        return {};
    const json j = json::parse(it->second, nullptr, false);
    return j.is_object() && j.contains("lastRun") ? j["lastRun"].dump() : std::string();
}

void setScenarioRunRecord(Project &project, const std::string &name, const std::string &recordJson)
{
    json j = json::parse(project.meta[kPrefix + name], nullptr, false);
    if (!j.is_object())
        j = json::object();
    j["lastRun"] = json::parse(recordJson, nullptr, false);
    project.meta[kPrefix + name] = j.dump();
}

std::string scenarioSignalName(const std::string &scenario, const std::string &telemetry)
{
    return kPrefix + scenario + "/" + telemetry;
}

AssetId findAssetByPath(const Project &project, const std::string &path)
{
    for (AssetId id : project.graph.allIds())
        if (project.graph.path(id) == path)
            return id;
    for (AssetId id : project.graph.allIds()) // a unique asset name works too
        if (project.graph.find(id)->name == path)
            return id;
    return kNoAsset;
}

} // namespace twin::model::scenario
