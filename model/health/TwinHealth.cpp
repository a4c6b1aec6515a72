#include "twin/model/health/TwinHealth.h"

#include "twin/formats/TimeText.h"
#include "twin/model/calibration/Acceptance.h"
#include "twin/model/calibration/CalibrationStatus.h"
#include "twin/model/calibration/FitMetrics.h"
#include "twin/model/calibration/ProjectCalibration.h"
#include "twin/model/detect/DetectorDefinition.h"
#include "twin/model/project/Project.h"
#include "twin/model/scenario/Binding.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/scenario/ScenarioUnits.h"
#include "twin/model/state/RuleEditing.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/util/Quantile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

namespace twin::model::health {

namespace {

constexpr std::size_t kRecent = 1000;

std::string seconds(double s)
{
    char text[32];
    if (s < 120)
        std::snprintf(text, sizeof text, "%.0f s", s);
    else if (s < 7200)
        std::snprintf(text, sizeof text, "%.0f min", s / 60);
    else
        std::snprintf(text, sizeof text, "%.1f h", s / 3600);
    return text;
}

SignalHealth signalHealth(const TimeSeriesStore &store, SignalId id, const std::string &telemetry, TimeNs now)
{
    SignalHealth h;
    h.telemetry = telemetry;
    const SignalStats stats = store.stats(id);
    h.samples = stats.count;
    h.last = stats.last;
    // The newest samples: widen the window back from the last until it holds enough.
    std::vector<Sample> recent;
    for (TimeNs span = 60 * kNsPerSecond; span > 0 && span < std::numeric_limits<TimeNs>::max() / 4;
         span *= 8) {
        recent = store.range(id, stats.last - span, stats.last + 1);
        if (recent.size() >= kRecent || stats.last - span <= stats.first)
            break;
    }
    if (recent.size() > kRecent)
        recent.erase(recent.begin(), recent.end() - std::ptrdiff_t(kRecent));
    h.recent = recent.size();
    std::vector<double> gaps, lags;
    for (std::size_t i = 0; i < recent.size(); ++i) {
        if (i > 0 && recent[i].sourceTime > recent[i - 1].sourceTime)
            gaps.push_back(double(recent[i].sourceTime - recent[i - 1].sourceTime) / 1e9);
        if (recent[i].ingestTime > 0)
            lags.push_back(double(recent[i].ingestTime - recent[i].sourceTime) / 1e9);
        h.bad += (recent[i].quality & calibration::kExcludedQuality) || !std::isfinite(recent[i].value);
    }
    h.periodSeconds = gaps.empty() ? 0 : quantile(gaps, 0.5);
    h.lagP95Seconds = lags.empty() ? 0 : quantile(lags, 0.95);
    h.ageSeconds = double(now - h.last) / 1e9;
    h.stale = h.samples > 0 && h.ageSeconds > std::max(10 * h.periodSeconds, 60.0);
    return h;
}

// The model against the plant over [from, to] from a shadow simulation's signals of one telemetry: observed =
// simulated + residual at each residual sample. The line for AssetHealth::model, and whether a stored
// acceptance criterion for that telemetry fails there (with the reason).
struct ModelCheck
{
    std::string line, failure;
};

ModelCheck checkModel(const Project &project, const std::string &assetPath, AssetId asset,
                      const std::string &base, TimeNs from, TimeNs to)
{
    ModelCheck out;
    const TimeSeriesStore &store = *project.history;
    const auto residualId = store.findSignal({asset, base + "_residual"});
    const auto shadowId = store.findSignal({asset, base + "_shadow"});
    if (!residualId || !shadowId)
        return out;
    const std::vector<Sample> residual = store.range(*residualId, from, to + 1);
    const std::vector<Sample> simulatedSamples = store.range(*shadowId, from, to + 1);
    calibration::FitOutput observed;
    std::vector<double> simulated;
    for (std::size_t i = 0, j = 0; i < residual.size(); ++i) {
        while (j < simulatedSamples.size() && simulatedSamples[j].sourceTime < residual[i].sourceTime)
            ++j;
        if (j == simulatedSamples.size() || simulatedSamples[j].sourceTime != residual[i].sourceTime)
            continue;
        observed.time.push_back(double(residual[i].sourceTime - from) / 1e9);
        observed.observed.push_back(simulatedSamples[j].value + residual[i].value);
        simulated.push_back(simulatedSamples[j].value);
    }
    if (simulated.empty())
        return out;
    const calibration::FitMetrics shown =
        calibration::computeMetrics(observed, simulated, calibration::Use::Fit);
    char text[160];
    std::snprintf(text, sizeof text, "%s: residual RMSE %.3g, bias %+.3g over %zu samples", base.c_str(),
                  shown.rmse, -shown.bias, shown.n);
    out.line = text;
    // Judged only where the asset's calibration fits this telemetry (an Out binding of its own model, and one
    // of the definition's outputs when it names them), in the model's unit as its criteria are.
    const auto definition = calibration::definitionForAsset(project, assetPath);
    const auto binding = scenario::bindingForAsset(project, asset);
    const scenario::VariableBinding *bound = nullptr;
    if (binding)
        for (const auto &v : binding->variables)
            if (v.direction == scenario::VariableBinding::Direction::Out && v.twin == base)
                bound = &v;
    if (!definition || !bound ||
        (!definition->outputs.empty() &&
         std::none_of(definition->outputs.begin(), definition->outputs.end(),
                      [&](const calibration::OutputSpec &o) { return o.twin == base; })))
        return out;
    const std::string twinUnit = store.signalInfo(*residualId) ? store.signalInfo(*residualId)->unit : "";
    if (!twinUnit.empty() && !bound->modelUnit.empty())
        if (const auto toModel = scenario::unitConversion(twinUnit, bound->modelUnit); toModel.ok()) {
            for (double &v : observed.observed)
                v = toModel->apply(v);
            for (double &v : simulated)
                v = toModel->apply(v);
        }
    const calibration::FitMetrics m = calibration::computeMetrics(observed, simulated, calibration::Use::Fit);
    std::string failed; // every failing criterion
    for (const auto &criterion : definition->acceptance) {
        if (!criterion.output.empty() && criterion.output != base)
            continue;
        const double value = calibration::metricValue(m, criterion.metric);
        if (!std::isfinite(value)) // coverage needs a band, which residuals do not have
            continue;
        const bool holds = criterion.op == "<="   ? value <= criterion.value
                           : criterion.op == "<"  ? value < criterion.value
                           : criterion.op == ">=" ? value >= criterion.value
                           : criterion.op == ">"  ? value > criterion.value
                                                  : false;
        if (!holds) {
            std::snprintf(text, sizeof text, "%s %.3g where %s %s %.3g", criterion.metric.c_str(), value,
                          criterion.metric.c_str(), criterion.op.c_str(), criterion.value);
            failed += (failed.empty() ? "" : "; ") + std::string(text);
        }
    }
    if (!failed.empty())
        out.failure = base + " no longer within its calibration's acceptance on recent data (" + failed + ")";
    return out;
}

} // namespace

const char *levelName(HealthLevel level)
{
    switch (level) {
    case HealthLevel::Ok:
        return "ok";
    case HealthLevel::Unknown:
        return "unknown";
    case HealthLevel::Warning:
        return "warning";
    case HealthLevel::Bad:
        return "bad";
    }
    return "?";
}

TwinHealth twinHealth(const Project &project, const HealthOptions &options)
{
    TwinHealth out;
    const std::vector<AssetId> ids = project.graph.allIds();
    std::map<AssetId, std::size_t> index;
    for (AssetId id : ids) {
        index[id] = out.assets.size();
        AssetHealth a;
        a.id = id;
        a.path = project.graph.path(id);
        out.assets.push_back(a);
    }
    // Signals (scenario results, "scenario:<name>/...", are the what-ifs' output, not the plant's data;
    // shadow simulations' residuals judge the model, per asset the telemetry they are of).
    std::vector<std::pair<SignalId, SignalKey>> plant;
    std::map<AssetId, std::vector<std::string>> residuals;
    if (project.history) {
        const auto all = project.history->allSignals();
        for (const auto &info : all)
            if (const std::string base = shadowSignalBase(info.key.telemetry);
                !base.empty() && info.key.telemetry == base + "_residual")
                residuals[AssetId(info.key.asset)].push_back(base);
        for (SignalId id = 0; id < all.size(); ++id)
            if (isPlantSignal(all[id].key.telemetry) && index.count(AssetId(all[id].key.asset))) {
                plant.emplace_back(id, all[id].key);
                out.now = std::max(out.now, project.history->stats(id).last);
            }
    }
    if (options.now)
        out.now = options.now;
    for (const auto &[id, key] : plant) {
        AssetHealth &a = out.assets[index[AssetId(key.asset)]];
        SignalHealth s = signalHealth(*project.history, id, key.telemetry, out.now);
        if (s.samples > 0)
            a.telemetry.push_back(std::move(s));
    }
    const auto calibration = calibration::calibrationStatus(project);
    std::map<AssetId, std::string> newestRun; // ISO times compare as text
    for (const std::string &name : scenario::scenarioNames(project)) {
        const auto record = nlohmann::json::parse(scenario::scenarioRunRecord(project, name), nullptr, false);
        if (!record.is_object())
            continue;
        const AssetId target = scenario::findAssetByPath(project, record.value("target", ""));
        if (!index.count(target))
            continue;
        AssetHealth &a = out.assets[index[target]];
        const std::string outcome = record.value("outcome", "");
        const std::string ranAt = record.value("ranAt", "");
        if (a.lastRun.empty() || ranAt > newestRun[target]) {
            newestRun[target] = ranAt;
            a.lastRun = name + " at " + ranAt + ": " + outcome;
        }
        if (outcome != "completed") {
            ++a.failedRuns;
            a.reasons.push_back(
                "scenario '" + name + "' last run " + outcome +
                (record.value("message", "").empty() ? "" : ": " + record.value("message", "")));
        }
    }
    for (AssetHealth &a : out.assets) {
        bool anything = !a.telemetry.empty() || a.failedRuns > 0 || !a.lastRun.empty();
        HealthLevel level = HealthLevel::Ok;
        auto worse = [&level](HealthLevel l) { level = std::max(level, l); };
        for (const SignalHealth &s : a.telemetry) {
            if (s.stale) {
                worse(HealthLevel::Bad);
                a.reasons.push_back(s.telemetry + ": no data for " + seconds(s.ageSeconds) +
                                    " (usually every " + seconds(s.periodSeconds) + ")");
            }
            if (s.recent && double(s.bad) > options.badShareWarning * double(s.recent)) {
                worse(HealthLevel::Warning);
                char share[32];
                std::snprintf(share, sizeof share, "%.1f %%", 100.0 * double(s.bad) / double(s.recent));
                a.reasons.push_back(s.telemetry + ": " + share + " of its recent samples flagged bad");
            }
        }
        if (a.failedRuns > 0)
            worse(HealthLevel::Warning);
        if (auto c = calibration.find(a.id); c != calibration.end() && c->second.own) {
            anything = true;
            a.calibration = c->second.text;
            if (c->second.level == calibration::CalibrationLevel::Failed) {
                worse(HealthLevel::Warning);
                a.reasons.push_back("calibration: " + c->second.text);
            }
        }
        if (const auto detector = detect::detectorForAsset(project, a.path); detector && project.history) {
            anything = true;
            detect::AssetDetectRequest request = detect::requestFrom(*detector, a.path);
            request.to = out.now;
            request.from = std::max(detector->trainTo + kNsPerSecond,
                                    out.now - TimeNs(options.driftWindowSeconds * 1e9));
            const auto found = request.from < request.to
                                   ? detect::detectAsset(project, request)
                                   : Result<detect::AssetDetection>{Error{"trained up to the newest data"}};
            if (!found) {
                worse(HealthLevel::Warning);
                a.drift = "detector: " + found.error();
                a.reasons.push_back(a.drift);
            } else if (!found->episodes.empty() && found->episodes.back().cleared == 0) {
                worse(HealthLevel::Warning);
                const auto &e = found->episodes.back();
                a.drift = "alarm since " + isoUtc(e.raised) + ", led by " + e.first;
                a.reasons.push_back("drift: " + a.drift);
            } else {
                a.drift = "no alarm since " + isoUtc(request.from);
            }
        }
        for (const std::string &base : residuals[a.id]) {
            const ModelCheck check = checkModel(project, a.path, a.id, base,
                                                out.now - TimeNs(options.modelWindowSeconds * 1e9), out.now);
            if (check.line.empty())
                continue;
            anything = true;
            a.model += (a.model.empty() ? "" : "; ") + check.line;
            if (!check.failure.empty()) {
                worse(HealthLevel::Warning);
                a.reasons.push_back("model: " + check.failure);
            }
        }
        a.own = anything ? level : HealthLevel::Unknown;
        a.level = a.own;
    }
    // Roll up: children come after their parents in depth-first order, so go backwards.
    for (auto it = out.assets.rbegin(); it != out.assets.rend(); ++it) {
        AssetHealth &a = *it;
        a.ok += a.own == HealthLevel::Ok;
        a.warning += a.own == HealthLevel::Warning;
        a.bad += a.own == HealthLevel::Bad;
        const Asset *asset = project.graph.find(a.id);
        if (!asset || asset->parent == kNoAsset || !index.count(asset->parent))
            continue;
        AssetHealth &parent = out.assets[index[asset->parent]];
        parent.ok += a.ok;
        parent.warning += a.warning;
        parent.bad += a.bad;
        if (a.level != HealthLevel::Unknown)
            parent.level = parent.level == HealthLevel::Unknown ? a.level : std::max(parent.level, a.level);
    }
    return out;
}

std::string healthJson(const TwinHealth &health)
{
    using nlohmann::json;
    json assets = json::array();
    for (const AssetHealth &a : health.assets) {
        json signals = json::array();
        for (const SignalHealth &s : a.telemetry)
            signals.push_back({{"telemetry", s.telemetry},
                               {"samples", s.samples},
                               {"last", s.last ? isoUtc(s.last) : std::string()},
                               {"ageSeconds", s.ageSeconds},
                               {"periodSeconds", s.periodSeconds},
                               {"lagP95Seconds", s.lagP95Seconds},
                               {"badRecent", s.bad},
                               {"recent", s.recent},
                               {"stale", s.stale}});
        assets.push_back({{"path", a.path},
                          {"level", levelName(a.level)},
                          {"own", levelName(a.own)},
                          {"reasons", a.reasons},
                          {"counts", {{"ok", a.ok}, {"warning", a.warning}, {"bad", a.bad}}},
                          {"calibration", a.calibration},
                          {"lastRun", a.lastRun},
                          {"failedRuns", a.failedRuns},
                          {"drift", a.drift.empty() ? std::string("not configured") : a.drift},
                          {"model", a.model},
                          {"signals", signals}});
    }
    return json{{"now", health.now ? isoUtc(health.now) : std::string()}, {"assets", assets}}.dump();
}

} // namespace twin::model::health
