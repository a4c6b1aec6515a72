#pragma once
// Live ingest from a connector plugin into a project, the one code path behind `twinctl mqtt` and the
// workbench's live mode: finds the plugin, configures and starts its connector, and feeds a LiveIngest
// (quality pipeline -> the project's store -> the state engine).
//
// Threads: start/stop/stats from one control thread. The connector delivers records on its own thread; they
// reach the ingest under a mutex, and `withEngineLocked` runs the caller's reads of the state engine under
// the same mutex (StateEngine is single-threaded).
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/telemetry/LiveIngest.h"

#include <memory>
#include <mutex>
#include <string>

namespace twin::model {

struct LiveSessionOptions
{
    std::string pluginDir; // where the connector plugins are (PluginHost::defaultDirectory())
    std::string pluginId = "twin.conn-mqtt"; // the connector plugin
    std::string configJson = "{}";           // the connector's configuration; "reorderWatermark" (s) is ours
};

class LiveSession
{
public:
    // `engine` may be null (store only). Both must outlive the session.
    LiveSession(Project &project, StateEngine *engine);
    ~LiveSession(); // stops
    LiveSession(const LiveSession &) = delete;
    LiveSession &operator=(const LiveSession &) = delete;

    // Loads the plugin, configures and starts the connector. On error nothing runs and the message names the
    // step (plugin folder, plugin, configuration, start).
    [[nodiscard]] Status start(const LiveSessionOptions &options);
    // Stops the connector (idempotent) and releases what the reorder window still holds into the store.
    void stop();
    bool running() const { return m_connector != nullptr; }
    LiveIngestStats stats() const;

    template <typename F> decltype(auto) withEngineLocked(F &&f)
    {
        std::lock_guard lock(m_mutex);
        return f();
    }

private:
    class LockedSink;

    Project &m_project;
    StateEngine *m_engine; // Not owned.
    std::mutex m_mutex;    // the ingest and the state engine while running
    // Declaration order is destruction order reversed: the connector (and its thread) goes first.
    PluginHost m_host;
    std::unique_ptr<LiveIngest> m_ingest;
    std::unique_ptr<LockedSink> m_sink;
    ConnectorPtr m_connector;
};

} // namespace twin::model
