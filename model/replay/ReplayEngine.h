#pragma once
// Feeds stored telemetry into the state engine in source-time order, merged across signals.
// Used by the GUI's replay (on a worker thread), by `twinctl replay` and by benchmarks.
// Not thread-safe: one thread drives it. The store may be read concurrently by others.
#include "twin/model/state/StateEngine.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <queue>
#include <vector>

namespace twin::model {

class ReplayEngine
{
public:
    ReplayEngine(const TimeSeriesStore &store, StateEngine &engine);

    TimeNs begin() const { return m_begin; }
    TimeNs end() const { return m_end; }
    TimeNs position() const { return m_position; }
    // Feeds every sample with position < sourceTime <= t; returns how many.
    std::uint64_t advanceTo(TimeNs t);
    // Restarts the state engine and replays from the beginning up to t (as fast as possible).
    std::uint64_t seek(TimeNs t);
    // Latest value fed for a signal (NaN when none yet).
    double latest(SignalId id) const { return id < m_latest.size() ? m_latest[id] : 0.0 / 0.0; }
    // Source time of the latest sample fed for a signal (0 when none yet); for freshness against the clock.
    TimeNs latestTime(SignalId id) const { return id < m_latestTime.size() ? m_latestTime[id] : 0; }
    const std::vector<TimeNs> &latestTimes() const { return m_latestTime; }
    const std::vector<double> &latestValues() const { return m_latest; }
    std::uint64_t samplesFed() const { return m_fed; }

private:
    struct Cursor
    {
        SignalId id = 0;
        AssetId asset = kNoAsset;
        std::string telemetry;
        std::vector<Sample> buffer;
        size_t next = 0;
        TimeNs loadedUntil = 0; // buffer holds samples with sourceTime < loadedUntil
    };
    bool refill(Cursor &cursor, TimeNs limit);
    void restart();

    const TimeSeriesStore &m_store;
    StateEngine &m_engine;
    std::vector<Cursor> m_cursors;
    std::vector<double> m_latest;
    std::vector<TimeNs> m_latestTime; // index = SignalId
    TimeNs m_begin = 0, m_end = 0, m_position = 0;
    std::uint64_t m_fed = 0;
    TimeNs m_window;
};

} // namespace twin::model
