#pragma once
// All asset types of a project, with inheritance resolved on demand.
#include "twin/model/types/AssetType.h"

#include <map>
#include <string>
#include <vector>

namespace twin::model {

class TypeRegistry
{
public:
    void add(AssetType type); // replaces a type with the same id
    bool contains(const std::string &id) const;
    const AssetType *find(const std::string &id) const;
    const std::map<std::string, AssetType> &all() const { return m_types; }
    size_t size() const { return m_types.size(); }
    void clear() { m_types.clear(); }

    // Own and inherited members, nearest definition first; extends cycles are tolerated.
    std::vector<const PropertyDescriptor *> properties(const std::string &id) const;
    std::vector<const TelemetryDescriptor *> telemetry(const std::string &id) const;
    std::vector<const RelationshipDescriptor *> relationships(const std::string &id) const;
    std::vector<const ComponentDescriptor *> components(const std::string &id) const;
    const PropertyDescriptor *property(const std::string &typeId, const std::string &name) const;
    const RelationshipDescriptor *relationship(const std::string &typeId, const std::string &name) const;

    // True when typeId is baseId or extends it (transitively).
    bool isA(const std::string &typeId, const std::string &baseId) const;
    // Ancestors in breadth-first order, without typeId itself.
    std::vector<std::string> ancestors(const std::string &typeId) const;

private:
    std::vector<const AssetType *> lineage(const std::string &id) const; // self first
    std::map<std::string, AssetType> m_types;
};

} // namespace twin::model
