#pragma once
// Writes AssetTypes as DTDL v3 (default) or v4 Interfaces.
#include "twin/model/types/AssetType.h"
#include "twin/model/types/TypeRegistry.h"
#include "twin/util/Result.h"

#include <string>

namespace twin::model::dtdl {

// One Interface as pretty-printed DTDL JSON of `version` (3 or 4). Adds the QuantitativeTypes extension
// context (v1 for DTDL v3, v2 for v4) when semantic types / units are used. Named complex schemas are
// written inline with their @id once, later uses refer to that @id. What only v4 can say (a scaledDecimal,
// a schema that refers to itself) is an error for v3 naming the element.
twin::Result<std::string> exportInterface(const AssetType &type, int version = 3);
// The v3 text; a v4-only element is written as in v4 (use exportInterface to be told).
std::string exportInterfaceV3(const AssetType &type);

// One file per Interface in directory (created if missing); file names derive from the DTMI
// ("dtmi:com:example:Pump;1" -> "dtmi_com_example_Pump-1.json"). A named schema is defined in the
// first Interface (by id) that uses it and referenced from the others. Nothing is written when an
// Interface cannot be said in `version`.
twin::Status exportDtdl(const TypeRegistry &registry, const std::string &directory, int version = 3);

// "dtmi:com:example:Pump;1" -> "dtmi_com_example_Pump-1.json"
std::string fileNameForDtmi(const std::string &dtmi);

} // namespace twin::model::dtdl
