// twinctl telemetry verbs: ingest (CSV -> project history), replay (states, alarms, data quality), mqtt
// (live).
#include "VerbHelp.h"
#include "Verbs.h"

#include "twin/model/project/ProjectFile.h"
#include "twin/model/replay/ReplayClock.h"
#include "twin/model/replay/ReplayEngine.h"
#include "twin/model/state/StateEngine.h"
#include "twin/model/telemetry/LiveSession.h"
#include "twin/model/telemetry/TelemetryIngest.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

namespace twin::cli {
using namespace twin::model;
using nlohmann::json;

namespace {

std::string readText(const std::string &path, bool &ok)
{
    std::ifstream in(path, std::ios::binary);
    ok = bool(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string isoTime(TimeNs t)
{
    const std::time_t s = std::time_t(t / kNsPerSecond);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

json qualityJson(const QualityReport &r, const Project &project)
{
    return {{"signal", project.graph.path(r.key.asset) + "." + r.key.telemetry},
            {"received", r.received},
            {"stored", r.released},
            {"rate", r.rate},
            {"late", r.late},
            {"outOfOrder", r.outOfOrder},
            {"duplicatesDropped", r.duplicatesDropped},
            {"duplicatesFlagged", r.duplicatesFlagged},
            {"gaps", r.gaps},
            {"outOfRange", r.outOfRange},
            {"badValues", r.badValues},
            {"converted", r.converted},
            {"conversions", r.conversions}};
}

// Counts stored samples per quality flag for every signal of a store.
json storedQuality(const Project &project)
{
    json out = json::array();
    if (!project.history)
        return out;
    const TimeSeriesStore &store = *project.history;
    const auto infos = store.allSignals();
    for (size_t id = 0; id < infos.size(); ++id) {
        const SignalStats stats = store.stats(SignalId(id));
        std::uint64_t counts[9] = {};
        const char *names[9] = {"late",     "outOfOrder", "duplicate",     "outOfRange",  "converted",
                                "afterGap", "badValue",   "ambiguousTime", "noSourceTime"};
        for (const Sample &s : store.range(SignalId(id), stats.first, stats.last + 1))
            for (int bit = 0; bit < 9; ++bit)
                counts[bit] += (s.quality >> bit) & 1;
        json j{{"signal", project.graph.path(infos[id].key.asset) + "." + infos[id].key.telemetry},
               {"unit", infos[id].unit},
               {"samples", stats.count},
               {"first", isoTime(stats.first)},
               {"last", isoTime(stats.last)}};
        for (int bit = 0; bit < 9; ++bit)
            j[names[bit]] = counts[bit];
        out.push_back(j);
    }
    return out;
}

double parseDuration(const std::string &text)
{
    if (text.empty())
        return 30;
    char *end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    const std::string unit = end ? end : "";
    return unit == "ms" ? v / 1000 : unit == "m" || unit == "min" ? v * 60 : unit == "h" ? v * 3600 : v;
}
} // namespace

Report verbIngest(const Args &argsIn)
{
    Args args = argsIn;
    const std::string mappingPath = takeOption(args, "--mapping");
    const std::string saveAs = takeOption(args, "--save-mapping");
    if (args.size() < 2)
        return badInput("ingest", verbUsage("ingest"));
    Project project;
    if (auto s = loadProject(args[0], project); !s)
        return fail("ingest", s.error());
    IngestMapping mapping;
    if (!mappingPath.empty()) {
        bool ok = false;
        const std::string text = readText(mappingPath, ok);
        if (!ok)
            return fail("ingest", mappingPath + ": cannot read");
        auto parsed = ingestMappingFromJson(text);
        if (!parsed)
            return fail("ingest", mappingPath + ": " + parsed.error());
        mapping = parsed.value();
    } else if (auto saved = savedMapping(project, "default")) {
        mapping = *saved;
    } else {
        return fail("ingest", "no --mapping given and the project has no saved mapping 'default'");
    }
    int lastPercent = -1;
    auto progress = [&](std::uint64_t done, std::uint64_t total) {
        const int percent = total ? int(100 * done / total) : 100;
        if (percent != lastPercent && isatty(2))
            std::fprintf(stderr, "\ringesting %s: %3d%%", args[1].c_str(), percent);
        else if (percent / 10 != lastPercent / 10)
            std::fprintf(stderr, "ingesting %s: %d%%\n", args[1].c_str(), percent);
        lastPercent = percent;
        return true;
    };
    auto result = ingestCsv(project, args[1], mapping, progress);
    if (isatty(2))
        std::fputc('\n', stderr);
    if (!result)
        return fail("ingest", result.error());
    if (!saveAs.empty())
        saveMapping(project, saveAs, mapping);
    if (auto s = saveProject(captureProject(project), args[0]); !s)
        return fail("ingest", s.error());
    json signals = json::array();
    for (const auto &r : result->reports)
        signals.push_back(qualityJson(r, project));
    Report r;
    r.verb = "ingest";
    r.fields = {{"file", jsonString(args[1])},
                {"rows", std::to_string(result->rows)},
                {"stored", std::to_string(result->stored)},
                {"alreadyStored", std::to_string(result->alreadyStored)},
                {"timestampFormat", jsonString(result->timestampFormat)},
                {"ambiguousLines", std::to_string(result->ambiguousLines.size())},
                {"backwardSteps", std::to_string(result->backwardLines.size())},
                {"duplicateTimes", std::to_string(result->duplicateTimes)},
                {"seconds", std::to_string(result->seconds)},
                {"signals", signals.dump()}};
    if (!result->schemaChanges.empty() || !result->lineErrors.empty()) { // JSON lines only
        r.fields.push_back({"schemaChanges", json(result->schemaChanges).dump()});
        r.fields.push_back({"lineErrors", json(result->lineErrors).dump()});
    }
    r.messages.push_back(args[1] + ": " + std::to_string(result->rows) + " rows, " +
                         std::to_string(result->stored) + " samples stored in " + args[0]);
    for (const auto &q : result->reports)
        if (q.late + q.outOfOrder + q.duplicatesDropped + q.duplicatesFlagged + q.gaps + q.outOfRange +
            q.badValues)
            r.messages.push_back("  " + project.graph.path(q.key.asset) + "." + q.key.telemetry + ": late " +
                                 std::to_string(q.late) + ", out-of-order " + std::to_string(q.outOfOrder) +
                                 ", duplicates " + std::to_string(q.duplicatesDropped + q.duplicatesFlagged) +
                                 ", gaps " + std::to_string(q.gaps) + ", out-of-range " +
                                 std::to_string(q.outOfRange) + ", bad " + std::to_string(q.badValues));
    for (const auto &e : result->lineErrors)
        r.messages.push_back("  " + e);
    for (const auto &c : result->schemaChanges)
        r.messages.push_back("  schema: " + c);
    return r;
}

Report verbReplay(const Args &argsIn)
{
    Args args = argsIn;
    const std::string speedText = takeOption(args, "--speed");
    const std::string reportPath = takeOption(args, "--report");
    if (args.empty())
        return badInput("replay", verbUsage("replay"));
    Project project;
    if (auto s = loadProject(args[0], project); !s)
        return fail("replay", s.error());
    std::vector<std::string> ruleErrors;
    auto engine = StateEngine::create(project, projectRuleSets(project, &ruleErrors));
    if (!ruleErrors.empty())
        return fail("replay", ruleErrors.front());
    if (!engine)
        return fail("replay", engine.error());
    std::vector<std::string> detectorProblems;
    if (project.history)
        detectorProblems = (*engine)->watchKeptDetectors(project, *project.history);
    if (!project.history || project.history->sampleCount() == 0)
        return fail("replay", args[0] + ": no recorded telemetry (run twinctl ingest first)");
    ReplayEngine replay(*project.history, **engine);
    const auto started = std::chrono::steady_clock::now();
    const bool max = speedText.empty() || speedText == "max";
    const double speed = max ? 0 : std::atof(speedText.c_str());
    if (!max && !(speed > 0))
        return fail("replay", "--speed must be 'max' or a positive number");
    if (max) {
        replay.advanceTo(replay.end());
    } else {
        ReplayClock clock;
        clock.setRange(replay.begin(), replay.end());
        clock.setSpeed(speed);
        clock.play();
        auto last = std::chrono::steady_clock::now();
        while (clock.playing()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            const auto now = std::chrono::steady_clock::now();
            replay.advanceTo(
                clock.tick(std::chrono::duration_cast<std::chrono::nanoseconds>(now - last).count()));
            last = now;
        }
        replay.advanceTo(replay.end());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    json transitions = json::array();
    for (const auto &c : (*engine)->changes())
        transitions.push_back({{"time", isoTime(c.time)},
                               {"asset", project.graph.path(c.asset)},
                               {"from", c.from},
                               {"to", c.to}});
    json alarms = json::array();
    for (const auto &a : (*engine)->alarms())
        alarms.push_back({{"name", a.name},
                          {"asset", project.graph.path(a.asset)},
                          {"severity", severityName(a.severity)},
                          {"raised", isoTime(a.raised)},
                          {"cleared", a.cleared ? json(isoTime(a.cleared)) : json(nullptr)},
                          {"message", a.message}});
    json report{{"project", args[0]},
                {"from", isoTime(replay.begin())},
                {"to", isoTime(replay.end())},
                {"samples", replay.samplesFed()},
                {"seconds", seconds},
                {"samplesPerSecond", seconds > 0 ? double(replay.samplesFed()) / seconds : 0.0},
                {"transitions", transitions},
                {"alarms", alarms},
                {"dataQuality", storedQuality(project)}};
    if (!reportPath.empty()) {
        std::ofstream out(reportPath);
        out << report.dump(2) << "\n";
        if (!out)
            return fail("replay", reportPath + ": cannot write the report");
    }
    Report r;
    r.verb = "replay";
    r.extraJson = report.dump();
    r.fields = {{"samples", std::to_string(replay.samplesFed())},
                {"transitions", std::to_string(transitions.size())},
                {"alarms", std::to_string(alarms.size())}};
    r.messages.push_back("replayed " + std::to_string(replay.samplesFed()) + " samples (" +
                         isoTime(replay.begin()) + " .. " + isoTime(replay.end()) +
                         "): " + std::to_string(transitions.size()) + " state transitions, " +
                         std::to_string(alarms.size()) + " alarms");
    for (const auto &a : (*engine)->alarms())
        r.messages.push_back("  alarm " + std::string(severityName(a.severity)) + " " + isoTime(a.raised) +
                             " " + project.graph.path(a.asset) + ": " + a.name);
    for (const auto &problem : detectorProblems)
        r.messages.push_back("  detector not watching: " + problem);
    return r;
}

Report verbMqtt(const Args &argsIn)
{
    Args args = argsIn;
    const std::string broker = takeOption(args, "--broker");
    const std::string duration = takeOption(args, "--duration");
    const std::string configPath = takeOption(args, "--config");
    const std::string plugins = takeOption(args, "--plugins");
    if (args.empty() || (broker.empty() && configPath.empty()))
        return badInput("mqtt", verbUsage("mqtt"));
    Project project;
    if (auto s = loadProject(args[0], project); !s)
        return fail("mqtt", s.error());
    json config = json::object();
    if (!configPath.empty()) {
        bool ok = false;
        config = json::parse(readText(configPath, ok), nullptr, false);
        if (!ok || config.is_discarded() || !config.is_object())
            return fail("mqtt", configPath + ": not a readable JSON object");
    }
    if (!broker.empty()) {
        const auto colon = broker.rfind(':');
        config["host"] = broker.substr(0, colon);
        if (colon != std::string::npos)
            config["port"] = std::atoi(broker.c_str() + colon + 1);
    }
    if (!config.contains("topics"))
        config["topics"] = {"#"};
    if (!config.contains("clientId")) {
        config["clientId"] = "twinctl-" + std::to_string(::getpid());
        config["cleanSession"] = true;
    }
    auto engine = StateEngine::create(project, projectRuleSets(project));
    if (!engine)
        return fail("mqtt", engine.error());
    if (project.history) // kept detectors raise "Anomaly" alarms on the live data too
        (void)(*engine)->watchKeptDetectors(project, *project.history);
    LiveSession live(project, engine->get());
    if (auto s = live.start({pluginDirectoryOr(plugins), "twin.conn-mqtt", config.dump()}); !s)
        return fail("mqtt", s.error());
    const double seconds = parseDuration(duration);
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    live.stop();
    const LiveIngestStats stats = live.stats();
    if (auto s = saveProject(captureProject(project), args[0]); !s)
        return fail("mqtt", s.error());
    json states = json::object();
    for (const auto &[asset, state] : (*engine)->snapshot().states)
        states[project.graph.path(asset)] = state;
    Report r;
    r.verb = "mqtt";
    r.fields = {{"records", std::to_string(stats.records)},
                {"stored", std::to_string(stats.stored)},
                {"unmapped", std::to_string(stats.unmapped)},
                {"problems", std::to_string(stats.problems)},
                {"link", jsonString(stats.link)},
                {"recentProblems", json(stats.recentProblems).dump()},
                {"unmappedSignals", json(stats.unmappedSignals).dump()},
                {"states", states.dump()},
                {"alarms", std::to_string((*engine)->alarms().size())}};
    r.messages.push_back("received " + std::to_string(stats.records) + " records, stored " +
                         std::to_string(stats.stored) + ", unmapped " + std::to_string(stats.unmapped) +
                         ", problems " + std::to_string(stats.problems) + " (link: " + stats.link + ")");
    return r;
}

} // namespace twin::cli
