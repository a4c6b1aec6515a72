#include "twin/model/dtdl/DtdlExporter.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

namespace twin::model::dtdl {

namespace {

using json = nlohmann::ordered_json;

class Exporter
{
public:
    Exporter(std::set<std::string> &emittedSchemas, int version)
        : m_emitted(emittedSchemas), m_version(version)
    {
    }
    // What this version cannot say, naming the element ("" when all is well).
    const std::string &problem() const { return m_problem; }

    json interfaceJson(const AssetType &type)
    {
        m_type = type.id;
        const std::string dtdlContext = m_version >= 4 ? "dtmi:dtdl:context;4" : "dtmi:dtdl:context;3";
        json j;
        j["@context"] = dtdlContext;
        j["@id"] = type.id;
        j["@type"] = "Interface";
        addText(j, "displayName", type.displayName);
        addText(j, "description", type.description);
        if (type.extends.size() == 1)
            j["extends"] = type.extends.front();
        else if (!type.extends.empty())
            j["extends"] = type.extends;
        json contents = json::array();
        for (const auto &p : type.properties)
            contents.push_back(propertyJson(p));
        for (const auto &t : type.telemetry)
            contents.push_back(telemetryJson(t));
        for (const auto &c : type.commands)
            contents.push_back(commandJson(c));
        for (const auto &r : type.relationships)
            contents.push_back(relationshipJson(r));
        for (const auto &c : type.components)
            contents.push_back(componentJson(c));
        if (!contents.empty())
            j["contents"] = contents;
        if (m_quantitative)
            j["@context"] =
                json::array({dtdlContext, m_version >= 4 ? "dtmi:dtdl:extension:quantitativeTypes;2"
                                                         : "dtmi:dtdl:extension:quantitativeTypes;1"});
        return j;
    }

private:
    static void addText(json &j, const char *key, const LangMap &text)
    {
        if (text.empty())
            return;
        if (text.size() == 1 && text.begin()->first == "en") {
            j[key] = text.begin()->second;
            return;
        }
        json map = json::object();
        for (const auto &[lang, value] : text)
            map[lang] = value;
        j[key] = map;
    }

    json typeWithSemantic(const char *cls, const std::string &semanticType, const std::string &unit)
    {
        if (semanticType.empty() && unit.empty())
            return cls;
        m_quantitative = true;
        return semanticType.empty() ? json(cls) : json::array({cls, semanticType});
    }

    void common(json &j, const std::string &name, const std::string &id, const LangMap &displayName,
                const LangMap &description)
    {
        if (!id.empty())
            j["@id"] = id;
        j["name"] = name;
        addText(j, "displayName", displayName);
        addText(j, "description", description);
    }

    void needsV4(const std::string &what)
    {
        if (m_version < 4 && m_problem.empty())
            m_problem = m_type + ": " + what + " needs DTDL v4";
    }

    json schemaJson(const SchemaPtr &schema)
    {
        if (!schema)
            return "string";
        const SchemaKind kind = schema->kind;
        if (kind != SchemaKind::Enum && kind != SchemaKind::Object && kind != SchemaKind::Map &&
            kind != SchemaKind::Array) {
            if (kind == SchemaKind::Unknown && !schema->id.empty())
                return schema->id; // unresolved reference
            if (kind == SchemaKind::ScaledDecimal)
                needsV4("the scaledDecimal schema");
            return schemaKindName(kind);
        }
        if (!schema->id.empty()) {
            if (m_open.count(schema->id))
                needsV4("schema " + schema->id + ", which refers to itself,");
            if (m_emitted.count(schema->id))
                return schema->id;
            m_emitted.insert(schema->id);
        }
        struct Open // the schemas being written, to tell a reference back to one of them
        {
            std::set<std::string> &open;
            std::string id;
            ~Open() { open.erase(id); }
        } open{m_open, schema->id};
        if (!schema->id.empty())
            m_open.insert(schema->id);
        json j;
        if (!schema->id.empty())
            j["@id"] = schema->id;
        j["@type"] = schemaKindName(kind);
        switch (kind) {
        case SchemaKind::Enum: {
            const bool integer = schema->valueSchema == SchemaKind::Integer;
            j["valueSchema"] = integer ? "integer" : "string";
            json values = json::array();
            for (const auto &v : schema->enumValues) {
                json e;
                e["name"] = v.name;
                if (!v.displayName.empty())
                    e["displayName"] = v.displayName;
                if (integer) {
                    try {
                        e["enumValue"] = std::stoll(v.value);
                    } catch (const std::exception &) {
                        e["enumValue"] = 0;
                    }
                } else {
                    e["enumValue"] = v.value;
                }
                values.push_back(e);
            }
            j["enumValues"] = values;
            break;
        }
        case SchemaKind::Object: {
            json fields = json::array();
            for (const auto &f : schema->fields) {
                json field;
                field["name"] = f.name;
                if (!f.displayName.empty())
                    field["displayName"] = f.displayName;
                field["schema"] = schemaJson(f.schema);
                fields.push_back(field);
            }
            j["fields"] = fields;
            break;
        }
        case SchemaKind::Map:
            j["mapKey"] = {{"name", schema->mapKeyName.empty() ? "key" : schema->mapKeyName},
                           {"schema", "string"}};
            j["mapValue"] = {{"name", schema->mapValueName.empty() ? "value" : schema->mapValueName},
                             {"schema", schemaJson(schema->mapValue)}};
            break;
        case SchemaKind::Array:
            j["elementSchema"] = schemaJson(schema->elementSchema);
            break;
        default:
            break;
        }
        return j;
    }

