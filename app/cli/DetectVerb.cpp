// twinctl detect FILE.csv: anomaly detection over a CSV without a project (model/detect/CsvDetect.h).
#include "Verbs.h"

#include "twin/model/detect/CsvDetect.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <sstream>

namespace twin::cli {

namespace detect = twin::model::detect;

namespace {

const char *kUsage =
    "usage: twinctl detect FILE.csv --train-rows N [--method auto|t2q|mset|cusum|ewma] [--ignore "
    "COL[,COL...]]\n"
    "         [--timestamp COL] [--false-alarm-rate R] [--smoothing N] [--persistence N] --out alarms.csv\n"
    "  Trains a detector on the first N data rows (healthy data) and scores every row. The delimiter and "
    "the\n"
    "  timestamp column are detected as for ingest; every numeric column not ignored is a signal (constant "
    "or\n"
    "  missing ones are reported and left out). Methods: t2q = PCA with Hotelling T^2 and Q (SPE), mset =\n"
    "  similarity-based estimate (MSET-style), ewma / cusum = a mean-shift chart per signal; auto = t2q for "
    "two\n"
    "  or more signals, else ewma. Limits come from the false-alarm rate on the training rows (default "
    "0.01).\n"
    "  A signal that drifts through the training rows is followed relative to its slow baseline. alarms.csv\n"
    "  has one row per input row: timestamp,score,threshold,alarm,top_signal (score: smoothed over "
    "--smoothing\n"
    "  rows, default 10; the alarm needs --persistence rows in a row above the threshold, default 1).\n"
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
    if (args.size() != 1 || args[0].rfind("--", 0) == 0 || request.output.empty() || train.empty())
        return bad(kUsage);
    request.input = args[0];
    char *end = nullptr;
    const long rows = std::strtol(train.c_str(), &end, 10);
    if (*end || rows < 2)
        return bad("--train-rows must be a whole number of rows, at least 2 (got '" + train + "')");
    request.trainRows = std::size_t(rows);
    if (!method.empty() && !detect::methodFromName(method, request.detector.method))
        return bad("unknown --method '" + method + "' (auto, t2q, mset, cusum, ewma)");
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
