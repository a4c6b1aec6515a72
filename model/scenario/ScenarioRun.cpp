#include "scenario/ScenarioRun.h"

#include "plugins/PluginHost.h"
#include "scenario/ScenarioUnits.h"
#include "telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <thread>

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

std::string nowIso()
{
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}
} // namespace

Result<ScenarioPlan> planScenario(const Project &project, const ScenarioDefinition &def,
                                  const std::string &target, const std::string &pluginDir,
                                  const std::string &projectDir)
{
    ScenarioPlan plan;
    plan.definition = def;
    plan.asset = findAssetByPath(project, target);
    if (plan.asset == kNoAsset)
        return Error{"scenario " + def.name + ": no asset '" + target + "'"};
    plan.assetPath = project.graph.path(plan.asset);
    auto binding = bindingForAsset(project, plan.asset);
    if (!binding)
        return Error{"scenario " + def.name + ": " + plan.assetPath + " (" +
                     project.graph.find(plan.asset)->typeId + ") has no simulation binding"};
    plan.binding = *binding;
    const SimulationBinding &b = plan.binding;

    // Start time: given, else the newest telemetry of the In bindings, else now.
    if (def.startAt) {
        plan.startAt = *def.startAt;
    } else {
        plan.startAt = 0;
        for (const auto &v : b.variables)
            if (auto t = resolveTwin(project, plan.asset, v.twin); t && t->isTelemetry && project.history)
                if (auto id = project.history->findSignal({t->asset, t->name}))
                    plan.startAt = std::max(plan.startAt, project.history->stats(*id).last);
        if (plan.startAt == 0)
            plan.startAt = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    }

    sim::SimulationJob &job = plan.job;
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
                " for " + plan.assetPath;
    if (b.pluginId.find("fmi") != std::string::npos)
        job.stepName = "doStep";
    job.start = 0;
    job.stop = def.horizon;
    job.step = def.step;

    for (const auto &v : b.variables) {
        auto t = resolveTwin(project, plan.asset, v.twin);
        if (!t)
            return Error{"binding " + b.typeId + ": " + t.error()};
        if (v.direction == VariableBinding::Direction::Out) {
            if (!t->isTelemetry)
                return Error{"binding " + b.typeId + ": output " + v.model + " goes to property " + v.twin};
            auto c = unitConversion(v.modelUnit, t->unit);
            if (!c)
                return Error{"binding " + b.typeId + ": " + v.model + " -> " + v.twin + ": " + c.error()};
            plan.outputs.push_back({v.model, v.twin, t->asset, t->name, t->unit, c.value()});
            continue;
        }
        std::optional<double> value;
        if (t->isTelemetry) {
            value = telemetryAt(project, t->asset, t->name, plan.startAt);
        } else if (const Asset *a = project.graph.find(t->asset)) {
            double d = 0;
            if (auto it = a->properties.find(t->name);
                it != a->properties.end() && valueToDouble(it->second, d))
                value = d;
        }
        if (!value) {
            plan.warnings.push_back(v.twin + ": no value at the start; the model's default is used");
            continue;
        }
        auto c = unitConversion(t->unit, v.modelUnit);
        if (!c)
            return Error{"binding " + b.typeId + ": " + v.twin + " -> " + v.model + ": " + c.error()};
        setParameter(job, v.model, c->apply(*value));
    }

    // Overrides: constants replace parameters; the rest become input columns on the step grid.
    std::vector<double> grid;
    const auto n = std::size_t(std::ceil(def.horizon / def.step - 1e-9));
    for (std::size_t i = 0; i <= n; ++i)
        grid.push_back(std::min(def.horizon, double(i) * def.step));
    std::optional<std::vector<sdk::VariableInfo>> modelVars;
    std::string why;
    for (const auto &o : def.overrides) {
        if (!o.unit.empty() && !b.findTwin(o.target) && !b.findModel(o.target) && !modelVars)
            modelVars = modelVariables(pluginDir, b, why);
        auto r = resolveName(b, &project, plan.asset, o.target, o.unit, modelVars ? &*modelVars : nullptr);
        if (!r)
            return Error{"scenario " + def.name + ": override " + r.error() +
                         (why.empty() ? "" : " (" + why + ")")};
        if (!o.timeVarying()) {
            setParameter(job, r->model, r->toModel.apply(o.value));
            continue;
        }
        // Baseline (model units) for a step/ramp without `from`: the twin state, else the model's start.
        double baseline = std::numeric_limits<double>::quiet_NaN();
        for (const auto &p : job.parameters)
            if (p.first == r->model)
                baseline = p.second;
        if (std::isnan(baseline) && !o.from && o.kind != Override::Kind::Series) {
            if (!modelVars)
                modelVars = modelVariables(pluginDir, b, why);
            for (const auto &vi : modelVars.value_or(std::vector<sdk::VariableInfo>{}))
                if (vi.name == r->model)
                    baseline = vi.start;
            if (std::isnan(baseline))
                return Error{"scenario " + def.name + ": override " + o.target + " needs \"from\" (" + why +
                             ")"};
        }
        const double baselineTwin =
            r->toModel.factor != 0 ? (baseline - r->toModel.offset) / r->toModel.factor : 0;
        std::vector<double> column;
        for (double t : grid)
            column.push_back(r->toModel.apply(o.valueAt(t, baselineTwin)));
        if (job.inputs.time.empty())
            job.inputs.time = grid;
        job.inputs.columns.emplace_back(r->model, std::move(column));
        std::erase_if(job.parameters, [&](const auto &p) { return p.first == r->model; });
    }
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

ScenarioRunResult collectResult(const ScenarioPlan &plan, const sim::SimulationResult &result)
{
    ScenarioRunResult out;
    out.assetPath = plan.assetPath;
    out.outcome = result.outcome;
    out.message = result.message;
    out.warnings = plan.warnings;
    out.warnings.insert(out.warnings.end(), result.warnings.begin(), result.warnings.end());
    ScenarioSeries &s = out.series;
    for (const auto &row : result.rows)
        s.time.push_back(row.empty() ? 0 : row[0]);
    auto column = [&](std::size_t c) {
        std::vector<double> v;
        for (const auto &row : result.rows)
            v.push_back(c < row.size() ? row[c] : std::numeric_limits<double>::quiet_NaN());
        return v;
    };
    for (const auto &om : plan.outputs)
        for (std::size_t c = 1; c < result.columns.size(); ++c)
            if (result.columns[c] == om.model) {
                auto v = column(c);
                for (double &x : v)
                    x = om.toTwin.apply(x);
                s.columns.emplace_back(om.column, std::move(v));
            }
    for (std::size_t c = 1; c < result.columns.size(); ++c)
        if (!s.find(result.columns[c]))
            s.columns.emplace_back(result.columns[c], column(c));
    for (const auto &k : plan.definition.kpis) {
        KpiValue kv{k.name, std::numeric_limits<double>::quiet_NaN(), k.unit, {}};
        if (auto v = evaluateKpi(s, k.expression))
            kv.value = *v;
        else
            kv.error = v.error();
        out.kpis.push_back(std::move(kv));
    }
    return out;
}

ScenarioExecutor::ScenarioExecutor(ExecutorOptions options) : m_options(std::move(options)) {}

ScenarioRunResult ScenarioExecutor::runPlan(const ScenarioPlan &plan,
                                            const std::function<void(double)> &progress)
{
    if (m_cancelled.load()) {
        ScenarioRunResult r;
        r.assetPath = plan.assetPath;
        r.outcome = sim::RunOutcome::Cancelled;
        r.message = "cancelled before it started";
        return r;
    }
    sim::SimulationRunner runner(m_options.workerPath);
    {
        std::lock_guard lock(m_mutex);
        m_active.push_back(&runner);
    }
    // The runner clears its flag when a run starts: a cancel racing with the start is re-sent from progress.
    const sim::SimulationResult result = runner.run(plan.job, m_options.limits, [&](double reached) {
        if (m_cancelled.load())
            runner.cancel();
        if (progress)
            progress(reached);
    });
    {
        std::lock_guard lock(m_mutex);
        std::erase(m_active, &runner);
    }
    return collectResult(plan, result);
}

std::vector<ScenarioRunResult> ScenarioExecutor::run(const Project &project, const ScenarioDefinition &def,
                                                     const std::function<void(double)> &progress)
{
    std::vector<ScenarioRunResult> out;
    for (const auto &target : def.targets) {
        auto plan = planScenario(project, def, target, m_options.pluginDir, m_options.projectDir);
        if (!plan) {
            ScenarioRunResult r;
            r.assetPath = target;
            r.message = plan.error();
            out.push_back(std::move(r));
            continue;
        }
        out.push_back(runPlan(plan.value(), progress));
    }
    return out;
}

std::vector<ScenarioRunResult>
ScenarioExecutor::runMany(const std::vector<ScenarioPlan> &plans, int workers,
                          const std::function<void(std::size_t, std::size_t)> &progress)
{
    std::vector<ScenarioRunResult> out(plans.size());
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex progressMutex;
    auto loop = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < plans.size();) {
            out[i] = runPlan(plans[i]);
            const std::size_t d = done.fetch_add(1) + 1;
            if (progress) {
                std::lock_guard lock(progressMutex);
                progress(d, plans.size());
            }
        }
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < std::max(1, workers); ++w)
        threads.emplace_back(loop);
    loop();
    for (auto &t : threads)
        t.join();
    return out;
}

