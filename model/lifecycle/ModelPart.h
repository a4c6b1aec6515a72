#pragma once
// The model part of a project — types, assets, relationships and the model's settings in the project meta
// (rules, bindings, mappings, scenarios, detectors, calibration definitions and evidence, parameters), not
// the telemetry history, releases, the audit log or connection settings — as canonical JSON text: the same
// model always gives the same bytes (sorted keys, assets parents first in sibling order), so its SHA-256
// identifies it.
#include "twin/model/project/Project.h"
#include "twin/util/Result.h"

#include <string>

namespace twin::model::lifecycle {

// Meta keys that are not part of the model (their prefixes).
bool isModelMeta(const std::string &key);

std::string modelPartJson(const ProjectData &data);
// Parses modelPartJson's text back (history left null). Errors name what is malformed.
Result<ProjectData> modelPartFromJson(const std::string &text);

std::string sha256Hex(const std::string &bytes); // "sha256:<64 hex digits>"

} // namespace twin::model::lifecycle
