// twinctl ssp-info / ssp-run: SSP 1.0 systems through the SSP plugin (twin.sim-ssp), like every other model:
// ssp-info shows the system's structure as the plugin reads it (components, connections with their
// conversions, stepping order, loops; no model code runs); ssp-run co-simulates it in the isolated worker
// process and writes a CSV of time and outputs named component.variable (and the system's own outputs).
#include "FmuSupport.h"
#include "VerbHelp.h"
#include "Verbs.h"

#include "twin/model/pluginhost/PluginHost.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace twin::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<sdk::ModelInfo> describeSsp(const std::string &pluginDir, const std::string &ssp,
                                   const std::string &algorithm, const std::string &loops = {})
{
    model::PluginHost host;
    if (auto scanned = host.scan(pluginDir); !scanned)
        return Error{scanned.error()};
    json config{{"ssp", fs::absolute(ssp).string()}};
    if (!algorithm.empty())
        config["algorithm"] = algorithm;
    if (!loops.empty())
        config["loops"] = loops;
    return host.describeModel("twin.sim-ssp", config.dump());
}

} // namespace

Report verbSspInfo(const Args &argsIn)
{
    Args args = argsIn;
    const std::string plugins = takeOption(args, "--plugins");
    if (args.size() != 1)
        return badInput("ssp-info", verbUsage("ssp-info"));
    const auto info = describeSsp(pluginDirectoryOr(plugins), args[0], {});
    if (!info)
        return badInput("ssp-info", info.error());
    const json d = json::parse(info->detailsJson, nullptr, false);
    if (!d.is_object())
        return badInput("ssp-info", "the SSP plugin gave no system description");
    Report r;
    r.verb = "ssp-info";
    r.extraJson = d.dump();
    r.fields.emplace_back("ssp", jsonString(args[0]));
    r.messages.push_back(fs::path(args[0]).filename().string() + ": SSP " + d.value("version", "") +
                         " system \"" + d.value("name", "") + "\", " +
                         std::to_string(d["components"].size()) + " components");
    for (const auto &c : d["components"]) {
        std::string parameters;
        for (const auto &[name, value] : c["parameters"].items())
            parameters += (parameters.empty() ? "" : ", ") + name + " = " + value.dump();
        r.messages.push_back("  component " + c.value("name", "") + ": " + c.value("source", "") + " (FMI " +
                             c.value("fmiVersion", "") + ", " + c.value("modelIdentifier", "") + ")" +
                             (parameters.empty() ? "" : "; " + parameters));
    }
    for (const auto &c : d["connections"]) {
        const std::string conversion = c.value("conversion", ""), via = c.value("via", "");
        r.messages.push_back("  connection " + c.value("from", "") + " -> " + c.value("to", "") +
                             (via.empty() ? "" : " (through " + via + ")") +
                             (conversion.empty() ? "" : "  [" + conversion + "]"));
    }
    std::string order;
    for (const auto &name : d["gaussSeidelOrder"])
        order += (order.empty() ? "" : ", ") + name.get<std::string>();
    r.messages.push_back("  Gauss-Seidel order: " + order);
    for (const auto &loop : d["loops"]) {
        std::string members;
        for (const auto &name : loop["components"])
            members += (members.empty() ? "" : " -> ") + name.get<std::string>();
        r.messages.push_back(std::string("  ") +
                             (loop.value("algebraic", false) ? "algebraic loop" : "feedback loop") + ": " +
                             members +
                             (loop.value("solved", false) ? " (solved at every communication point)"
                                                          : " (one communication step's delay)"));
    }
    const json &e = d["defaultExperiment"];
    r.messages.push_back("  default experiment: start " + e["startTime"].dump() + ", stop " +
                         e["stopTime"].dump());
    for (const auto &w : d["warnings"])
        r.messages.push_back("  warning: " + w.get<std::string>());
    return r;
}

Report verbSspRun(const Args &argsIn)
{
    Args args = argsIn;
    const char *usage = verbUsage("ssp-run");
    const std::string out = takeOption(args, "--out"), inputs = takeOption(args, "--inputs"),
                      plugins = takeOption(args, "--plugins"), algorithm = takeOption(args, "--algorithm"),
                      loops = takeOption(args, "--loops");
    const ModelRunOptions options = takeModelRunOptions(args);
    if (!options.error.empty())
        return badInput("ssp-run", options.error);
    if (args.size() != 1 || out.empty())
        return badInput("ssp-run", usage);
    if (!algorithm.empty() && algorithm != "jacobi" && algorithm != "gauss-seidel")
        return badInput("ssp-run", "--algorithm " + algorithm + ": use jacobi or gauss-seidel");
    if (!loops.empty() && loops != "solve" && loops != "delay")
        return badInput("ssp-run", "--loops " + loops + ": use solve or delay");
    const std::string ssp = args[0], pluginDir = pluginDirectoryOr(plugins);
    const auto info = describeSsp(pluginDir, ssp, algorithm, loops);
    if (!info)
        return badInput("ssp-run", info.error());
    model::sim::SimulationJob job;
    job.pluginDir = pluginDir;
    job.pluginId = "twin.sim-ssp";
    job.modelId = info->id;
    json config{{"ssp", fs::absolute(ssp).string()}};
    if (!algorithm.empty())
        config["algorithm"] = algorithm;
    if (!loops.empty())
        config["loops"] = loops;
    job.config = config.dump();
    job.label = fs::path(ssp).filename().string();
    job.stepName = "step";
    job.start = info->defaultStart;
    job.stop = info->defaultStop;
    job.step = info->defaultStep;
    std::string error;
    if (!applyModelRunOptions(options, job, error))
        return badInput("ssp-run", error);
    if (!inputs.empty() && !readInputs(inputs, job.inputs, error))
        return badInput("ssp-run", error);
    return runAndWrite("ssp-run", job, options.limits, ssp, out);
}

} // namespace twin::cli
