#pragma once
// The concrete edits of the asset hierarchy. Each records what it needs to undo itself.
#include "twin/model/commands/Command.h"

#include <map>
#include <optional>

namespace twin::model {

// Inserts a prepared subtree (a new asset, a duplicate, a paste). Ids must be fresh.
class InsertSubtreeCommand final : public Command
{
public:
    InsertSubtreeCommand(Subtree subtree, int row, std::string text);
    std::string text() const override { return m_text; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;
    AssetId rootId() const { return m_subtree.assets.front().id; }

private:
    Subtree m_subtree;
    int m_row;
    std::string m_text;
};

// Deletes assets with their descendants and relationships.
class RemoveAssetsCommand final : public Command
{
public:
    explicit RemoveAssetsCommand(std::vector<AssetId> ids) : m_ids(std::move(ids)) {}
    std::string text() const override;
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

private:
    struct Removed
    {
        Subtree subtree;
        AssetId parent;
        int row;
    };
    std::vector<AssetId> m_ids;
    std::vector<Removed> m_removed; // in removal order
};

class RenameCommand final : public Command
{
public:
    RenameCommand(AssetId id, std::string name) : m_id(id), m_name(std::move(name)) {}
    std::string text() const override { return "Rename to '" + m_name + "'"; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

private:
    AssetId m_id;
    std::string m_name;
    std::string m_oldName;
};

// Sets (or clears with monostate) one property. Consecutive edits of the same property merge.
class SetPropertyCommand final : public Command
{
public:
    SetPropertyCommand(AssetId id, std::string name, Value value);
    std::string text() const override { return "Set " + m_name; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;
    int mergeId() const override { return 1; }
    bool mergeWith(const Command &next) override;

private:
    AssetId m_id;
    std::string m_name;
    Value m_value;
    std::optional<Value> m_old;
};

// Moves/rotates/scales assets; a drag of one or several assets merges into one step.
class SetPlacementCommand final : public Command
{
public:
    explicit SetPlacementCommand(std::map<AssetId, Placement> placements);
    std::string text() const override { return "Move"; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;
    int mergeId() const override { return 2; }
    bool mergeWith(const Command &next) override;

private:
    std::map<AssetId, Placement> m_new;
    std::map<AssetId, Placement> m_old;
};

// Reparents assets (drag and drop in the tree). Assets whose ancestor is also moved stay with it.
class MoveAssetsCommand final : public Command
{
public:
    MoveAssetsCommand(std::vector<AssetId> ids, AssetId newParent, int row);
    std::string text() const override { return "Reparent"; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

private:
    struct Origin
    {
        AssetId id;
        AssetId parent;
        int row;
    };
    std::vector<AssetId> m_ids;
    AssetId m_newParent;
    int m_row;
    std::vector<Origin> m_origins;
};

class AddRelationshipCommand final : public Command
{
public:
    explicit AddRelationshipCommand(Relationship relationship) : m_relationship(std::move(relationship)) {}
    std::string text() const override { return "Add relationship " + m_relationship.name; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

private:
    Relationship m_relationship;
};

class RemoveRelationshipCommand final : public Command
{
public:
    explicit RemoveRelationshipCommand(RelationshipId id) : m_id(id) {}
    std::string text() const override { return "Remove relationship"; }
    Status redo(TwinGraph &graph) override;
    void undo(TwinGraph &graph) override;

private:
    RelationshipId m_id;
    Relationship m_removed;
};

// Copies subtrees with fresh ids (relationships inside the copy are remapped).
Subtree cloneSubtree(TwinGraph &graph, AssetId root, const std::string &nameSuffix = " copy");
// Drops ids whose ancestor is in the list too, keeping order.
std::vector<AssetId> topmostOnly(const TwinGraph &graph, const std::vector<AssetId> &ids);

} // namespace twin::model
