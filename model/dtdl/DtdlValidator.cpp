#include "twin/model/dtdl/DtdlValidator.h"

#include "twin/model/dtdl/DtdlMetamodel.h"

#include <functional>
#include <map>
#include <set>

namespace twin::model::dtdl::detail {

namespace {

class Validator
{
public:
    Validator(const Model &model, Diagnostics &diag) : m_model(model), m_diag(diag) {}

    void run()
    {
        checkDuplicates();
        for (size_t i = 0; i < m_model.nodes.size(); ++i)
            checkReferences(static_cast<int>(i));
        for (size_t i = 0; i < m_model.nodes.size(); ++i)
            checkNode(static_cast<int>(i));
    }

private:
    void error(const Node &node, const std::string &path, const std::string &rule, const std::string &message)
    {
        m_diag.error(node.file, path.empty() ? node.path : path, rule, message);
    }

    // Resolves a value to an element index; -1 for primitives and unresolved references.
    int target(const Ref &ref) const
    {
        if (ref.node >= 0)
            return ref.node;
        if (ref.primitive)
            return -1;
        return m_model.find(ref.id);
    }

    int root(int index) const
    {
        while (m_model.nodes[index].parent >= 0)
            index = m_model.nodes[index].parent;
        return index;
    }

    // Two elements with the same content (class, co-types, values, and inline elements alike; references by
    // id), whatever their paths.
    bool sameDefinition(int a, int b, int depth = 0) const
    {
        const Node &x = m_model.nodes[a], &y = m_model.nodes[b];
        if (depth > 32 || x.cls != y.cls || x.semanticTypes != y.semanticTypes || x.cotypes != y.cotypes ||
            x.strings != y.strings || x.texts != y.texts || x.ints != y.ints || x.bools != y.bools ||
            x.refs.size() != y.refs.size() || x.enumValueIsInt != y.enumValueIsInt)
            return false;
        for (auto i = x.refs.begin(), j = y.refs.begin(); i != x.refs.end(); ++i, ++j) {
            if (i->first != j->first || i->second.size() != j->second.size())
                return false;
            for (std::size_t k = 0; k < i->second.size(); ++k) {
                const Ref &r = i->second[k], &s = j->second[k];
                if ((r.node >= 0) != (s.node >= 0) || r.primitive != s.primitive)
                    return false;
                if (r.node >= 0 ? !sameDefinition(r.node, s.node, depth + 1) : r.id != s.id)
                    return false;
            }
        }
        return true;
    }

    void checkDuplicates()
    {
        for (auto it = m_model.byId.begin(); it != m_model.byId.end();) {
            const auto range = m_model.byId.equal_range(it->first);
            const int first = range.first->second;
            for (auto other = std::next(range.first); other != range.second; ++other) {
                const Node &node = m_model.nodes[other->second];
                const Node &was = m_model.nodes[first];
                // Published models repeat a nested schema identically across model versions: a convention the
                // reference parser refuses, harmless to the meaning. A different second definition is an
                // error.
                if (!m_diag.strict() && sameDefinition(first, other->second))
                    m_diag.warning(node.file, node.path + ".@id", "IdDuplicate",
                                   "@id " + it->first + " is defined again, identically (first in " +
                                       was.file + " at " + was.path + "); the first is used");
                else
                    error(node, node.path + ".@id", "IdDuplicate",
                          "@id " + it->first + " is defined more than once");
            }
            it = range.second;
        }
    }

    void checkReferences(int index)
    {
        const Node &node = m_model.nodes[index];
        for (const auto &[property, refs] : node.refs) {
            const PropertySpec *spec = findProperty(node.version, node.cls, property);
            for (const auto &ref : refs) {
                if (ref.node >= 0 || ref.primitive)
                    continue;
                const int t = m_model.find(ref.id);
                if (t < 0) {
                    m_diag.unresolved(ref.id);
                    continue;
                }
                const Node &other = m_model.nodes[t];
                if (spec && !classMatches(other.cls, spec->classes)) {
                    error(node, ref.path, "TypeConformance",
                          property + " refers to " + ref.id + " which is a " + other.cls);
                } else if (other.cls != "Interface" && !isComplexSchemaClass(other.cls) &&
                           root(t) != root(index)) {
                    error(node, ref.path, "DependencyReferenceable",
                          ref.id + " is a " + other.cls + " of another Interface and cannot be referenced");
                }
            }
        }
    }

    void checkNode(int index)
    {
        const Node &node = m_model.nodes[index];
        if (node.cls == "Interface")
            checkInterface(index);
        else if (node.cls == "Relationship")
            checkRelationship(node);
        else if (node.cls == "Object")
            checkUniqueNames(node, "fields", "NameUniqueAmongObjectFields");
        else if (node.cls == "Enum")
            checkEnum(node);
        else if (node.cls == "MapKey")
            checkMapKey(node);
        else if (node.cls == "Component")
            checkComponent(node);
        if (isComplexSchemaClass(node.cls))
            checkSchemaDepth(index);
        if (!node.semanticTypes.empty())
            checkSemanticType(node);
        if (node.version == 2 && node.cls == "Property") {
            if (const Ref *schema = node.ref("schema"))
                checkNoArray(node, *schema, 0);
        }
    }

