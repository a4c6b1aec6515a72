#include "twin/model/detect/DetectorDefinition.h"

#include "twin/formats/TimeText.h"
#include "twin/model/project/Project.h"
#include "twin/model/scenario/Scenario.h"

#include <nlohmann/json.hpp>

namespace twin::model::detect {

using nlohmann::json;

std::string detectorToJson(const DetectorDefinition &d)
{
    return json{{"train", {{"from", isoUtc(d.trainFrom)}, {"to", isoUtc(d.trainTo)}}},
                {"method", methodName(d.method)},
                {"falseAlarmRate", d.falseAlarmRate},
                {"smoothing", d.smoothing},
                {"persistence", d.persistence},
                {"baselineSamples", d.baselineSamples},
                {"step", d.stepSeconds}}
        .dump();
}

Result<DetectorDefinition> detectorFromJson(const std::string &text)
{
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object())
        return Error{"a detector definition must be a JSON object"};
    DetectorDefinition d;
    const json train = j.value("train", json::object());
    for (const char *end : {"from", "to"}) {
        if (!train.contains(end) || !train[end].is_string())
            return Error{std::string("train.") + end + ": missing (an ISO 8601 time)"};
        const auto t = parseTime(train[end].get<std::string>());
        if (!t)
            return Error{std::string("train.") + end + ": " + t.error()};
        (std::string(end) == "from" ? d.trainFrom : d.trainTo) = *t;
    }
    if (!(d.trainTo > d.trainFrom))
        return Error{"train: 'to' must come after 'from'"};
    if (j.contains("method") &&
        (!j["method"].is_string() || !methodFromName(j["method"].get<std::string>(), d.method)))
        return Error{"method: one of auto, t2q, mset, ewma, cusum, ks, page-hinkley"};
    auto number = [&](const char *key, double &out, double lo, double hi) -> Status {
        if (!j.contains(key))
            return okStatus();
        if (!j[key].is_number() || !(j[key].get<double>() >= lo && j[key].get<double>() <= hi))
            return Error{std::string(key) + ": a number from " + std::to_string(lo) + " to " +
                         std::to_string(hi)};
        out = j[key].get<double>();
        return okStatus();
    };
    double smoothing = d.smoothing, persistence = d.persistence, baseline = d.baselineSamples;
    for (auto s : {number("falseAlarmRate", d.falseAlarmRate, 1e-6, 0.49),
                   number("smoothing", smoothing, 1, 256), number("persistence", persistence, 1, 256),
                   number("baselineSamples", baseline, 0, 1e7), number("step", d.stepSeconds, 0, 1e6)})
        if (!s)
            return Error{s.error()};
    d.smoothing = int(smoothing);
    d.persistence = int(persistence);
    d.baselineSamples = int(baseline);
    return d;
}

std::string detectorKey(const std::string &assetPath)
{
    return "detector:" + assetPath;
}

std::string detectorTypeKey(const std::string &typeId)
{
    return "detector-type:" + typeId;
}

std::optional<DetectorDefinition> detectorForAsset(const Project &project, const std::string &assetPath,
                                                   std::string *from)
{
    std::vector<std::string> keys{detectorKey(assetPath)};
    if (const Asset *asset = project.graph.find(scenario::findAssetByPath(project, assetPath))) {
        keys.push_back(detectorTypeKey(asset->typeId));
        for (const auto &base : project.types.ancestors(asset->typeId))
            keys.push_back(detectorTypeKey(base));
    }
    for (const auto &key : keys)
        if (auto it = project.meta.find(key); it != project.meta.end())
            if (auto d = detectorFromJson(it->second)) {
                if (from)
                    *from = key;
                return *d;
            }
    return std::nullopt;
}

AssetDetectRequest requestFrom(const DetectorDefinition &d, const std::string &assetPath)
{
    AssetDetectRequest r;
    r.asset = assetPath;
    r.trainFrom = d.trainFrom;
    r.trainTo = d.trainTo;
    r.stepSeconds = d.stepSeconds;
    r.detector.method = d.method;
    r.detector.falseAlarmRate = d.falseAlarmRate;
    r.detector.baselineSamples = d.baselineSamples;
    r.alarm.smoothing = d.smoothing;
    r.alarm.persistence = d.persistence;
    return r;
}

DetectorDefinition definitionFrom(const AssetDetectRequest &r)
{
    DetectorDefinition d;
    d.trainFrom = r.trainFrom;
    d.trainTo = r.trainTo;
    d.stepSeconds = r.stepSeconds;
    d.method = r.detector.method;
    d.falseAlarmRate = r.detector.falseAlarmRate;
    d.baselineSamples = r.detector.baselineSamples;
    d.smoothing = r.alarm.smoothing;
    d.persistence = r.alarm.persistence;
    return d;
}

} // namespace twin::model::detect
