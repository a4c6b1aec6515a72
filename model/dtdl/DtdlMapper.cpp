#include "twin/model/dtdl/DtdlMapper.h"

#include <algorithm>
#include <memory>
#include <set>

namespace twin::model::dtdl::detail {

namespace {

class Mapper
{
public:
    explicit Mapper(const Model &model) : m_model(model) {}

    AssetType mapInterface(const Node &node)
    {
        AssetType type;
        type.id = node.id;
        type.dtdlVersion = node.version;
        type.displayName = text(node, "displayName");
        type.description = text(node, "description");
        type.sourceFile = node.file;
        for (const auto &ref : node.refList("extends"))
            type.extends.push_back(ref.node >= 0 ? m_model.nodes[ref.node].id : ref.id);
        for (const auto &ref : node.refList("contents")) {
            const Node *content = resolve(ref);
            if (!content)
                continue;
            if (content->cls == "Property")
                type.properties.push_back(mapProperty(*content));
            else if (content->cls == "Telemetry")
                type.telemetry.push_back(mapTelemetry(*content));
            else if (content->cls == "Command")
                type.commands.push_back(mapCommand(*content));
            else if (content->cls == "Relationship")
                type.relationships.push_back(mapRelationship(*content));
            else if (content->cls == "Component")
                type.components.push_back(mapComponent(*content));
        }
        return type;
    }

private:
    const Node *resolve(const Ref &ref) const
    {
        if (ref.node >= 0)
            return &m_model.nodes[ref.node];
        if (ref.primitive)
            return nullptr;
        const int index = m_model.find(ref.id);
        return index >= 0 ? &m_model.nodes[index] : nullptr;
    }

    static LangMap text(const Node &node, const std::string &property)
    {
        auto it = node.texts.find(property);
        return it == node.texts.end() ? LangMap() : it->second;
    }

    static std::string str(const Node &node, const std::string &property)
    {
        auto it = node.strings.find(property);
        return it == node.strings.end() ? std::string() : it->second;
    }

    static std::string ownId(const Node &node) { return node.explicitId ? node.id : std::string(); }

    SchemaPtr schemaOf(const Node &owner, const std::string &property, int depth = 0)
    {
        const Ref *ref = owner.ref(property);
        return ref ? buildSchema(*ref, depth) : SchemaPtr();
    }

    SchemaPtr buildSchema(const Ref &ref, int depth)
    {
        if (ref.primitive)
            return Schema::primitive(schemaKindFromName(ref.id));
        const Node *node = resolve(ref);
        if (!node || depth > 32) {
            auto unknown = std::make_shared<Schema>();
            unknown->id = ref.id;
            return unknown;
        }
        auto schema = std::make_shared<Schema>();
        schema->kind = schemaKindFromName(node->cls);
        schema->id = ownId(*node);
        // A v4 schema that refers back to one being built (itself, or one that contains it): named, not
        // expanded again.
        if (!m_building.insert(node).second) {
            schema->id = node->id;
            return schema;
        }
        struct Built
        {
            std::set<const Node *> &building;
            const Node *node;
            ~Built() { building.erase(node); }
        } built{m_building, node};
        if (node->cls == "Array") {
            schema->elementSchema = schemaOf(*node, "elementSchema", depth + 1);
        } else if (node->cls == "Enum") {
            schema->valueSchema =
                str(*node, "valueSchema") == "integer" ? SchemaKind::Integer : SchemaKind::String;
            for (const auto &valueRef : node->refList("enumValues")) {
                if (const Node *value = resolve(valueRef))
                    schema->enumValues.push_back({str(*value, "name"), pickText(text(*value, "displayName")),
                                                  str(*value, "enumValue")});
            }
        } else if (node->cls == "Object") {
            for (const auto &fieldRef : node->refList("fields")) {
                if (const Node *field = resolve(fieldRef))
                    schema->fields.push_back({str(*field, "name"), pickText(text(*field, "displayName")),
                                              schemaOf(*field, "schema", depth + 1)});
            }
        } else if (node->cls == "Map") {
            if (const Ref *keyRef = node->ref("mapKey"))
                if (const Node *key = resolve(*keyRef))
                    schema->mapKeyName = str(*key, "name");
            if (const Ref *valueRef = node->ref("mapValue"))
                if (const Node *value = resolve(*valueRef)) {
                    schema->mapValueName = str(*value, "name");
                    schema->mapValue = schemaOf(*value, "schema", depth + 1);
                }
        }
        return schema;
    }

