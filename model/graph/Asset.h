#pragma once
// One asset instance in the twin graph.
#include "twin/model/graph/Value.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace twin::model {

using AssetId = std::uint64_t;
constexpr AssetId kNoAsset = 0;

struct Placement
{
    std::array<float, 3> position{0.f, 0.f, 0.f};
    std::array<float, 3> rotation{0.f, 0.f, 0.f}; // Euler angles, degrees (x, y, z)
    std::array<float, 3> scale{1.f, 1.f, 1.f};
    bool operator==(const Placement &) const = default;
};

struct Asset
{
    AssetId id = kNoAsset;
    std::string name;
    std::string typeId;
    AssetId parent = kNoAsset;
    std::vector<AssetId> children; // ordered
    std::map<std::string, Value> properties;
    Placement placement;
};

using RelationshipId = std::uint64_t;

struct Relationship
{
    RelationshipId id = 0;
    std::string name; // relationship descriptor name, e.g. "feeds"
    AssetId source = kNoAsset;
    AssetId target = kNoAsset;
    std::map<std::string, Value> properties;
    bool operator==(const Relationship &) const = default;
};

} // namespace twin::model
