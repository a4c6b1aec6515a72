#pragma once
// Cross-element DTDL rules: references, duplicates, extends / schema graphs, names, semantic units.
#include "twin/model/dtdl/DtdlModel.h"

namespace twin::model::dtdl::detail {

void validateModel(const Model &model, Diagnostics &diag);

} // namespace twin::model::dtdl::detail
