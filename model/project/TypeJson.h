#pragma once
// Lossless JSON form of an AssetType, used by the project file (DTDL export is the exchange form).
#include "twin/model/types/AssetType.h"
#include "twin/util/Result.h"

namespace twin::model {

std::string typeToJson(const AssetType &type);
Result<AssetType> typeFromJson(const std::string &text);

} // namespace twin::model
