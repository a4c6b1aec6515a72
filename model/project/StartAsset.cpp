#include "twin/model/project/StartAsset.h"

#include "twin/model/scenario/Scenario.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <unordered_set>

namespace twin::model {

AssetId startAsset(const Project &project)
{
    const TwinGraph &graph = project.graph;
    if (const auto named = project.meta.find(kStartAssetMeta); named != project.meta.end())
        if (const AssetId id = scenario::findAssetByPath(project, named->second); id != kNoAsset)
            return id;
    std::unordered_set<AssetId> recorded;
    if (project.history)
        for (SignalId id = 0; id < SignalId(project.history->signalCount()); ++id)
            if (const auto info = project.history->signalInfo(id);
                info && project.history->stats(id).count > 0)
                recorded.insert(info->key.asset);
    for (AssetId id : graph.allIds()) // depth first: parents before children
        if (recorded.count(id))
            return id;
    return graph.roots().empty() ? kNoAsset : graph.roots().front();
}

} // namespace twin::model
