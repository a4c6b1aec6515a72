#include "twin/model/pluginhost/PluginHost.h"

#include "twin/sdk/PluginApi.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <dlfcn.h>
#include <filesystem>

namespace twin::model {

namespace fs = std::filesystem;

class LoadedPlugin
{
public:
    explicit LoadedPlugin(void *handle) : m_handle(handle) {}
    ~LoadedPlugin()
    {
        // Opened with RTLD_NODELETE: dlclose only drops the reference. Unmapping code that started threads or
        // registered thread-local / atexit destructors (libmosquitto, OpenSSL) is not safe.
        if (m_handle)
            dlclose(m_handle);
    }
    void *symbol(const char *name) const { return dlsym(m_handle, name); }

private:
    void *m_handle = nullptr; // Owned.
};

void ConnectorDeleter::operator()(sdk::Connector *connector) const
{
    if (connector && destroy)
        destroy(connector);
}

void SimulatorDeleter::operator()(sdk::Simulator *simulator) const
{
    if (simulator && destroy)
        destroy(simulator);
}

namespace {

std::string dlErrorText()
{
    const char *text = dlerror();
    return text ? text : "unknown dlopen error";
}

std::string versionText(unsigned major, unsigned minor)
{
    return std::to_string(major) + "." + std::to_string(minor);
}

bool parseVersion(const std::string &text, unsigned &major, unsigned &minor)
{
    unsigned a = 0, b = 0;
    char rest = 0;
    if (std::sscanf(text.c_str(), "%u.%u%c", &a, &b, &rest) != 2)
        return false;
    major = a;
    minor = b;
    return true;
}

} // namespace

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;

Status PluginHost::parseMetadata(const std::string &json, PluginInfo &info)
{
    try {
        const auto doc = nlohmann::json::parse(json);
        if (!doc.is_object())
            return Error{"metadata is not a JSON object"};
        for (const char *key : {"id", "name", "version", "sdkVersion", "kind"})
            if (!doc.contains(key) || !doc[key].is_string() || doc[key].get<std::string>().empty())
                return Error{std::string("metadata lacks the string \"") + key + "\""};
        info.id = doc["id"].get<std::string>();
        info.name = doc["name"].get<std::string>();
        info.version = doc["version"].get<std::string>();
        info.kind = doc["kind"].get<std::string>();
        info.description = doc.value("description", std::string());
        if (info.kind != "connector" && info.kind != "simulator")
            return Error{"metadata kind \"" + info.kind + "\" is neither \"connector\" nor \"simulator\""};
        if (!parseVersion(doc["sdkVersion"].get<std::string>(), info.sdkMajor, info.sdkMinor))
            return Error{"metadata sdkVersion \"" + doc["sdkVersion"].get<std::string>() +
                         "\" is not MAJOR.MINOR"};
        info.capabilities = sdk::Capability::None;
        if (doc.contains("capabilities")) {
            if (!doc["capabilities"].is_array())
                return Error{"metadata capabilities is not an array"};
            for (const auto &name : doc["capabilities"])
                if (name.is_string())
                    info.capabilities |= sdk::capabilityFromName(name.get<std::string>());
        }
        return okStatus();
    } catch (const nlohmann::json::exception &e) {
        return Error{std::string("malformed metadata JSON: ") + e.what()};
    }
}

Result<PluginInfo> PluginHost::readMetadata(const std::string &path)
{
    dlerror();
    void *handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (!handle)
        return Error{path + ": cannot open plugin: " + dlErrorText()};
    std::unique_ptr<void, int (*)(void *)> closer(handle, dlclose);

    auto metadataFn = reinterpret_cast<TwinPluginMetadataFn>(dlsym(handle, TWIN_PLUGIN_METADATA_SYMBOL));
    auto versionFn = reinterpret_cast<TwinPluginSdkVersionFn>(dlsym(handle, TWIN_PLUGIN_SDK_VERSION_SYMBOL));
    if (!metadataFn || !versionFn)
        return Error{path + ": not a Twinworks plugin (no " TWIN_PLUGIN_METADATA_SYMBOL
                            " / " TWIN_PLUGIN_SDK_VERSION_SYMBOL " symbol)"};

    PluginInfo info;
    info.path = path;
    const std::uint32_t packed = versionFn();
    const unsigned builtMajor = TWIN_SDK_VERSION_MAJOR_OF(packed),
                   builtMinor = TWIN_SDK_VERSION_MINOR_OF(packed);
    // The numeric symbol is checked first: a plugin of another major may have metadata this host cannot read.
    if (builtMajor != TWIN_SDK_VERSION_MAJOR) {
        info.sdkMajor = builtMajor;
        info.sdkMinor = builtMinor;
        info.problem = path + ": built for Twinworks SDK " + versionText(builtMajor, builtMinor) +
                       ", but this host provides SDK " +
                       versionText(TWIN_SDK_VERSION_MAJOR, TWIN_SDK_VERSION_MINOR) +
                       " (major versions must match)";
        const char *json = metadataFn();
        PluginInfo parsed;
        if (json && parseMetadata(json, parsed).ok()) {
            info.id = parsed.id;
            info.name = parsed.name;
            info.version = parsed.version;
            info.kind = parsed.kind;
        }
        return info;
    }
    const char *json = metadataFn();
    if (!json) {
        info.problem = path + ": metadata symbol returned null";
        return info;
    }
    if (const Status parsed = parseMetadata(json, info); !parsed.ok()) {
        info.problem = path + ": " + parsed.error();
        return info;
    }
    if (info.sdkMajor != builtMajor || info.sdkMinor != builtMinor)
        info.problem = path + ": metadata says SDK " + versionText(info.sdkMajor, info.sdkMinor) +
                       " but the library was built with SDK " + versionText(builtMajor, builtMinor);
    return info;
}

Result<std::vector<PluginInfo>> PluginHost::scan(const std::string &directory)
{
    std::error_code ec;
    std::vector<std::string> files;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".so" && it->is_regular_file())
            files.push_back(it->path().string());
    if (ec)
        return Error{directory + ": cannot list plugins: " + ec.message()};
    std::sort(files.begin(), files.end());

