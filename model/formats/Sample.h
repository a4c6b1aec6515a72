#pragma once
// One telemetry value as it flows through ingest, the store, replay and state evaluation.
// Times are nanoseconds since the Unix epoch, UTC.
#include <cstdint>
#include <string>

namespace twin::model {

using TimeNs = std::int64_t;
constexpr TimeNs kNsPerSecond = 1'000'000'000;

// Quality flags: a bit set per sample. Zero means "good, as received".
enum QualityFlag : std::uint16_t
{
    QualityGood = 0,
    QualityLate = 1 << 0,          // arrived after later samples, reordered within the watermark
    QualityOutOfOrder = 1 << 1,    // arrived later than the watermark allows; kept, flagged
    QualityDuplicate = 1 << 2,     // same source time as a stored sample (kept only when the value differs)
    QualityOutOfRange = 1 << 3,    // outside the model's min/max
    QualityConverted = 1 << 4,     // unit conversion applied
    QualityAfterGap = 1 << 5,      // first sample after a gap longer than the expected period allows
    QualityBadValue = 1 << 6,      // NaN / unparsable in the source; value is NaN
    QualityAmbiguousTime = 1 << 7, // local time in a repeated DST hour, or a timestamp that stepped backwards
    QualityNoSourceTime = 1 << 8,  // source had no timestamp; receive time used
};

struct Sample
{
    TimeNs sourceTime = 0; // when it was measured (payload / file timestamp)
    TimeNs ingestTime = 0; // when we received it
    double value = 0.0;
    std::uint16_t quality = QualityGood;
};

// A signal is one telemetry of one asset: "<assetId>/<telemetry name>" in the store.
struct SignalKey
{
    std::uint64_t asset = 0;
    std::string telemetry;
    bool operator<(const SignalKey &o) const
    {
        return asset != o.asset ? asset < o.asset : telemetry < o.telemetry;
    }
    bool operator==(const SignalKey &o) const = default;
};

} // namespace twin::model
