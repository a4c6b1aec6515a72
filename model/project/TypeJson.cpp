#include "twin/model/project/TypeJson.h"

#include <nlohmann/json.hpp>

namespace twin::model {
using nlohmann::json;

namespace {
json langToJson(const LangMap &m)
{
    return json(m);
}
LangMap langFromJson(const json &j)
{
    return j.is_object() ? j.get<LangMap>() : LangMap{};
}

json schemaToJson(const SchemaPtr &schema)
{
    if (!schema)
        return nullptr;
    json j{{"kind", schemaKindName(schema->kind)}};
    if (!schema->id.empty())
        j["id"] = schema->id;
    switch (schema->kind) {
    case SchemaKind::Enum:
        j["valueSchema"] = schemaKindName(schema->valueSchema);
        for (const auto &v : schema->enumValues)
            j["values"].push_back({{"name", v.name}, {"displayName", v.displayName}, {"value", v.value}});
        break;
    case SchemaKind::Object:
        j["fields"] = json::array();
        for (const auto &f : schema->fields)
            j["fields"].push_back(
                {{"name", f.name}, {"displayName", f.displayName}, {"schema", schemaToJson(f.schema)}});
        break;
    case SchemaKind::Map:
        j["keyName"] = schema->mapKeyName;
        j["valueName"] = schema->mapValueName;
        j["value"] = schemaToJson(schema->mapValue);
        break;
    case SchemaKind::Array:
        j["element"] = schemaToJson(schema->elementSchema);
        break;
    default:
        break;
    }
    return j;
}

SchemaPtr schemaFromJson(const json &j)
{
    if (!j.is_object())
        return nullptr;
    auto schema = std::make_shared<Schema>();
    schema->kind = schemaKindFromName(j.value("kind", ""));
    schema->id = j.value("id", "");
    schema->valueSchema = schemaKindFromName(j.value("valueSchema", "string"));
    if (j.contains("values"))
        for (const auto &v : j["values"])
            schema->enumValues.push_back(
                {v.value("name", ""), v.value("displayName", ""), v.value("value", "")});
    if (j.contains("fields"))
        for (const auto &f : j["fields"])
            schema->fields.push_back(
                {f.value("name", ""), f.value("displayName", ""), schemaFromJson(f["schema"])});
    schema->mapKeyName = j.value("keyName", "");
    schema->mapValueName = j.value("valueName", "");
    if (j.contains("value"))
        schema->mapValue = schemaFromJson(j["value"]);
    if (j.contains("element"))
        schema->elementSchema = schemaFromJson(j["element"]);
    return schema;
}

json propertyToJson(const PropertyDescriptor &p)
{
    json j{{"name", p.name},
           {"id", p.id},
           {"displayName", langToJson(p.displayName)},
           {"description", langToJson(p.description)},
           {"schema", schemaToJson(p.schema)},
           {"semanticType", p.semanticType},
           {"unit", p.unit},
           {"writable", p.writable},
           {"default", p.defaultValue}};
    if (p.minimum)
        j["minimum"] = *p.minimum;
    if (p.maximum)
        j["maximum"] = *p.maximum;
    return j;
}

PropertyDescriptor propertyFromJson(const json &j)
{
    PropertyDescriptor p;
    p.name = j.value("name", "");
    p.id = j.value("id", "");
    p.displayName = langFromJson(j.value("displayName", json::object()));
    p.description = langFromJson(j.value("description", json::object()));
    p.schema = schemaFromJson(j.value("schema", json()));
    p.semanticType = j.value("semanticType", "");
    p.unit = j.value("unit", "");
    p.writable = j.value("writable", false);
    p.defaultValue = j.value("default", "");
    if (j.contains("minimum"))
        p.minimum = j["minimum"].get<double>();
    if (j.contains("maximum"))
        p.maximum = j["maximum"].get<double>();
    return p;
}
} // namespace

std::string typeToJson(const AssetType &t)
{
    json j{{"id", t.id},
           {"dtdlVersion", t.dtdlVersion},
           {"displayName", langToJson(t.displayName)},
           {"description", langToJson(t.description)},
           {"extends", t.extends},
           {"sourceFile", t.sourceFile},
           {"properties", json::array()},
           {"telemetry", json::array()},
           {"commands", json::array()},
           {"relationships", json::array()},
           {"components", json::array()}};
    for (const auto &p : t.properties)
        j["properties"].push_back(propertyToJson(p));
    for (const auto &m : t.telemetry) {
        json mj{{"name", m.name},
                {"id", m.id},
                {"displayName", langToJson(m.displayName)},
                {"description", langToJson(m.description)},
                {"schema", schemaToJson(m.schema)},
                {"semanticType", m.semanticType},
                {"unit", m.unit}};
        if (m.minimum)
            mj["minimum"] = *m.minimum;
        if (m.maximum)
            mj["maximum"] = *m.maximum;
        j["telemetry"].push_back(mj);
    }
    for (const auto &c : t.commands)
        j["commands"].push_back({{"name", c.name},
                                 {"id", c.id},
                                 {"displayName", langToJson(c.displayName)},
                                 {"description", langToJson(c.description)},
                                 {"requestName", c.requestName},
                                 {"request", schemaToJson(c.request)},
                                 {"responseName", c.responseName},
                                 {"response", schemaToJson(c.response)}});
    for (const auto &r : t.relationships) {
        json rj{{"name", r.name},
                {"id", r.id},
                {"displayName", langToJson(r.displayName)},
                {"description", langToJson(r.description)},
                {"target", r.target},
                {"writable", r.writable},
                {"properties", json::array()}};
        if (r.minMultiplicity)
            rj["minMultiplicity"] = *r.minMultiplicity;
        if (r.maxMultiplicity)
            rj["maxMultiplicity"] = *r.maxMultiplicity;
        for (const auto &p : r.properties)
            rj["properties"].push_back(propertyToJson(p));
        j["relationships"].push_back(rj);
    }
    for (const auto &c : t.components)
        j["components"].push_back({{"name", c.name},
                                   {"id", c.id},
                                   {"displayName", langToJson(c.displayName)},
                                   {"description", langToJson(c.description)},
                                   {"schema", c.schema}});
    return j.dump();
}

Result<AssetType> typeFromJson(const std::string &text)
{
    try {
        const json j = json::parse(text);
        AssetType t;
        t.id = j.at("id").get<std::string>();
        t.dtdlVersion = j.value("dtdlVersion", 3);
        t.displayName = langFromJson(j.value("displayName", json::object()));
        t.description = langFromJson(j.value("description", json::object()));
        t.extends = j.value("extends", std::vector<std::string>{});
        t.sourceFile = j.value("sourceFile", "");
        for (const auto &p : j.value("properties", json::array()))
            t.properties.push_back(propertyFromJson(p));
        for (const auto &m : j.value("telemetry", json::array())) {
            TelemetryDescriptor d{m.value("name", ""),
                                  m.value("id", ""),
                                  langFromJson(m.value("displayName", json::object())),
                                  langFromJson(m.value("description", json::object())),
                                  schemaFromJson(m.value("schema", json())),
                                  m.value("semanticType", ""),
                                  m.value("unit", ""),
                                  std::nullopt,
                                  std::nullopt};
            if (m.contains("minimum"))
                d.minimum = m["minimum"].get<double>();
            if (m.contains("maximum"))
                d.maximum = m["maximum"].get<double>();
            t.telemetry.push_back(std::move(d));
        }
        for (const auto &c : j.value("commands", json::array()))
            t.commands.push_back({c.value("name", ""), c.value("id", ""),
                                  langFromJson(c.value("displayName", json::object())),
                                  langFromJson(c.value("description", json::object())),
                                  c.value("requestName", ""), schemaFromJson(c.value("request", json())),
                                  c.value("responseName", ""), schemaFromJson(c.value("response", json()))});
        for (const auto &rj : j.value("relationships", json::array())) {
            RelationshipDescriptor r;
            r.name = rj.value("name", "");
            r.id = rj.value("id", "");
            r.displayName = langFromJson(rj.value("displayName", json::object()));
            r.description = langFromJson(rj.value("description", json::object()));
            r.target = rj.value("target", "");
            r.writable = rj.value("writable", false);
            if (rj.contains("minMultiplicity"))
                r.minMultiplicity = rj["minMultiplicity"].get<int>();
            if (rj.contains("maxMultiplicity"))
                r.maxMultiplicity = rj["maxMultiplicity"].get<int>();
            for (const auto &p : rj.value("properties", json::array()))
                r.properties.push_back(propertyFromJson(p));
            t.relationships.push_back(std::move(r));
        }
        for (const auto &c : j.value("components", json::array()))
            t.components.push_back(
                {c.value("name", ""), c.value("id", ""), langFromJson(c.value("displayName", json::object())),
                 langFromJson(c.value("description", json::object())), c.value("schema", "")});
        return t;
    } catch (const json::exception &e) {
        return Error{std::string("type JSON: ") + e.what()};
    }
}

} // namespace twin::model
