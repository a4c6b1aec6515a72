#pragma once
// What the Simulation dock offers: the simulator plugins of the plugins folder and the models each offers
// for a backend config, and the twin references of an asset type. Scans lazily on first use and caches
// the answers (a plugin's models() is cheap: it reads metadata, it does not simulate).
//
// Threads: GUI thread only.
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/project/Project.h"
#include "twin/model/scenario/Binding.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace twin::ui {

class BindingCatalog
{
public:
    explicit BindingCatalog(std::string pluginDir) : m_dir(std::move(pluginDir)) {}
    const std::string &directory() const { return m_dir; }
    void setDirectory(std::string dir); // forgets what was scanned
    // The open project's folder: relative resource paths in configs (an FMU) are resolved against it first,
    // then against the share folder beside the plugins (model::scenario::resolvedBackendConfig).
    void setProjectDirectory(std::string dir) { m_projectDir = std::move(dir); }

    // Usable simulator plugins (scans on first call). `problem` says why the scan failed, if it did.
    const std::vector<model::PluginInfo> &simulators();
    const std::string &scanProblem() const { return m_scanProblem; }
    // The models of a backend for a config; nullopt with `why` when the plugin cannot answer.
    std::optional<std::vector<sdk::ModelInfo>> models(const std::string &pluginId, const std::string &config,
                                                      std::string &why);
    // One model's variables (the lookup validateBinding takes).
    std::optional<std::vector<sdk::VariableInfo>> variables(const model::scenario::SimulationBinding &binding,
                                                            std::string &why);
    model::scenario::ModelVariablesLookup lookup();

private:
    void scan();
    struct Answer
    {
        std::optional<std::vector<sdk::ModelInfo>> models;
        std::string why;
    };
    std::string m_dir, m_projectDir;
    bool m_scanned = false;
    std::string m_scanProblem;
    model::PluginHost m_host;
    std::vector<model::PluginInfo> m_simulators;
    std::map<std::pair<std::string, std::string>, Answer> m_models; // (plugin, config) -> answer
};

// A twin-side choice for a binding of `typeId`: "speed", "feeds/level", "^drives/current".
struct TwinChoice
{
    std::string reference;
    std::string label; // reference, kind and unit, for the combo
};
std::vector<TwinChoice> twinChoices(const model::Project &project, const std::string &typeId);

} // namespace twin::ui
