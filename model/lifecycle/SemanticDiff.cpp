#include "twin/model/lifecycle/SemanticDiff.h"

#include "twin/model/lifecycle/ModelPart.h"
#include "twin/model/project/TypeJson.h"

#include <nlohmann/json.hpp>

#include <map>

namespace twin::model::lifecycle {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxLeavesPerSubject = 40; // a rewritten rule set lists this many paths, then a count

std::string brief(const json &v)
{
    std::string text = v.is_string() ? v.get<std::string>() : v.dump();
    if (text.size() > 80)
        text = text.substr(0, 77) + "...";
    return text;
}

// Leaf differences of two JSON values: "path: old -> new", "path: added v", "path: removed". Arrays of
// objects with a "name" are matched by name, other arrays by index.
void jsonDiff(const json &a, const json &b, const std::string &path, std::vector<std::string> &out)
{
    if (a == b)
        return;
    auto at = [&](const std::string &key) { return path.empty() ? key : path + "/" + key; };
    if (a.is_object() && b.is_object()) {
        for (const auto &[key, value] : a.items())
            if (!b.contains(key))
                out.push_back(at(key) + ": removed (was " + brief(value) + ")");
            else
                jsonDiff(value, b.at(key), at(key), out);
        for (const auto &[key, value] : b.items())
            if (!a.contains(key))
                out.push_back(at(key) + ": added " + brief(value));
        return;
    }
    auto named = [](const json &v) {
        if (!v.is_array() || v.empty())
            return false;
        for (const json &e : v)
            if (!e.is_object() || !e.contains("name") || !e.at("name").is_string())
                return false;
        return true;
    };
    if (a.is_array() && b.is_array() && named(a) && named(b)) {
        std::map<std::string, const json *> x, y;
        for (const json &e : a)
            x[e.at("name").get<std::string>()] = &e;
        for (const json &e : b)
            y[e.at("name").get<std::string>()] = &e;
        for (const auto &[name, e] : x)
            if (!y.count(name))
                out.push_back(at(name) + ": removed");
            else
                jsonDiff(*e, *y.at(name), at(name), out);
        for (const auto &[name, e] : y)
            if (!x.count(name))
                out.push_back(at(name) + ": added");
        return;
    }
    if (a.is_array() && b.is_array()) {
        for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
            if (i >= a.size())
                out.push_back(at(std::to_string(i)) + ": added " + brief(b[i]));
            else if (i >= b.size())
                out.push_back(at(std::to_string(i)) + ": removed (was " + brief(a[i]) + ")");
            else
                jsonDiff(a[i], b[i], at(std::to_string(i)), out);
        }
        return;
    }
    out.push_back((path.empty() ? std::string("value") : path) + ": " + brief(a) + " -> " + brief(b));
}

void addLeaves(std::vector<Change> &out, const std::string &area, const std::string &subject,
               const std::vector<std::string> &leaves)
{
    for (std::size_t i = 0; i < leaves.size() && i < kMaxLeavesPerSubject; ++i)
        out.push_back({area, "changed", subject, leaves[i]});
    if (leaves.size() > kMaxLeavesPerSubject)
        out.push_back({area, "changed", subject,
                       "and " + std::to_string(leaves.size() - kMaxLeavesPerSubject) + " more changes"});
}

std::string metaArea(const std::string &key)
{
    static const std::pair<const char *, const char *> kAreas[] = {
        {"rules:", "rules"},          {"binding:", "binding"},  {"mapping:", "mapping"},
        {"scenario:", "scenario"},    {"detector", "detector"}, {"calibration", "calibration"},
        {"parameters:", "parameters"}};
    for (const auto &[prefix, area] : kAreas)
        if (key.rfind(prefix, 0) == 0)
            return area;
    return "settings";
}

std::map<AssetId, std::string> paths(const ProjectData &data)
{
    std::map<AssetId, const Asset *> byId;
    for (const Asset &a : data.assets)
        byId[a.id] = &a;
    std::map<AssetId, std::string> out;
    for (const Asset &a : data.assets) { // parents come first
        const auto parent = out.find(a.parent);
        out[a.id] = parent == out.end() ? a.name : parent->second + "/" + a.name;
    }
    return out;
}

void diffTypes(const ProjectData &from, const ProjectData &to, std::vector<Change> &out)
{
    std::map<std::string, json> a, b;
    for (const AssetType &t : from.types)
        a[t.id] = json::parse(typeToJson(t));
    for (const AssetType &t : to.types)
        b[t.id] = json::parse(typeToJson(t));
    for (const auto &[id, t] : a)
        if (!b.count(id))
            out.push_back({"type", "removed", id, {}});
    for (const auto &[id, t] : b) {
        const auto old = a.find(id);
        if (old == a.end()) {
            out.push_back({"type", "added", id, {}});
            continue;
        }
        json x = old->second, y = t;
        for (json *j : {&x, &y})
            j->erase("sourceFile"); // where it was imported from is not what it is
        std::vector<std::string> leaves;
        jsonDiff(x, y, "", leaves);
        addLeaves(out, "type", id, leaves);
    }
}