void ScenarioExecutor::cancel()
{
    m_cancelled.store(true);
    std::lock_guard lock(m_mutex);
    for (auto *r : m_active)
        r->cancel();
}

Status storeScenarioRun(Project &project, const ScenarioPlan &plan, const ScenarioRunResult &result,
                        const std::string &pluginVersion, const std::string &modelVersion)
{
    if (!project.history)
        project.history = std::make_shared<TimeSeriesStore>();
    const std::string &name = plan.definition.name;
    std::string prefix = scenarioSignalName(name, "");
    for (int n = 2;; ++n) { // a fresh prefix when an earlier run stored samples
        bool used = false;
        for (const auto &om : plan.outputs)
            if (auto id = project.history->findSignal({om.asset, prefix + om.telemetry}))
                used = used || project.history->stats(*id).count > 0;
        if (!used)
            break;
        prefix = "scenario:" + name + "@" + std::to_string(n) + "/";
    }
    for (const auto &om : plan.outputs) {
        const auto *values = result.series.find(om.column);
        if (!values)
            continue;
        const SignalId id = project.history->addSignal({om.asset, prefix + om.telemetry}, om.twinUnit);
        std::vector<Sample> samples;
        for (std::size_t i = 0; i < values->size() && i < result.series.time.size(); ++i)
            samples.push_back(
                {plan.startAt + TimeNs(std::llround(result.series.time[i] * 1e9)), 0, (*values)[i], 0});
        project.history->append(id, samples);
    }
    json kpis = json::object();
    for (const auto &k : result.kpis)
        kpis[k.name] = k.error.empty() ? json(k.value) : json(k.error);
    const json record = {{"signalPrefix", prefix},
                         {"target", plan.assetPath},
                         {"plugin", plan.binding.pluginId},
                         {"pluginVersion", pluginVersion},
                         {"model", plan.binding.modelId},
                         {"modelVersion", modelVersion},
                         {"binding", json::parse(bindingToJson(plan.binding))},
                         {"startAt", plan.startAt},
                         {"ranAt", nowIso()},
                         {"outcome", sim::outcomeName(result.outcome)},
                         {"message", result.message},
                         {"kpis", kpis}};
    setScenarioRunRecord(project, name, record.dump());
    if (!findScenario(project, name))
        setScenario(project, plan.definition);
    return okStatus();
}

