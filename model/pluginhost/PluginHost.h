#pragma once
// Finds plugin shared libraries in a folder, reads their metadata without creating anything, refuses plugins
// built for another SDK major version, and creates connectors on demand.
//
// Threads: a PluginHost is used from one control thread. Connectors it creates follow the rules in
// plugins/sdk/include/twin/sdk/Connector.h.
#include "twin/util/Result.h"

#include "twin/sdk/Capabilities.h"
#include "twin/sdk/Connector.h"
#include "twin/sdk/Simulator.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace twin::model {

struct PluginInfo
{
    std::string path; // the .so file
    std::string id;
    std::string name;
    std::string version;
    std::string kind; // "connector" or "simulator"
    std::string description;
    sdk::Capability capabilities = sdk::Capability::None;
    unsigned sdkMajor = 0;
    unsigned sdkMinor = 0;
    // Empty when the plugin can be loaded; otherwise why not (names the file and, for a version mismatch,
    // both versions). Refused plugins stay listed so the UI can show the reason.
    std::string problem;
    bool usable() const { return problem.empty(); }
};

class LoadedPlugin; // a dlopen handle kept alive while any object of the plugin lives

// Destroys the connector through the plugin's own destroy function, then releases the library.
struct ConnectorDeleter
{
    std::shared_ptr<LoadedPlugin> library;
    void (*destroy)(void *) = nullptr;
    void operator()(sdk::Connector *connector) const;
};
using ConnectorPtr = std::unique_ptr<sdk::Connector, ConnectorDeleter>;

// Same for simulators (plugins/sdk/include/twin/sdk/Simulator.h).
struct SimulatorDeleter
{
    std::shared_ptr<LoadedPlugin> library;
    void (*destroy)(void *) = nullptr;
    void operator()(sdk::Simulator *simulator) const;
};
using SimulatorPtr = std::unique_ptr<sdk::Simulator, SimulatorDeleter>;

class PluginHost
{
public:
    PluginHost();
    ~PluginHost();
    PluginHost(const PluginHost &) = delete;
    PluginHost &operator=(const PluginHost &) = delete;

    // Lists every *.so in `directory` (not recursive) with its metadata or its problem; replaces the
    // previous list. Opens each file with RTLD_LAZY | RTLD_LOCAL, reads the C metadata symbols, closes it.
    // An error only when the folder cannot be read.
    Result<std::vector<PluginInfo>> scan(const std::string &directory);
    // Makes the plugin `id` of `directory` known, opening only the file named after it when there is one
    // ("twin.sim-ode" -> twin-sim-ode.so, as the plugins we ship are named) and it has that id; otherwise
    // scans the whole folder. Keeps what an earlier call found in the same folder. A worker that runs one
    // model uses this: opening every plugin (and its libraries) costs milliseconds per process.
    Status scanFor(const std::string &directory, const std::string &id);
    const std::vector<PluginInfo> &plugins() const { return m_plugins; }
    // The usable plugin with this id, or nullptr.
    const PluginInfo *find(const std::string &id) const;

    // Loads the plugin (once; it stays loaded while the host or any of its objects lives) and creates a
    // connector. Fails for unknown ids, refused plugins and plugins that are not connectors.
    Result<ConnectorPtr> createConnector(const std::string &pluginId);
    // Same for a plugin of kind "simulator".
    Result<SimulatorPtr> createSimulator(const std::string &pluginId);
    // Asks a simulator plugin to describe the model its backend config names (sdk::Simulator::describe): no
    // model code runs. The error names the plugin and the backend's reason.
    Result<sdk::ModelInfo> describeModel(const std::string &pluginId, const std::string &configJson);

    // Reads one file's metadata. The returned info has `problem` set when it must be refused; an error only
    // when the file is not a loadable Twinworks plugin at all.
    // Where the plugins of this installation are: <exe dir>/../plugins in the build tree,
    // <exe dir>/../lib/twinworks/plugins when installed. One rule for twinctl and the workbench.
    static std::string defaultDirectory();
    static Result<PluginInfo> readMetadata(const std::string &path);
    // Parses a metadata JSON string into `info` (exposed for tests). Never throws.
    static Status parseMetadata(const std::string &json, PluginInfo &info);

private:
    struct Created
    {
        void *object = nullptr;
        std::shared_ptr<LoadedPlugin> library;
        void (*destroy)(void *) = nullptr;
    };
    // Loads the plugin and calls its create function for `kind` ("connector" or "simulator").
    Result<Created> createObject(const std::string &pluginId, const char *kind);

    std::vector<PluginInfo> m_plugins;
    std::string m_directory;                                                     // of m_plugins
    std::vector<std::pair<std::string, std::shared_ptr<LoadedPlugin>>> m_loaded; // by path
};

} // namespace twin::model
