#include "twin/model/scenario/Binding.h"

#include "twin/model/scenario/ScenarioUnits.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace twin::model::scenario {

using nlohmann::json;
namespace {
const std::string kPrefix = "binding:";

struct RefParts
{
    bool incoming = false;
    std::string relationship; // empty: the asset itself
    std::string name;
};
RefParts splitRef(const std::string &reference)
{
    RefParts p;
    const auto slash = reference.find('/');
    if (slash == std::string::npos) {
        p.name = reference;
        return p;
    }
    p.relationship = reference.substr(0, slash);
    p.name = reference.substr(slash + 1);
    if (!p.relationship.empty() && p.relationship[0] == '^') {
        p.incoming = true;
        p.relationship.erase(0, 1);
    }
    return p;
}

Result<TwinMember> memberOf(const TypeRegistry &types, const std::string &typeId, const std::string &name)
{
    for (const auto *t : types.telemetry(typeId))
        if (t->name == name)
            return TwinMember{true, t->unit};
    if (const auto *p = types.property(typeId, name))
        return TwinMember{false, p->unit};
    return Error{"'" + name + "' is neither a property nor a telemetry of " + typeId};
}
} // namespace

const VariableBinding *SimulationBinding::findTwin(const std::string &twin) const
{
    for (const auto &v : variables)
        if (v.twin == twin)
            return &v;
    return nullptr;
}

const VariableBinding *SimulationBinding::findModel(const std::string &model) const
{
    for (const auto &v : variables)
        if (v.model == model)
            return &v;
    return nullptr;
}

std::string bindingToJson(const SimulationBinding &b)
{
    json vars = json::array();
    for (const auto &v : b.variables) {
        json j = {{"model", v.model},
                  {"twin", v.twin},
                  {"direction", v.direction == VariableBinding::Direction::In ? "in" : "out"}};
        if (!v.modelUnit.empty())
            j["modelUnit"] = v.modelUnit;
        vars.push_back(std::move(j));
    }
    json config = json::object();
    try {
        config = json::parse(b.config.empty() ? "{}" : b.config);
    } catch (const json::exception &) {
        config = b.config; // kept as text; the validator reports it
    }
    return json{{"typeId", b.typeId},
                {"plugin", b.pluginId},
                {"model", b.modelId},
                {"config", config},
                {"variables", vars}}
        .dump();
}

Result<SimulationBinding> bindingFromJson(const std::string &text)
{
    try {
        const json j = json::parse(text);
        SimulationBinding b;
        b.typeId = j.at("typeId").get<std::string>();
        b.pluginId = j.at("plugin").get<std::string>();
        b.modelId = j.value("model", std::string());
        if (j.contains("config"))
            b.config = j["config"].is_string() ? j["config"].get<std::string>() : j["config"].dump();
        for (const auto &v : j.value("variables", json::array())) {
            VariableBinding vb;
            vb.model = v.at("model").get<std::string>();
            vb.twin = v.at("twin").get<std::string>();
            const std::string dir = v.value("direction", std::string("in"));
            if (dir != "in" && dir != "out")
                return Error{"binding " + b.typeId + ": direction of " + vb.model + " is neither in nor out"};
            vb.direction = dir == "in" ? VariableBinding::Direction::In : VariableBinding::Direction::Out;
            vb.modelUnit = v.value("modelUnit", std::string());
            b.variables.push_back(std::move(vb));
        }
        return b;
    } catch (const json::exception &e) {
        return Error{std::string("binding JSON: ") + e.what()};
    }
}

void setBinding(Project &project, const SimulationBinding &binding)
{
    project.meta[kPrefix + binding.typeId] = bindingToJson(binding);
}

void removeBinding(Project &project, const std::string &typeId)
{
    project.meta.erase(kPrefix + typeId);
}

std::optional<SimulationBinding> findBinding(const Project &project, const std::string &typeId)
{
    const auto it = project.meta.find(kPrefix + typeId);
    if (it == project.meta.end())
        return std::nullopt;
    auto b = bindingFromJson(it->second);
    if (!b)
        return std::nullopt;
    return b.value();
}

