#pragma once
// The asset a workbench shows first when it opens a project, so that its first screen has something in it
// (the asset selected: its properties, its model binding, its signals plotted).
#include "twin/model/project/Project.h"

namespace twin::model {

// Meta key of the project naming that asset by its path ("Site/Station/Skid 3").
inline constexpr const char *kStartAssetMeta = "workbench:start-asset";

// The asset kStartAssetMeta names, else the first asset (parents before children) with recorded telemetry,
// else the first root; kNoAsset for an empty project.
AssetId startAsset(const Project &project);

} // namespace twin::model
