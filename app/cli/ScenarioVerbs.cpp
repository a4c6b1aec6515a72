// twinctl scenarios / simulate / sweep: what-if scenarios over the project's simulation bindings,
// run in isolated worker processes (model/scenario, model/sim/SimulationRunner).
#include "VerbHelp.h"
#include "Verbs.h"

#include "twin/model/project/ProjectFile.h"
#include "twin/model/scenario/ScenarioRun.h"
#include "twin/model/scenario/Sweep.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace twin::cli {

namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using namespace twin::model;
using namespace twin::model::scenario;

// The project file's folder: relative resource paths of backend configs are looked up there first.
std::string projectFolder(const std::string &projectFile)
{
    std::error_code ec;
    return fs::absolute(fs::path(projectFile), ec).parent_path().string();
}

json kpiJson(const std::vector<KpiValue> &kpis)
{
    json out = json::object();
    for (const auto &k : kpis)
        out[k.name] = k.error.empty() ? json(k.value) : json({{"error", k.error}});
    return out;
}

// Loads the project and the scenario (--define adds/replaces it from a JSON file; --set adds overrides).
Status loadScenario(Args &args, Project &project, ScenarioDefinition &def, bool &changed)
{
    if (auto s = loadProject(args[0], project); !s)
        return s;
    const std::string define = takeOption(args, "--define"), name = takeOption(args, "--scenario");
    changed = false;
    if (!define.empty()) {
        std::ifstream in(define);
        std::stringstream ss;
        ss << in.rdbuf();
        auto d = scenarioFromJson(ss.str());
        if (!d)
            return Error{define + ": " + d.error()};
        def = d.value();
        setScenario(project, def);
        changed = true;
    } else {
        auto d = findScenario(project, name);
        if (!d)
            return Error{"no scenario '" + name + "' in " + args[0] + " (see twinctl scenarios)"};
        def = *d;
    }
    for (std::string set; !(set = takeOption(args, "--set")).empty();) {
        auto o = parseOverride(set);
        if (!o)
            return Error{o.error()};
        def.overrides.push_back(o.value());
    }
    return okStatus();
}
} // namespace

BindingModelLookup bindingModelLookup(const std::string &pluginDirectory)
{
    const std::string dir = pluginDirectoryOr(pluginDirectory);
    return [dir](const std::string &plugin, const std::string &model, const std::string &config,
                 std::string &why) {
        return modelVariables(dir, {"", plugin, model, config, {}}, why);
    };
}

Report verbScenarios(const Args &args)
{
    if (args.size() != 1)
        return badInput("scenarios", verbUsage("scenarios"));
    Project project;
    if (auto s = loadProject(args[0], project); !s)
        return fail("scenarios", s.error());
    Report r;
    r.verb = "scenarios";
    json list = json::array();
    for (const auto &name : scenarioNames(project)) {
        auto d = findScenario(project, name);
        const json run =
            json::parse(scenarioRunRecord(project, name).empty() ? "null" : scenarioRunRecord(project, name));
        list.push_back({{"name", name},
                        {"description", d ? d->description : "(unreadable)"},
                        {"targets", d ? d->targets : std::vector<std::string>()},
                        {"lastRun", run}});
        r.messages.push_back(
            name + ": " + (d ? d->description : "(unreadable)") +
            (run.is_object() ? " [last run " + run.value("ranAt", "") + ", " + run.value("outcome", "") + "]"
                             : ""));
    }
    r.fields = {{"scenarios", list.dump()}};
    return r;
}

Report verbSimulate(const Args &given)
{
    Args args = given;
    const std::string out = takeOption(args, "--out"),
                      plugins = pluginDirectoryOr(takeOption(args, "--plugins"));
    const bool noStore = takeFlag(args, "--no-store");
    if (args.empty())
        return badInput("simulate", verbUsage("simulate"));
    Project project;
    ScenarioDefinition def;
    bool changed = false;
    if (auto s = loadScenario(args, project, def, changed); !s)
        return fail("simulate", s.error());
    ExecutorOptions options;
    options.pluginDir = plugins;
    ScenarioExecutor executor(options);
    Report r;
    r.verb = "simulate";
    json runs = json::array();
    const ScenarioPlans planned = planScenarioTargets(project, def, plugins, projectFolder(args[0]));
    if (!planned.errors.empty()) {
        std::string why;
        for (const auto &e : planned.errors)
            why += (why.empty() ? "" : "; ") + e;
        return fail("simulate", why);
    }
    for (std::size_t i = 0; i < planned.plans.size(); ++i) {
        const CompletedRun run = executePlan(executor, planned.plans[i]);
        const ScenarioRunResult &result = run.result;
        if (!noStore && result.hasResult()) {
            if (auto s = storeScenarioRun(project, planned.plans[i], run); !s)
                return fail("simulate", "not stored: " + s.error());
            changed = true;
        }
        if (!out.empty()) {
            std::string path = out;
            if (i > 0)
                path = (fs::path(out).parent_path() / fs::path(out).stem()).string() + "-" +
                       std::to_string(i + 1) + fs::path(out).extension().string();
            std::ofstream(path) << resultCsv(result);
        }
        runs.push_back({{"target", result.assetPath},
                        {"outcome", sim::outcomeName(result.outcome)},
                        {"message", result.message},
                        {"rows", result.series.time.size()},
                        {"kpis", kpiJson(result.kpis)},
                        {"warnings", result.warnings}});
        r.messages.push_back(def.name + " on " + result.assetPath + ": " + sim::outcomeName(result.outcome) +
                             (result.message.empty() ? "" : " (" + result.message + ")"));
        for (const auto &k : result.kpis)
            r.messages.push_back("  " + k.name + " = " +
                                 (k.error.empty() ? std::to_string(k.value) + " " + k.unit : k.error));
        if (result.stoppedEarly())
            r.messages.push_back(
                "  note: the model stopped early; the result runs to t=" +
                std::to_string(result.series.time.empty() ? 0.0 : result.series.time.back()));
        r.ok = r.ok && result.hasResult();
        if (!result.hasResult())
            r.error = def.name + " on " + result.assetPath + ": " + result.message;
    }
    if (changed)
        if (auto s = saveProject(captureProject(project), args[0]); !s)
            return fail("simulate", s.error());
    r.fields = {{"scenario", jsonString(def.name)}, {"runs", runs.dump()}};
    return r;
}

