#pragma once
// A project in memory: the types and the twin graph. Owned by a document (GUI) or by twinctl.
#include "twin/model/graph/TwinGraph.h"
#include "twin/model/types/TypeRegistry.h"

#include <map>
#include <memory>
#include <string>

namespace twin::model {

class TimeSeriesStore; // telemetry/TimeSeriesStore.h

struct Project
{
    TypeRegistry types;
    TwinGraph graph;
    std::map<std::string, std::string> meta; // free-form: name, description, mesh hints
    // Telemetry history. Shared with ingest and plots (the store locks internally); may be null (no history).
    std::shared_ptr<TimeSeriesStore> history;
};

// Plain copy of a project, safe to hand to another thread (autosave).
struct ProjectData
{
    std::vector<AssetType> types;
    std::vector<Asset> assets; // parents before children, in sibling order
    std::vector<Relationship> relationships;
    std::map<std::string, std::string> meta;
    // Shared, not copied: the store is internally synchronized, so a save on another thread reads it while
    // ingest goes on. Null: nothing is written (the file then has no history). Loading always sets it
    // (an empty store for files without history).
    std::shared_ptr<TimeSeriesStore> history;
};

ProjectData captureProject(const Project &project);
// Fills an empty project from data; checks references.
Status restoreProject(const ProjectData &data, Project &project);

} // namespace twin::model
