// twinctl detect FILE.csv: anomaly detection over a CSV without a project (model/detect/CsvDetect.h).
#include "Verbs.h"

#include "twin/formats/TimeText.h"
#include "twin/model/detect/AssetDetect.h"
#include "twin/model/detect/CsvDetect.h"
#include "twin/model/detect/DetectorDefinition.h"
#include "twin/model/project/Project.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/scenario/Scenario.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace twin::cli {

namespace detect = twin::model::detect;

namespace {

const char *kUsage =
    "usage: twinctl detect FILE.csv --train-rows N [--method auto|t2q|mset|cusum|ewma|ks|page-hinkley] "
    "[--ignore "
    "COL[,COL...]]\n"
    "         [--false-alarm-rate R] [--smoothing N] [--persistence N] [--out alarms.csv]\n"
    "  Trains a detector on the first N data rows (healthy data) and scores every row. The delimiter and "
    "the\n"
    "  timestamp column are detected as for ingest; every numeric column not ignored is a signal (constant "
    "or\n"
    "  missing ones are reported and left out). Methods: t2q = PCA with Hotelling T^2 and Q (SPE), mset =\n"
    "  similarity-based estimate (MSET-style), ewma / cusum / page-hinkley = a mean-shift chart per signal, "
    "ks = a two-\n"
    "  window Kolmogorov-Smirnov test per signal (the last 100 rows against the training distribution: "
    "drift\n"
    "  of the mean, the spread or the shape); auto = t2q for two"
    "\n"
    "  or more signals, else ewma. Limits come from the false-alarm rate on the training rows (default "
    "0.01).\n"
    "  A signal that drifts through the training rows is followed relative to its slow baseline. alarms.csv\n"
    "  has one row per input row: timestamp,score,threshold,alarm,top_signal (score: smoothed over "
    "--smoothing\n"
    "  rows, default 10; the alarm needs --persistence rows in a row above the threshold, default 1).\n"
    "  The project form takes the telemetry history of the asset and of the assets below it (a skid: its "
    "pump\n"
    "  and motor) on one time grid (--step, default the data's spacing), trains on the --train window (UTC,\n"
    "  e.g. 2026-01-05T06:00:00Z/2026-01-05T06:30:00Z) and scores --window (default: the rest of the\n"
    "  history); the report lists the alarm episodes: since when, how far over the limit, which signal led.\n"
    "  --save keeps the training window and settings in the project for the asset (--save-type: for every\n"
    "  asset of its type); later runs without --train use them, and `twinctl health` reports drift with "
    "them.\n"
    "  Exit 0 (alarms or not), 2 on bad input.";

std::vector<std::string> splitCommas(const std::string &text)
{
    std::vector<std::string> parts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ','))
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

nlohmann::json toJson(const std::vector<std::string> &items)
{
    return nlohmann::json(items);
}

