#pragma once
// A project in memory: the types and the twin graph. Owned by a document (GUI) or by twinctl.
#include "graph/TwinGraph.h"
#include "types/TypeRegistry.h"

#include <map>
#include <string>

namespace twin::model {

struct Project
{
    TypeRegistry types;
    TwinGraph graph;
    std::map<std::string, std::string> meta; // free-form: name, description, mesh hints
};

// Plain copy of a project, safe to hand to another thread (autosave).
struct ProjectData
{
    std::vector<AssetType> types;
    std::vector<Asset> assets; // parents before children, in sibling order
    std::vector<Relationship> relationships;
    std::map<std::string, std::string> meta;
};

ProjectData captureProject(const Project &project);
// Fills an empty project from data; checks references.
Status restoreProject(const ProjectData &data, Project &project);

} // namespace twin::model
