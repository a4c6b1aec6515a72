#pragma once
// Parses DTDL JSON documents into the internal element model, checking per-element rules.
#include "twin/model/dtdl/DtdlModel.h"

#include <string>

namespace twin::model::dtdl::detail {

// Reads one document (a JSON object or array of Interfaces) into the model. Never throws.
void readDocument(Model &model, Diagnostics &diag, const ImportOptions &options, const std::string &file,
                  const std::string &text);

} // namespace twin::model::dtdl::detail
