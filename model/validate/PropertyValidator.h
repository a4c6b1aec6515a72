#pragma once
// Turns user text into a property value according to its descriptor (schema, enum, range).
#include "twin/model/graph/Value.h"
#include "twin/model/types/AssetType.h"
#include "twin/util/Result.h"

namespace twin::model {

Result<Value> parsePropertyValue(const PropertyDescriptor &descriptor, const std::string &text);
// Checks an existing value against its descriptor; empty string when fine.
std::string checkPropertyValue(const PropertyDescriptor &descriptor, const Value &value);

} // namespace twin::model