void diffAssets(const ProjectData &from, const ProjectData &to, std::vector<Change> &out)
{
    const auto pa = paths(from), pb = paths(to);
    std::map<AssetId, const Asset *> a, b;
    for (const Asset &x : from.assets)
        a[x.id] = &x;
    for (const Asset &x : to.assets)
        b[x.id] = &x;
    for (const auto &[id, x] : a)
        if (!b.count(id))
            out.push_back({"asset", "removed", pa.at(id), {}});
    for (const auto &[id, y] : b) {
        const auto found = a.find(id);
        if (found == a.end()) {
            out.push_back({"asset", "added", pb.at(id), "type " + y->typeId});
            continue;
        }
        const Asset &x = *found->second;
        const std::string &subject = pb.at(id);
        if (x.name != y->name)
            out.push_back({"asset", "changed", subject, "renamed: " + x.name + " -> " + y->name});
        if (x.parent != y->parent)
            out.push_back(
                {"asset", "changed", subject,
                 "moved: from " + (x.parent == kNoAsset ? std::string("(top level)") : pa.at(x.parent)) +
                     " to " + (y->parent == kNoAsset ? std::string("(top level)") : pb.at(y->parent))});
        if (x.typeId != y->typeId)
            out.push_back({"asset", "changed", subject, "type: " + x.typeId + " -> " + y->typeId});
        std::vector<std::string> leaves;
        json px = json::object(), py = json::object();
        for (const auto &[k, v] : x.properties)
            px[k] = json::parse(valueToJson(v));
        for (const auto &[k, v] : y->properties)
            py[k] = json::parse(valueToJson(v));
        jsonDiff(px, py, "property", leaves);
        if (x.placement.position != y->placement.position)
            leaves.push_back("position: " + json(x.placement.position).dump() + " -> " +
                             json(y->placement.position).dump());
        if (x.placement.rotation != y->placement.rotation)
            leaves.push_back("rotation: " + json(x.placement.rotation).dump() + " -> " +
                             json(y->placement.rotation).dump());
        if (x.placement.scale != y->placement.scale)
            leaves.push_back("scale: " + json(x.placement.scale).dump() + " -> " +
                             json(y->placement.scale).dump());
        addLeaves(out, "asset", subject, leaves);
    }
}

void diffRelationships(const ProjectData &from, const ProjectData &to, std::vector<Change> &out)
{
    const auto pa = paths(from), pb = paths(to);
    auto name = [](const Relationship &r, const std::map<AssetId, std::string> &p) {
        auto path = [&](AssetId id) {
            const auto it = p.find(id);
            return it == p.end() ? "#" + std::to_string(id) : it->second;
        };
        return path(r.source) + " -" + r.name + "-> " + path(r.target);
    };
    std::map<RelationshipId, const Relationship *> a, b;
    for (const Relationship &r : from.relationships)
        a[r.id] = &r;
    for (const Relationship &r : to.relationships)
        b[r.id] = &r;
    for (const auto &[id, r] : a)
        if (!b.count(id))
            out.push_back({"relationship", "removed", name(*r, pa), {}});
    for (const auto &[id, r] : b) {
        const auto found = a.find(id);
        if (found == a.end() || found->second->name != r->name || found->second->source != r->source ||
            found->second->target != r->target) {
            if (found != a.end())
                out.push_back({"relationship", "removed", name(*found->second, pa), {}});
            out.push_back({"relationship", "added", name(*r, pb), {}});
            continue;
        }
        std::vector<std::string> leaves;
        json px = json::object(), py = json::object();
        for (const auto &[k, v] : found->second->properties)
            px[k] = json::parse(valueToJson(v));
        for (const auto &[k, v] : r->properties)
            py[k] = json::parse(valueToJson(v));
        jsonDiff(px, py, "property", leaves);
        addLeaves(out, "relationship", name(*r, pb), leaves);
    }
}

void diffMeta(const ProjectData &from, const ProjectData &to, std::vector<Change> &out)
{
    for (const auto &[key, value] : from.meta)
        if (isModelMeta(key) && !to.meta.count(key))
            out.push_back({metaArea(key), "removed", key, {}});
    for (const auto &[key, value] : to.meta) {
        if (!isModelMeta(key))
            continue;
        const auto old = from.meta.find(key);
        if (old == from.meta.end()) {
            out.push_back({metaArea(key), "added", key, {}});
            continue;
        }
        if (old->second == value)
            continue;
        const json x = json::parse(old->second, nullptr, false), y = json::parse(value, nullptr, false);
        std::vector<std::string> leaves;
        if (!x.is_discarded() && !y.is_discarded() && (x.is_structured() || y.is_structured()))
            jsonDiff(x, y, "", leaves);
        else
            leaves.push_back(brief(json(old->second)) + " -> " + brief(json(value)));
        addLeaves(out, metaArea(key), key, leaves);
    }
}

} // namespace

std::vector<Change> semanticDiff(const ProjectData &from, const ProjectData &to)
{
    std::vector<Change> out;
    diffTypes(from, to, out);
    diffAssets(from, to, out);
    diffRelationships(from, to, out);
    diffMeta(from, to, out);
    return out;
}

std::string diffText(const std::vector<Change> &changes)
{
    std::string text;
    for (const Change &c : changes) {
        const char *mark = c.kind == "added" ? "+ " : c.kind == "removed" ? "- " : "~ ";
        text += mark + c.area + " " + c.subject + (c.detail.empty() ? "" : ": " + c.detail) + "\n";
    }
    return text;
}

std::string diffJson(const std::vector<Change> &changes)
{
    json out = json::array();
    for (const Change &c : changes)
        out.push_back({{"area", c.area}, {"kind", c.kind}, {"subject", c.subject}, {"detail", c.detail}});
    return out.dump();
}

} // namespace twin::model::lifecycle
