#pragma once
// A property value on an asset. Complex DTDL values (Object, Map, Array) are kept as JSON text.
#include <cstdint>
#include <string>
#include <variant>

namespace twin::model {

struct Json
{
    std::string text;
    bool operator==(const Json &) const = default;
};

using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, Json>;

std::string valueToString(const Value &value);
bool valueToDouble(const Value &value, double &out);
// JSON encoding used by the project file and DTDL export.
std::string valueToJson(const Value &value);
Value valueFromJson(const std::string &json);

} // namespace twin::model
