#pragma once
// Maps validated DTDL elements onto the workbench's AssetType model.
#include "twin/model/dtdl/DtdlModel.h"

#include <vector>

namespace twin::model::dtdl::detail {

std::vector<AssetType> mapInterfaces(const Model &model);

} // namespace twin::model::dtdl::detail
