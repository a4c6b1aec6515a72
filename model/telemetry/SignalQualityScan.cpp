#include "twin/model/telemetry/SignalQualityScan.h"

#include <algorithm>

namespace twin::model {

const char *qualityFlagLabel(QualityFlag flag)
{
    switch (flag) {
    case QualityLate:
        return "late";
    case QualityOutOfOrder:
        return "out-of-order";
    case QualityDuplicate:
        return "duplicate";
    case QualityOutOfRange:
        return "out-of-range";
    case QualityConverted:
        return "converted";
    case QualityAfterGap:
        return "after gap";
    case QualityBadValue:
        return "bad value";
    case QualityAmbiguousTime:
        return "ambiguous time";
    case QualityNoSourceTime:
        return "no source time";
    case QualityGood:
        break;
    }
    return "good";
}

bool isQualityProblem(QualityFlag flag)
{
    return flag != QualityGood && flag != QualityConverted && flag != QualityNoSourceTime;
}

std::uint64_t SignalQuality::problems() const
{
    std::uint64_t n = 0;
    for (size_t i = 0; i < kScannedQualityFlags.size(); ++i)
        if (isQualityProblem(kScannedQualityFlags[i]))
            n += flagged[i];
    return n;
}

std::uint64_t storeContentKey(const TimeSeriesStore &store)
{
    // Samples only ever get added or dropped by retention; signals only get added.
    std::uint64_t key = store.sampleCount() * 1000003ULL + store.signalCount();
    for (SignalId id = 0; id < store.signalCount(); ++id)
        key = key * 31 + std::uint64_t(store.stats(id).last);
    return key;
}

namespace {
void scanOne(const TimeSeriesStore &store, SignalQuality &q, const std::atomic<bool> *cancel)
{
    const SignalStats stats = store.stats(q.id);
    q.count = stats.count;
    q.first = stats.first;
    q.last = stats.last;
    if (stats.count == 0)
        return;
    if (stats.count > 1 && stats.last > stats.first)
        q.rateHz = double(stats.count - 1) / (double(stats.last - stats.first) / double(kNsPerSecond));
    // Windows of about 64 k samples (assuming an even rate), at least 1 ns wide.
    const TimeNs span = stats.last - stats.first + 1;
    const double estimate = double(span) * 65536.0 / double(stats.count);
    const TimeNs window = estimate >= double(span) ? span : std::max<TimeNs>(1, TimeNs(estimate));
    for (TimeNs t = stats.first; t <= stats.last && t >= stats.first; t += window) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return;
        for (const Sample &s : store.range(q.id, t, std::min(stats.last + 1, t + window)))
            if (s.quality != QualityGood)
                for (size_t i = 0; i < kScannedQualityFlags.size(); ++i)
                    q.flagged[i] += (s.quality & kScannedQualityFlags[i]) != 0;
    }
}
} // namespace

std::vector<SignalQuality> scanSignalQuality(const TimeSeriesStore &store, const std::atomic<bool> *cancel)
{
    std::vector<SignalQuality> out;
    const std::vector<SignalInfo> infos = store.allSignals();
    out.reserve(infos.size());
    for (SignalId id = 0; id < infos.size(); ++id) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            break;
        SignalQuality q;
        q.id = id;
        q.key = infos[id].key;
        q.unit = infos[id].unit;
        scanOne(store, q, cancel);
        out.push_back(std::move(q));
    }
    return out;
}

} // namespace twin::model
