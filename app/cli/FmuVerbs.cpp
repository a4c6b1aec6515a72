// twinctl fmu-info / fmu-run: a standard FMU runner. fmu-info reads modelDescription.xml only (no model code
// runs); fmu-run runs the FMU in the isolated worker process (model/sim/SimulationRunner) and writes a CSV of
// time and outputs, like other FMU runners, so results can be compared with their reference output.
#include "Verbs.h"

#include "FmiSimulator.h"
#include "sim/SimulationRunner.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace twin::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool parseNumber(const std::string &text, double &value)
{
    char *end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return !text.empty() && end && *end == '\0';
}

std::string optional(const std::optional<double> &v)
{
    return v ? nlohmann::json(*v).dump() : "null";
}

// time,<input>... with a header row; numbers only.
bool readInputs(const std::string &path, model::sim::InputTable &table, std::string &error)
{
    std::ifstream in(path);
    if (!in) {
        error = path + ": cannot open the inputs file";
        return false;
    }
    std::string line;
    std::vector<std::string> header;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');)
            cells.push_back(cell.size() >= 2 && cell.front() == '"' ? cell.substr(1, cell.size() - 2) : cell);
        if (header.empty()) {
            header = cells;
            if (header.size() < 2) {
                error = path + ": the header needs time and at least one input column";
                return false;
            }
            for (std::size_t i = 1; i < header.size(); ++i)
                table.columns.emplace_back(header[i], std::vector<double>());
            continue;
        }
        if (cells.size() != header.size()) {
            error = path + ":" + std::to_string(lineNo) + ": expected " + std::to_string(header.size()) +
                    " cells";
            return false;
        }
        std::vector<double> row(cells.size());
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (!parseNumber(cells[i], row[i])) {
                error = path + ":" + std::to_string(lineNo) + ": \"" + cells[i] + "\" is not a number";
                return false;
            }
        if (!table.time.empty() && row[0] < table.time.back()) {
            error = path + ":" + std::to_string(lineNo) + ": time goes backwards";
            return false;
        }
        table.time.push_back(row[0]);
        for (std::size_t i = 1; i < row.size(); ++i)
            table.columns[i - 1].second.push_back(row[i]);
    }
    if (table.time.empty()) {
        error = path + ": no data rows";
        return false;
    }
    return true;
}

} // namespace

Report verbFmuInfo(const Args &args)
{
    if (args.size() != 1)
        return fail("fmu-info", "usage: twinctl fmu-info model.fmu [--json]");
    fmi::FmuDescription d;
    std::string error;
    if (!fmi::FmiSimulator::describe(args[0], d, error))
        return fail("fmu-info", error);
    Report r;
    r.verb = "fmu-info";
    const auto &c = d.capabilities;
    json vars = json::array();
    for (const auto &v : d.variables)
        vars.push_back({{"name", v.name},
                        {"valueReference", v.valueReference},
                        {"type", v.type},
                        {"causality", v.causality},
                        {"variability", v.variability},
                        {"initial", v.initial},
                        {"start", v.start ? json(*v.start) : json()},
                        {"unit", v.unit},
                        {"description", v.description}});
    json units = json::array();
    for (const auto &u : d.units)
        units.push_back({{"name", u.name}, {"baseUnits", u.baseUnits}});
    json details = {{"fmiVersion", d.fmiVersion},
                    {"modelName", d.modelName},
                    {"modelIdentifier", d.modelIdentifier},
                    {"description", d.description},
                    {"generationTool", d.generationTool},
                    {"defaultExperiment",
                     {{"startTime", json::parse(optional(d.startTime))},
                      {"stopTime", json::parse(optional(d.stopTime))},
                      {"tolerance", json::parse(optional(d.tolerance))},
                      {"stepSize", json::parse(optional(d.stepSize))}}},
                    {"capabilities",
                     {{"canHandleVariableCommunicationStepSize", c.canHandleVariableCommunicationStepSize},
                      {"canGetAndSetFMUState", c.canGetAndSetFMUState},
                      {"canBeInstantiatedOnlyOncePerProcess", c.canBeInstantiatedOnlyOncePerProcess},
                      {"needsExecutionTool", c.needsExecutionTool},
                      {"canInterpolateInputs", c.canInterpolateInputs},
                      {"hasEventMode", c.hasEventMode},
                      {"mightReturnEarlyFromDoStep", c.mightReturnEarlyFromDoStep}}},
                    {"units", units},
                    {"variables", vars},
                    {"warnings", d.warnings}};
    r.extraJson = details.dump();
    r.fields.emplace_back("fmu", jsonString(args[0]));
    r.messages.push_back(fs::path(args[0]).filename().string() + ": FMI " + d.fmiVersion +
                         " co-simulation, " + "model \"" + d.modelName + "\" (identifier " +
                         d.modelIdentifier + ")");
    if (!d.description.empty())
        r.messages.push_back("  description: " + d.description);
    if (!d.generationTool.empty())
        r.messages.push_back("  generated by: " + d.generationTool);
    r.messages.push_back("  default experiment: start " + optional(d.startTime) + ", stop " +
                         optional(d.stopTime) + ", step " + optional(d.stepSize) + ", tolerance " +
                         optional(d.tolerance));
    std::string caps;
    for (const auto &[name, on] : details["capabilities"].items())
        if (on.get<bool>())
            caps += (caps.empty() ? "" : ", ") + name;
    r.messages.push_back("  capabilities: " + (caps.empty() ? std::string("none") : caps));
    r.messages.push_back("  variables (" + std::to_string(d.variables.size()) + "):");
    char line[512];
    for (const auto &v : d.variables) {
        std::snprintf(line, sizeof line, "    %-20s %-10s %-10s %-9s vr=%-5u start=%-10s unit=%s",
                      v.name.c_str(), v.causality.c_str(), v.variability.c_str(), v.type.c_str(),
                      v.valueReference, v.start ? std::to_string(*v.start).c_str() : "-",
                      v.unit.empty() ? "-" : v.unit.c_str());
        r.messages.push_back(line);
    }
    for (const auto &w : d.warnings)
        r.messages.push_back("  warning: " + w);
    return r;
}

