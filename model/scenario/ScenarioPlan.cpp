#include "twin/model/scenario/ScenarioRun.h"

#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/scenario/AssetParameters.h"
#include "twin/model/scenario/ScenarioUnits.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <sstream>

// Planning a run (see ScenarioRun.h): the twin state at the start, the binding and the overrides become a
// SimulationJob for the worker process.
namespace twin::model::scenario {

using nlohmann::json;
namespace {

// Latest sample <= t of a telemetry, widening the window.
std::optional<double> telemetryAt(const Project &project, AssetId asset, const std::string &name, TimeNs t)
{
    if (!project.history)
        return std::nullopt;
    const auto id = project.history->findSignal({asset, name});
    if (!id)
        return std::nullopt;
    const TimeNs hour = 3600 * kNsPerSecond;
    for (TimeNs window : {hour, 24 * hour, std::numeric_limits<TimeNs>::max() / 4}) {
        const auto s = project.history->range(*id, t > window ? t - window : 0, t + 1);
        for (auto it = s.rbegin(); it != s.rend(); ++it)
            if (std::isfinite(it->value))
                return it->value;
    }
    return std::nullopt;
}

struct Resolved
{
    std::string model;
    UnitConversion toModel;
};

// An override/sweep name: a bound twin reference (In) or a model variable.
Result<Resolved> resolveName(const SimulationBinding &b, const Project *project, AssetId asset,
                             const std::string &name, const std::string &unit,
                             const std::vector<sdk::VariableInfo> *vars = nullptr)
{
    if (const VariableBinding *v = b.findTwin(name); v && v->direction == VariableBinding::Direction::In) {
        std::string twinUnit;
        if (project) {
            if (auto t = resolveTwin(*project, asset, name))
                twinUnit = t->unit;
        }
        auto c = unitConversion(unit.empty() ? twinUnit : unit, v->modelUnit);
        if (!c)
            return Error{name + ": " + c.error()};
        return Resolved{v->model, c.value()};
    }
    std::string modelUnit;
    if (const VariableBinding *v = b.findModel(name))
        modelUnit = v->modelUnit;
    if (vars && modelUnit.empty())
        for (const auto &vi : *vars)
            if (vi.name == name)
                modelUnit = vi.unit;
    if (!unit.empty() && modelUnit.empty())
        return Error{name +
                     ": the model unit is unknown (bind the variable, or give the value in model units)"};
    auto c = unitConversion(unit, modelUnit);
    if (!c)
        return Error{name + ": " + c.error()};
    return Resolved{name, c.value()};
}

void setParameter(sim::SimulationJob &job, const std::string &name, double value)
{
    for (auto &p : job.parameters)
        if (p.first == name) {
            p.second = value;
            return;
        }
    job.parameters.emplace_back(name, value);
}

// The asset `target` names, its path and its simulation binding.
Status resolveTarget(const Project &project, const ScenarioDefinition &def, const std::string &target,
                     ScenarioPlan &plan)
{
    plan.asset = findAssetByPath(project, target);
    if (plan.asset == kNoAsset)
        return Error{"scenario " + def.name + ": no asset '" + target + "'"};
    plan.assetPath = project.graph.path(plan.asset);
    auto binding = bindingForAsset(project, plan.asset);
    if (!binding)
        return Error{"scenario " + def.name + ": " + plan.assetPath + " (" +
                     project.graph.find(plan.asset)->typeId + ") has no simulation binding"};
    plan.binding = *binding;
    return okStatus();
}

// Start time: given, else the newest telemetry of the In bindings, else now.
TimeNs startTime(const Project &project, const ScenarioDefinition &def, const ScenarioPlan &plan)
{
    if (def.startAt)
        return *def.startAt;
    TimeNs startAt = 0;
    for (const auto &v : plan.binding.variables)
        if (auto t = resolveTwin(project, plan.asset, v.twin); t && t->isTelemetry && project.history)
            if (auto id = project.history->findSignal({t->asset, t->name}))
                startAt = std::max(startAt, project.history->stats(*id).last);
    if (startAt == 0)
        startAt = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    return startAt;
}

// The job's backend, model, config (with the scenario's seed), label, step name and time span.
Status setUpJob(sim::SimulationJob &job, const ScenarioDefinition &def, const SimulationBinding &b,
                const std::string &assetPath, const std::string &pluginDir, const std::string &projectDir)
{
    job.pluginDir = pluginDir;
    job.pluginId = b.pluginId;
    job.modelId = b.modelId;
    // Relative resource paths ("fmu") resolved here, so the worker gets absolute ones (Binding.h).
    json config = json::parse(resolvedBackendConfig(b, pluginDir, projectDir), nullptr, false);
    if (!config.is_object())
        return Error{"binding " + b.typeId + ": backend config is not a JSON object"};
    config["seed"] = def.seed;
    job.config = config.dump();
    const json given = json::parse(b.config, nullptr, false); // the label names the FMU as the binding does
    job.label = (given.is_object() && given.contains("fmu") && given["fmu"].is_string()
                     ? given["fmu"].get<std::string>()
                     : b.modelId) +
                " for " + assetPath;
    if (b.pluginId.find("fmi") != std::string::npos)
        job.stepName = "doStep";
    job.start = 0;
    job.stop = def.horizon;
    job.step = def.step;
    return okStatus();
}

// An Out binding: the model output becomes a result column in the unit of the twin telemetry it feeds.
Status mapOutput(const VariableBinding &v, const TwinTarget &t, ScenarioPlan &plan)
{
    if (!t.isTelemetry)
        return Error{"binding " + plan.binding.typeId + ": output " + v.model + " goes to property " +
                     v.twin};
    auto c = unitConversion(v.modelUnit, t.unit);
    if (!c)
        return Error{"binding " + plan.binding.typeId + ": " + v.model + " -> " + v.twin + ": " + c.error()};
    plan.outputs.push_back({v.model, v.twin, t.asset, t.name, t.unit, c.value()});
    return okStatus();
}

// The twin state at `startAt`: the latest telemetry up to then, or the current property value.
std::optional<double> twinValueAt(const Project &project, const TwinTarget &t, TimeNs startAt)
{
    if (t.isTelemetry)
        return telemetryAt(project, t.asset, t.name, startAt);
    if (const Asset *a = project.graph.find(t.asset)) {
        double d = 0;
        if (auto it = a->properties.find(t.name); it != a->properties.end() && valueToDouble(it->second, d))
            return d;
    }
    return std::nullopt;
}

// An In binding: the twin state at the start, in model units, becomes a parameter; without a value the
// model's default is kept (and a warning says so).
Status setStartValue(const Project &project, const VariableBinding &v, const TwinTarget &t,
                     ScenarioPlan &plan)
{
    const std::optional<double> value = twinValueAt(project, t, plan.startAt);
    if (!value) {
        plan.warnings.push_back(v.twin + ": no value at the start; the model's default is used");
        return okStatus();
    }
    auto c = unitConversion(t.unit, v.modelUnit);
    if (!c)
        return Error{"binding " + plan.binding.typeId + ": " + v.twin + " -> " + v.model + ": " + c.error()};
    setParameter(plan.job, v.model, c->apply(*value));
    return okStatus();
}

// Every bound variable: outputs to result columns, inputs to start values.
Status applyBindings(const Project &project, ScenarioPlan &plan)
{
    for (const auto &v : plan.binding.variables) {
        auto t = resolveTwin(project, plan.asset, v.twin);
        if (!t)
            return Error{"binding " + plan.binding.typeId + ": " + t.error()};
        const Status applied = v.direction == VariableBinding::Direction::Out
                                   ? mapOutput(v, *t, plan)
                                   : setStartValue(project, v, *t, plan);
        if (!applied)
            return applied;
    }
    return okStatus();
}

// The model's variables, asked of the backend only when needed (again while it has given none); `why` says
// why there are none.
struct ModelVariableCache
{
    const std::string &pluginDir;
    const SimulationBinding &binding;
    std::optional<std::vector<sdk::VariableInfo>> vars;
    std::string why;
    void load()
    {
        if (!vars)
            vars = modelVariables(pluginDir, binding, why);
    }
};

// The step grid of the model time: 0, step, 2 step, ..., the horizon.
std::vector<double> stepGrid(const ScenarioDefinition &def)
{
    std::vector<double> grid;
    const auto n = std::size_t(std::ceil(def.horizon / def.step - 1e-9));
    for (std::size_t i = 0; i <= n; ++i)
        grid.push_back(std::min(def.horizon, double(i) * def.step));
    return grid;
}

// Baseline (model units) for a step/ramp without `from`: the twin state, else the model's start. NaN when
// the override does not need one.
Result<double> overrideBaseline(const ScenarioDefinition &def, const Override &o, const std::string &model,
                                const sim::SimulationJob &job, ModelVariableCache &modelVars)
{
    double baseline = std::numeric_limits<double>::quiet_NaN();
    for (const auto &p : job.parameters)
        if (p.first == model)
            baseline = p.second;
    if (std::isnan(baseline) && !o.from && o.kind != Override::Kind::Series) {
        modelVars.load();
        for (const auto &vi : modelVars.vars.value_or(std::vector<sdk::VariableInfo>{}))
            if (vi.name == model)
                baseline = vi.start;
        if (std::isnan(baseline))
            return Error{"scenario " + def.name + ": override " + o.target + " needs \"from\" (" +
                         modelVars.why + ")"};
    }
    return baseline;
}

// A time-varying override as an input column on the grid, in model units, in place of the parameter.
void addInputColumn(sim::SimulationJob &job, const Override &o, const Resolved &r,
                    const std::vector<double> &grid, double baseline)
{
    const double baselineTwin = r.toModel.factor != 0 ? (baseline - r.toModel.offset) / r.toModel.factor : 0;
    std::vector<double> column;
    for (double t : grid)
        column.push_back(r.toModel.apply(o.valueAt(t, baselineTwin)));
    if (job.inputs.time.empty())
        job.inputs.time = grid;
    job.inputs.columns.emplace_back(r.model, std::move(column));
    std::erase_if(job.parameters, [&](const auto &p) { return p.first == r.model; });
}

// One override: a constant replaces a parameter; the rest becomes an input column on the step grid.
Status applyOverride(const Project &project, const ScenarioDefinition &def, const Override &o,
                     const std::vector<double> &grid, ModelVariableCache &modelVars, ScenarioPlan &plan)
{
    const SimulationBinding &b = plan.binding;
    if (!o.unit.empty() && !b.findTwin(o.target) && !b.findModel(o.target))
        modelVars.load();
    auto r =
        resolveName(b, &project, plan.asset, o.target, o.unit, modelVars.vars ? &*modelVars.vars : nullptr);
    if (!r)
        return Error{"scenario " + def.name + ": override " + r.error() +
                     (modelVars.why.empty() ? "" : " (" + modelVars.why + ")")};
    if (!o.timeVarying()) {
        setParameter(plan.job, r->model, r->toModel.apply(o.value));
        return okStatus();
    }
    auto baseline = overrideBaseline(def, o, r->model, plan.job, modelVars);
    if (!baseline)
        return Error{baseline.error()};
    addInputColumn(plan.job, o, *r, grid, *baseline);
    return okStatus();
}
} // namespace

Result<ScenarioPlan> planScenario(const Project &project, const ScenarioDefinition &def,
                                  const std::string &target, const std::string &pluginDir,
                                  const std::string &projectDir)
{
    ScenarioPlan plan;
    plan.definition = def;
    if (Status resolved = resolveTarget(project, def, target, plan); !resolved)
        return Error{resolved.error()};
    plan.startAt = startTime(project, def, plan);
    if (Status ready = setUpJob(plan.job, def, plan.binding, plan.assetPath, pluginDir, projectDir); !ready)
        return Error{ready.error()};
    // Calibrated parameters of this asset first: the twin state (In bindings) and overrides go on top.
    for (const auto &[name, value] : assetParameters(project, plan.assetPath).values)
        setParameter(plan.job, name, value);
    if (Status bound = applyBindings(project, plan); !bound)
        return Error{bound.error()};

    // Overrides: constants replace parameters; the rest become input columns on the step grid.
    const std::vector<double> grid = stepGrid(def);
    ModelVariableCache modelVars{pluginDir, plan.binding, std::nullopt, {}};
    for (const auto &o : def.overrides)
        if (Status applied = applyOverride(project, def, o, grid, modelVars, plan); !applied)
            return Error{applied.error()};
    return plan;
}

Status setPlanValue(ScenarioPlan &plan, const std::string &name, double value, const std::string &unit)
{
    auto r = resolveName(plan.binding, nullptr, plan.asset, name, unit);
    if (!r)
        return Error{r.error()};
    std::erase_if(plan.job.inputs.columns, [&](const auto &c) { return c.first == r->model; });
    setParameter(plan.job, r->model, r->toModel.apply(value));
    return okStatus();
}

ScenarioPlans planScenarioTargets(const Project &project, const ScenarioDefinition &definition,
                                  const std::string &pluginDir, const std::string &projectDir)
{
    ScenarioPlans out;
    if (definition.targets.empty())
        out.errors.push_back(definition.name + ": no target asset");
    for (const auto &target : definition.targets) {
        auto plan = planScenario(project, definition, target, pluginDir, projectDir);
        if (plan)
            out.plans.push_back(std::move(plan.value()));
        else
            out.errors.push_back(definition.name + " on " + target + ": " + plan.error());
    }
    return out;
}

} // namespace twin::model::scenario
