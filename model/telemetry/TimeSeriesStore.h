#pragma once
// Embedded time-series store: per signal, columnar chunks in memory (time, value, quality), persisted to the
// project's SQLite file one row per chunk (see ChunkCodec.h for the BLOB layout).
//
// Layout: each signal (SignalKey -> dense SignalId) owns a list of chunks ordered by time; chunk i's last
// time is <= chunk i+1's first time. A chunk holds up to chunkCapacity samples (8192 by default) and is
// sealed (no further appends) when full. Each chunk keeps its min/max/first/last/OR-of-quality and the same
// summary for every block of 128 samples, so decimation takes whole chunks and blocks in O(1) and only scans
// the edges of each bucket.
//
// Appends in time order go to the end of the newest chunk (fast path). Late samples are inserted into the
// chunk that covers their time; a full chunk is split in two. Equal times keep arrival order.
//
// Threads: every public member is safe to call from any thread. One std::shared_mutex guards the store:
// writers (addSignal, append, applyRetention, setRetention, load) take it exclusively, readers (range,
// decimate, stats, persist, ...) share it. Readers therefore wait while a writer appends a batch; keep
// batches short (the span overload of append takes the lock once). persist holds the shared lock for the
// whole write, so ingest waits while a project is saved.
#include "twin/formats/Sample.h"
#include "twin/util/Result.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

struct sqlite3;

namespace twin::model {

using SignalId = std::uint32_t;

namespace detail {
struct SignalSeries;
}

struct SignalInfo
{
    SignalKey key;
    std::string unit; // model unit of the stored values (DTDL unit name), may be empty
};

struct SignalStats
{
    std::uint64_t count = 0;
    std::size_t chunks = 0;
    TimeNs first = 0; // source time of the oldest stored sample (0 when empty)
    TimeNs last = 0;  // source time of the newest stored sample (0 when empty)
};

// One bucket of a decimated query. Empty buckets have count 0 and NaN values.
struct DecimatedBucket
{
    TimeNs start = 0; // bucket covers [start, end)
    TimeNs end = 0;
    std::uint64_t count = 0;
    double min = 0; // NaN values are ignored; NaN when the bucket holds only NaN
    double max = 0;
    double first = 0; // value of the earliest sample in the bucket
    double last = 0;  // value of the latest sample in the bucket
    TimeNs firstTime = 0;
    TimeNs lastTime = 0;
    std::uint16_t quality = QualityGood; // OR of the quality flags of all samples in the bucket
};

class TimeSeriesStore
{
public:
    static constexpr std::uint32_t kDefaultChunkCapacity = 8192;

    explicit TimeSeriesStore(std::uint32_t chunkCapacity = kDefaultChunkCapacity);
    ~TimeSeriesStore();
    TimeSeriesStore(const TimeSeriesStore &) = delete;
    TimeSeriesStore &operator=(const TimeSeriesStore &) = delete;

    // Returns the id of key, creating the signal when it is new. A non-empty unit replaces the stored one.
    SignalId addSignal(const SignalKey &key, const std::string &unit = {});
    std::optional<SignalId> findSignal(const SignalKey &key) const;
    std::size_t signalCount() const;
    std::optional<SignalInfo> signalInfo(SignalId id) const;
    std::vector<SignalInfo> allSignals() const; // index = SignalId; not "signals" (a Qt macro)

    // Appends (any order; time order is the fast path). Only sourceTime, value and quality are kept.
    // Unknown ids are ignored and return false.
    bool append(SignalId id, TimeNs time, double value, std::uint16_t quality = QualityGood);
    bool append(SignalId id, const Sample &sample);
    bool append(SignalId id, std::span<const Sample> samples); // takes the lock once

    // Samples with t0 <= sourceTime < t1 in time order (ingestTime is 0: the store keeps source time only).
    std::vector<Sample> range(SignalId id, TimeNs t0, TimeNs t1) const;
    // [t0, t1) cut into `buckets` equal buckets; bucket k = [t0 + (t1-t0)*k/buckets, t0 +
    // (t1-t0)*(k+1)/buckets).
    std::vector<DecimatedBucket> decimate(SignalId id, TimeNs t0, TimeNs t1, std::size_t buckets) const;

    // Retention: 0 (default) keeps everything. applyRetention drops whole chunks whose newest sample is older
    // than now - retention (a chunk straddling the cutoff is kept) and returns the number of samples dropped.
    void setRetention(TimeNs duration);
    TimeNs retention() const;
    std::uint64_t applyRetention(TimeNs now);

    SignalStats stats(SignalId id) const;
    std::uint64_t sampleCount() const;
    std::uint32_t chunkCapacity() const { return m_chunkCapacity; }

    // Writes all signals and chunks into tables ts_signals / ts_chunks of db, replacing their content, inside
    // a savepoint (works inside or outside a caller's transaction). progress (fraction done) may cancel.
    Status persist(sqlite3 *db, const std::function<bool(double)> &progress = {}) const;
    // Replaces the content with what db holds. A database without the ts tables gives an empty store.
    // Errors name the signal and chunk; on error the store is left unchanged.
    Status load(sqlite3 *db);

private:
    detail::SignalSeries *series(SignalId id) const;
    void appendLocked(detail::SignalSeries &s, TimeNs time, double value, std::uint16_t quality);

    mutable std::shared_mutex m_mutex;
    const std::uint32_t m_chunkCapacity;
    TimeNs m_retention = 0;
    std::vector<std::unique_ptr<detail::SignalSeries>> m_series; // Owned; index = SignalId.
    std::vector<SignalInfo> m_info;                              // index = SignalId
    std::map<SignalKey, SignalId> m_ids;
};

} // namespace twin::model
