#include "twin/model/project/Project.h"

namespace twin::model {

ProjectData captureProject(const Project &project)
{
    ProjectData data;
    data.meta = project.meta;
    data.history = project.history;
    data.types.reserve(project.types.size());
    for (const auto &kv : project.types.all())
        data.types.push_back(kv.second);
    const auto ids = project.graph.allIds();
    data.assets.reserve(ids.size());
    for (AssetId id : ids)
        data.assets.push_back(*project.graph.find(id));
    data.relationships = project.graph.relationships();
    return data;
}

Status restoreProject(const ProjectData &data, Project &project)
{
    project.meta = data.meta;
    project.history = data.history;
    for (const AssetType &type : data.types)
        project.types.add(type);
    for (const Asset &asset : data.assets) {
        auto status = project.graph.insertAsset(asset);
        if (!status)
            return Error{"asset '" + asset.name + "' (id " + std::to_string(asset.id) +
                         "): " + status.error()};
    }
    for (const Relationship &r : data.relationships) {
        auto status = project.graph.addRelationship(r);
        if (!status)
            return Error{"relationship " + std::to_string(r.id) + " '" + r.name + "': " + status.error()};
    }
    return okStatus();
}

} // namespace twin::model
