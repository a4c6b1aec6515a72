#include "twin/model/forecast/Forecast.h"

#include "twin/model/calibration/Evidence.h"
#include "twin/model/project/Project.h"
#include "twin/model/scenario/Sweep.h"
#include "twin/model/state/RuleEditing.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/util/Quantile.h"

#include <Eigen/Cholesky>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <regex>

namespace twin::model::forecast {

namespace {

using nlohmann::json;

// Parameter draws from the newest approved calibration record: correlated normals around the fitted values
// (Cholesky of the covariance), clamped to the bounds. Empty variants (one plain run) when there is none.
std::vector<scenario::Variant> parameterDraws(const Project &project, const ForecastRequest &request,
                                              std::string &source)
{
    const auto keys = calibration::evidenceKeys(project, request.asset);
    for (auto key = keys.rbegin(); key != keys.rend(); ++key) {
        const std::string &text = project.meta.at(*key);
        if (calibration::summarizeEvidence(text).decision != "approved")
            continue;
        const json record = json::parse(text, nullptr, false);
        const json result = record.value("result", json::object());
        const json order = result.value("parameterOrder", json::array());
        const json cov = result.value("covariance", json::array());
        const std::size_t p = order.size();
        const auto size = Eigen::Index(p);
        Eigen::VectorXd mean = Eigen::VectorXd::Zero(size), lo = mean, hi = mean;
        Eigen::MatrixXd c = Eigen::MatrixXd::Zero(size, size);
        bool usable = p > 0 && cov.size() == p;
        for (std::size_t i = 0; usable && i < p; ++i) {
            const json &e = result["parameters"][order[i].get<std::string>()];
            mean(Eigen::Index(i)) = e.value("value", 0.0);
            lo(Eigen::Index(i)) = e.value("lower", -HUGE_VAL);
            hi(Eigen::Index(i)) = e.value("upper", HUGE_VAL);
            for (std::size_t j = 0; j < p; ++j) {
                const json &v = cov[i].size() == p ? cov[i][j] : json();
                usable = usable && v.is_number();
                c(Eigen::Index(i), Eigen::Index(j)) = usable ? v.get<double>() : 0;
            }
        }
        Eigen::LLT<Eigen::MatrixXd> llt(c);
        if (!usable || llt.info() != Eigen::Success) {
            source = *key + " has no usable covariance: the fitted values without spread";
            scenario::Variant fixed;
            for (std::size_t i = 0; usable && i < p; ++i)
                fixed.emplace_back(order[i].get<std::string>(), mean(Eigen::Index(i)));
            return std::vector<scenario::Variant>(request.runs, fixed);
        }
        const Eigen::MatrixXd l = llt.matrixL();
        std::mt19937_64 random(request.seed);
        std::normal_distribution<double> normal;
        std::vector<scenario::Variant> variants;
        for (std::size_t r = 0; r < request.runs; ++r) {
            Eigen::VectorXd z = Eigen::VectorXd::Zero(size);
            for (Eigen::Index i = 0; i < size; ++i)
                z(i) = normal(random);
            const Eigen::VectorXd x = (mean + l * z).cwiseMax(lo).cwiseMin(hi);
            scenario::Variant v;
            for (std::size_t i = 0; i < p; ++i)
                v.emplace_back(order[i].get<std::string>(), x(Eigen::Index(i)));
            variants.push_back(std::move(v));
        }
        source = *key + " (approved): ";
        for (std::size_t i = 0; i < p; ++i)
            source += (i ? ", " : "") + order[i].get<std::string>();
        return variants;
    }
    source = "no approved calibration: the model as bound, without parameter spread";
    return std::vector<scenario::Variant>(request.runs);
}

// Alarms of the asset's rules of the form "<telemetry> > <number>" or "<telemetry> < <number>".
std::vector<TimeToThreshold> thresholdsOf(const Project &project, AssetId asset)
{
    std::vector<TimeToThreshold> out;
    const Asset *a = project.graph.find(asset);
    if (!a)
        return out;
    const auto rules = effectiveRuleSet(project, a->typeId);
    if (!rules)
        return out;
    static const std::regex simple(
        R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*([<>])=?\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*$)");
    for (const AlarmRule &rule : rules->rules.alarms) {
        std::smatch m;
        if (std::regex_match(rule.condition, m, simple)) {
            TimeToThreshold t;
            t.alarm = rule.name;
            t.telemetry = m[1];
            t.above = m[2] == ">";
            t.limit = std::stod(m[3]);
            out.push_back(t);
        }
    }
    return out;
}

} // namespace

Result<Forecast> forecastAsset(const Project &project, const ForecastRequest &request)
{
    const AssetId asset = scenario::findAssetByPath(project, request.asset);
    if (asset == kNoAsset)
        return Error{"no asset '" + request.asset + "'"};
    if (!(request.horizonSeconds > 0) || request.runs == 0)
        return Error{"the horizon and the number of runs must be above 0"};
    Forecast out;
    // Start: the newest sample of the asset's own telemetry (or the time given).
    TimeNs newest = 0;
    if (project.history)
        for (const auto &info : project.history->allSignals())
            if (AssetId(info.key.asset) == asset && isPlantSignal(info.key.telemetry))
                if (auto id = project.history->findSignal(info.key))
                    newest = std::max(newest, project.history->stats(*id).last);
    out.start = request.at ? *request.at : newest;
    if (out.start == 0)
        return Error{"'" + request.asset + "' has no telemetry to start a forecast from"};

    scenario::ScenarioDefinition definition;
    definition.name = "forecast";
    definition.targets = {request.asset};
    definition.startAt = out.start;
    definition.horizon = request.horizonSeconds;
    definition.step = std::max(1.0, request.horizonSeconds / 600);
    if (!request.scenario.empty()) {
        const auto assumed = scenario::findScenario(project, request.scenario);
        if (!assumed)
            return Error{"no scenario '" + request.scenario + "' to take the inputs from"};
        definition.overrides = assumed->overrides;
    }
    auto base =
        scenario::planScenario(project, definition, request.asset, request.pluginDir, request.projectDir);
    if (!base)
        return Error{base.error()};
    out.warnings = base->warnings;
    auto variants = parameterDraws(project, request, out.parameters);
    // A parameter the binding takes from the twin (an initial state such as a temperature) starts from the
    // twin's state at the start, not from the calibration window's.
    for (auto &v : variants)
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const auto &p) {
                                   const auto *b = base->binding.findModel(p.first);
                                   return b && b->direction == scenario::VariableBinding::Direction::In;
                               }),
                v.end());
    auto plans = scenario::variantPlans(*base, variants, false);
    if (!plans)
        return Error{plans.error()};
    scenario::ExecutorOptions options;
    options.pluginDir = request.pluginDir;
    options.projectDir = request.projectDir;
    if (!request.workerPath.empty())
        options.workerPath = request.workerPath;
    scenario::ScenarioExecutor executor(options);
    const auto results = executor.runMany(*plans, std::max(1, request.workers));
    std::vector<const scenario::ScenarioRunResult *> good;
    for (const auto &r : results)
        (r.hasResult() && !r.series.time.empty() ? good.push_back(&r) : void(++out.failed));
    out.runs = results.size();
    if (good.empty())
        return Error{"every forecast run failed: " + results.front().message};
    out.times = good.front()->series.time;
    const std::size_t n = out.times.size();
    for (const auto &map : base->outputs) {
        Band band;
        band.name = map.telemetry;
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<double> at;
            for (const auto *r : good)
                if (const auto *column = r->series.find(map.column); column && i < column->size())
                    at.push_back((*column)[i]);
            band.p05.push_back(quantile(at, 0.05));
            band.p50.push_back(quantile(at, 0.5));
            band.p95.push_back(quantile(at, 0.95));
        }
        out.bands.push_back(std::move(band));
    }
    for (TimeToThreshold t : thresholdsOf(project, asset)) {
        const auto map =
            std::find_if(base->outputs.begin(), base->outputs.end(),
                         [&](const scenario::OutputMap &m) { return m.telemetry == t.telemetry; });
        if (map == base->outputs.end())
            continue; // the model does not forecast that telemetry
        std::vector<double> when;
        for (const auto *r : good)
            if (const auto *column = r->series.find(map->column))
                for (std::size_t i = 0; i < column->size() && i < r->series.time.size(); ++i)
                    if (t.above ? (*column)[i] > t.limit : (*column)[i] < t.limit) {
                        when.push_back(r->series.time[i]);
                        break;
                    }
        t.crossed = when.size();
        t.p05 = quantile(when, 0.05);
        t.p50 = quantile(when, 0.5);
        t.p95 = quantile(when, 0.95);
        out.thresholds.push_back(t);
    }
    // Skill where the history covers the horizon: the median forecast and persistence against what happened.
    if (project.history)
        for (std::size_t b = 0; b < out.bands.size(); ++b) {
            const auto id = project.history->findSignal({asset, out.bands[b].name});
            if (!id)
                continue;
            const TimeNs end = out.start + TimeNs(std::llround(out.times.back() * 1e9));
            const auto actual = project.history->range(*id, out.start - 3600 * kNsPerSecond, end + 1);
            const auto startIt = std::upper_bound(actual.begin(), actual.end(), out.start,
                                                  [](TimeNs t, const Sample &s) { return t < s.sourceTime; });
            if (startIt == actual.begin() || actual.empty() || actual.back().sourceTime < end)
                continue; // no data before the start, or the history does not reach the horizon
            const double held = std::prev(startIt)->value;
            Skill skill;
            skill.name = out.bands[b].name;
            double sf = 0, sp = 0;
            auto it = startIt;
            for (std::size_t i = 1; i < n; ++i) {
                const TimeNs t = out.start + TimeNs(std::llround(out.times[i] * 1e9));
                while (it != actual.end() && it->sourceTime < t)
                    ++it;
                if (it == actual.end() || it->sourceTime != t || !std::isfinite(it->value))
                    continue;
                sf += std::pow(out.bands[b].p50[i] - it->value, 2);
                sp += std::pow(held - it->value, 2);
                ++skill.points;
            }
            if (skill.points == 0)
                continue;
            skill.rmseForecast = std::sqrt(sf / double(skill.points));
            skill.rmsePersistence = std::sqrt(sp / double(skill.points));
            skill.lift = skill.rmsePersistence > 0 ? 1 - skill.rmseForecast / skill.rmsePersistence : 0;
            out.skill.push_back(skill);
        }
    return out;
}

} // namespace twin::model::forecast
