#include "twin/model/replay/ReplayEngine.h"

#include <cmath>
#include <limits>

namespace twin::model {

ReplayEngine::ReplayEngine(const TimeSeriesStore &store, StateEngine &engine)
    : m_store(store), m_engine(engine), m_window(600 * kNsPerSecond)
{
    bool any = false;
    for (const SignalInfo &info : store.allSignals()) {
        const auto id = store.findSignal(info.key);
        if (!id)
            continue;
        const SignalStats stats = store.stats(*id);
        if (stats.count == 0)
            continue;
        m_begin = any ? std::min(m_begin, stats.first) : stats.first;
        m_end = any ? std::max(m_end, stats.last) : stats.last;
        any = true;
        Cursor c;
        c.id = *id;
        c.asset = info.key.asset;
        c.telemetry = info.key.telemetry;
        m_cursors.push_back(std::move(c));
    }
    m_latest.assign(store.signalCount(), std::numeric_limits<double>::quiet_NaN());
    m_latestTime.assign(store.signalCount(), 0);
    restart();
}

void ReplayEngine::restart()
{
    m_position = m_begin - 1;
    for (Cursor &c : m_cursors) {
        c.buffer.clear();
        c.next = 0;
        c.loadedUntil = m_begin;
    }
    std::fill(m_latest.begin(), m_latest.end(), std::numeric_limits<double>::quiet_NaN());
    std::fill(m_latestTime.begin(), m_latestTime.end(), 0);
    m_fed = 0;
}

bool ReplayEngine::refill(Cursor &c, TimeNs limit)
{
    // Load the next window of this signal, skipping empty stretches quickly.
    while (c.next >= c.buffer.size() && c.loadedUntil <= limit && c.loadedUntil <= m_end) {
        const TimeNs from = c.loadedUntil;
        const TimeNs to = std::max(from + m_window, from + 1);
        c.buffer = m_store.range(c.id, from, to);
        c.next = 0;
        c.loadedUntil = to;
    }
    return c.next < c.buffer.size();
}

std::uint64_t ReplayEngine::advanceTo(TimeNs t)
{
    if (t <= m_position)
        return 0;
    // k-way merge by source time; ties keep signal order, so it is deterministic.
    using Entry = std::pair<TimeNs, size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    for (size_t i = 0; i < m_cursors.size(); ++i) {
        Cursor &c = m_cursors[i];
        while (refill(c, t) && c.buffer[c.next].sourceTime <= m_position)
            ++c.next; // already fed (the window overlaps the last position)
        if (refill(c, t) && c.buffer[c.next].sourceTime <= t)
            heap.emplace(c.buffer[c.next].sourceTime, i);
    }
    std::uint64_t fed = 0;
    while (!heap.empty()) {
        const auto [time, i] = heap.top();
        heap.pop();
        Cursor &c = m_cursors[i];
        const Sample &s = c.buffer[c.next++];
        m_latestTime[c.id] = s.sourceTime;
        if (!std::isnan(s.value)) {
            m_engine.setInput(c.asset, c.telemetry, s.sourceTime, s.value);
            m_latest[c.id] = s.value;
        }
        ++fed;
        if (refill(c, t) && c.buffer[c.next].sourceTime <= t)
            heap.emplace(c.buffer[c.next].sourceTime, i);
    }
    m_engine.advance(t);
    m_position = t;
    m_fed += fed;
    return fed;
}

std::uint64_t ReplayEngine::seek(TimeNs t)
{
    m_engine.reset();
    restart();
    return advanceTo(t);
}

} // namespace twin::model