std::optional<SimulationBinding> bindingForAsset(const Project &project, AssetId asset)
{
    const Asset *a = project.graph.find(asset);
    if (!a)
        return std::nullopt;
    if (auto b = findBinding(project, a->typeId))
        return b;
    for (const auto &base : project.types.ancestors(a->typeId))
        if (auto b = findBinding(project, base))
            return b;
    return std::nullopt;
}

std::vector<SimulationBinding> allBindings(const Project &project)
{
    std::vector<SimulationBinding> out;
    for (auto it = project.meta.lower_bound(kPrefix);
         it != project.meta.end() && it->first.starts_with(kPrefix); ++it)
        if (auto b = bindingFromJson(it->second))
            out.push_back(b.value());
    return out;
}

Result<TwinTarget> resolveTwin(const Project &project, AssetId asset, const std::string &reference)
{
    const RefParts p = splitRef(reference);
    AssetId target = p.relationship.empty() ? asset : kNoAsset;
    for (const auto &r : project.graph.relationships()) {
        if (target != kNoAsset)
            break;
        if (r.name != p.relationship)
            continue;
        if (!p.incoming && r.source == asset)
            target = r.target;
        else if (p.incoming && r.target == asset)
            target = r.source;
    }
    const Asset *a = project.graph.find(target);
    if (!a)
        return Error{"'" + reference + "': no asset " +
                     (p.relationship.empty() ? std::string("") : "related through " + p.relationship + " ") +
                     "for " + project.graph.path(asset)};
    auto m = memberOf(project.types, a->typeId, p.name);
    if (!m)
        return Error{"'" + reference + "' on " + project.graph.path(target) + ": " + m.error()};
    return TwinTarget{target, p.name, m->isTelemetry, m->unit};
}

Result<TwinMember> resolveTwinOnType(const Project &project, const std::string &typeId,
                                     const std::string &reference)
{
    const RefParts p = splitRef(reference);
    if (p.relationship.empty())
        return memberOf(project.types, typeId, p.name);
    if (!p.incoming) {
        const auto *rel = project.types.relationship(typeId, p.relationship);
        if (!rel)
            return Error{"'" + reference + "': " + typeId + " has no relationship '" + p.relationship + "'"};
        if (rel->target.empty()) { // any target: accept a member of any type
            for (const auto &[id, type] : project.types.all())
                if (auto m = memberOf(project.types, id, p.name))
                    return m;
            return Error{"'" + reference + "': no type has '" + p.name + "'"};
        }
        return memberOf(project.types, rel->target, p.name);
    }
    for (const auto &[id, type] : project.types.all()) { // incoming: any type whose relationship targets us
        const auto *rel = project.types.relationship(id, p.relationship);
        if (rel && (rel->target.empty() || project.types.isA(typeId, rel->target)))
            if (auto m = memberOf(project.types, id, p.name))
                return m;
    }
    return Error{"'" + reference + "': no type relates to " + typeId + " through '" + p.relationship +
                 "' with a member '" + p.name + "'"};
}