    m_plugins.clear();
    m_directory = directory;
    for (const auto &file : files) {
        auto info = readMetadata(file);
        if (info.ok()) {
            m_plugins.push_back(std::move(info.value()));
        } else {
            PluginInfo refused;
            refused.path = file;
            refused.problem = info.error();
            m_plugins.push_back(std::move(refused));
        }
    }
    // Two usable plugins with one id: the first (by file name) wins, the other is refused.
    for (std::size_t i = 0; i < m_plugins.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (m_plugins[i].usable() && m_plugins[j].usable() && m_plugins[i].id == m_plugins[j].id)
                m_plugins[i].problem = m_plugins[i].path + ": duplicate plugin id \"" + m_plugins[i].id +
                                       "\" (already provided by " + m_plugins[j].path + ")";
    return m_plugins;
}

Status PluginHost::scanFor(const std::string &directory, const std::string &id)
{
    if (directory != m_directory) {
        m_plugins.clear();
        m_directory = directory;
    }
    if (find(id))
        return okStatus();
    std::string file = id;
    std::replace(file.begin(), file.end(), '.', '-');
    const std::string path = (fs::path(directory) / (file + ".so")).string();
    std::error_code ec;
    if (!id.empty() && fs::is_regular_file(path, ec)) {
        auto info = readMetadata(path);
        if (info.ok() && info.value().id == id && info.value().usable()) {
            m_plugins.push_back(std::move(info.value()));
            return okStatus();
        }
    }
    auto scanned = scan(directory);
    if (!scanned)
        return Error{scanned.error()};
    return okStatus();
}

const PluginInfo *PluginHost::find(const std::string &id) const
{
    for (const auto &info : m_plugins)
        if (info.id == id && info.usable())
            return &info;
    return nullptr;
}

Result<PluginHost::Created> PluginHost::createObject(const std::string &pluginId, const char *kind)
{
    const PluginInfo *info = find(pluginId);
    if (!info) {
        for (const auto &refused : m_plugins)
            if (refused.id == pluginId)
                return Error{"plugin \"" + pluginId + "\" is refused: " + refused.problem};
        return Error{"no plugin with id \"" + pluginId + "\""};
    }
    if (info->kind != kind)
        return Error{info->path + ": plugin \"" + pluginId + "\" is a " + info->kind + ", not a " + kind};

    std::shared_ptr<LoadedPlugin> library;
    for (const auto &[path, loaded] : m_loaded)
        if (path == info->path)
            library = loaded;
    if (!library) {
        dlerror();
        void *handle = dlopen(info->path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!handle)
            return Error{info->path + ": cannot load plugin: " + dlErrorText()};
        library = std::make_shared<LoadedPlugin>(handle);
        m_loaded.emplace_back(info->path, library);
    }
    auto create = reinterpret_cast<TwinPluginCreateFn>(library->symbol(TWIN_PLUGIN_CREATE_SYMBOL));
    auto destroy = reinterpret_cast<TwinPluginDestroyFn>(library->symbol(TWIN_PLUGIN_DESTROY_SYMBOL));
    if (!create || !destroy)
        return Error{info->path + ": plugin lacks " TWIN_PLUGIN_CREATE_SYMBOL
                                  " or " TWIN_PLUGIN_DESTROY_SYMBOL};

    TwinCreateRequest request{sizeof(TwinCreateRequest), TWIN_SDK_VERSION, kind};
    TwinCreateResult result{};
    result.structSize = sizeof(TwinCreateResult);
    const std::int32_t status = create(&request, &result);
    if (status != TWIN_CREATE_OK || !result.object) {
        result.message[sizeof result.message - 1] = '\0';
        return Error{info->path + ": plugin refused to create a " + std::string(kind) + " (status " +
                     std::to_string(status) + "): " + result.message};
    }
    return Created{result.object, library, destroy};
}

Result<ConnectorPtr> PluginHost::createConnector(const std::string &pluginId)
{
    auto created = createObject(pluginId, "connector");
    if (!created.ok())
        return Error{created.error()};
    const Created &c = created.value();
    return ConnectorPtr(static_cast<sdk::Connector *>(c.object), ConnectorDeleter{c.library, c.destroy});
}

Result<SimulatorPtr> PluginHost::createSimulator(const std::string &pluginId)
{
    auto created = createObject(pluginId, "simulator");
    if (!created.ok())
        return Error{created.error()};
    const Created &c = created.value();
    return SimulatorPtr(static_cast<sdk::Simulator *>(c.object), SimulatorDeleter{c.library, c.destroy});
}

Result<sdk::ModelInfo> PluginHost::describeModel(const std::string &pluginId, const std::string &configJson)
{
    auto simulator = createSimulator(pluginId);
    if (!simulator)
        return Error{simulator.error()};
    sdk::ModelInfo info;
    if (auto s = (*simulator)->describe(configJson, info); !s.isOk())
        return Error{s.message()};
    return info;
}

std::string PluginHost::defaultDirectory()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec).parent_path();
    for (const auto &candidate : {exe / "../plugins", exe / "../lib/twinworks/plugins"})
        if (fs::is_directory(candidate, ec))
            return fs::weakly_canonical(candidate, ec).string();
    return (exe / "../plugins").string();
}

} // namespace twin::model
