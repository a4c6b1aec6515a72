// TelemetrySession::Worker, live mode: a conn-mqtt connector feeds a LiveIngest (quality pipeline, shared
// store, this worker's state engine). The connector calls the sink on its own network thread; a mutex
// serialises those calls with the worker's reads of the state engine (StateEngine is single-threaded).
#include "TelemetryWorker_p.h"

#include "plugins/PluginHost.h"
#include "telemetry/HistoryRetention.h"
#include "telemetry/TimeSeriesStore.h"

#include <cmath>
#include <limits>

namespace twin::ui {
using model::TimeNs;

namespace {
// Forwards every call to the ingest under the worker's lock.
class LockedSink final : public sdk::SampleSink
{
public:
    LockedSink(std::mutex &mutex, model::LiveIngest &ingest) : m_mutex(mutex), m_ingest(ingest) {}
    void onRecords(std::vector<sdk::RawRecord> &&batch) override
    {
        std::lock_guard lock(m_mutex);
        m_ingest.onRecords(std::move(batch));
    }
    void onLinkEvent(const sdk::LinkEvent &event) override { m_ingest.onLinkEvent(event); }
    void onProblem(const sdk::Problem &problem) override { m_ingest.onProblem(problem); }
    void onStateChanged(sdk::ConnectorState state, const std::string &message) override
    {
        m_ingest.onStateChanged(state, message);
    }

private:
    std::mutex &m_mutex;
    model::LiveIngest &m_ingest;
};
} // namespace

// Declaration order is destruction order reversed: the connector (and its thread) goes first.
struct TelemetrySession::Worker::Live
{
    model::PluginHost host;
    std::mutex mutex; // the ingest and the state engine while live
    std::unique_ptr<model::LiveIngest> ingest;
    std::unique_ptr<LockedSink> sink;
    model::ConnectorPtr connector;
};

void TelemetrySession::Worker::startLive(const std::string &config, const std::string &pluginDir,
                                         const std::string &endpoint)
{
    stopLive();
    m_liveError.clear();
    m_liveEndpoint = endpoint;
    m_dirty = true;
    if (!m_project || !m_engine) {
        m_liveError = m_error.empty() ? "no project loaded" : m_error;
        return;
    }
    if (!m_store)
        m_store = std::make_shared<model::TimeSeriesStore>();
    m_project->history = m_store; // the ingest writes into the document's store
    auto live = std::make_shared<Live>();
    if (auto scanned = live->host.scan(pluginDir); !scanned) {
        m_liveError = scanned.error();
        return;
    }
    auto connector = live->host.createConnector("twin.conn-mqtt");
    if (!connector) {
        m_liveError = connector.error() + " (plugins: " + pluginDir + ")";
        return;
    }
    live->connector = std::move(connector.value());
    if (auto s = live->connector->configure(config); !s.isOk()) {
        m_liveError = "configuration: " + s.message();
        return;
    }
    m_clock.pause();
    m_engine->reset(); // live states start from the initial state, not from the replay position
    live->ingest = std::make_unique<model::LiveIngest>(*m_project, m_engine.get());
    live->sink = std::make_unique<LockedSink>(live->mutex, *live->ingest);
    if (auto s = live->connector->start(live->sink.get()); !s.isOk()) {
        m_liveError = "start: " + s.message();
        live->connector.reset();
        return;
    }
    m_live = std::move(live);
    m_lastRetention = SteadyClock::now();
}

void TelemetrySession::Worker::stopLive()
{
    if (!m_live)
        return;
    m_live->connector->stop();
    m_live->connector.reset();
    m_live->ingest->flush();
    m_live.reset();
    m_dirty = true;
}

void TelemetrySession::Worker::publishLive(TelemetrySnapshot &s)
{
    s.live = true;
    s.playing = true;
    s.hasHistory = true; // freshness is measured against the wall clock
    s.position = m_liveClock.now();
    s.endpoint = QString::fromStdString(m_liveEndpoint);
    const model::LiveIngestStats stats = m_live->ingest->stats();
    s.link = QString::fromStdString(stats.link);
    s.liveRecords = stats.records;
    s.liveStored = stats.stored;
    s.liveProblems = stats.problems;
    s.samplesFed = stats.stored;
    if (!stats.recentProblems.empty())
        s.lastProblem = QString::fromStdString(stats.recentProblems.back());
    {
        std::lock_guard lock(m_live->mutex);
        model::StateSnapshot state = m_engine->snapshot();
        s.states.reserve(state.states.size());
        for (auto &[id, name] : state.states)
            s.states.emplace(id, std::move(name));
        s.alarms = std::move(state.alarms);
    }
    // Latest stored value per signal, for freshness and read-outs.
    const std::size_t count = m_store->signalCount();
    s.latestValues.assign(count, std::numeric_limits<double>::quiet_NaN());
    s.latestTimes.assign(count, 0);
    for (model::SignalId id = 0; id < count; ++id) {
        const TimeNs last = m_store->stats(id).last;
        if (last == 0)
            continue;
        const auto samples = m_store->range(id, last, last + 1);
        s.latestTimes[id] = last;
        if (!samples.empty())
            s.latestValues[id] = samples.back().value;
    }
    if (!s.states.empty() || count > 0)
        s.begin = std::min(s.begin == 0 ? s.position : s.begin, s.position);
    s.end = s.position;
}

void TelemetrySession::Worker::applyRetention(TimeNs now)
{
    if (m_store)
        model::applyHistoryRetention(*m_store, now);
}

} // namespace twin::ui
