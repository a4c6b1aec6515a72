#pragma once
// What changed between two model parts (two releases, or a release and the working copy), said the way a
// modeller thinks of it: types (contents added, removed or changed: schema, unit, writability, ranges),
// assets (added, removed, renamed, moved, retyped, property values, placement), relationships, and the
// model's settings in the project meta — rules, bindings, mappings, scenarios, detectors, calibrations,
// parameters — down to the JSON path of each value that changed (old -> new).
#include "twin/model/project/Project.h"

#include <string>
#include <vector>

namespace twin::model::lifecycle {

struct Change
{
    std::string area;    // "type", "asset", "relationship", "rules", "binding", "mapping", "scenario",
                         // "detector", "calibration", "parameters", "settings"
    std::string kind;    // "added", "removed", "changed"
    std::string subject; // the type's DTMI, the asset's path, the relationship, the setting's key
    std::string detail;  // e.g. "property speed: 1200 -> 1500"; empty for added/removed
};

std::vector<Change> semanticDiff(const ProjectData &from, const ProjectData &to);
std::string diffText(const std::vector<Change> &changes); // one line per change, "+", "-" or "~" first
std::string diffJson(const std::vector<Change> &changes); // [{area, kind, subject, detail}]

} // namespace twin::model::lifecycle
