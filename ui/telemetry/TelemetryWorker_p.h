#pragma once
// The worker thread behind TelemetrySession (private). It owns a private copy of the project, the state
// engine, the replay engine and the replay clock; nothing else touches them. The GUI thread talks to it only
// through post() (commands, run in order on the worker) and latest() (the last published snapshot).
#include "twin/model/project/Project.h"
#include "twin/model/replay/ReplayClock.h"
#include "twin/model/replay/ReplayEngine.h"
#include "twin/model/telemetry/LiveIngest.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

namespace twin::ui {

struct TelemetrySession::Worker
{
    using Command = std::function<void(Worker &)>;
    using SteadyClock = std::chrono::steady_clock;

    // `notify` is called on the worker after each publish; it must only post to the GUI thread.
    explicit Worker(std::function<void()> notify);
    ~Worker(); // stops and joins

    // --- any thread -------------------------------------------------------------------------------------
    void post(Command command);
    std::shared_ptr<const TelemetrySnapshot> latest() const;

    // --- worker thread only (called from commands) ------------------------------------------------------
    void load(model::ProjectData data);
    void requestSeek(model::TimeNs t) { m_pendingSeek = t; }
    model::TimeNs target() const { return m_pendingSeek ? *m_pendingSeek : m_clock.now(); }
    void play();
    void acknowledge(std::uint64_t alarmId);
    // Live mode (TelemetryLive.cpp): a conn-mqtt connector feeding a LiveIngest into this worker's state
    // engine and the shared store; the clock is then a LiveClock. stopLive() returns to replay.
    void startLive(const std::string &config, const std::string &pluginDir, const std::string &endpoint);
    void stopLive();
    bool isLive() const { return m_live != nullptr; }

    model::ReplayClock m_clock;
    bool m_fast = false;

private:
    void run();
    void applySeek(model::TimeNs t);
    void advancePlaying(SteadyClock::time_point now);
    void reapplyAcknowledgements();
    void publish();
    void publishLive(TelemetrySnapshot &s); // TelemetryLive.cpp
    void applyRetention(model::TimeNs now);
    struct Live; // TelemetryLive.cpp

    std::function<void()> m_notify;
    // Shared with the GUI thread.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Command> m_queue;
    bool m_stop = false;
    std::shared_ptr<const TelemetrySnapshot> m_published;
    // Worker-owned. Destruction order matters: the replay refers to the engine and the store, the engine
    // to the project.
    std::unique_ptr<model::Project> m_project;
    std::shared_ptr<model::TimeSeriesStore> m_store;
    std::unique_ptr<model::StateEngine> m_engine;
    std::unique_ptr<model::ReplayEngine> m_replay;
    std::shared_ptr<Live> m_live; // stopLive() in load() and ~Worker, before the engine goes
    model::LiveClock m_liveClock;
    std::string m_liveEndpoint, m_liveError; // "host:port"; why the last start failed
    SteadyClock::time_point m_lastRetention;
    std::string m_error;
    std::optional<model::TimeNs> m_pendingSeek;
    std::set<std::tuple<model::AssetId, std::string, model::TimeNs>> m_acknowledged; // asset, name, raised
    model::TimeNs m_fastSlice = 60 * model::kNsPerSecond;
    std::uint64_t m_version = 0;
    SteadyClock::time_point m_lastTick, m_lastPublish;
    bool m_dirty = false;
    std::thread m_thread; // last: starts after everything above is constructed
};

} // namespace twin::ui
