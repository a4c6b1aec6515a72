// TelemetrySession::Worker, live mode: a model::LiveSession (conn-mqtt connector -> quality pipeline -> the
// shared store -> this worker's state engine). The worker reads the state engine under the session's lock.
#include "twin/ui/telemetry/TelemetryWorker_p.h"

#include "twin/model/telemetry/HistoryRetention.h"
#include "twin/model/telemetry/LiveSession.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <cmath>
#include <limits>

namespace twin::ui {
using model::TimeNs;

struct TelemetrySession::Worker::Live
{
    explicit Live(model::Project &project, model::StateEngine *engine) : session(project, engine) {}
    model::LiveSession session;
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
    m_clock.pause();
    m_engine->reset(); // live states start from the initial state, not from the replay position
    auto live = std::make_shared<Live>(*m_project, m_engine.get());
    if (auto started = live->session.start({pluginDir, "twin.conn-mqtt", config}); !started) {
        m_liveError = started.error();
        return;
    }
    m_live = std::move(live);
    m_lastRetention = SteadyClock::now();
}

void TelemetrySession::Worker::stopLive()
{
    if (!m_live)
        return;
    m_live->session.stop();
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
    const model::LiveIngestStats stats = m_live->session.stats();
    s.link = QString::fromStdString(stats.link);
    s.liveRecords = stats.records;
    s.liveStored = stats.stored;
    s.liveProblems = stats.problems;
    s.samplesFed = stats.stored;
    if (!stats.recentProblems.empty())
        s.lastProblem = QString::fromStdString(stats.recentProblems.back());
    model::StateSnapshot state = m_live->session.withEngineLocked([this] { return m_engine->snapshot(); });
    s.states.reserve(state.states.size());
    for (auto &[id, name] : state.states)
        s.states.emplace(id, std::move(name));
    s.alarms = std::move(state.alarms);
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
