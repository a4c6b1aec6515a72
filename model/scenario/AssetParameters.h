#pragma once
// Model parameters calibrated for one asset (an approved calibration applies them): stored in the project as
// meta "parameters:<asset path>" = {"values": {NAME: number}, "evidence": "<evidence key>"}, and set on every
// simulation of that asset before its In bindings and overrides (planScenario), so what-ifs start from the
// fitted model, not the model's defaults.
//
// Threads: plain data and free functions.
#include "twin/model/project/Project.h"

#include <map>
#include <string>

namespace twin::model::scenario {

struct AssetParameters
{
    std::map<std::string, double> values; // model variable -> value, in model units
    std::string evidence;                 // the evidence record they came from (empty: set by hand)
    bool operator==(const AssetParameters &) const = default;
};

std::string assetParametersKey(const std::string &assetPath);
std::string assetParametersToJson(const AssetParameters &parameters);
// Empty parameters for text that is not a JSON object of that shape (non-numbers are skipped).
AssetParameters assetParametersFromJson(const std::string &json);
AssetParameters assetParameters(const Project &project, const std::string &assetPath);

} // namespace twin::model::scenario
