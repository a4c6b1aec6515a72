#include "twin/model/calibration/ProjectCalibration.h"

#include "twin/model/scenario/AssetParameters.h"
#include "twin/model/scenario/ScenarioUnits.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace twin::model::calibration {

namespace {
using scenario::OutputMap;
using scenario::VariableBinding;

// SHA-256 of the samples a calibration uses, fed signal by signal.
class DataHash
{
public:
    DataHash() : m_ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free)
    {
        EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr);
    }
    void add(const std::string &text) { EVP_DigestUpdate(m_ctx.get(), text.data(), text.size() + 1); }
    void add(const Sample &s)
    {
        unsigned char bytes[sizeof s.sourceTime + sizeof s.value + sizeof s.quality];
        std::memcpy(bytes, &s.sourceTime, sizeof s.sourceTime);
        std::memcpy(bytes + sizeof s.sourceTime, &s.value, sizeof s.value);
        std::memcpy(bytes + sizeof s.sourceTime + sizeof s.value, &s.quality, sizeof s.quality);
        EVP_DigestUpdate(m_ctx.get(), bytes, sizeof bytes);
    }
    std::string hex()
    {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(m_ctx.get(), digest, &n);
        static const char *digits = "0123456789abcdef";
        std::string out = "sha256:";
        for (unsigned i = 0; i < n; ++i) {
            out += digits[digest[i] >> 4];
            out += digits[digest[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> m_ctx;
};

double seconds(TimeNs t, TimeNs origin)
{
    return double(t - origin) / double(kNsPerSecond);
}

std::string windowText(const TimeWindow &w)
{
    return isoUtc(w.from) + "/" + isoUtc(w.to);
}

// Windows must not overlap between calibration and hold-out (a sample would be both fitted and scored).
Status checkWindows(const CalibrationDefinition &d)
{
    if (d.windows.empty())
        return Error{"no calibration window"};
    for (const auto &h : d.holdout)
        for (const auto &w : d.windows)
            if (h.from <= w.to && w.from <= h.to)
                return Error{"hold-out window " + windowText(h) + " overlaps calibration window " +
                             windowText(w)};
    return okStatus();
}

TimeWindow span(const CalibrationDefinition &d)
{
    TimeWindow s = d.windows.front();
    for (const auto *list : {&d.windows, &d.holdout})
        for (const auto &w : *list)
            s = {std::min(s.from, w.from), std::max(s.to, w.to)};
    return s;
}

const sdk::VariableInfo *findVariable(const std::vector<sdk::VariableInfo> &vars, const std::string &name)
{
    for (const auto &v : vars)
        if (v.name == name)
            return &v;
    return nullptr;
}

std::vector<Sample> history(const Project &project, AssetId asset, const std::string &telemetry, TimeNs from,
                            TimeNs to)
{
    if (!project.history)
        return {};
    const auto id = project.history->findSignal({asset, telemetry});
    return id ? project.history->range(*id, from, to + 1) : std::vector<Sample>{};
}

// The fitted outputs: the definition's, else every Out binding to telemetry.
Result<std::vector<std::pair<OutputMap, OutputSpec>>> fittedOutputs(const CalibrationPlan &plan)
{
    std::vector<std::pair<OutputMap, OutputSpec>> out;
    if (plan.definition.outputs.empty()) {
        for (const auto &m : plan.scenario.outputs)
            out.push_back({m, OutputSpec{m.column, {}, 1, Loss::Squared}});
    } else {
        for (const auto &spec : plan.definition.outputs) {
            const auto it = std::find_if(plan.scenario.outputs.begin(), plan.scenario.outputs.end(),
                                         [&](const OutputMap &m) { return m.column == spec.twin; });
            if (it == plan.scenario.outputs.end())
                return Error{"output '" + spec.twin + "' is not a bound model output of " +
                             plan.scenario.assetPath + " (bind it Out to a telemetry)"};
            out.push_back({*it, spec});
        }
    }
    if (out.empty())
        return Error{plan.scenario.assetPath +
                     ": the binding has no output to fit (no Out binding to telemetry)"};
    return out;
}

// One output's observations from history: use per window, bad quality excluded.
Status addOutput(const Project &project, const OutputMap &map, const OutputSpec &spec, const TimeWindow &all,
                 CalibrationPlan &plan, DataHash &hash, bool forFit)
{
    const CalibrationDefinition &d = plan.definition;
    const std::vector<Sample> samples = history(project, map.asset, map.telemetry, all.from, all.to);
    FitOutput out;
    out.variable = map.model;
    out.weight = spec.weight;
    out.loss = spec.loss;
    const double factor = map.toTwin.factor;
    if (spec.sigma)
        out.sigma = *spec.sigma / std::abs(factor);
    DataCounts &counts = plan.counts[map.column];
    hash.add(map.column);
    for (const Sample &s : samples) {
        const auto inAny = [&](const std::vector<TimeWindow> &ws) {
            return std::any_of(ws.begin(), ws.end(),
                               [&](const TimeWindow &w) { return w.contains(s.sourceTime); });
        };
        Use use = Use::Excluded;
        if (inAny(d.windows))
            use = Use::Fit;
        else if (inAny(d.holdout))
            use = Use::Holdout;
        if (use == Use::Excluded) {
            ++counts.outside;
            continue;
        }
        if ((s.quality & kExcludedQuality) || !std::isfinite(s.value)) {
            ++counts.badQuality;
            continue;
        }
        (use == Use::Fit ? counts.fitted : counts.holdout) += 1;
        hash.add(s);
        out.time.push_back(seconds(s.sourceTime, all.from));
        out.observed.push_back((s.value - map.toTwin.offset) / factor);
        out.use.push_back(use);
    }
    // Every window must hold data of this output: a window outside the history is an error, not an empty fit.
    for (const auto *list : {&d.windows, &d.holdout})
        for (const auto &w : *list) {
            const bool any = std::any_of(out.time.begin(), out.time.end(), [&](double t) {
                const TimeNs ns = all.from + TimeNs(std::llround(t * double(kNsPerSecond)));
                return w.contains(ns);
            });
            if (!any && forFit) {
                std::string have = "no samples at all";
                if (project.history)
                    if (auto id = project.history->findSignal({map.asset, map.telemetry})) {
                        const SignalStats st = project.history->stats(*id);
                        have = st.count ? "history from " + isoUtc(st.first) + " to " + isoUtc(st.last)
                                        : std::string("no samples at all");
                    }
                return Error{"window " + windowText(w) + ": no good samples of " + map.column + " (" + have +
                             ")"};
            }
        }
    plan.problem.outputs.push_back(std::move(out));
    plan.outputs.push_back(map);
    return okStatus();
}

// The communication step: given, else the median spacing of the fitted samples (at most 100 000 steps).
double chooseStep(const CalibrationPlan &plan, double horizon)
{
    double step = plan.definition.step;
    if (step <= 0) {
        std::vector<double> gaps;
        for (const auto &o : plan.problem.outputs)
            for (std::size_t i = 1; i < o.time.size(); ++i)
                if (o.time[i] > o.time[i - 1])
                    gaps.push_back(o.time[i] - o.time[i - 1]);
        if (!gaps.empty()) {
            std::nth_element(gaps.begin(), gaps.begin() + long(gaps.size() / 2), gaps.end());
            step = gaps[gaps.size() / 2];
        } else {
            step = horizon / 100;
        }
    }
    return std::max(step, horizon / 100000);
}

// A measured input as a column on the step grid (linear between good samples, held outside them).
Status addInput(const Project &project, const VariableBinding &v, const std::vector<double> &grid,
                const TimeWindow &all, CalibrationPlan &plan, DataHash &hash)
{
    auto target = scenario::resolveTwin(project, plan.scenario.asset, v.twin);
    if (!target || !target->isTelemetry)
        return Error{"input '" + v.twin + "' is not a telemetry of " + plan.scenario.assetPath};
    auto toModel = scenario::unitConversion(target->unit, v.modelUnit);
    if (!toModel)
        return Error{"input '" + v.twin + "': " + toModel.error()};
    const TimeNs margin = 3600 * kNsPerSecond; // the value just before the span, to start from
    std::vector<double> t, y;
    hash.add(v.twin);
    for (const Sample &s : history(project, target->asset, target->name, all.from - margin, all.to)) {
        if ((s.quality & kExcludedQuality) || !std::isfinite(s.value))
            continue;
        hash.add(s);
        t.push_back(seconds(s.sourceTime, all.from));
        y.push_back(toModel->apply(s.value));
    }
    if (t.empty())
        return Error{"input '" + v.twin + "': no good samples of " + target->name + " between " +
                     isoUtc(all.from) + " and " + isoUtc(all.to)};
    if (t.front() > 0)
        plan.warnings.push_back("input " + v.twin + ": first sample " + std::to_string(t.front()) +
                                " s after the start; held back to it");
    std::vector<double> column;
    column.reserve(grid.size());
    std::size_t k = 0;
    for (double g : grid) {
        while (k + 1 < t.size() && t[k + 1] <= g)
            ++k;
        if (g <= t.front())
            column.push_back(y.front());
        else if (k + 1 >= t.size())
            column.push_back(y.back());
        else
            column.push_back(y[k] + (y[k + 1] - y[k]) * (g - t[k]) / (t[k + 1] - t[k]));
    }
    sim::SimulationJob &job = plan.problem.job;
    job.inputs.columns.emplace_back(v.model, std::move(column));
    std::erase_if(job.parameters, [&](const auto &p) { return p.first == v.model; });
    plan.inputs.push_back(v.twin);
    return okStatus();
}

// Which In bindings drive the model from history: the definition's, else every telemetry -> model input.
Result<std::vector<VariableBinding>> measuredInputs(const Project &project, const CalibrationPlan &plan,
                                                    const std::vector<sdk::VariableInfo> &vars)
{
    std::vector<VariableBinding> out;
    const auto &b = plan.scenario.binding;
    for (const auto &name : plan.definition.inputs) {
        const VariableBinding *v = b.findTwin(name);
        if (!v || v->direction != VariableBinding::Direction::In)
            return Error{"input '" + name + "' is not an In binding of " + b.typeId};
        const sdk::VariableInfo *info = findVariable(vars, v->model);
        if (!info || info->causality != sdk::Causality::Input)
            return Error{"input '" + name + "' is bound to " + v->model +
                         ", which is not an input of the model (only inputs can follow history)"};
        out.push_back(*v);
    }
    if (!plan.definition.inputs.empty())
        return out;
    for (const auto &v : b.variables) {
        if (v.direction != VariableBinding::Direction::In)
            continue;
        const sdk::VariableInfo *info = findVariable(vars, v.model);
        auto target = scenario::resolveTwin(project, plan.scenario.asset, v.twin);
        if (info && info->causality == sdk::Causality::Input && target && target->isTelemetry)
            out.push_back(v);
    }
    return out;
}

Status addParameters(const Project &project, const std::vector<sdk::VariableInfo> &vars,
                     CalibrationPlan &plan)
{
    const auto calibrated = scenario::assetParameters(project, plan.scenario.assetPath).values;
    for (const auto &spec : plan.definition.parameters) {
        const sdk::VariableInfo *info = findVariable(vars, spec.name);
        if (!info || info->causality != sdk::Causality::Parameter) {
            std::string names;
            for (const auto &v : vars)
                if (v.causality == sdk::Causality::Parameter)
                    names += (names.empty() ? "" : ", ") + v.name;
            return Error{"unknown parameter '" + spec.name + "' (the model's parameters: " + names + ")"};
        }
        FreeParameter p{spec.name, spec.lower, spec.upper, info->start, spec.priorMean, spec.priorSd};
        for (const auto &[name, value] : plan.problem.job.parameters)
            if (name == spec.name)
                p.start = value;
        if (auto it = calibrated.find(spec.name); it != calibrated.end())
            p.start = it->second;
        if (spec.start)
            p.start = *spec.start;
        plan.problem.parameters.push_back(p);
    }
    return okStatus();
}
// With restartEachWindow and more than one window: one segment per window (overlapping ones merged), each
// starting from the twin's state at its start as a scenario starting then would.
Status addSegments(const Project &project, const std::string &pluginDir, const std::string &projectDir,
                   CalibrationPlan &plan)
{
    const CalibrationDefinition &d = plan.definition;
    std::vector<TimeWindow> windows = d.windows;
    windows.insert(windows.end(), d.holdout.begin(), d.holdout.end());
    if (!d.restartEachWindow || windows.size() < 2)
        return okStatus();
    std::sort(windows.begin(), windows.end(), [](const auto &a, const auto &b) { return a.from < b.from; });
    std::vector<TimeWindow> merged;
    for (const TimeWindow &w : windows)
        if (!merged.empty() && w.from < merged.back().to)
            merged.back().to = std::max(merged.back().to, w.to);
        else
            merged.push_back(w);
    const TimeNs origin = merged.front().from;
    for (const TimeWindow &w : merged) {
        // The state at the start, as the mean of the twin's state at instants spread over +-30 s around it
        // (at most a twentieth of the window): one sample would carry its noise into the whole window, and
        // a centred mean is unbiased where the state changes linearly.
        const double half = std::min(30.0, seconds(w.to, w.from) / 20);
        constexpr int kInstants = 21;
        std::vector<std::pair<std::string, double>> mean; // the centre instant's names and order
        std::map<std::string, std::pair<double, int>> sums;
        for (int k = 0; k < kInstants; ++k) {
            scenario::ScenarioDefinition run;
            run.name = "calibration";
            run.startAt = w.from + TimeNs(std::llround((-half + 2 * half * k / (kInstants - 1)) * 1e9));
            run.horizon = seconds(w.to, w.from);
            run.seed = d.seed;
            auto at = scenario::planScenario(project, run, d.asset, pluginDir, projectDir);
            if (!at)
                return Error{"the window starting " + isoUtc(w.from) + ": " + at.error()};
            if (k == kInstants / 2)
                for (const auto &warning : at->warnings)
                    if (std::find(plan.warnings.begin(), plan.warnings.end(), warning) == plan.warnings.end())
                        plan.warnings.push_back(warning);
            if (k == kInstants / 2)
                mean = at->job.parameters;
            for (const auto &[name, value] : at->job.parameters) {
                auto &[sum, count] = sums[name];
                sum += value;
                ++count;
            }
        }
        // Only what the twin's state sets (In bindings that are not measured inputs): parameters, calibrated
        // values and the like stay as the problem has them.
        std::erase_if(mean, [&](const auto &entry) {
            const scenario::VariableBinding *b = plan.scenario.binding.findModel(entry.first);
            return !b || b->direction != scenario::VariableBinding::Direction::In ||
                   std::find(plan.inputs.begin(), plan.inputs.end(), b->twin) != plan.inputs.end();
        });
        for (auto &[name, value] : mean) // before the first sample (or after the last) fewer instants count
            value = sums[name].first / sums[name].second;
        plan.problem.segments.push_back({seconds(w.from, origin), seconds(w.to, origin), std::move(mean)});
    }
    return okStatus();
}

} // namespace

int CalibrationPlan::outputIndex(const std::string &twin) const
{
    for (std::size_t i = 0; i < outputs.size(); ++i)
        if (outputs[i].column == twin)
            return int(i);
    return -1;
}

namespace {

Result<CalibrationPlan> planFor(const Project &project, const CalibrationDefinition &definition,
                                const std::string &pluginDir, const std::string &projectDir, bool forFit)
{
    const std::string what = (forFit ? "calibration of " : "") + definition.asset + ": ";
    CalibrationPlan plan;
    plan.definition = definition;
    if (Status ok = checkWindows(definition); !ok)
        return Error{what + ok.error()};
    const TimeWindow all = span(definition);
    const double horizon = seconds(all.to, all.from);

    scenario::ScenarioDefinition run;
    run.name = "calibration";
    run.startAt = all.from;
    run.horizon = horizon;
    run.seed = definition.seed;
    auto scenarioPlan = scenario::planScenario(project, run, definition.asset, pluginDir, projectDir);
    if (!scenarioPlan)
        return Error{what + scenarioPlan.error()};
    plan.scenario = std::move(scenarioPlan.value());
    plan.warnings = plan.scenario.warnings;
    std::string why;
    const auto vars = scenario::modelVariables(pluginDir, plan.scenario.binding, why);
    if (!vars)
        return Error{what + "cannot read the model's variables: " + why};

    plan.problem.job = plan.scenario.job;
    DataHash hash;
    auto outputs = fittedOutputs(plan);
    if (!outputs)
        return Error{what + outputs.error()};
    for (const auto &[map, spec] : *outputs)
        if (Status ok = addOutput(project, map, spec, all, plan, hash, forFit); !ok)
            return Error{what + ok.error()};

    sim::SimulationJob &job = plan.problem.job;
    job.step = chooseStep(plan, horizon);
    job.stop = horizon;
    job.outputs.clear();
    for (const auto &o : plan.problem.outputs)
        job.outputs.push_back(o.variable);
    std::vector<double> grid;
    for (std::size_t i = 0;; ++i) {
        grid.push_back(std::min(horizon, double(i) * job.step));
        if (grid.back() >= horizon)
            break;
    }
    job.inputs.time = grid;
    auto inputs = measuredInputs(project, plan, *vars);
    if (!inputs)
        return Error{what + inputs.error()};
    for (const auto &v : *inputs)
        if (Status ok = addInput(project, v, grid, all, plan, hash); !ok)
            return Error{what + ok.error()};
    if (job.inputs.columns.empty())
        job.inputs.time.clear();
    if (Status ok = addParameters(project, *vars, plan); !ok)
        return Error{what + ok.error()};
    if (forFit && plan.problem.parameters.empty())
        return Error{what + "no free parameter"};

    std::vector<std::string> parameterNames, outputNames;
    for (const auto &v : *vars) {
        if (v.causality == sdk::Causality::Parameter)
            parameterNames.push_back(v.name);
        else if (v.causality == sdk::Causality::Output || v.causality == sdk::Causality::Local)
            outputNames.push_back(v.name);
    }
    if (Status ok = addSegments(project, pluginDir, projectDir, plan); !ok)
        return Error{what + ok.error()};
    if (Status ok = forFit ? validateProblem(plan.problem, parameterNames, outputNames) : okStatus(); !ok)
        return Error{what + ok.error()};
    plan.dataHash = hash.hex();
    std::tie(plan.pluginVersion, plan.modelVersion) =
        scenario::backendVersions(pluginDir, plan.scenario.binding);
    return plan;
}

} // namespace

Result<CalibrationPlan> planCalibration(const Project &project, const CalibrationDefinition &definition,
                                        const std::string &pluginDir, const std::string &projectDir)
{
    return planFor(project, definition, pluginDir, projectDir, true);
}

Result<CalibrationPlan> planModelData(const Project &project, const CalibrationDefinition &definition,
                                      const std::string &pluginDir, const std::string &projectDir)
{
    return planFor(project, definition, pluginDir, projectDir, false);
}

} // namespace twin::model::calibration