std::vector<LintFinding> validateBinding(const Project &project, const SimulationBinding &b,
                                         const ModelVariablesLookup &lookup)
{
    using S = LintFinding::Severity;
    std::vector<LintFinding> out;
    const std::string where = "binding:" + b.typeId;
    auto add = [&](S s, const char *rule, std::string msg) {
        out.push_back({s, where, rule, std::move(msg)});
    };
    if (!project.types.contains(b.typeId))
        add(S::Error, "binding-unknown-type", "binds unknown type " + b.typeId);
    if (b.pluginId.empty())
        add(S::Error, "binding-no-backend", "no backend plugin named");
    try {
        if (!json::parse(b.config.empty() ? "{}" : b.config).is_object())
            add(S::Error, "binding-config", "backend config is not a JSON object");
    } catch (const json::exception &e) {
        add(S::Error, "binding-config", std::string("backend config is not JSON: ") + e.what());
    }
    std::optional<std::vector<sdk::VariableInfo>> vars;
    if (lookup) {
        std::string why;
        vars = lookup(b, why);
        if (!vars)
            add(S::Warning, "binding-model-unchecked",
                "model variables of " + b.pluginId + "/" + b.modelId + " not checked: " + why);
    }
    for (const auto &v : b.variables) {
        const std::string name = v.model + " <-> " + v.twin + ": ";
        std::string modelUnit = v.modelUnit;
        if (vars) {
            const sdk::VariableInfo *info = nullptr;
            for (const auto &vi : *vars)
                if (vi.name == v.model)
                    info = &vi;
            if (!info) {
                add(S::Error, "binding-missing-model-variable",
                    name + "model " + b.modelId + " has no variable '" + v.model + "'");
            } else {
                if (modelUnit.empty())
                    modelUnit = info->unit;
                const bool isOut =
                    info->causality == sdk::Causality::Output || info->causality == sdk::Causality::Local;
                if (v.direction == VariableBinding::Direction::Out && !isOut)
                    add(S::Error, "binding-direction", name + "'" + v.model + "' is not a model output");
                if (!v.modelUnit.empty() && !info->unit.empty() && !sameUnit(v.modelUnit, info->unit))
                    add(S::Warning, "binding-model-unit",
                        name + "binding says " + v.modelUnit + ", the model says " + info->unit);
            }
        }
        if (!project.types.contains(b.typeId))
            continue;
        auto member = resolveTwinOnType(project, b.typeId, v.twin);
        if (!member) {
            add(S::Error, "binding-missing-twin-variable", name + member.error());
            continue;
        }
        if (v.direction == VariableBinding::Direction::Out && !member->isTelemetry)
            add(S::Error, "binding-direction",
                name + "outputs must go to telemetry, '" + v.twin + "' is a property");
        if (auto c = unitConversion(modelUnit, member->unit); !c)
            add(S::Error, "binding-unit-mismatch", name + c.error());
    }
    return out;
}

std::vector<LintFinding> lintBindings(const Project &project, const ModelVariablesLookup &lookup)
{
    std::vector<LintFinding> out;
    for (auto it = project.meta.lower_bound(kPrefix);
         it != project.meta.end() && it->first.starts_with(kPrefix); ++it) {
        auto b = bindingFromJson(it->second);
        if (!b) {
            out.push_back({LintFinding::Severity::Error, it->first, "binding-unreadable", b.error()});
            continue;
        }
        auto f = validateBinding(project, b.value(), lookup);
        out.insert(out.end(), f.begin(), f.end());
    }
    return out;
}

std::string resolveResourcePath(const std::string &path, const std::string &pluginDir,
                                const std::string &projectDir)
{
    namespace fs = std::filesystem;
    if (path.empty() || fs::path(path).is_absolute())
        return path;
    std::vector<fs::path> roots;
    if (!projectDir.empty())
        roots.push_back(projectDir);
    if (!pluginDir.empty()) {
        roots.push_back(fs::path(pluginDir) / "../share/twinworks");
        roots.push_back(fs::path(pluginDir) / "../../../share/twinworks");
    }
    std::error_code ec;
    for (const auto &root : roots) {
        const fs::path candidate = (root / path).lexically_normal();
        if (fs::is_regular_file(candidate, ec))
            return fs::absolute(candidate, ec).lexically_normal().string();
    }
    return path;
}

std::string resolvedBackendConfig(const SimulationBinding &binding, const std::string &pluginDir,
                                  const std::string &projectDir)
{
    auto config = nlohmann::json::parse(binding.config.empty() ? "{}" : binding.config, nullptr, false);
    if (!config.is_object())
        return binding.config;
    bool changed = false;
    for (const char *key : {"fmu", "ssp"}) { // FMI's FMU, an SSP package
        if (!config.contains(key) || !config[key].is_string())
            continue;
        const std::string given = config[key].get<std::string>();
        const std::string resolved = resolveResourcePath(given, pluginDir, projectDir);
        changed = changed || resolved != given;
        config[key] = resolved;
    }
    return changed ? config.dump() : binding.config;
}

} // namespace twin::model::scenario
