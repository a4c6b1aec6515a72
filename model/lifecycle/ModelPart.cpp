#include "twin/model/lifecycle/ModelPart.h"

#include "twin/model/project/AssetJson.h"
#include "twin/model/project/TypeJson.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <map>

namespace twin::model::lifecycle {

using nlohmann::json;

bool isModelMeta(const std::string &key)
{
    for (const char *prefix : {"release:", "audit:", "history:", "connection:", "workbench:bookmark:"})
        if (key.rfind(prefix, 0) == 0)
            return false;
    return true;
}

std::string modelPartJson(const ProjectData &data)
{
    json types = json::array();
    std::vector<const AssetType *> sorted;
    for (const AssetType &t : data.types)
        sorted.push_back(&t);
    std::sort(sorted.begin(), sorted.end(), [](auto *a, auto *b) { return a->id < b->id; });
    for (const AssetType *t : sorted)
        types.push_back(json::parse(typeToJson(*t)));
    // Assets level by level from the roots, siblings in their order: the same for any parents-first order.
    std::map<AssetId, std::vector<const Asset *>> children;
    for (const Asset &a : data.assets)
        children[a.parent].push_back(&a);
    std::vector<const Asset *> ordered;
    std::vector<AssetId> level{kNoAsset};
    for (std::size_t i = 0; i < level.size(); ++i)
        for (const Asset *a : children[level[i]]) {
            ordered.push_back(a);
            level.push_back(a->id);
        }
    json assets = json::array();
    for (const Asset *pa : ordered) {
        const Asset &a = *pa;
        assets.push_back({{"id", a.id},
                          {"parent", a.parent},
                          {"name", a.name},
                          {"type", a.typeId},
                          {"properties", json::parse(propertiesToJson(a.properties))},
                          {"placement", json::parse(placementToJson(a.placement))}});
    }
    std::vector<const Relationship *> rels;
    for (const Relationship &r : data.relationships)
        rels.push_back(&r);
    std::sort(rels.begin(), rels.end(), [](auto *a, auto *b) { return a->id < b->id; });
    json relationships = json::array();
    for (const Relationship *r : rels)
        relationships.push_back({{"id", r->id},
                                 {"name", r->name},
                                 {"source", r->source},
                                 {"target", r->target},
                                 {"properties", json::parse(propertiesToJson(r->properties))}});
    json meta = json::object();
    for (const auto &[key, value] : data.meta)
        if (isModelMeta(key))
            meta[key] = value;
    // nlohmann::json keeps object keys sorted: the dump is canonical.
    return json{
        {"format", 1}, {"types", types}, {"assets", assets}, {"relationships", relationships}, {"meta", meta}}
        .dump();
}

Result<ProjectData> modelPartFromJson(const std::string &text)
{
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object() || !j.contains("types") || !j.contains("assets"))
        return Error{"model part: not a JSON object with types and assets"};
    ProjectData data;
    try {
        for (const json &t : j.at("types")) {
            auto type = typeFromJson(t.dump());
            if (!type)
                return Error{"model part: type: " + type.error()};
            data.types.push_back(std::move(type.value()));
        }
        for (const json &a : j.at("assets")) {
            Asset asset;
            asset.id = a.at("id").get<AssetId>();
            asset.parent = a.at("parent").get<AssetId>();
            asset.name = a.at("name").get<std::string>();
            asset.typeId = a.at("type").get<std::string>();
            asset.properties = propertiesFromJson(a.at("properties").dump());
            asset.placement = placementFromJson(a.at("placement").dump());
            data.assets.push_back(std::move(asset));
        }
        for (const json &r : j.value("relationships", json::array())) {
            Relationship rel;
            rel.id = r.at("id").get<RelationshipId>();
            rel.name = r.at("name").get<std::string>();
            rel.source = r.at("source").get<AssetId>();
            rel.target = r.at("target").get<AssetId>();
            rel.properties = propertiesFromJson(r.at("properties").dump());
            data.relationships.push_back(std::move(rel));
        }
        const json meta = j.value("meta", json::object()); // kept alive while items() walks it
        for (const auto &[key, value] : meta.items())
            data.meta[key] = value.get<std::string>();
    } catch (const std::exception &e) {
        return Error{std::string("model part: ") + e.what()};
    }
    return data;
}

std::string sha256Hex(const std::string &bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_sha256(), nullptr);
    std::string hex = "sha256:";
    char two[3];
    for (unsigned int i = 0; i < n; ++i) {
        std::snprintf(two, sizeof two, "%02x", digest[i]);
        hex += two;
    }
    return hex;
}

} // namespace twin::model::lifecycle
