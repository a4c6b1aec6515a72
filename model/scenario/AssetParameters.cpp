#include "twin/model/scenario/AssetParameters.h"

#include <nlohmann/json.hpp>

namespace twin::model::scenario {

using nlohmann::json;

std::string assetParametersKey(const std::string &assetPath)
{
    return "parameters:" + assetPath;
}

std::string assetParametersToJson(const AssetParameters &parameters)
{
    json j = {{"values", json::object()}};
    for (const auto &[name, value] : parameters.values)
        j["values"][name] = value;
    if (!parameters.evidence.empty())
        j["evidence"] = parameters.evidence;
    return j.dump();
}

AssetParameters assetParametersFromJson(const std::string &text)
{
    AssetParameters out;
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object())
        return out;
    if (auto v = j.find("values"); v != j.end() && v->is_object())
        for (const auto &[name, value] : v->items())
            if (value.is_number())
                out.values[name] = value.get<double>();
    if (auto e = j.find("evidence"); e != j.end() && e->is_string())
        out.evidence = e->get<std::string>();
    return out;
}

AssetParameters assetParameters(const Project &project, const std::string &assetPath)
{
    const auto it = project.meta.find(assetParametersKey(assetPath));
    return it == project.meta.end() ? AssetParameters{} : assetParametersFromJson(it->second);
}

} // namespace twin::model::scenario
