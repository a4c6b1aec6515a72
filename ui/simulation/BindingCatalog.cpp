#include "twin/ui/simulation/BindingCatalog.h"

#include <set>

namespace twin::ui {

void BindingCatalog::setDirectory(std::string dir)
{
    m_dir = std::move(dir);
    m_scanned = false;
    m_simulators.clear();
    m_models.clear();
}

void BindingCatalog::scan()
{
    m_scanned = true;
    m_scanProblem.clear();
    auto scanned = m_host.scan(m_dir);
    if (!scanned) {
        m_scanProblem = scanned.error();
        return;
    }
    for (const auto &p : scanned.value())
        if (p.kind == "simulator" && p.usable())
            m_simulators.push_back(p);
}

const std::vector<model::PluginInfo> &BindingCatalog::simulators()
{
    if (!m_scanned)
        scan();
    return m_simulators;
}

std::optional<std::vector<sdk::ModelInfo>> BindingCatalog::models(const std::string &pluginId,
                                                                  const std::string &config, std::string &why)
{
    if (!m_scanned)
        scan();
    // The backend is asked with resource paths resolved, as runs are (planScenario): a relative FMU path
    // means the project's folder or the share folder, not the workbench's working directory.
    model::scenario::SimulationBinding asked;
    asked.pluginId = pluginId;
    asked.config = config.empty() ? "{}" : config;
    const std::string resolved = model::scenario::resolvedBackendConfig(asked, m_dir, m_projectDir);
    const auto key = std::make_pair(pluginId, resolved);
    auto it = m_models.find(key);
    if (it == m_models.end()) {
        Answer a;
        if (!m_host.find(pluginId)) {
            a.why = "backend " + pluginId + " not found (or refused) in " + m_dir;
        } else if (auto sim = m_host.createSimulator(pluginId); !sim) {
            a.why = sim.error();
        } else {
            try {
                a.models = sim.value()->models(resolved);
            } catch (const std::exception &e) {
                a.why = "backend " + pluginId + " could not list its models: " + e.what();
            }
        }
        it = m_models.emplace(key, std::move(a)).first;
    }
    why = it->second.why;
    return it->second.models;
}

std::optional<std::vector<sdk::VariableInfo>>
BindingCatalog::variables(const model::scenario::SimulationBinding &b, std::string &why)
{
    auto models = this->models(b.pluginId, b.config, why);
    if (!models)
        return std::nullopt;
    for (const auto &m : *models)
        if (m.id == b.modelId)
            return m.variables;
    why = "backend " + b.pluginId + " has no model '" + b.modelId + "'";
    return std::nullopt;
}

model::scenario::ModelVariablesLookup BindingCatalog::lookup()
{
    return
        [this](const model::scenario::SimulationBinding &b, std::string &why) { return variables(b, why); };
}

std::vector<TwinChoice> twinChoices(const model::Project &project, const std::string &typeId)
{
    const auto &types = project.types;
    std::vector<TwinChoice> out;
    std::set<std::string> seen;
    auto members = [&](const std::string &type, const std::string &prefix, const std::string &via) {
        for (const auto *t : types.telemetry(type))
            if (seen.insert(prefix + t->name).second)
                out.push_back({prefix + t->name, prefix + t->name + "  (telemetry" +
                                                     (t->unit.empty() ? "" : ", " + t->unit) + via + ")"});
        for (const auto *p : types.properties(type))
            if (seen.insert(prefix + p->name).second)
                out.push_back({prefix + p->name, prefix + p->name + "  (property" +
                                                     (p->unit.empty() ? "" : ", " + p->unit) + via + ")"});
    };
    auto shortName = [](const std::string &id) {
        const auto colon = id.rfind(':'), semicolon = id.rfind(';');
        const auto start = colon == std::string::npos ? 0 : colon + 1;
        return id.substr(start, semicolon == std::string::npos || semicolon < start ? std::string::npos
                                                                                    : semicolon - start);
    };
    members(typeId, "", "");
    for (const auto *rel : types.relationships(typeId))
        if (!rel->target.empty())
            members(rel->target, rel->name + "/", ", " + shortName(rel->target));
    for (const auto &[id, type] : types.all())
        for (const auto *rel : types.relationships(id))
            if (rel->target.empty() || types.isA(typeId, rel->target))
                members(id, "^" + rel->name + "/", ", " + shortName(id));
    return out;
}

} // namespace twin::ui
