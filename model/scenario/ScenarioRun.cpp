#include "twin/model/scenario/ScenarioRun.h"

#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/scenario/ScenarioUnits.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <thread>
#include <tuple>

namespace twin::model::scenario {

using nlohmann::json;
namespace {

std::string nowIso()
{
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}
} // namespace

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
    sim::SimulationRunner runner(m_options.workerPath);
    return runPlanOn(runner, plan, progress);
}

ScenarioRunResult ScenarioExecutor::runPlanOn(sim::SimulationRunner &runner, const ScenarioPlan &plan,
                                              const std::function<void(double)> &progress)
{
    if (m_cancelled.load()) {
        ScenarioRunResult r;
        r.assetPath = plan.assetPath;
        r.outcome = sim::RunOutcome::Cancelled;
        r.message = "cancelled before it started";
        return r;
    }
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

CompletedRun executePlan(ScenarioExecutor &executor, const ScenarioPlan &plan,
                         const std::function<void(double)> &progress)
{
    CompletedRun run;
    run.result = executor.runPlan(plan, progress);
    if (run.result.hasResult())
        std::tie(run.pluginVersion, run.modelVersion) =
            backendVersions(executor.options().pluginDir, plan.binding);
    return run;
}

std::vector<ScenarioRunResult>
ScenarioExecutor::runMany(const std::vector<ScenarioPlan> &plans, int workers,
                          const std::function<void(std::size_t, std::size_t)> &progress)
{
    std::vector<ScenarioRunResult> out(plans.size());
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex progressMutex;
    auto loop = [&] {
        // One worker process per thread for the whole batch (kept between runs; replaced after a failure).
        sim::SimulationRunner runner(m_options.workerPath);
        runner.setReuse(true);
        for (std::size_t i; (i = next.fetch_add(1)) < plans.size();) {
            out[i] = runPlanOn(runner, plans[i]);
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

Status storeScenarioRun(Project &project, const ScenarioPlan &plan, const CompletedRun &run)
{
    const ScenarioRunResult &result = run.result;
    if (!result.hasResult())
        return Error{plan.definition.name + " on " + plan.assetPath + ": the run did not complete (" +
                     sim::outcomeName(result.outcome) + "), nothing stored"};
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
                         {"pluginVersion", run.pluginVersion},
                         {"model", plan.binding.modelId},
                         {"modelVersion", run.modelVersion},
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
