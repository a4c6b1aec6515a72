#include "twin/model/types/TypeRegistry.h"

#include <deque>
#include <set>

namespace twin::model {

std::string pickText(const LangMap &text, const std::string &fallback)
{
    if (auto it = text.find("en"); it != text.end())
        return it->second;
    if (!text.empty())
        return text.begin()->second;
    return fallback;
}

std::string AssetType::label() const
{
    std::string last = id;
    if (auto colon = last.rfind(':'); colon != std::string::npos)
        last = last.substr(colon + 1);
    if (auto semi = last.find(';'); semi != std::string::npos)
        last = last.substr(0, semi);
    return pickText(displayName, last);
}

void TypeRegistry::add(AssetType type)
{
    auto id = type.id;
    m_types.insert_or_assign(std::move(id), std::move(type));
}

bool TypeRegistry::contains(const std::string &id) const
{
    return m_types.count(id) != 0;
}

const AssetType *TypeRegistry::find(const std::string &id) const
{
    auto it = m_types.find(id);
    return it == m_types.end() ? nullptr : &it->second;
}

std::vector<const AssetType *> TypeRegistry::lineage(const std::string &id) const
{
    std::vector<const AssetType *> out;
    std::set<std::string> seen;
    std::deque<std::string> queue{id};
    while (!queue.empty()) {
        auto current = queue.front();
        queue.pop_front();
        if (!seen.insert(current).second)
            continue;
        const AssetType *type = find(current);
        if (!type)
            continue;
        out.push_back(type);
        for (const auto &base : type->extends)
            queue.push_back(base);
    }
    return out;
}

std::vector<std::string> TypeRegistry::ancestors(const std::string &typeId) const
{
    std::vector<std::string> out;
    for (const AssetType *type : lineage(typeId))
        if (type->id != typeId)
            out.push_back(type->id);
    return out;
}

bool TypeRegistry::isA(const std::string &typeId, const std::string &baseId) const
{
    if (typeId == baseId)
        return true;
    for (const AssetType *type : lineage(typeId))
        if (type->id == baseId)
            return true;
    return false;
}

namespace {
template <typename Member, typename Getter>
std::vector<const Member *> collectMembers(const std::vector<const AssetType *> &types, Getter getter)
{
    std::vector<const Member *> out;
    std::set<std::string> names;
    for (const AssetType *type : types)
        for (const Member &member : getter(*type))
            if (names.insert(member.name).second)
                out.push_back(&member);
    return out;
}
} // namespace

std::vector<const PropertyDescriptor *> TypeRegistry::properties(const std::string &id) const
{
    return collectMembers<PropertyDescriptor>(
        lineage(id), [](const AssetType &t) -> auto & { return t.properties; });
}

std::vector<const TelemetryDescriptor *> TypeRegistry::telemetry(const std::string &id) const
{
    return collectMembers<TelemetryDescriptor>(
        lineage(id), [](const AssetType &t) -> auto & { return t.telemetry; });
}

std::vector<const RelationshipDescriptor *> TypeRegistry::relationships(const std::string &id) const
{
    return collectMembers<RelationshipDescriptor>(
        lineage(id), [](const AssetType &t) -> auto & { return t.relationships; });
}

std::vector<const ComponentDescriptor *> TypeRegistry::components(const std::string &id) const
{
    return collectMembers<ComponentDescriptor>(
        lineage(id), [](const AssetType &t) -> auto & { return t.components; });
}

const PropertyDescriptor *TypeRegistry::property(const std::string &typeId, const std::string &name) const
{
    for (const auto *p : properties(typeId))
        if (p->name == name)
            return p;
    return nullptr;
}

const RelationshipDescriptor *TypeRegistry::relationship(const std::string &typeId,
                                                         const std::string &name) const
{
    for (const auto *r : relationships(typeId))
        if (r->name == name)
            return r;
    return nullptr;
}

} // namespace twin::model
