#include "twin/model/scenario/ScenarioStates.h"

#include "twin/model/scenario/Scenario.h"
#include "twin/model/state/RuleSet.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace twin::model::scenario {

namespace {

const std::string kScenarioPrefix = "scenario:";

struct Input
{
    TimeNs time;
    AssetId asset;
    std::size_t telemetry; // index into the name table
    double value;
};

} // namespace

std::unordered_map<AssetId, std::string> ScenarioStateTrack::statesAt(TimeNs t) const
{
    std::unordered_map<AssetId, std::string> states = initial;
    for (const StateChange &c : changes) {
        if (c.time > t)
            break;
        states[c.asset] = c.to;
    }
    return states;
}

std::string ScenarioStateTrack::stateAt(AssetId asset, TimeNs t) const
{
    const auto it = initial.find(asset);
    if (it == initial.end())
        return {};
    std::string state = it->second;
    for (const StateChange &c : changes) {
        if (c.time > t)
            break;
        if (c.asset == asset)
            state = c.to;
    }
    return state;
}

std::vector<std::string> scenarioRunsInStore(const Project &project)
{
    std::set<std::string> runs;
    if (!project.history)
        return {};
    for (const SignalInfo &info : project.history->allSignals()) {
        const std::string &name = info.key.telemetry;
        if (name.rfind(kScenarioPrefix, 0) != 0)
            continue;
        const auto slash = name.find('/', kScenarioPrefix.size());
        if (slash == std::string::npos || slash == kScenarioPrefix.size())
            continue;
        const auto id = project.history->findSignal(info.key);
        if (id && project.history->stats(*id).count > 0)
            runs.insert(name.substr(kScenarioPrefix.size(), slash - kScenarioPrefix.size()));
    }
    return {runs.begin(), runs.end()};
}

std::string latestScenarioRun(const Project &project, const std::string &name)
{
    const std::string record = scenarioRunRecord(project, name);
    if (!record.empty()) {
        const auto j = nlohmann::json::parse(record, nullptr, false);
        if (j.is_object() && j.contains("signalPrefix") && j["signalPrefix"].is_string()) {
            std::string prefix = j["signalPrefix"].get<std::string>();
            if (prefix.rfind(kScenarioPrefix, 0) == 0 && prefix.size() > kScenarioPrefix.size() + 1 &&
                prefix.back() == '/')
                return prefix.substr(kScenarioPrefix.size(), prefix.size() - kScenarioPrefix.size() - 1);
        }
    }
    return name;
}

std::string scenarioOfRun(const std::string &run)
{
    const auto at = run.rfind('@');
    if (at == std::string::npos || at + 1 == run.size())
        return run;
    const bool digits =
        std::all_of(run.begin() + long(at) + 1, run.end(), [](char c) { return c >= '0' && c <= '9'; });
    return digits ? run.substr(0, at) : run;
}