    PropertyDescriptor mapProperty(const Node &node)
    {
        PropertyDescriptor p;
        p.name = str(node, "name");
        p.id = ownId(node);
        p.displayName = text(node, "displayName");
        p.description = text(node, "description");
        p.schema = schemaOf(node, "schema");
        p.semanticType = node.semanticTypes.empty() ? std::string() : node.semanticTypes.front();
        p.unit = str(node, "unit");
        auto w = node.bools.find("writable");
        p.writable = w != node.bools.end() && w->second;
        return p;
    }

    TelemetryDescriptor mapTelemetry(const Node &node)
    {
        TelemetryDescriptor t;
        t.name = str(node, "name");
        t.id = ownId(node);
        t.displayName = text(node, "displayName");
        t.description = text(node, "description");
        t.schema = schemaOf(node, "schema");
        t.semanticType = node.semanticTypes.empty() ? std::string() : node.semanticTypes.front();
        t.unit = str(node, "unit");
        return t;
    }

    CommandDescriptor mapCommand(const Node &node)
    {
        CommandDescriptor c;
        c.name = str(node, "name");
        c.id = ownId(node);
        c.displayName = text(node, "displayName");
        c.description = text(node, "description");
        if (const Ref *r = node.ref("request"))
            if (const Node *request = resolve(*r)) {
                c.requestName = str(*request, "name");
                c.request = schemaOf(*request, "schema");
            }
        if (const Ref *r = node.ref("response"))
            if (const Node *response = resolve(*r)) {
                c.responseName = str(*response, "name");
                c.response = schemaOf(*response, "schema");
            }
        return c;
    }

    RelationshipDescriptor mapRelationship(const Node &node)
    {
        RelationshipDescriptor r;
        r.name = str(node, "name");
        r.id = ownId(node);
        r.displayName = text(node, "displayName");
        r.description = text(node, "description");
        r.target = str(node, "target");
        if (auto it = node.ints.find("minMultiplicity"); it != node.ints.end())
            r.minMultiplicity = static_cast<int>(it->second);
        if (auto it = node.ints.find("maxMultiplicity"); it != node.ints.end())
            r.maxMultiplicity = static_cast<int>(it->second);
        auto w = node.bools.find("writable");
        r.writable = w != node.bools.end() && w->second;
        for (const auto &ref : node.refList("properties"))
            if (const Node *p = resolve(ref))
                r.properties.push_back(mapProperty(*p));
        return r;
    }

    ComponentDescriptor mapComponent(const Node &node)
    {
        ComponentDescriptor c;
        c.name = str(node, "name");
        c.id = ownId(node);
        c.displayName = text(node, "displayName");
        c.description = text(node, "description");
        if (const Ref *s = node.ref("schema"))
            c.schema = s->node >= 0 ? m_model.nodes[s->node].id : s->id;
        return c;
    }

    const Model &m_model;
    std::set<const Node *> m_building; // complex schemas being built, outermost first
};

} // namespace

std::vector<AssetType> mapInterfaces(const Model &model)
{
    Mapper mapper(model);
    std::vector<AssetType> types;
    for (const auto &node : model.nodes)
        if (node.cls == "Interface" && node.explicitId)
            types.push_back(mapper.mapInterface(node));
    std::sort(types.begin(), types.end(), [](const AssetType &a, const AssetType &b) { return a.id < b.id; });
    return types;
}

} // namespace twin::model::dtdl::detail
