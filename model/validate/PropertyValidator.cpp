#include "twin/model/validate/PropertyValidator.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace twin::model {
namespace {
std::string fieldName(const PropertyDescriptor &d)
{
    return "'" + d.name + "'";
}

std::string trim(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    const auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string rangeError(const PropertyDescriptor &d, double v)
{
    if (d.minimum && v < *d.minimum)
        return fieldName(d) + ": " + std::to_string(v) + " is below the minimum " +
               std::to_string(*d.minimum);
    if (d.maximum && v > *d.maximum)
        return fieldName(d) + ": " + std::to_string(v) + " is above the maximum " +
               std::to_string(*d.maximum);
    return {};
}
// A DTDL v4 scaledDecimal: {"scale": a short, "value": a decimal string}, or a plain decimal number taken
// with scale 0.
Result<Value> parseScaledDecimal(const PropertyDescriptor &d, const std::string &text)
{
    auto isDecimal = [](const std::string &s) {
        std::size_t i = s.size() > 0 && (s[0] == '+' || s[0] == '-') ? 1 : 0;
        bool digits = false, point = false;
        for (; i < s.size(); ++i) {
            if (s[i] >= '0' && s[i] <= '9')
                digits = true;
            else if (s[i] == '.' && !point)
                point = true;
            else
                return false;
        }
        return digits;
    };
    if (isDecimal(text))
        return valueFromJson("{\"scale\": 0, \"value\": \"" + text + "\"}");
    const std::string expected = fieldName(d) +
                                 ": expected a scaled decimal, {\"scale\": integer, \"value\": " +
                                 "\"decimal digits\"} or a decimal number, found '" + text + "'";
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object() || j.size() != 2 || !j.contains("scale") || !j.contains("value") ||
        !j["scale"].is_number_integer() || !j["value"].is_string() ||
        !isDecimal(j["value"].get<std::string>()))
        return Error{expected};
    const auto scale = j["scale"].get<std::int64_t>();
    if (scale < -32768 || scale > 32767)
        return Error{fieldName(d) + ": the scale " + std::to_string(scale) +
                     " is not a short (-32768..32767)"};
    return valueFromJson(text);
}

} // namespace

Result<Value> parsePropertyValue(const PropertyDescriptor &d, const std::string &raw)
{
    const std::string text = trim(raw);
    const SchemaKind kind = d.schema ? d.schema->kind : SchemaKind::String;
    if (text.empty())
        return Value{};
    if (kind == SchemaKind::Boolean) {
        if (text == "true" || text == "1" || text == "yes")
            return Value{true};
        if (text == "false" || text == "0" || text == "no")
            return Value{false};
        return Error{fieldName(d) + ": '" + text + "' is not a boolean (true/false)"};
    }
    if (isIntegral(kind)) {
        std::int64_t v = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || ptr != text.data() + text.size())
            return Error{fieldName(d) + ": '" + text + "' is not an integer"};
        if (auto e = rangeError(d, double(v)); !e.empty())
            return Error{e};
        return Value{v};
    }
    if (isNumeric(kind)) {
        char *end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size() || !std::isfinite(v))
            return Error{fieldName(d) + ": '" + text + "' is not a number"};
        if (auto e = rangeError(d, v); !e.empty())
            return Error{e};
        return Value{v};
    }
    if (kind == SchemaKind::Enum) {
        for (const auto &ev : d.schema->enumValues)
            if (ev.name == text || ev.value == text || ev.displayName == text) {
                if (isIntegral(d.schema->valueSchema))
                    return Value{std::int64_t(std::atoll(ev.value.c_str()))};
                return Value{ev.value.empty() ? ev.name : ev.value};
            }
        std::string names;
        for (const auto &ev : d.schema->enumValues)
            names += (names.empty() ? "" : ", ") + ev.name;
        return Error{fieldName(d) + ": '" + text + "' is not one of " + names};
    }
    if (kind == SchemaKind::ScaledDecimal)
        return parseScaledDecimal(d, text);
    if (kind == SchemaKind::Object || kind == SchemaKind::Map || kind == SchemaKind::Array) {
        Value v = valueFromJson(text);
        if (!std::holds_alternative<Json>(v))
            return Error{fieldName(d) + ": expected a JSON " + std::string(schemaKindName(kind))};
        return v;
    }
    return Value{text};
}

std::string checkPropertyValue(const PropertyDescriptor &d, const Value &value)
{
    if (std::holds_alternative<std::monostate>(value))
        return {};
    const SchemaKind kind = d.schema ? d.schema->kind : SchemaKind::String;
    double number = 0;
    if (isNumeric(kind)) {
        if (!valueToDouble(value, number) || std::holds_alternative<bool>(value))
            return fieldName(d) + ": expected a number, found '" + valueToString(value) + "'";
        return rangeError(d, number);
    }
    if (kind == SchemaKind::Boolean && !std::holds_alternative<bool>(value))
        return fieldName(d) + ": expected a boolean, found '" + valueToString(value) + "'";
    if (kind == SchemaKind::Enum) {
        auto parsed = parsePropertyValue(d, valueToString(value));
        if (!parsed)
            return parsed.error();
    }
    return {};
}

} // namespace twin::model
