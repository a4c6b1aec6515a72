#pragma once
// Data-quality stage between a telemetry source and the store. Per signal, in this order:
//   1. NaN / infinite value        -> QualityBadValue (value kept as NaN, not converted or range checked)
//   2. unit conversion (if set)    -> value converted to the model unit, QualityConverted, counted
//   3. range check (model min/max) -> QualityOutOfRange
//   4. duplicate source time       -> same value: dropped and counted; different value: kept,
//   QualityDuplicate
//      (checked against the reorder buffer and the last `duplicateHistory` released samples)
//   5. order: newer than or equal to the newest sample: in order; older by less than the watermark: held and
//      reordered, QualityLate; older by the watermark or more: released at once, QualityOutOfOrder (the store
//      inserts it in its place)
//   6. on release (time order): gap check against the expected period (configured, else the median of the
//      first `periodSamples` intervals) -> QualityAfterGap on the first sample after the gap, gap listed.
//      Gaps among the intervals used for the estimate are listed once the estimate exists, but not flagged.
//      The estimate is made once (after periodSamples intervals, or at flush() from 3 or more) and then kept.
// Released samples go to the sink. With watermark 0 nothing is held. flush() releases everything held (end of
// a file, pause, stop).
//
// Freshness is evaluated against a clock time the caller passes (live: wall clock, replay: replay clock):
// freshness = now - newest source time; a signal is stale when freshness > staleAfter (configured, else
// gapFactor x expected period; never stale while the period is unknown). An asset's freshness is its stalest
// signal's.
//
// Threads: a pipeline is not thread-safe. Use one pipeline per ingest thread and call everything on it
// (including report()); hand reports (plain copies) to the GUI. The sink is called on that thread; StoreSink
// writes into a TimeSeriesStore, which locks internally (see TimeSeriesStore.h).
#include "twin/model/telemetry/SchemaTracker.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace twin::model {

// (Named apart from Units.h's UnitConversion, the table entry this is usually built from.)
struct SampleConversion
{
    std::function<double(double)> convert; // source unit -> model unit
    std::string description; // shown in the quality report, e.g. "degreeFahrenheit -> degreeCelsius"
    static SampleConversion linear(double factor, double offset,
                                   std::string description); // v * factor + offset
};

struct SignalQualityConfig
{
    TimeNs reorderWatermark = 0;          // see step 5 above
    std::optional<TimeNs> expectedPeriod; // unset: estimated from the median interval
    double gapFactor = 2.0;               // a gap is an interval > gapFactor x expected period
    std::size_t periodSamples = 16;       // intervals used for the estimate
    TimeNs staleAfter = 0;                // 0: gapFactor x expected period
    std::optional<double> min, max;       // model range, in model units
    std::optional<SampleConversion> conversion;
    std::size_t duplicateHistory = 1024; // released samples kept per signal for duplicate detection
    std::size_t maxGapsListed = 1000;    // the gap count goes on beyond this
};

struct Gap
{
    TimeNs start = 0; // last sample before the gap
    TimeNs end = 0;   // first sample after it
};

struct QualityReport
{
    SignalKey key;
    std::uint64_t received = 0; // samples pushed
    std::uint64_t released = 0; // samples given to the sink
    double rate = 0;            // released samples per second of source time
    TimeNs firstTime = 0, newestTime = 0;
    TimeNs freshness = 0; // now - newestTime (0 before the first sample)
    bool stale = false;
    TimeNs expectedPeriod = 0; // configured or estimated; 0 while unknown
    std::uint64_t late = 0, outOfOrder = 0, duplicatesDropped = 0, duplicatesFlagged = 0, gaps = 0,
                  outOfRange = 0, badValues = 0, converted = 0;
    std::vector<Gap> gapList;
    std::vector<std::string> conversions; // text of the conversions applied
};

// Receives released samples. `signal` is the pipeline's dense index for the key.
class SampleSink
{
public:
    virtual ~SampleSink() = default;
    virtual void write(std::size_t signal, const SignalKey &key, const Sample &sample) = 0;
    // Called at the end of QualityPipeline::flush(), after everything held was released.
    virtual void flush() {}
};

// Writes into a store, registering signals on first use. The store must outlive the sink.
// batch 0 (default): every sample is appended at once (live ingest: readers see it immediately).
// batch > 0 (file import): samples are collected per signal and appended `batch` at a time with the span
// overload (one store lock per span); the rest reaches the store at flush() or when the sink is destroyed.
class StoreSink : public SampleSink
{
public:
    explicit StoreSink(TimeSeriesStore &store, std::size_t batch = 0) : m_store(store), m_batch(batch) {}
    ~StoreSink() override;
    StoreSink(const StoreSink &) = delete;
    StoreSink &operator=(const StoreSink &) = delete;
    void write(std::size_t signal, const SignalKey &key, const Sample &sample) override;
    void flush() override;

private:
    TimeSeriesStore &m_store; // Not owned.
    const std::size_t m_batch;
    std::vector<SignalId> m_ids; // pipeline index -> store id
    std::vector<bool> m_known;
    std::vector<std::vector<Sample>> m_pending; // per pipeline index, batch > 0 only
};

class QualityPipeline
{
public:
    explicit QualityPipeline(SampleSink *sink); // Not owned; may be null (analysis only)
    ~QualityPipeline();
    QualityPipeline(const QualityPipeline &) = delete;
    QualityPipeline &operator=(const QualityPipeline &) = delete;

    // Registers (or reconfigures) a signal; returns its dense index. Pushing an unknown key registers it
    // with the default config.
    std::size_t addSignal(const SignalKey &key, SignalQualityConfig config = {});
    std::optional<std::size_t> findSignal(const SignalKey &key) const;
    std::size_t signalCount() const { return m_signals.size(); }

    void push(std::size_t signal, Sample sample);
    void push(const SignalKey &key, const Sample &sample);
    void flush();

    // Schema of one feed; returns the changes this message made (also kept for schemaChanges()).
    std::vector<SchemaChange> observeSchema(const std::string &feed, TimeNs time, const FieldSet &fields);
    std::vector<SchemaChange> schemaChanges(const std::string &feed) const;

    QualityReport report(std::size_t signal, TimeNs now) const;
    std::vector<QualityReport> reports(TimeNs now) const;
    // Freshness of the asset's stalest signal; nullopt when the asset has no signal with samples.
    std::optional<TimeNs> assetFreshness(std::uint64_t asset, TimeNs now) const;
    bool assetStale(std::uint64_t asset, TimeNs now) const;

private:
    struct SignalState;
    void release(SignalState &s, Sample sample);
    void noteInterval(SignalState &s, TimeNs from, TimeNs to, Sample *after);
    void estimatePeriod(SignalState &s);
    void recordGap(SignalState &s, TimeNs from, TimeNs to);
    TimeNs staleLimit(const SignalState &s) const;

    SampleSink *m_sink; // Not owned.
    std::vector<std::unique_ptr<SignalState>> m_signals;
    std::map<SignalKey, std::size_t> m_index;
    std::map<std::string, SchemaTracker> m_feeds;
};

} // namespace twin::model
