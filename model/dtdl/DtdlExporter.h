#pragma once
// Writes AssetTypes as DTDL v3 Interfaces.
#include "twin/model/types/AssetType.h"
#include "twin/model/types/TypeRegistry.h"
#include "twin/util/Result.h"

#include <string>

namespace twin::model::dtdl {

// One Interface as pretty-printed DTDL v3 JSON. Adds the QuantitativeTypes extension context when
// semantic types / units are used. Named complex schemas are written inline with their @id once,
// later uses refer to that @id.
std::string exportInterfaceV3(const AssetType &type);

// One file per Interface in directory (created if missing); file names derive from the DTMI
// ("dtmi:com:example:Pump;1" -> "dtmi_com_example_Pump-1.json"). A named schema is defined in the
// first Interface (by id) that uses it and referenced from the others.
twin::Status exportV3(const TypeRegistry &registry, const std::string &directory);

// "dtmi:com:example:Pump;1" -> "dtmi_com_example_Pump-1.json"
std::string fileNameForDtmi(const std::string &dtmi);

} // namespace twin::model::dtdl