    void checkUniqueNames(const Node &node, const std::string &property, const std::string &rule)
    {
        std::set<std::string> names;
        for (const auto &ref : node.refList(property)) {
            const int t = target(ref);
            if (t < 0)
                continue;
            auto it = m_model.nodes[t].strings.find("name");
            if (it != m_model.nodes[t].strings.end() && !names.insert(it->second).second)
                error(node, ref.path, rule, "name " + it->second + " is used twice in " + property);
        }
    }

    void checkRelationship(const Node &node)
    {
        checkUniqueNames(node, "properties", "NameUniqueAmongRelationshipProperties");
        auto min = node.ints.find("minMultiplicity");
        auto max = node.ints.find("maxMultiplicity");
        if (min != node.ints.end() && min->second != 0)
            error(node, node.path + ".minMultiplicity", "MinMultiplicityExactValue",
                  "minMultiplicity must be 0");
        if (max != node.ints.end()) {
            if (max->second < 1)
                error(node, node.path + ".maxMultiplicity", "MaxMultiplicityMinValue",
                      "maxMultiplicity must be >= 1");
            if (node.version == 2 && max->second > 500)
                error(node, node.path + ".maxMultiplicity", "MaxMultiplicityMaxValue",
                      "maxMultiplicity must be <= 500");
        }
    }

    void checkEnum(const Node &node)
    {
        checkUniqueNames(node, "enumValues", "NameUniqueAmongEnumEnumValues");
        auto vs = node.strings.find("valueSchema");
        const bool intEnum = vs != node.strings.end() && vs->second == "integer";
        std::set<std::string> values;
        for (const auto &ref : node.refList("enumValues")) {
            const int t = target(ref);
            if (t < 0)
                continue;
            const Node &value = m_model.nodes[t];
            auto ev = value.strings.find("enumValue");
            if (ev == value.strings.end())
                continue;
            if (value.enumValueIsInt != intEnum)
                error(value, value.path + ".enumValue", intEnum ? "EnumValueInteger" : "EnumValueString",
                      std::string("enumValue must be ") + (intEnum ? "an integer" : "a string"));
            else if (!values.insert(ev->second).second)
                error(value, value.path + ".enumValue", "EnumValueUniqueAmongEnumEnumValues",
                      "enumValue " + ev->second + " is used twice");
        }
    }

    void checkMapKey(const Node &node)
    {
        const Ref *schema = node.ref("schema");
        if (schema && !(schema->primitive && schema->id == "string"))
            error(node, schema->path, "SchemaSpecificValues", "mapKey schema must be string");
    }

    void checkComponent(const Node &node)
    {
        const Ref *schema = node.ref("schema");
        if (!schema)
            return;
        const int t = target(*schema);
        if (t < 0)
            return;
        std::set<int> visited;
        std::function<bool(int)> hasComponent = [&](int i) {
            if (!visited.insert(i).second)
                return false;
            const Node &iface = m_model.nodes[i];
            for (const auto &ref : iface.refList("contents")) {
                const int c = target(ref);
                if (c >= 0 && m_model.nodes[c].cls == "Component")
                    return true;
            }
            for (const auto &ref : iface.refList("extends")) {
                const int b = target(ref);
                if (b >= 0 && hasComponent(b))
                    return true;
            }
            return false;
        };
        if (hasComponent(t))
            error(node, schema->path, "SchemaContentsExcludeComponent",
                  "the schema of a Component must not contain Components");
    }

    void checkNoArray(const Node &owner, const Ref &ref, int depth)
    {
        if (depth > 10)
            return;
        if (ref.primitive) {
            if (isGeospatialSchema(ref.id))
                error(owner, ref.path, "SchemaExcludeArray",
                      "a v2 Property cannot use geospatial schema " + ref.id);
            return;
        }
        const int t = target(ref);
        if (t < 0)
            return;
        const Node &schema = m_model.nodes[t];
        if (schema.cls == "Array") {
            error(owner, ref.path, "SchemaExcludeArray", "a v2 Property cannot have an Array schema");
            return;
        }
        for (const char *property : {"fields", "mapValue"}) {
            for (const auto &sub : schema.refList(property)) {
                const int s = target(sub);
                if (s >= 0)
                    if (const Ref *inner = m_model.nodes[s].ref("schema"))
                        checkNoArray(owner, *inner, depth + 1);
            }
        }
    }