    json propertyJson(const PropertyDescriptor &p)
    {
        json j;
        j["@type"] = typeWithSemantic("Property", p.semanticType, p.unit);
        common(j, p.name, p.id, p.displayName, p.description);
        j["schema"] = schemaJson(p.schema);
        if (!p.unit.empty())
            j["unit"] = p.unit;
        if (p.writable)
            j["writable"] = true;
        return j;
    }

    json telemetryJson(const TelemetryDescriptor &t)
    {
        json j;
        j["@type"] = typeWithSemantic("Telemetry", t.semanticType, t.unit);
        common(j, t.name, t.id, t.displayName, t.description);
        j["schema"] = schemaJson(t.schema);
        if (!t.unit.empty())
            j["unit"] = t.unit;
        return j;
    }

    json commandJson(const CommandDescriptor &c)
    {
        json j;
        j["@type"] = "Command";
        common(j, c.name, c.id, c.displayName, c.description);
        if (c.request)
            j["request"] = {{"name", c.requestName.empty() ? "request" : c.requestName},
                            {"schema", schemaJson(c.request)}};
        if (c.response)
            j["response"] = {{"name", c.responseName.empty() ? "response" : c.responseName},
                             {"schema", schemaJson(c.response)}};
        return j;
    }

    json relationshipJson(const RelationshipDescriptor &r)
    {
        json j;
        j["@type"] = "Relationship";
        common(j, r.name, r.id, r.displayName, r.description);
        if (!r.target.empty())
            j["target"] = r.target;
        if (r.minMultiplicity)
            j["minMultiplicity"] = *r.minMultiplicity;
        if (r.maxMultiplicity)
            j["maxMultiplicity"] = *r.maxMultiplicity;
        if (r.writable)
            j["writable"] = true;
        if (!r.properties.empty()) {
            json props = json::array();
            for (const auto &p : r.properties)
                props.push_back(propertyJson(p));
            j["properties"] = props;
        }
        return j;
    }

    json componentJson(const ComponentDescriptor &c)
    {
        json j;
        j["@type"] = "Component";
        common(j, c.name, c.id, c.displayName, c.description);
        j["schema"] = c.schema;
        return j;
    }

    std::set<std::string> &m_emitted;
    const int m_version;
    std::set<std::string> m_open;
    std::string m_type, m_problem;
    bool m_quantitative = false;
};

// "@context" first for readability: rebuild with the context at the front.
std::string dumpInterface(const AssetType &type, std::set<std::string> &emitted, int version,
                          std::string &problem)
{
    Exporter exporter(emitted, version);
    json body = exporter.interfaceJson(type);
    problem = exporter.problem();
    json ordered;
    ordered["@context"] = body["@context"];
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != "@context")
            ordered[it.key()] = it.value();
    return ordered.dump(2) + "\n";
}

} // namespace

twin::Result<std::string> exportInterface(const AssetType &type, int version)
{
    if (version != 3 && version != 4)
        return twin::Error{"DTDL export writes version 3 or 4, not " + std::to_string(version)};
    std::set<std::string> emitted;
    std::string problem;
    std::string text = dumpInterface(type, emitted, version, problem);
    if (!problem.empty())
        return twin::Error{problem};
    return text;
}

std::string exportInterfaceV3(const AssetType &type)
{
    std::set<std::string> emitted;
    std::string problem;
    return dumpInterface(type, emitted, 3, problem);
}

std::string fileNameForDtmi(const std::string &dtmi)
{
    std::string name;
    for (char c : dtmi) {
        if (c == ':')
            name += '_';
        else if (c == ';')
            name += '-';
        else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')
            name += c;
        else
            name += '_';
    }
    return name + ".json";
}

twin::Status exportDtdl(const TypeRegistry &registry, const std::string &directory, int version)
{
    namespace fs = std::filesystem;
    if (version != 3 && version != 4)
        return twin::Error{"DTDL export writes version 3 or 4, not " + std::to_string(version)};
    std::vector<std::pair<fs::path, std::string>> files;
    std::set<std::string> emitted;
    for (const auto &[id, type] : registry.all()) {
        std::string problem;
        files.emplace_back(fs::path(directory) / fileNameForDtmi(id),
                           dumpInterface(type, emitted, version, problem));
        if (!problem.empty())
            return twin::Error{problem + " (export as DTDL v4)"};
    }
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec)
        return twin::Error{directory + ": cannot create directory: " + ec.message()};
    for (const auto &[file, text] : files) {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        if (!out)
            return twin::Error{file.string() + ": cannot open for writing"};
        out << text;
        if (!out)
            return twin::Error{file.string() + ": write failed"};
    }
    return twin::okStatus();
}

} // namespace twin::model::dtdl
