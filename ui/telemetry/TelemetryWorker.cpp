#include "twin/ui/telemetry/TelemetryWorker_p.h"

#include "twin/model/state/RuleSet.h"
#include "twin/model/telemetry/HistoryRetention.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

namespace twin::ui {
using model::TimeNs;
using namespace std::chrono_literals;

namespace {
constexpr auto kPlayTick = 10ms;      // wall time between clock ticks while playing
constexpr auto kPublishEvery = 16ms;  // at most ~60 snapshots a second while playing
constexpr auto kFastBudget = 8ms;     // wall time per slice when replaying as fast as possible
constexpr auto kLiveTick = 100ms;     // snapshots while live (link state, counters, states)
constexpr auto kRetentionEvery = 60s; // retention while live
} // namespace

TelemetrySession::Worker::Worker(std::function<void()> notify)
    : m_notify(std::move(notify)), m_published(std::make_shared<TelemetrySnapshot>()),
      m_thread([this] { run(); })
{
}

TelemetrySession::Worker::~Worker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
    stopLive();
    m_replay.reset(); // before the engine and the store it refers to
}

void TelemetrySession::Worker::post(Command command)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(command));
    }
    m_wake.notify_all();
}

std::shared_ptr<const TelemetrySnapshot> TelemetrySession::Worker::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_published;
}

void TelemetrySession::Worker::run()
{
    m_lastTick = SteadyClock::now();
    for (;;) {
        std::vector<Command> commands;
        {
            std::unique_lock lock(m_mutex);
            const bool playing = m_clock.playing() && m_replay;
            const auto ready = [this] { return m_stop || !m_queue.empty(); };
            if (m_live)
                m_wake.wait_for(lock, kLiveTick, ready);
            else if (!playing)
                m_wake.wait(lock, ready);
            else if (!m_fast)
                m_wake.wait_for(lock, kPlayTick, ready);
            if (m_stop)
                return;
            commands.swap(m_queue);
        }
        for (Command &command : commands)
            command(*this);
        m_dirty |= !commands.empty();
        if (m_pendingSeek) {
            applySeek(*m_pendingSeek);
            m_pendingSeek.reset();
        }
        const auto now = SteadyClock::now();
        if (m_live) {
            m_dirty = true; // counters and states move on their own
            if (now - m_lastRetention >= kRetentionEvery) {
                applyRetention(m_liveClock.now());
                m_lastRetention = now;
            }
        }
        if (m_clock.playing() && m_replay && !m_live)
            advancePlaying(now);
        m_lastTick = now; // a pause does not count as elapsed replay time
        // Throttle only while playing; a command's effect is published at once.
        if (m_dirty && (!m_clock.playing() || !commands.empty() || now - m_lastPublish >= kPublishEvery))
            publish();
    }
}

void TelemetrySession::Worker::load(model::ProjectData data)
{
    stopLive(); // the live ingest refers to the engine and the project about to go
    const bool hadRange = m_replay != nullptr;
    const TimeNs keep = target();
    m_replay.reset();
    m_engine.reset();
    m_error.clear();
    m_store = data.history;
    m_project = std::make_unique<model::Project>();
    data.history.reset();
    if (auto restored = model::restoreProject(data, *m_project); !restored) {
        m_error = restored.error();
        return;
    }
    std::vector<std::string> ruleErrors;
    const auto rules = model::projectRuleSets(*m_project, &ruleErrors);
    for (const std::string &e : ruleErrors)
        m_error += (m_error.empty() ? "" : "; ") + e;
    auto engine = model::StateEngine::create(*m_project, rules);
    if (!engine.ok()) {
        m_error += (m_error.empty() ? "" : "; ") + engine.error();
        return;
    }
    m_engine = std::move(engine.value());
    if (m_store) // the project's kept detectors watch the replay and live input (trained here, off the GUI
                 // thread)
        for (const std::string &e : m_engine->watchKeptDetectors(*m_project, *m_store))
            m_error += (m_error.empty() ? "" : "; ") + std::string("detector of ") + e;
    if (m_store) {
        m_store->setRetention(model::historyRetention(*m_project));
        applyRetention(0);
    }
    if (!m_store || m_store->sampleCount() == 0) {
        m_clock.pause();
        m_clock.setRange(0, 0);
        return;
    }
    m_replay = std::make_unique<model::ReplayEngine>(*m_store, *m_engine);
    m_clock.setRange(m_replay->begin(), m_replay->end());
    // A freshly opened project shows the twin as it is now: the latest recorded state. Play starts over.
    m_pendingSeek = hadRange ? keep : m_replay->end();
}

