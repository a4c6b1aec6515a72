#pragma once
// A detector kept in the project: for one asset (meta "detector:<asset path>") or for every asset of a type
// and of the types extending it ("detector-type:<type id>"; an asset's own wins). It names the healthy
// training window and the settings; `twinctl detect p.twin --asset PATH` uses it when no --train is given,
// and the health view runs it over the newest data to say whether the asset has drifted.
#include "twin/formats/Sample.h"
#include "twin/model/detect/AssetDetect.h"

#include <optional>
#include <string>

namespace twin::model {
struct Project;
}

namespace twin::model::detect {

struct DetectorDefinition
{
    TimeNs trainFrom = 0, trainTo = 0;
    Method method = Method::Auto;
    double falseAlarmRate = 0.01;
    int smoothing = 10, persistence = 1;
    int baselineSamples = 600;
    double stepSeconds = 0;
    bool operator==(const DetectorDefinition &) const = default;
};

std::string detectorToJson(const DetectorDefinition &d);
// Errors name the field ("train.from: not an ISO time").
Result<DetectorDefinition> detectorFromJson(const std::string &json);

std::string detectorKey(const std::string &assetPath);  // "detector:<path>"
std::string detectorTypeKey(const std::string &typeId); // "detector-type:<type id>"
// The asset's own, else the nearest of its type and the types it extends; `from` says which key.
std::optional<DetectorDefinition> detectorForAsset(const Project &project, const std::string &assetPath,
                                                   std::string *from = nullptr);
// A request for detectAsset from a definition (scoring from the end of training to the end of history).
AssetDetectRequest requestFrom(const DetectorDefinition &d, const std::string &assetPath);
DetectorDefinition definitionFrom(const AssetDetectRequest &request);

} // namespace twin::model::detect