Result<ScenarioStateTrack> deriveScenarioStates(const Project &project, const std::string &run,
                                                const ScenarioStatesOptions &options)
{
    if (!project.history)
        return Error{"scenario " + run + ": the project has no history"};
    const TimeSeriesStore &store = *project.history;
    ScenarioStateTrack track;
    track.run = run;
    track.signalPrefix = kScenarioPrefix + run + "/";

    // The run's series and its time range.
    std::vector<std::string> names; // telemetry name table
    auto nameIndex = [&names](const std::string &name) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it != names.end())
            return std::size_t(it - names.begin());
        names.push_back(name);
        return names.size() - 1;
    };
    struct Source
    {
        SignalId id;
        AssetId asset;
        std::size_t telemetry;
    };
    std::vector<Source> results, observed;
    track.begin = std::numeric_limits<TimeNs>::max();
    track.end = std::numeric_limits<TimeNs>::min();
    std::set<AssetId> resultAssets;
    const std::vector<SignalInfo> all = store.allSignals();
    for (SignalId id = 0; id < all.size(); ++id) {
        const SignalKey &key = all[id].key;
        if (key.telemetry.rfind(track.signalPrefix, 0) == 0) {
            const SignalStats stats = store.stats(id);
            if (stats.count == 0)
                continue;
            track.begin = std::min(track.begin, stats.first);
            track.end = std::max(track.end, stats.last);
            results.push_back({id, key.asset, nameIndex(key.telemetry.substr(track.signalPrefix.size()))});
            resultAssets.insert(key.asset);
        } else if (key.telemetry.rfind(kScenarioPrefix, 0) != 0) {
            observed.push_back({id, key.asset, nameIndex(key.telemetry)});
        }
    }
    if (results.empty())
        return Error{"scenario " + run + ": no result series in the history (" + track.signalPrefix + "*)"};
    track.resultAssets.assign(resultAssets.begin(), resultAssets.end());

    std::vector<std::string> ruleErrors;
    const std::vector<RuleSet> rules = projectRuleSets(project, &ruleErrors);
    auto engine = StateEngine::create(project, rules);
    if (!engine)
        return Error{"scenario " + run + ": " + engine.error()};
    StateEngine &e = **engine;
    for (AssetId id : project.graph.allIds())
        if (e.hasRules(id))
            track.initial[id] = e.stateOf(id);

    // Observed history before the start (warm-up), then the run's series; one time-ordered input list.
    std::vector<Input> inputs;
    const TimeNs warmFrom = track.begin - std::max<TimeNs>(0, options.warmup);
    for (const Source &s : observed) {
        if (!e.hasRules(s.asset))
            continue;
        for (const Sample &sample : store.range(s.id, warmFrom, track.begin))
            inputs.push_back({sample.sourceTime, s.asset, s.telemetry, sample.value});
    }
    for (const Source &s : results) {
        if (!e.hasRules(s.asset))
            continue;
        for (const Sample &sample : store.range(s.id, track.begin, track.end + 1))
            inputs.push_back({sample.sourceTime, s.asset, s.telemetry, sample.value});
    }
    std::stable_sort(inputs.begin(), inputs.end(),
                     [](const Input &a, const Input &b) { return a.time < b.time; });

    // Minimum durations need time to pass for every asset: advance at most once per second of data.
    TimeNs advanced = std::numeric_limits<TimeNs>::min();
    for (const Input &in : inputs) {
        if (advanced == std::numeric_limits<TimeNs>::min() || in.time >= advanced + kNsPerSecond) {
            e.advance(in.time);
            advanced = in.time;
        }
        if (!std::isnan(in.value))
            e.setInput(in.asset, names[in.telemetry], in.time, in.value);
    }
    e.advance(track.end);
    track.changes = e.changes();
    std::stable_sort(track.changes.begin(), track.changes.end(),
                     [](const StateChange &a, const StateChange &b) { return a.time < b.time; });
    return track;
}

std::vector<KpiValue> scenarioRunKpis(const Project &project, const std::string &run)
{
    const std::string name = scenarioOfRun(run);
    const auto definition = findScenario(project, name);
    auto unitOf = [&definition](const std::string &kpi) {
        if (definition)
            for (const Kpi &k : definition->kpis)
                if (k.name == kpi)
                    return k.unit;
        return std::string();
    };
    std::vector<KpiValue> out;
    if (latestScenarioRun(project, name) == run) {
        const auto record = nlohmann::json::parse(scenarioRunRecord(project, name), nullptr, false);
        if (record.is_object() && record.contains("kpis") && record["kpis"].is_object()) {
            for (const auto &[kpi, value] : record["kpis"].items()) {
                KpiValue v{kpi, 0, unitOf(kpi), {}};
                if (value.is_number())
                    v.value = value.get<double>();
                else
                    v.error = value.is_string() ? value.get<std::string>() : value.dump();
                out.push_back(v);
            }
            if (!out.empty())
                return out;
        }
    }
    if (!definition || definition->targets.empty() || definition->kpis.empty() || !project.history)
        return out;
    const AssetId target = findAssetByPath(project, definition->targets.front());
    const std::string prefix = kScenarioPrefix + run + "/";
    ScenarioSeries series;
    const std::vector<SignalInfo> all = project.history->allSignals();
    for (SignalId id = 0; id < all.size(); ++id) {
        if (all[id].key.asset != target || all[id].key.telemetry.rfind(prefix, 0) != 0)
            continue;
        const auto samples = project.history->range(id, std::numeric_limits<TimeNs>::min(),
                                                    std::numeric_limits<TimeNs>::max());
        if (samples.empty() || (!series.time.empty() && samples.size() != series.time.size()))
            continue;
        std::vector<double> values;
        for (const Sample &s : samples) {
            if (series.columns.empty())
                series.time.push_back(double(s.sourceTime - samples.front().sourceTime) /
                                      double(kNsPerSecond));
            values.push_back(s.value);
        }
        series.columns.emplace_back(all[id].key.telemetry.substr(prefix.size()), std::move(values));
    }
    if (series.columns.empty())
        return out;
    for (const Kpi &k : definition->kpis) {
        const auto value = evaluateKpi(series, k.expression);
        out.push_back({k.name, value.ok() ? value.value() : 0.0, k.unit, value.ok() ? "" : value.error()});
    }
    return out;
}

} // namespace twin::model::scenario
