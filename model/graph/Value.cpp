#include "twin/model/graph/Value.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace twin::model {

std::string valueToString(const Value &value)
{
    struct Visitor
    {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const
        {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.10g", d);
            return buffer;
        }
        std::string operator()(const std::string &s) const { return s; }
        std::string operator()(const Json &j) const { return j.text; }
    };
    return std::visit(Visitor{}, value);
}

bool valueToDouble(const Value &value, double &out)
{
    if (auto d = std::get_if<double>(&value)) {
        out = *d;
        return true;
    }
    if (auto i = std::get_if<std::int64_t>(&value)) {
        out = double(*i);
        return true;
    }
    if (auto b = std::get_if<bool>(&value)) {
        out = *b ? 1.0 : 0.0;
        return true;
    }
    return false;
}

std::string valueToJson(const Value &value)
{
    struct Visitor
    {
        nlohmann::json operator()(std::monostate) const { return nullptr; }
        nlohmann::json operator()(bool b) const { return b; }
        nlohmann::json operator()(std::int64_t i) const { return i; }
        nlohmann::json operator()(double d) const { return d; }
        nlohmann::json operator()(const std::string &s) const { return s; }
        nlohmann::json operator()(const Json &j) const
        {
            auto parsed = nlohmann::json::parse(j.text, nullptr, false);
            return parsed.is_discarded() ? nlohmann::json(j.text) : parsed;
        }
    };
    return std::visit(Visitor{}, value).dump();
}

Value valueFromJson(const std::string &text)
{
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || json.is_null())
        return std::monostate{};
    if (json.is_boolean())
        return json.get<bool>();
    if (json.is_number_integer())
        return json.get<std::int64_t>();
    if (json.is_number())
        return json.get<double>();
    if (json.is_string())
        return json.get<std::string>();
    return Json{json.dump()};
}

} // namespace twin::model