// twinctl detect p.twin --asset PATH --train FROM/TO ...: over the asset's history.
Report detectInProject(const std::string &path, Args &args, const detect::DetectorOptions &detector,
                       const detect::AlarmOptions &alarm, const std::string &output)
{
    auto bad = [](const std::string &why) { return badInput("detect", why); };
    detect::AssetDetectRequest request;
    request.asset = takeOption(args, "--asset");
    const std::string train = takeOption(args, "--train"), window = takeOption(args, "--window"),
                      step = takeOption(args, "--step");
    const bool save = takeFlag(args, "--save"), saveType = takeFlag(args, "--save-type");
    if (request.asset.empty() || !args.empty())
        return bad(kUsage);
    model::Project project;
    if (auto s = model::loadProject(path, project); !s)
        return bad(s.error());
    std::string storedAt;
    if (train.empty()) { // the stored detector (a --method given here wins)
        const auto stored = detect::detectorForAsset(project, request.asset, &storedAt);
        if (!stored)
            return bad("no --train window, and no detector kept in the project for '" + request.asset +
                       "' or its type (run once with --train ... --save)");
        request = detect::requestFrom(*stored, request.asset);
        if (detector.method != detect::Method::Auto)
            request.detector.method = detector.method;
    } else {
        const auto trainWindow = model::parseWindow(train);
        if (!trainWindow)
            return bad("--train: " + trainWindow.error());
        request.trainFrom = trainWindow->from;
        request.trainTo = trainWindow->to;
        request.detector = detector;
        request.alarm = alarm;
    }
    if (!window.empty()) {
        const auto w = model::parseWindow(window);
        if (!w)
            return bad("--window: " + w.error());
        request.from = w->from;
        request.to = w->to;
    }
    if (!step.empty()) {
        char *end = nullptr;
        request.stepSeconds = std::strtod(step.c_str(), &end);
        if (*end || !(request.stepSeconds > 0))
            return bad("--step must be a number of seconds above 0 (got '" + step + "')");
    }
    auto result = detect::detectAsset(project, request);
    if (!result)
        return bad(result.error());
    if (save || saveType) {
        const model::Asset *asset =
            project.graph.find(model::scenario::findAssetByPath(project, request.asset));
        const std::string key =
            save ? detect::detectorKey(request.asset) : detect::detectorTypeKey(asset->typeId);
        project.meta[key] = detect::detectorToJson(detect::definitionFrom(request));
        if (Status s = model::saveProject(model::captureProject(project), path); !s)
            return fail("detect", s.error());
        storedAt = key + " (saved)";
    }
    if (!output.empty()) {
        std::ofstream out(output, std::ios::binary | std::ios::trunc);
        out << "timestamp,score,threshold,alarm,top_signal\n";
        char number[32];
        for (const auto &row : result->rows) {
            std::snprintf(number, sizeof number, "%.6g", row.score);
            out << model::isoUtc(row.time) << ',' << (std::isfinite(row.score) ? number : "") << ",1,"
                << (row.alarm ? 1 : 0) << ','
                << (row.topSignal >= 0 ? detect::csvField(result->signalNames[std::size_t(row.topSignal)])
                                       : std::string())
                << '\n';
        }
        if (!out)
            return fail("detect", output + ": cannot write");
    }
    nlohmann::json episodes = nlohmann::json::array();
    Report r;
    r.verb = "detect";
    char every[32];
    std::snprintf(every, sizeof every, "%g", result->stepSeconds);
    r.messages.push_back(result->detector + "; trained on " + std::to_string(result->trainRows) +
                         " rows every " + every + " s");
    for (const auto &e : result->episodes) {
        episodes.push_back({{"raised", model::isoUtc(e.raised)},
                            {"cleared", e.cleared ? model::isoUtc(e.cleared) : std::string()},
                            {"peak", e.peak},
                            {"first", e.first},
                            {"signal", e.signal}});
        char peak[32];
        std::snprintf(peak, sizeof peak, "%.1f", e.peak);
        r.messages.push_back("alarm from " + model::isoUtc(e.raised) +
                             (e.cleared ? " to " + model::isoUtc(e.cleared) : std::string(", still active")) +
                             ": " + peak + "x the limit at its peak; led by " + e.first +
                             " when raised, by " + e.signal + " at its peak");
    }
    if (result->episodes.empty())
        r.messages.push_back("no alarm in the window");
    std::size_t alarmRows = 0;
    for (const auto &row : result->rows)
        alarmRows += row.alarm;
    r.fields = {{"project", jsonString(path)},
                {"asset", jsonString(request.asset)},
                {"rows", std::to_string(result->rows.size())},
                {"trainRows", std::to_string(result->trainRows)},
                {"alarmRows", std::to_string(alarmRows)},
                {"detector", jsonString(result->detector)},
                {"signals", toJson(result->signalNames).dump()},
                {"skipped", toJson(result->skipped).dump()},
                {"episodes", episodes.dump()}};
    if (!output.empty())
        r.fields.push_back({"output", jsonString(output)});
    if (!storedAt.empty()) {
        r.fields.push_back({"detectorKey", jsonString(storedAt)});
        r.messages.push_back("detector: " + storedAt);
    }
    return r;
}

} // namespace