Report verbFmuRun(const Args &argsIn)
{
    Args args = argsIn;
    const char *usage =
        "usage: twinctl fmu-run model.fmu --out out.csv [--start T] [--stop T] [--step H] "
        "[--set name=value]... [--inputs in.csv] [--timeout S] [--memory MiB] [--plugins DIR]";
    const std::string out = takeOption(args, "--out"), inputs = takeOption(args, "--inputs"),
                      plugins = takeOption(args, "--plugins");
    std::vector<std::string> sets;
    for (std::string s; !(s = takeOption(args, "--set")).empty();)
        sets.push_back(s);
    std::vector<std::pair<const char *, std::string>> numbers = {{"--start", takeOption(args, "--start")},
                                                                 {"--stop", takeOption(args, "--stop")},
                                                                 {"--step", takeOption(args, "--step")},
                                                                 {"--timeout", takeOption(args, "--timeout")},
                                                                 {"--memory", takeOption(args, "--memory")}};
    if (args.size() != 1 || out.empty())
        return fail("fmu-run", usage);
    const std::string fmu = args[0];
    fmi::FmuDescription d;
    std::string error;
    if (!fmi::FmiSimulator::describe(fmu, d, error))
        return fail("fmu-run", error);

    model::sim::SimulationJob job;
    job.pluginDir = pluginDirectoryOr(plugins);
    job.pluginId = "twin.sim-fmi";
    job.modelId = d.modelIdentifier;
    job.config = json{{"fmu", fs::absolute(fmu).string()}}.dump();
    job.label = fs::path(fmu).filename().string();
    job.stepName = "doStep";
    job.start = d.startTime.value_or(0);
    job.stop = d.stopTime.value_or(job.start + 1);
    job.step = d.stepSize.value_or((job.stop - job.start) / 500);
    model::sim::RunLimits limits;
    for (const auto &[name, text] : numbers) {
        double v = 0;
        if (text.empty())
            continue;
        if (!parseNumber(text, v))
            return fail("fmu-run", std::string(name) + " \"" + text + "\" is not a number");
        std::string option = name;
        (option == "--start"  ? job.start
         : option == "--stop" ? job.stop
         : option == "--step" ? job.step
                              : v) = v;
        if (option == "--timeout")
            limits.answerSeconds = v;
        if (option == "--memory")
            limits.memoryBytes = std::uint64_t(v) << 20;
    }
    if (!(job.step > 0) || !(job.stop >= job.start))
        return fail("fmu-run", "need --step > 0 and --stop >= --start");
    for (const auto &s : sets) {
        const auto eq = s.find('=');
        double v = 0;
        if (eq == std::string::npos || !parseNumber(s.substr(eq + 1), v))
            return fail("fmu-run", "--set " + s + ": expected name=number");
        job.parameters.emplace_back(s.substr(0, eq), v);
    }
    if (!inputs.empty() && !readInputs(inputs, job.inputs, error))
        return fail("fmu-run", error);

    model::sim::SimulationRunner runner;
    const model::sim::SimulationResult result = runner.run(job, limits);
    std::ofstream csv(out);
    for (std::size_t i = 0; i < result.columns.size(); ++i)
        csv << (i ? "," : "") << result.columns[i];
    csv << "\n";
    char cell[40];
    for (const auto &row : result.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            std::snprintf(cell, sizeof cell, "%.17g", row[i]);
            csv << (i ? "," : "") << cell;
        }
        csv << "\n";
    }
    if (!csv)
        return fail("fmu-run", out + ": cannot write");
    Report r;
    r.verb = "fmu-run";
    r.ok = result.ok();
    r.error = result.message;
    r.fields = {{"fmu", jsonString(fmu)},
                {"out", jsonString(out)},
                {"outcome", jsonString(model::sim::outcomeName(result.outcome))},
                {"reached", json(result.reached).dump()},
                {"rows", std::to_string(result.rows.size())},
                {"warnings", json(result.warnings).dump()}};
    r.messages.push_back(job.label + ": " + model::sim::outcomeName(result.outcome) +
                         " at t=" + std::to_string(result.reached) + ", " +
                         std::to_string(result.rows.size()) + " rows written to " + out);
    for (const auto &w : result.warnings)
        r.messages.push_back("warning: " + w);
    return r;
}

} // namespace twin::cli
