#include "twin/model/project/AssetJson.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace twin::model {

std::string propertiesToJson(const std::map<std::string, Value> &props)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto &[k, v] : props)
        j[k] = nlohmann::json::parse(valueToJson(v));
    return j.dump();
}

std::map<std::string, Value> propertiesFromJson(const std::string &text)
{
    std::map<std::string, Value> out;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object())
        throw std::runtime_error("properties are not a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it)
        out[it.key()] = valueFromJson(it.value().dump());
    return out;
}

std::string placementToJson(const Placement &p)
{
    return nlohmann::json{p.position, p.rotation, p.scale}.dump();
}

Placement placementFromJson(const std::string &text)
{
    auto j = nlohmann::json::parse(text);
    Placement p;
    p.position = j.at(0).get<std::array<float, 3>>();
    p.rotation = j.at(1).get<std::array<float, 3>>();
    p.scale = j.at(2).get<std::array<float, 3>>();
    return p;
}

} // namespace twin::model
