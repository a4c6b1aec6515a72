#pragma once
// JSON text of an asset's (or relationship's) property values and of a placement: how the project file and
// releases store them.
#include "twin/model/graph/Asset.h"

#include <map>
#include <string>

namespace twin::model {

std::string propertiesToJson(const std::map<std::string, Value> &props);
// Throws std::runtime_error (or a JSON error) when the text is not a JSON object of values.
std::map<std::string, Value> propertiesFromJson(const std::string &text);
std::string placementToJson(const Placement &p);      // [[position], [rotation], [scale]]
Placement placementFromJson(const std::string &text); // throws on malformed text

} // namespace twin::model