namespace {
std::optional<sdk::ModelInfo> describe(const std::string &pluginDir, const SimulationBinding &b,
                                       std::string &pluginVersion, std::string &why)
{
    PluginHost host;
    if (auto s = host.scan(pluginDir); !s) {
        why = s.error();
        return std::nullopt;
    }
    const PluginInfo *info = host.find(b.pluginId);
    if (!info) {
        why = "plugin " + b.pluginId + " not found (or refused) in " + pluginDir;
        return std::nullopt;
    }
    pluginVersion = info->version;
    auto sim = host.createSimulator(b.pluginId);
    if (!sim) {
        why = sim.error();
        return std::nullopt;
    }
    for (auto &m : sim.value()->models(resolvedBackendConfig(b, pluginDir)))
        if (b.modelId.empty() || m.id == b.modelId)
            return m;
    why = "backend " + b.pluginId + " has no model '" + b.modelId + "'";
    return std::nullopt;
}
} // namespace

std::pair<std::string, std::string> backendVersions(const std::string &pluginDir,
                                                    const SimulationBinding &binding)
{
    std::string pluginVersion, why;
    auto m = describe(pluginDir, binding, pluginVersion, why);
    return {pluginVersion, m ? m->version : std::string()};
}

std::optional<std::vector<sdk::VariableInfo>>
modelVariables(const std::string &pluginDir, const SimulationBinding &binding, std::string &why)
{
    std::string pluginVersion;
    auto m = describe(pluginDir, binding, pluginVersion, why);
    if (!m)
        return std::nullopt;
    return m->variables;
}

std::string resultCsv(const ScenarioRunResult &result)
{
    std::ostringstream out;
    out.precision(10);
    out << "time";
    for (const auto &[name, v] : result.series.columns)
        out << ',' << name;
    out << '\n';
    for (std::size_t i = 0; i < result.series.time.size(); ++i) {
        out << result.series.time[i];
        for (const auto &[name, v] : result.series.columns)
            out << ',' << (i < v.size() ? v[i] : std::numeric_limits<double>::quiet_NaN());
        out << '\n';
    }
    return out.str();
}

} // namespace twin::model::scenario
