#include "twin/model/calibration/Evidence.h"

#include "twin/model/calibration/CalibrationJson.h"
#include "twin/model/commands/MetaEntryCommand.h"
#include "twin/model/commands/UndoStack.h"
#include "twin/model/scenario/AssetParameters.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#ifndef TWIN_VERSION
#define TWIN_VERSION "unknown"
#endif

namespace twin::model::calibration {

using nlohmann::json;
namespace {
const std::string kPrefix = "calibration-evidence:";

// Six significant digits: enough for plots and the report, a third of the text of full precision.
json compact(double v)
{
    if (!std::isfinite(v))
        return json();
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return std::strtod(text, nullptr);
}

json seriesJson(const CalibrationPlan &plan, const CalibrationRun &run)
{
    const CalibrationResult &result = run.result;
    const PredictionBand *band = run.band ? &*run.band : nullptr;
    json series = json::object();
    for (std::size_t k = 0; k < plan.problem.outputs.size() && k < result.outputs.size(); ++k) {
        const FitOutput &o = plan.problem.outputs[k];
        const auto &to = plan.outputs[k].toTwin;
        json t = json::array(), obs = json::array(), sim = json::array();
        std::string use;
        for (std::size_t i = 0; i < o.time.size(); ++i) {
            t.push_back(compact(o.time[i]));
            obs.push_back(compact(to.apply(o.observed[i])));
            sim.push_back(compact(
                i < result.outputs[k].simulated.size() ? to.apply(result.outputs[k].simulated[i]) : NAN));
            use += o.useOf(i) == Use::Fit ? 'F' : o.useOf(i) == Use::Holdout ? 'H' : 'X';
        }
        json &entry = series[plan.outputs[k].column];
        entry = {{"model", o.variable},
                 {"unit", plan.outputs[k].twinUnit},
                 {"t", t},
                 {"observed", obs},
                 {"simulated", sim},
                 {"use", use}};
        if (band && k < band->outputs.size()) {
            json lo = json::array(), hi = json::array();
            for (std::size_t i = 0; i < o.time.size(); ++i) {
                // A negative unit factor (none today) would swap the bounds.
                const double a = to.apply(band->outputs[k].lower[i]), b = to.apply(band->outputs[k].upper[i]);
                lo.push_back(compact(std::min(a, b)));
                hi.push_back(compact(std::max(a, b)));
            }
            entry["lower"] = lo;
            entry["upper"] = hi;
            entry["bandSamples"] = band->samples;
        }
        if (k < run.initial.size()) {
            json initial = json::array();
            for (double v : run.initial[k].simulated)
                initial.push_back(compact(to.apply(v)));
            entry["initial"] = initial;
            entry["initialMetrics"] = {
                {"calibration", json::parse(fitMetricsJson(run.initial[k].calibration))},
                {"holdout", json::parse(fitMetricsJson(run.initial[k].holdout))}};
        }
    }
    return series;
}

// How each window's run started: the twin's state per segment (model names and values), or one run.
json initialStateJson(const CalibrationPlan &plan)
{
    if (plan.problem.segments.empty())
        return {{"mode", "one run from the first window's start"}};
    json segments = json::array();
    for (const Segment &s : plan.problem.segments) {
        json values = json::object(), fitted = json::array();
        for (const auto &[name, value] : s.parameters) {
            const bool free = std::any_of(plan.problem.parameters.begin(), plan.problem.parameters.end(),
                                          [&](const FreeParameter &p) { return p.name == name; });
            if (free && segments.empty())
                fitted.push_back(name); // the first window's free state is fitted (ModelEvaluator.h)
            else
                values[name] = value;
        }
        segments.push_back({{"start", isoUtc(plan.scenario.startAt + TimeNs(std::llround(s.start * 1e9)))},
                            {"state", values},
                            {"fitted", fitted}});
    }
    return {{"mode", "each window from the twin's state at its start (mean over +-30 s)"},
            {"segments", segments}};
}

json dataJson(const CalibrationPlan &plan)
{
    json outputs = json::object();
    for (const auto &[twin, c] : plan.counts)
        outputs[twin] = {{"fitted", c.fitted},
                         {"holdout", c.holdout},
                         {"badQuality", c.badQuality},
                         {"outside", c.outside}};
    const json definition = json::parse(definitionToJson(plan.definition));
    return {{"hash", plan.dataHash},
            {"start", isoUtc(plan.scenario.startAt)},
            {"windows", definition["windows"]},
            {"holdout", definition["holdout"]},
            {"initialState", initialStateJson(plan)},
            {"outputs", outputs},
            {"inputs", plan.inputs}};
}

json acceptanceJson(const AcceptanceOutcome &a)
{
    json criteria = json::array();
    for (const auto &c : a.criteria) {
        json j = {{"criterion", c.criterion.describe()},
                  {"metric", c.criterion.metric},
                  {"op", c.criterion.op},
                  {"limit", c.criterion.value},
                  {"on", c.criterion.holdout ? "holdout" : "calibration"},
                  {"output", c.output},
                  {"value", compact(c.value)},
                  {"passed", c.passed}};
        if (!c.note.empty())
            j["note"] = c.note;
        criteria.push_back(j);
    }
    return {{"defined", a.defined()}, {"passed", a.passed}, {"criteria", criteria}};
}

std::string assetOfKey(const std::string &key)
{
    const auto hash = key.rfind('#');
    return key.substr(kPrefix.size(), hash == std::string::npos ? std::string::npos : hash - kPrefix.size());
}
} // namespace

void applyChanges(Project &project, const std::vector<MetaChange> &changes)
{
    for (const auto &c : changes) {
        if (c.value)
            project.meta[c.key] = *c.value;
        else
            project.meta.erase(c.key);
    }
}

Status pushChanges(UndoStack &stack, Project &project, const std::vector<MetaChange> &changes,
                   const std::string &text, const std::vector<AssetId> &selection)
{
    stack.beginMacro(text);
    for (const auto &c : changes) {
        auto command = std::make_unique<MetaEntryCommand>(project, c.key, c.value, text, "empty key");
        command->selectionBefore = selection;
        command->selectionAfter = selection;
        if (Status s = stack.push(std::move(command)); !s) {
            (void)stack.endMacro();
            return s;
        }
    }
    return stack.endMacro();
}

const char *softwareVersion()
{
    return TWIN_VERSION;
}

std::string evidenceJson(const CalibrationPlan &plan, const CalibrationRun &run, TimeNs createdAt)
{
    const auto &b = plan.scenario.binding;
    const json record = {{"asset", plan.definition.asset},
                         {"createdAt", isoUtc(createdAt - createdAt % kNsPerSecond)},
                         {"definition", json::parse(definitionToJson(plan.definition))},
                         {"data", dataJson(plan)},
                         {"model",
                          {{"plugin", b.pluginId},
                           {"pluginVersion", plan.pluginVersion},
                           {"model", b.modelId},
                           {"modelVersion", plan.modelVersion},
                           {"config", b.config},
                           {"typeId", b.typeId}}},
                         {"software", {{"name", "Twinworks"}, {"version", softwareVersion()}}},
                         {"result", json::parse(resultJson(run.result))},
                         {"series", seriesJson(plan, run)},
                         {"acceptance", acceptanceJson(run.acceptance)},
                         {"warnings", plan.warnings},
                         {"trigger", plan.trigger},
                         {"band", run.band ? json(run.band->samples) : json(run.bandProblem)},
                         {"decision", {{"status", "pending"}}}};
    return record.dump();
}

namespace {
long recordNumber(const std::string &key)
{
    const auto hash = key.rfind('#');
    return hash == std::string::npos ? 0 : std::strtol(key.c_str() + hash + 1, nullptr, 10);
}
} // namespace

std::vector<std::string> evidenceKeys(const Project &project, const std::string &assetPath)
{
    const std::string prefix = kPrefix + assetPath + "#";
    std::vector<std::string> out;
    for (auto it = project.meta.lower_bound(prefix);
         it != project.meta.end() && it->first.rfind(prefix, 0) == 0; ++it)
        out.push_back(it->first);
    // By number, not by text: #10000 comes after #9999.
    std::stable_sort(out.begin(), out.end(), [](const std::string &a, const std::string &b) {
        return recordNumber(a) < recordNumber(b);
    });
    return out;
}

MetaChange newEvidence(const Project &project, const std::string &assetPath, const std::string &recordJson)
{
    const auto keys = evidenceKeys(project, assetPath);
    long next = 1;
    if (!keys.empty())
        next = recordNumber(keys.back()) + 1;
    char number[24];
    std::snprintf(number, sizeof number, "%04ld", next);
    return {kPrefix + assetPath + "#" + number, recordJson};
}

EvidenceSummary summarizeEvidence(const std::string &recordJson)
{
    EvidenceSummary s;
    const json r = json::parse(recordJson, nullptr, false);
    if (!r.is_object())
        return s;
    try {
        auto object = [&](const char *key) {
            const auto it = r.find(key);
            return it != r.end() && it->is_object() ? *it : json::object();
        };
        if (auto it = r.find("createdAt"); it != r.end() && it->is_string())
            s.createdAt = it->get<std::string>();
        const json decision = object("decision"), result = object("result"),
                   acceptance = object("acceptance");
        s.decision = decision.value("status", "pending");
        s.reviewer = decision.value("reviewer", "");
        s.fitOk = result.value("converged", false) && result.value("identifiable", false);
        s.accepted = acceptance.value("passed", true);
    } catch (const json::exception &) { // a hand-edited record with values of the wrong type
        s.fitOk = s.accepted = false;
    }
    return s;
}

namespace {
Result<std::vector<MetaChange>> signOffChangesOf(const Project &project, const std::string &evidenceKey,
                                                 const SignOff &signOff);
}

Result<std::vector<MetaChange>> signOffChanges(const Project &project, const std::string &evidenceKey,
                                               const SignOff &signOff)
{
    try {
        return signOffChangesOf(project, evidenceKey, signOff);
    } catch (const json::exception &e) {
        return Error{evidenceKey + ": not a readable evidence record (" + e.what() + ")"};
    }
}

namespace {
Result<std::vector<MetaChange>> signOffChangesOf(const Project &project, const std::string &evidenceKey,
                                                 const SignOff &signOff)
{
    const auto it = project.meta.find(evidenceKey);
    if (evidenceKey.rfind(kPrefix, 0) != 0 || it == project.meta.end())
        return Error{"no calibration evidence '" + evidenceKey + "'"};
    json record = json::parse(it->second, nullptr, false);
    if (!record.is_object() || !record.contains("result"))
        return Error{evidenceKey + ": not a readable evidence record"};
    json decision = record.value("decision", json::object());
    if (!decision.is_object())
        decision = json::object();
    const std::string status = decision.value("status", "pending");
    if (status != "pending")
        return Error{evidenceKey + ": already " + status + " by " + decision.value("reviewer", "?") +
                     "; calibrate again for a new decision"};
    if (signOff.reviewer.find_first_not_of(" \t") == std::string::npos)
        return Error{"sign-off needs the reviewer's name"};
    if (signOff.reason.find_first_not_of(" \t") == std::string::npos)
        return Error{"sign-off needs a reason"};
    const bool approve = signOff.decision == Decision::Approved;
    record["decision"] = {{"status", approve ? "approved" : "rejected"},
                          {"reviewer", signOff.reviewer},
                          {"reason", signOff.reason},
                          {"at", isoUtc(signOff.at - signOff.at % kNsPerSecond)}};
    std::vector<MetaChange> changes{{evidenceKey, record.dump()}};
    if (approve) {
        const std::string asset = assetOfKey(evidenceKey);
        scenario::AssetParameters params;
        if (auto p = project.meta.find(scenario::assetParametersKey(asset)); p != project.meta.end())
            params = scenario::assetParametersFromJson(p->second);
        const json &fitted = record["result"]["parameters"];
        for (const auto &[name, estimate] : fitted.items())
            if (estimate.contains("value") && estimate["value"].is_number())
                params.values[name] = estimate["value"].get<double>();
        params.evidence = evidenceKey;
        changes.push_back({scenario::assetParametersKey(asset), scenario::assetParametersToJson(params)});
    }
    return changes;
}

} // namespace

} // namespace twin::model::calibration
