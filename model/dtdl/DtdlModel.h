#pragma once
// Internal representation of parsed DTDL elements, shared by the reader, validator and mapper.
#include "twin/model/dtdl/DtdlImporter.h"
#include "twin/model/dtdl/DtdlMetamodel.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace twin::model::dtdl::detail {

// A value of an element-valued property: an inline element, a primitive schema term or a reference (DTMI).
struct Ref
{
    int node = -1;          // inline element index into Model::nodes
    std::string id;         // referenced DTMI or primitive schema term
    bool primitive = false; // id is a primitive schema term ("double")
    std::string path;       // JSON path of the value
};

struct Node
{
    std::string cls; // material DTDL class: Interface, Property, Telemetry, ...
    std::string id;  // @id or a generated id
    bool explicitId = false;
    int version = 3;
    LimitSet limits = LimitSet::Core; // which limits apply to it (a v4 limit extension)
    std::string file;
    std::string path;
    int parent = -1;
    std::string viaProperty; // property of the parent that holds this element
    std::vector<std::string> semanticTypes;
    std::vector<std::string> cotypes; // all co-types as written (normalized terms)
    bool undefinedCotype = false;
    std::map<std::string, std::string>
        strings;                           // name, comment, unit, target, commandType, valueSchema, enumValue
    std::map<std::string, LangMap> texts;  // displayName, description
    std::map<std::string, long long> ints; // minMultiplicity, maxMultiplicity
    std::map<std::string, bool> bools;     // writable, nullable
    std::map<std::string, std::vector<Ref>> refs; // contents, extends, schemas, schema, fields, ...
    bool enumValueIsInt = false;
    const std::vector<Ref> &refList(const std::string &property) const;
    const Ref *ref(const std::string &property) const; // first value or nullptr
};

struct Model
{
    std::vector<Node> nodes;
    std::vector<int> topLevel;             // indices of top-level Interfaces
    std::multimap<std::string, int> byId;  // explicit ids
    int find(const std::string &id) const; // -1 when undefined
};

// Collects issues with file / JSON path / rule.
class Diagnostics
{
public:
    explicit Diagnostics(ImportResult &result, bool strict = true) : m_result(result), m_strict(strict) {}
    bool strict() const { return m_strict; }
    void error(const std::string &file, const std::string &path, const std::string &rule,
               const std::string &message);
    void warning(const std::string &file, const std::string &path, const std::string &rule,
                 const std::string &message);
    void unresolved(const std::string &id) { m_unresolved.insert(id); }
    const std::set<std::string> &unresolvedIds() const { return m_unresolved; }
    size_t errorCount() const { return m_result.errors.size(); }

private:
    ImportResult &m_result;
    bool m_strict;
    std::set<std::string> m_unresolved;
};

} // namespace twin::model::dtdl::detail