Report verbDetect(const Args &given)
{
    Args args = given;
    if (takeFlag(args, "--help") || takeFlag(args, "-h"))
        return usageReport("detect", kUsage);
    auto bad = [](const std::string &why) { return badInput("detect", why); };
    detect::CsvDetectRequest request;
    const std::string train = takeOption(args, "--train-rows");
    const std::string method = takeOption(args, "--method");
    const std::string ignore = takeOption(args, "--ignore");
    const std::string rate = takeOption(args, "--false-alarm-rate");
    const std::string smoothing = takeOption(args, "--smoothing");
    const std::string persistence = takeOption(args, "--persistence");
    request.timestamp = takeOption(args, "--timestamp");
    request.output = takeOption(args, "--out");
    if (args.empty() || args[0].rfind("--", 0) == 0)
        return bad(kUsage);
    request.input = args[0];
    args.erase(args.begin());
    char *end = nullptr;
    if (!method.empty() && !detect::methodFromName(method, request.detector.method))
        return bad("unknown --method '" + method + "' (auto, t2q, mset, cusum, ewma, ks, page-hinkley)");
    request.ignore = splitCommas(ignore);
    if (!rate.empty()) {
        request.detector.falseAlarmRate = std::strtod(rate.c_str(), &end);
        if (*end || !(request.detector.falseAlarmRate > 0 && request.detector.falseAlarmRate < 0.5))
            return bad("--false-alarm-rate must be a number between 0 and 0.5 (got '" + rate + "')");
    }
    for (auto [text, target, name] : {std::tuple{smoothing, &request.alarm.smoothing, "--smoothing"},
                                      std::tuple{persistence, &request.alarm.persistence, "--persistence"}}) {
        if (text.empty())
            continue;
        *target = int(std::strtol(text.c_str(), &end, 10));
        if (*end || *target < 1 || *target > 256)
            return bad(std::string(name) + " must be a whole number from 1 to 256 (got '" + text + "')");
    }
    const bool project =
        request.input.size() > 5 && request.input.compare(request.input.size() - 5, 5, ".twin") == 0;
    if (project)
        return detectInProject(request.input, args, request.detector, request.alarm, request.output);
    if (!args.empty() || request.output.empty() || train.empty())
        return bad(kUsage);
    const long rows = std::strtol(train.c_str(), &end, 10);
    if (*end || rows < 2)
        return bad("--train-rows must be a whole number of rows, at least 2 (got '" + train + "')");
    request.trainRows = std::size_t(rows);
    auto summary = detect::detectCsv(request);
    if (!summary)
        return bad(summary.error());
    Report r;
    r.verb = "detect";
    r.fields = {{"input", jsonString(request.input)},
                {"output", jsonString(request.output)},
                {"rows", std::to_string(summary->rows)},
                {"trainRows", std::to_string(request.trainRows)},
                {"alarmRows", std::to_string(summary->alarmRows)},
                {"alarmsRaised", std::to_string(summary->alarmsRaised)},
                {"firstAlarm", jsonString(summary->firstAlarm)},
                {"detector", jsonString(summary->detector)},
                {"signals", toJson(summary->signalNames).dump()},
                {"skipped", toJson(summary->skipped).dump()},
                {"notes", toJson(summary->notes).dump()}};
    r.messages.push_back(summary->detector);
    for (const auto &s : summary->skipped)
        r.messages.push_back("left out: " + s);
    for (const auto &n : summary->notes)
        r.messages.push_back("note: " + n);
    r.messages.push_back(std::to_string(summary->alarmsRaised) + " alarms raised after the " +
                         std::to_string(request.trainRows) + " training rows (" +
                         std::to_string(summary->alarmRows) + " of " +
                         std::to_string(summary->rows - request.trainRows) + " scored rows in alarm)" +
                         (summary->firstAlarm.empty() ? "" : ", the first at " + summary->firstAlarm) +
                         "; written to " + request.output);
    return r;
}

} // namespace twin::cli