void TelemetrySession::Worker::play()
{
    if (m_pendingSeek) {
        applySeek(*m_pendingSeek);
        m_pendingSeek.reset();
    }
    if (m_clock.now() >= m_clock.end())
        applySeek(m_clock.begin()); // play at the end starts over
    m_clock.play();
    m_lastTick = SteadyClock::now();
}

void TelemetrySession::Worker::acknowledge(std::uint64_t alarmId)
{
    if (!m_engine)
        return;
    for (const model::AlarmRecord &alarm : m_engine->alarms())
        if (alarm.id == alarmId) {
            m_acknowledged.emplace(alarm.asset, alarm.name, alarm.raised);
            m_engine->acknowledge(alarmId);
        }
}

void TelemetrySession::Worker::applySeek(TimeNs t)
{
    if (!m_replay)
        return;
    m_clock.seek(t);
    t = m_clock.now();
    // Forward: keep feeding (same result as a restart, see tst_replay); backward: restart and replay.
    if (t > m_replay->position())
        m_replay->advanceTo(t);
    else if (t < m_replay->position())
        m_replay->seek(t);
    m_dirty = true;
}

void TelemetrySession::Worker::advancePlaying(SteadyClock::time_point now)
{
    if (!m_fast) {
        m_clock.tick(std::chrono::duration_cast<std::chrono::nanoseconds>(now - m_lastTick).count());
        m_replay->advanceTo(m_clock.now());
        m_dirty = true;
        return;
    }
    // As fast as possible, in slices sized to about kFastBudget of wall time so commands stay responsive.
    const TimeNs to = std::min(m_clock.end(), m_clock.now() + m_fastSlice);
    const auto started = SteadyClock::now();
    m_replay->advanceTo(to);
    const auto took = SteadyClock::now() - started;
    if (took < kFastBudget / 2)
        m_fastSlice = std::min<TimeNs>(m_fastSlice * 2, 365LL * 24 * 3600 * model::kNsPerSecond);
    else if (took > kFastBudget * 2)
        m_fastSlice = std::max<TimeNs>(m_fastSlice / 2, 1'000'000);
    m_clock.seek(to);
    if (to >= m_clock.end())
        m_clock.pause();
    m_dirty = true;
}

void TelemetrySession::Worker::reapplyAcknowledgements()
{
    if (!m_engine || m_acknowledged.empty())
        return;
    for (const model::AlarmRecord &alarm : m_engine->alarms())
        if (!alarm.acknowledged && m_acknowledged.count({alarm.asset, alarm.name, alarm.raised}))
            m_engine->acknowledge(alarm.id);
}

void TelemetrySession::Worker::publish()
{
    reapplyAcknowledgements();
    auto s = std::make_shared<TelemetrySnapshot>();
    s->begin = m_clock.begin();
    s->end = m_clock.end();
    s->position = m_clock.now();
    s->live = false;
    s->playing = m_clock.playing();
    s->speed = m_clock.speed();
    s->asFastAsPossible = m_fast;
    s->hasHistory = m_replay != nullptr;
    s->error = QString::fromStdString(m_error);
    s->liveError = QString::fromStdString(m_liveError);
    if (m_live)
        publishLive(*s);
    else if (m_replay && m_engine) {
        s->samplesFed = m_replay->samplesFed();
        model::StateSnapshot state = m_engine->snapshot();
        s->states.reserve(state.states.size());
        for (auto &[id, name] : state.states)
            s->states.emplace(id, std::move(name));
        s->alarms = std::move(state.alarms);
        s->latestValues = m_replay->latestValues();
        s->latestTimes = m_replay->latestTimes();
    }
    {
        std::lock_guard lock(m_mutex);
        s->version = ++m_version;
        m_published = std::move(s);
    }
    m_dirty = false;
    m_lastPublish = SteadyClock::now();
    m_notify();
}

} // namespace twin::ui
