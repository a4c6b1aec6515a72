#include "twin/model/commands/AssetCommands.h"

#include <algorithm>
#include <unordered_map>

namespace twin::model {

std::vector<AssetId> topmostOnly(const TwinGraph &graph, const std::vector<AssetId> &ids)
{
    std::vector<AssetId> out;
    for (AssetId id : ids) {
        const bool covered = std::any_of(ids.begin(), ids.end(), [&](AssetId other) {
            return other != id && graph.isAncestor(other, id);
        });
        if (!covered && std::find(out.begin(), out.end(), id) == out.end())
            out.push_back(id);
    }
    return out;
}

Subtree cloneSubtree(TwinGraph &graph, AssetId root, const std::string &nameSuffix)
{
    Subtree subtree = graph.snapshot(root);
    std::unordered_map<AssetId, AssetId> remap;
    for (Asset &asset : subtree.assets) {
        const AssetId fresh = graph.newId();
        remap[asset.id] = fresh;
        asset.id = fresh;
    }
    for (Asset &asset : subtree.assets) {
        if (auto it = remap.find(asset.parent); it != remap.end())
            asset.parent = it->second;
        asset.children.clear();
    }
    subtree.assets.front().name += nameSuffix;
    std::vector<Relationship> kept;
    for (Relationship r : subtree.relationships) {
        auto s = remap.find(r.source);
        if (s == remap.end())
            continue; // only outgoing relationships of the copy are duplicated
        r.source = s->second;
        if (auto t = remap.find(r.target); t != remap.end())
            r.target = t->second;
        r.id = graph.newRelationshipId();
        kept.push_back(std::move(r));
    }
    subtree.relationships = std::move(kept);
    return subtree;
}

InsertSubtreeCommand::InsertSubtreeCommand(Subtree subtree, int row, std::string text)
    : m_subtree(std::move(subtree)), m_row(row), m_text(std::move(text))
{
}

Status InsertSubtreeCommand::redo(TwinGraph &graph)
{
    if (m_subtree.assets.empty())
        return Error{"nothing to insert"};
    return graph.insertSubtree(m_subtree, m_row);
}

void InsertSubtreeCommand::undo(TwinGraph &graph)
{
    expectOk(graph.removeSubtree(rootId()), "undo insert");
}

std::string RemoveAssetsCommand::text() const
{
    return m_ids.size() == 1 ? "Delete asset" : "Delete " + std::to_string(m_ids.size()) + " assets";
}

Status RemoveAssetsCommand::redo(TwinGraph &graph)
{
    m_removed.clear();
    for (AssetId id : topmostOnly(graph, m_ids)) {
        const Asset *asset = graph.find(id);
        if (!asset) {
            undo(graph);
            return Error{"no asset with id " + std::to_string(id)};
        }
        const AssetId parent = asset->parent;
        const int row = graph.rowOf(id);
        auto removed = graph.removeSubtree(id);
        m_removed.push_back({std::move(removed.value()), parent, row});
    }
    return okStatus();
}

void RemoveAssetsCommand::undo(TwinGraph &graph)
{
    for (auto it = m_removed.rbegin(); it != m_removed.rend(); ++it)
        expectOk(graph.insertSubtree(it->subtree, it->row), "undo remove");
    // Relationships between two removed subtrees were skipped while the other was missing.
    for (const Removed &removed : m_removed)
        for (const Relationship &r : removed.subtree.relationships) {
            const auto &all = graph.relationships();
            if (std::none_of(all.begin(), all.end(), [&](const Relationship &x) { return x.id == r.id; }))
                expectOk(graph.addRelationship(r), "undo remove (relationship)");
        }
    m_removed.clear();
}

Status RenameCommand::redo(TwinGraph &graph)
{
    const Asset *asset = graph.find(m_id);
    if (!asset)
        return Error{"no asset with id " + std::to_string(m_id)};
    m_oldName = asset->name;
    return graph.rename(m_id, m_name);
}

void RenameCommand::undo(TwinGraph &graph)
{
    expectOk(graph.rename(m_id, m_oldName), "undo rename");
}

SetPropertyCommand::SetPropertyCommand(AssetId id, std::string name, Value value)
    : m_id(id), m_name(std::move(name)), m_value(std::move(value))
{
}

Status SetPropertyCommand::redo(TwinGraph &graph)
{
    const Asset *asset = graph.find(m_id);
    if (!asset)
        return Error{"no asset with id " + std::to_string(m_id)};
    if (!m_old) {
        auto it = asset->properties.find(m_name);
        m_old = it == asset->properties.end() ? Value{} : it->second;
    }
    return graph.setProperty(m_id, m_name, m_value);
}

void SetPropertyCommand::undo(TwinGraph &graph)
{
    expectOk(graph.setProperty(m_id, m_name, m_old.value_or(Value{})), "undo property");
}

bool SetPropertyCommand::mergeWith(const Command &next)
{
    auto *other = dynamic_cast<const SetPropertyCommand *>(&next);
    if (!other || other->m_id != m_id || other->m_name != m_name)
        return false;
    m_value = other->m_value;
    return true;
}

SetPlacementCommand::SetPlacementCommand(std::map<AssetId, Placement> placements)
    : m_new(std::move(placements))
{
}

Status SetPlacementCommand::redo(TwinGraph &graph)
{
    for (const auto &[id, placement] : m_new)
        if (!graph.find(id))
            return Error{"no asset with id " + std::to_string(id)};
    for (const auto &[id, placement] : m_new) {
        if (!m_old.count(id))
            m_old[id] = graph.find(id)->placement;
        if (auto s = graph.setPlacement(id, placement); !s)
            return s;
    }
    return okStatus();
}

void SetPlacementCommand::undo(TwinGraph &graph)
{
    for (const auto &[id, placement] : m_old)
        expectOk(graph.setPlacement(id, placement), "undo placement");
}

bool SetPlacementCommand::mergeWith(const Command &next)
{
    auto *other = dynamic_cast<const SetPlacementCommand *>(&next);
    if (!other)
        return false;
    std::vector<AssetId> a, b;
    for (const auto &kv : m_new)
        a.push_back(kv.first);
    for (const auto &kv : other->m_new)
        b.push_back(kv.first);
    if (a != b)
        return false;
    m_new = other->m_new;
    return true;
}

MoveAssetsCommand::MoveAssetsCommand(std::vector<AssetId> ids, AssetId newParent, int row)
    : m_ids(std::move(ids)), m_newParent(newParent), m_row(row)
{
}

Status MoveAssetsCommand::redo(TwinGraph &graph)
{
    m_origins.clear();
    const auto ids = topmostOnly(graph, m_ids);
    for (AssetId id : ids) {
        const Asset *asset = graph.find(id);
        if (!asset)
            return Error{"no asset with id " + std::to_string(id)};
        if (id == m_newParent || graph.isAncestor(id, m_newParent))
            return Error{"cannot move '" + asset->name + "' into itself or one of its descendants"};
    }
    int row = m_row;
    for (AssetId id : ids) {
        const Asset *asset = graph.find(id);
        const AssetId oldParent = asset->parent;
        const int oldRow = graph.rowOf(id);
        m_origins.push_back({id, oldParent, oldRow});
        if (auto s = graph.move(id, m_newParent, row); !s)
            return s;
        if (row >= 0)
            row = graph.rowOf(id) + 1;
    }
    return okStatus();
}

void MoveAssetsCommand::undo(TwinGraph &graph)
{
    for (auto it = m_origins.rbegin(); it != m_origins.rend(); ++it) {
        // TwinGraph::move takes the row before removal; aim for the final row it had.
        const Asset *asset = graph.find(it->id);
        const bool sameParent = asset && asset->parent == it->parent;
        expectOk(graph.move(it->id, it->parent,
                            sameParent && graph.rowOf(it->id) < it->row ? it->row + 1 : it->row),
                 "undo move");
    }
}

Status AddRelationshipCommand::redo(TwinGraph &graph)
{
    if (m_relationship.id == 0)
        m_relationship.id = graph.newRelationshipId();
    return graph.addRelationship(m_relationship);
}

void AddRelationshipCommand::undo(TwinGraph &graph)
{
    expectOk(graph.removeRelationship(m_relationship.id), "undo add relationship");
}

Status RemoveRelationshipCommand::redo(TwinGraph &graph)
{
    auto removed = graph.removeRelationship(m_id);
    if (!removed)
        return Error{removed.error()};
    m_removed = removed.value();
    return okStatus();
}

void RemoveRelationshipCommand::undo(TwinGraph &graph)
{
    expectOk(graph.addRelationship(m_removed), "undo remove relationship");
}

} // namespace twin::model