    // Depth of a schema (1 for a complex schema of primitives); -1 on a cycle unless cycles are allowed (v4),
    // where a reference back to a schema on the path adds no depth.
    int schemaDepth(int index, std::set<int> &stack, bool cyclesAllowed)
    {
        const Node &schema = m_model.nodes[index];
        if (!isComplexSchemaClass(schema.cls))
            return 0;
        if (!stack.insert(index).second)
            return cyclesAllowed ? 0 : -1;
        int deepest = 0;
        auto visit = [&](const Ref &ref) {
            const int t = target(ref);
            if (t < 0 || deepest < 0)
                return;
            const int d = schemaDepth(t, stack, cyclesAllowed);
            deepest = d < 0 ? -1 : std::max(deepest, d);
        };
        if (const Ref *e = schema.ref("elementSchema"))
            visit(*e);
        for (const char *property : {"fields", "mapValue"})
            for (const auto &sub : schema.refList(property)) {
                const int s = target(sub);
                if (s >= 0)
                    if (const Ref *inner = m_model.nodes[s].ref("schema"))
                        visit(*inner);
            }
        stack.erase(index);
        return deepest < 0 ? -1 : deepest + 1;
    }

    void checkSchemaDepth(int index)
    {
        const Node &node = m_model.nodes[index];
        std::set<int> stack;
        const int depth = schemaDepth(index, stack, allowsSelfReferentialSchemas(node.version));
        const int most = limitsFor(node.version, node.limits).schemaDepth;
        if (depth < 0)
            error(node, "", "SchemaSelfReference", "schema " + node.id + " refers to itself");
        else if (depth > most && !isComplexSchemaClass(parentClass(node)))
            error(node, "", "SchemaMaxDepth",
                  "schema nesting depth " + std::to_string(depth) + " exceeds " + std::to_string(most));
    }

    std::string parentClass(const Node &node) const
    {
        int p = node.parent;
        // Fields, MapValues sit between nested schemas.
        while (p >= 0 && (m_model.nodes[p].cls == "Field" || m_model.nodes[p].cls == "MapValue"))
            p = m_model.nodes[p].parent;
        return p >= 0 ? m_model.nodes[p].cls : std::string();
    }

    void checkSemanticType(const Node &node)
    {
        auto unit = node.strings.find("unit");
        if (unit == node.strings.end())
            return;
        for (const auto &semantic : node.semanticTypes) {
            if (!isUnitOfType(unit->second, unitTypeOf(semantic))) {
                error(node, node.path + ".unit", "CotypePropertyValueFromTable",
                      "unit " + unit->second + " is not a " + unitTypeOf(semantic) + " (semantic type " +
                          semantic + ")");
                return;
            }
        }
        if (const Ref *schema = node.ref("schema")) {
            if (!schema->primitive || !isNumericSchema(schema->id))
                error(node, schema->path, "CotypeRequiresPropertySchemaValue",
                      "a semantic type requires a numeric schema");
        }
    }

    void checkInterface(int index)
    {
        const Node &node = m_model.nodes[index];
        // extends: cycles, depth, total count
        std::set<int> all;
        bool cycle = false;
        std::function<int(int, std::set<int> &)> depthOf = [&](int i, std::set<int> &stack) -> int {
            if (!stack.insert(i).second) {
                cycle = true;
                return 0;
            }
            int deepest = 0;
            for (const auto &ref : m_model.nodes[i].refList("extends")) {
                const int b = target(ref);
                if (b < 0 || cycle)
                    continue;
                all.insert(b);
                deepest = std::max(deepest, 1 + depthOf(b, stack));
            }
            stack.erase(i);
            return deepest;
        };
        std::set<int> stack;
        const int depth = depthOf(index, stack);
        if (cycle) {
            error(node, node.path + ".extends", "ExtendsSelfReference", node.id + " extends itself");
            return;
        }
        if (const int most = limitsFor(node.version, node.limits).extendsDepth; depth > most)
            error(node, node.path + ".extends", "ExtendsMaxDepth",
                  "extends depth " + std::to_string(depth) + " exceeds " + std::to_string(most));
        if (node.version >= 3 && static_cast<int>(all.size()) > kMaxExtendsTotalV3)
            error(node, node.path + ".extends", "ExtendsMaxCount",
                  "more than " + std::to_string(kMaxExtendsTotalV3) + " interfaces extended");
        // names unique among own and inherited contents
        std::map<std::string, int> names;
        std::set<int> lineage = all;
        lineage.insert(index);
        for (int i : lineage) {
            for (const auto &ref : m_model.nodes[i].refList("contents")) {
                const int c = target(ref);
                if (c < 0)
                    continue;
                auto it = m_model.nodes[c].strings.find("name");
                if (it == m_model.nodes[c].strings.end())
                    continue;
                auto [pos, inserted] = names.emplace(it->second, c);
                if (!inserted && pos->second != c) {
                    error(node, node.path + ".contents", "NameUniqueAmongInterfaceContents",
                          "name " + it->second + " is used twice among the contents of " + node.id);
                    return;
                }
            }
        }
    }

    const Model &m_model;
    Diagnostics &m_diag;
};

} // namespace

void validateModel(const Model &model, Diagnostics &diag)
{
    Validator(model, diag).run();
}

} // namespace twin::model::dtdl::detail