Report verbSweep(const Args &given)
{
    Args args = given;
    const std::string outDir = takeOption(args, "--out"),
                      plugins = pluginDirectoryOr(takeOption(args, "--plugins"));
    const std::string mc = takeOption(args, "--monte-carlo"), workersText = takeOption(args, "--workers");
    std::vector<GridAxis> axes;
    std::vector<Distribution> dists;
    for (std::string p; !(p = takeOption(args, "--param")).empty();) {
        auto a = parseGridAxis(p);
        if (!a)
            return fail("sweep", a.error());
        axes.push_back(a.value());
    }
    for (std::string p; !(p = takeOption(args, "--dist")).empty();) {
        auto d = parseDistribution(p);
        if (!d)
            return fail("sweep", d.error());
        dists.push_back(d.value());
    }
    if (args.empty() || (axes.empty() && mc.empty()))
        return badInput("sweep", verbUsage("sweep"));
    Project project;
    ScenarioDefinition def;
    bool changed = false;
    if (auto s = loadScenario(args, project, def, changed); !s)
        return fail("sweep", s.error());
    if (def.targets.empty())
        return fail("sweep", "scenario " + def.name + " has no target");
    const int workers = workersText.empty() ? 2 : std::max(1, std::atoi(workersText.c_str()));
    std::vector<Variant> variants =
        mc.empty() ? gridVariants(axes)
                   : monteCarloVariants(dists, std::size_t(std::atoll(mc.c_str())), def.seed);
    auto base = planScenario(project, def, def.targets.front(), plugins, projectFolder(args[0]));
    if (!base)
        return fail("sweep", base.error());
    auto plans = variantPlans(base.value(), variants, !mc.empty());
    if (!plans)
        return fail("sweep", plans.error());
    ExecutorOptions options;
    options.pluginDir = plugins;
    ScenarioExecutor executor(options);
    const auto t0 = std::chrono::steady_clock::now();
    const auto results = executor.runMany(plans.value(), workers);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string summary = sweepSummaryJson(def.name, variants, results, seconds, workers);
    if (!outDir.empty()) {
        fs::create_directories(outDir);
        std::ofstream(fs::path(outDir) / "summary.json") << summary << '\n';
        if (results.size() <= 100)
            for (std::size_t i = 0; i < results.size(); ++i)
                std::ofstream(fs::path(outDir) / ("run-" + std::to_string(i) + ".csv"))
                    << resultCsv(results[i]);
    }
    const json s = json::parse(summary);
    Report r;
    r.verb = "sweep";
    r.ok = s["failed"].get<std::size_t>() == 0;
    if (!r.ok)
        r.error = std::to_string(s["failed"].get<std::size_t>()) + " of " + std::to_string(results.size()) +
                  " runs failed";
    r.fields = {{"scenario", jsonString(def.name)},           {"runs", std::to_string(results.size())},
                {"completed", s["completed"].dump()},         {"seconds", s["seconds"].dump()},
                {"runsPerSecond", s["runsPerSecond"].dump()}, {"kpiStats", s["kpiStats"].dump()}};
    r.messages.push_back(def.name + ": " + std::to_string(results.size()) + " runs on " +
                         std::to_string(workers) + " workers in " + std::to_string(seconds) + " s");
    for (const auto &[name, st] : s["kpiStats"].items())
        r.messages.push_back("  " + name + ": mean " + st["mean"].dump() + ", sd " + st["sd"].dump() +
                             ", min " + st["min"].dump() + ", max " + st["max"].dump());
    return r;
}

} // namespace twin::cli
