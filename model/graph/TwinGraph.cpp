#include "twin/model/graph/TwinGraph.h"

#include <algorithm>

namespace twin::model {
namespace {
const std::vector<AssetId> kEmpty;

Error notFound(AssetId id)
{
    return Error{"no asset with id " + std::to_string(id)};
}
} // namespace

TwinGraph::TwinGraph() = default;
TwinGraph::~TwinGraph() = default;

template <typename F> void TwinGraph::notify(F &&f)
{
    for (GraphObserver *observer : m_observers)
        f(*observer);
}

void TwinGraph::addObserver(GraphObserver *observer)
{
    m_observers.push_back(observer);
}

void TwinGraph::removeObserver(GraphObserver *observer)
{
    std::erase(m_observers, observer);
}

const Asset *TwinGraph::find(AssetId id) const
{
    auto it = m_assets.find(id);
    return it == m_assets.end() ? nullptr : &it->second;
}

const std::vector<AssetId> &TwinGraph::children(AssetId parent) const
{
    if (parent == kNoAsset)
        return m_roots;
    const Asset *asset = find(parent);
    return asset ? asset->children : kEmpty;
}

int TwinGraph::rowOf(AssetId id) const
{
    const Asset *asset = find(id);
    if (!asset)
        return -1;
    const auto &siblings = children(asset->parent);
    auto it = std::find(siblings.begin(), siblings.end(), id);
    return it == siblings.end() ? -1 : int(it - siblings.begin());
}

void TwinGraph::collect(AssetId id, std::vector<AssetId> &out) const
{
    out.push_back(id);
    for (AssetId child : children(id))
        collect(child, out);
}

std::vector<AssetId> TwinGraph::allIds() const
{
    std::vector<AssetId> out;
    out.reserve(m_assets.size());
    for (AssetId root : m_roots)
        collect(root, out);
    return out;
}

bool TwinGraph::isAncestor(AssetId ancestor, AssetId id) const
{
    for (const Asset *a = find(id); a && a->parent != kNoAsset; a = find(a->parent))
        if (a->parent == ancestor)
            return true;
    return false;
}

std::string TwinGraph::path(AssetId id) const
{
    std::string out;
    for (const Asset *a = find(id); a; a = find(a->parent))
        out = out.empty() ? a->name : a->name + "/" + out;
    return out;
}

Status TwinGraph::insertAsset(Asset asset, int row)
{
    if (asset.id == kNoAsset)
        asset.id = newId();
    if (m_assets.count(asset.id))
        return Error{"asset id " + std::to_string(asset.id) + " already exists"};
    if (asset.parent != kNoAsset && !find(asset.parent))
        return Error{"parent asset " + std::to_string(asset.parent) + " does not exist"};
    auto &siblings = asset.parent == kNoAsset ? m_roots : m_assets[asset.parent].children;
    if (row < 0 || row > int(siblings.size()))
        row = int(siblings.size());
    notify([&](GraphObserver &o) { o.aboutToInsert(asset.parent, row); });
    const AssetId id = asset.id;
    m_lastId = std::max(m_lastId, id);
    siblings.insert(siblings.begin() + row, id);
    asset.children.clear();
    m_assets.emplace(id, std::move(asset));
    notify([&](GraphObserver &o) { o.inserted(id); });
    return okStatus();
}

Status TwinGraph::insertSubtree(const Subtree &subtree, int row)
{
    if (subtree.assets.empty())
        return Error{"empty subtree"};
    for (const Asset &asset : subtree.assets)
        if (m_assets.count(asset.id))
            return Error{"asset id " + std::to_string(asset.id) + " already exists"};
    bool first = true;
    for (const Asset &asset : subtree.assets) {
        Asset copy = asset;
        auto status = insertAsset(std::move(copy), first ? row : -1);
        if (!status)
            return status;
        first = false;
    }
    for (const Relationship &r : subtree.relationships)
        if (find(r.source) && find(r.target))
            if (auto added = addRelationship(r); !added)
                return Error{added.error()};
    return okStatus();
}

Subtree TwinGraph::snapshot(AssetId id) const
{
    Subtree subtree;
    std::vector<AssetId> ids;
    if (!find(id))
        return subtree;
    collect(id, ids);
    for (AssetId a : ids)
        subtree.assets.push_back(*find(a));
    for (const Relationship &r : m_relationships)
        if (std::find(ids.begin(), ids.end(), r.source) != ids.end() ||
            std::find(ids.begin(), ids.end(), r.target) != ids.end())
            subtree.relationships.push_back(r);
    return subtree;
}

Result<Subtree> TwinGraph::removeSubtree(AssetId id)
{
    const Asset *asset = find(id);
    if (!asset)
        return notFound(id);
    Subtree subtree = snapshot(id);
    const AssetId parent = asset->parent;
    notify([&](GraphObserver &o) { o.aboutToRemove(id); });
    auto &siblings = parent == kNoAsset ? m_roots : m_assets[parent].children;
    std::erase(siblings, id);
    for (const Asset &a : subtree.assets)
        m_assets.erase(a.id);
    const bool hadRelationships = !subtree.relationships.empty();
    std::erase_if(m_relationships, [&](const Relationship &r) { return !find(r.source) || !find(r.target); });
    notify([&](GraphObserver &o) { o.removed(id, parent); });
    if (hadRelationships)
        notify([&](GraphObserver &o) { o.relationshipsChanged(); });
    return subtree;
}

Status TwinGraph::move(AssetId id, AssetId newParent, int row)
{
    Asset *asset = m_assets.count(id) ? &m_assets[id] : nullptr;
    if (!asset)
        return notFound(id);
    if (newParent != kNoAsset && !find(newParent))
        return notFound(newParent);
    if (newParent == id || isAncestor(id, newParent))
        return Error{"cannot move '" + asset->name + "' into itself or one of its descendants"};
    auto &oldSiblings = asset->parent == kNoAsset ? m_roots : m_assets[asset->parent].children;
    const int oldRow = int(std::find(oldSiblings.begin(), oldSiblings.end(), id) - oldSiblings.begin());
    auto &newSiblings = newParent == kNoAsset ? m_roots : m_assets[newParent].children;
    if (row < 0 || row > int(newSiblings.size()))
        row = int(newSiblings.size());
    notify([&](GraphObserver &o) { o.aboutToMove(id, newParent, row); });
    oldSiblings.erase(oldSiblings.begin() + oldRow);
    if (&oldSiblings == &newSiblings && row > oldRow)
        --row;
    newSiblings.insert(newSiblings.begin() + row, id);
    asset->parent = newParent;
    notify([&](GraphObserver &o) { o.moved(id); });
    return okStatus();
}

Status TwinGraph::rename(AssetId id, const std::string &name)
{
    auto it = m_assets.find(id);
    if (it == m_assets.end())
        return notFound(id);
    if (name.empty())
        return Error{"an asset name cannot be empty"};
    it->second.name = name;
    notify([&](GraphObserver &o) { o.changed(id); });
    return okStatus();
}

Status TwinGraph::setProperty(AssetId id, const std::string &name, const Value &value)
{
    auto it = m_assets.find(id);
    if (it == m_assets.end())
        return notFound(id);
    if (std::holds_alternative<std::monostate>(value))
        it->second.properties.erase(name);
    else
        it->second.properties[name] = value;
    notify([&](GraphObserver &o) { o.changed(id); });
    return okStatus();
}

Status TwinGraph::setPlacement(AssetId id, const Placement &placement)
{
    auto it = m_assets.find(id);
    if (it == m_assets.end())
        return notFound(id);
    it->second.placement = placement;
    notify([&](GraphObserver &o) { o.placementChanged(id); });
    return okStatus();
}

std::vector<const Relationship *> TwinGraph::relationshipsOf(AssetId source) const
{
    std::vector<const Relationship *> out;
    for (const Relationship &r : m_relationships)
        if (r.source == source)
            out.push_back(&r);
    return out;
}

Status TwinGraph::addRelationship(Relationship relationship)
{
    if (!find(relationship.source))
        return notFound(relationship.source);
    if (!find(relationship.target))
        return notFound(relationship.target);
    if (relationship.id == 0)
        relationship.id = newRelationshipId();
    for (const Relationship &r : m_relationships)
        if (r.id == relationship.id)
            return Error{"relationship id " + std::to_string(r.id) + " already exists"};
    m_lastRelationshipId = std::max(m_lastRelationshipId, relationship.id);
    m_relationships.push_back(std::move(relationship));
    notify([&](GraphObserver &o) { o.relationshipsChanged(); });
    return okStatus();
}

Result<Relationship> TwinGraph::removeRelationship(RelationshipId id)
{
    auto it = std::find_if(m_relationships.begin(), m_relationships.end(),
                           [&](const Relationship &r) { return r.id == id; });
    if (it == m_relationships.end())
        return Error{"no relationship with id " + std::to_string(id)};
    Relationship removed = *it;
    m_relationships.erase(it);
    notify([&](GraphObserver &o) { o.relationshipsChanged(); });
    return removed;
}

void TwinGraph::clear()
{
    m_assets.clear();
    m_roots.clear();
    m_relationships.clear();
    m_lastId = 0;
    m_lastRelationshipId = 0;
    notify([&](GraphObserver &o) { o.reset(); });
}

} // namespace twin::model
