#pragma once
// The instance hierarchy: assets in a forest plus typed relationships between them.
// Not thread-safe: owned and mutated by one thread (the GUI thread or twinctl's main).
#include "twin/model/graph/Asset.h"
#include "twin/util/Result.h"

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace twin::model {

// Notifications for views. Called synchronously after each change.
class GraphObserver
{
public:
    virtual ~GraphObserver() = default;
    virtual void aboutToInsert(AssetId /*parent*/, int /*row*/) {}
    virtual void inserted(AssetId /*id*/) {}
    virtual void aboutToRemove(AssetId /*id*/) {}
    virtual void removed(AssetId /*id*/, AssetId /*parent*/) {}
    virtual void aboutToMove(AssetId /*id*/, AssetId /*newParent*/, int /*newRow*/) {}
    virtual void moved(AssetId /*id*/) {}
    virtual void changed(AssetId /*id*/) {}          // name, type, properties
    virtual void placementChanged(AssetId /*id*/) {} // position/rotation/scale
    virtual void relationshipsChanged() {}
    virtual void reset() {}
};

// A detached subtree: what remove takes out and insert puts back (ids preserved).
struct Subtree
{
    std::vector<Asset> assets;               // root first, parents before children
    std::vector<Relationship> relationships; // touching any asset of the subtree
};

class TwinGraph
{
public:
    TwinGraph();
    ~TwinGraph();
    TwinGraph(const TwinGraph &) = delete;
    TwinGraph &operator=(const TwinGraph &) = delete;

    void addObserver(GraphObserver *observer); // not owned
    void removeObserver(GraphObserver *observer);

    const Asset *find(AssetId id) const;
    const std::vector<AssetId> &roots() const { return m_roots; }
    const std::vector<AssetId> &children(AssetId parent) const; // kNoAsset -> roots
    int rowOf(AssetId id) const;
    size_t assetCount() const { return m_assets.size(); }
    std::vector<AssetId> allIds() const; // depth-first order
    bool isAncestor(AssetId ancestor, AssetId id) const;
    std::string path(AssetId id) const; // "Site/Station/Pump 1"

    AssetId newId() { return ++m_lastId; }
    AssetId lastId() const { return m_lastId; }
    void setLastId(AssetId id) { m_lastId = id; }

    // Mutations. Each checks its input and reports what is wrong.
    Status insertAsset(Asset asset, int row = -1); // asset.parent must exist (or kNoAsset)
    Status insertSubtree(const Subtree &subtree, int row = -1);
    Result<Subtree> removeSubtree(AssetId id);
    Status move(AssetId id, AssetId newParent, int row = -1);
    Status rename(AssetId id, const std::string &name);
    Status setProperty(AssetId id, const std::string &name, const Value &value); // monostate clears
    Status setPlacement(AssetId id, const Placement &placement);
    Subtree snapshot(AssetId id) const;

    const std::vector<Relationship> &relationships() const { return m_relationships; }
    std::vector<const Relationship *> relationshipsOf(AssetId source) const;
    RelationshipId newRelationshipId() { return ++m_lastRelationshipId; }
    Status addRelationship(Relationship relationship);
    Result<Relationship> removeRelationship(RelationshipId id);

    void clear();

private:
    void collect(AssetId id, std::vector<AssetId> &out) const;
    template <typename F> void notify(F &&f);

    std::unordered_map<AssetId, Asset> m_assets;
    std::vector<AssetId> m_roots;
    std::vector<Relationship> m_relationships;
    std::vector<GraphObserver *> m_observers;
    AssetId m_lastId = 0;
    RelationshipId m_lastRelationshipId = 0;
};

} // namespace twin::model
