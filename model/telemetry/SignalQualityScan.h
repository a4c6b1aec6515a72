#pragma once
// Per-signal data-quality summary of a time-series store: sample counts, time span, rate and how many stored
// samples carry each quality flag. Walks the stored samples in time windows, so it is O(samples); run it off
// the GUI thread for large stores. Thread rules: any thread (the store locks internally); `cancel` may be set
// from another thread and is checked between windows.
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace twin::model {

// Flags counted per signal, in this order (QualityNoSourceTime is not a problem in itself and not counted).
constexpr std::array<QualityFlag, 8> kScannedQualityFlags = {
    QualityLate,      QualityOutOfOrder, QualityDuplicate, QualityOutOfRange,
    QualityConverted, QualityAfterGap,   QualityBadValue,  QualityAmbiguousTime};
const char *qualityFlagLabel(QualityFlag flag); // "late", "out-of-order", ...
// True for flags that mean something is wrong with the data (all but QualityConverted).
bool isQualityProblem(QualityFlag flag);

struct SignalQuality
{
    SignalId id = 0;
    SignalKey key;
    std::string unit;
    std::uint64_t count = 0;
    TimeNs first = 0, last = 0;
    double rateHz = 0; // (count - 1) / (last - first); 0 with fewer than two samples
    std::array<std::uint64_t, kScannedQualityFlags.size()> flagged{};
    std::uint64_t problems() const; // samples flagged with any problem flag (a sample may count twice)
};

// Key that changes whenever the store's content changes in a way the scan would see (cheap to compute).
std::uint64_t storeContentKey(const TimeSeriesStore &store);
// Scans every signal. Returns what was scanned so far when cancelled.
std::vector<SignalQuality> scanSignalQuality(const TimeSeriesStore &store,
                                             const std::atomic<bool> *cancel = nullptr);

} // namespace twin::model
