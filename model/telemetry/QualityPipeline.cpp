#include "twin/model/telemetry/QualityPipeline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace twin::model {

struct QualityPipeline::SignalState
{
    SignalKey key;
    SignalQualityConfig config;
    std::size_t index = 0;
    // Recent samples sorted by source time: [0, releasedCount) already released, the rest held for
    // reordering.
    std::deque<Sample> window;
    std::size_t releasedCount = 0;
    bool any = false;
    TimeNs first = 0, newest = 0;
    bool anyReleased = false;
    TimeNs lastReleased = 0;         // newest sample released in order (gap detection)
    TimeNs period = 0;               // expected period; 0 while unknown
    std::vector<Gap> earlyIntervals; // intervals seen before the period is known
    QualityReport counts;            // counters and gap list; the rest is filled by report()
};

SampleConversion SampleConversion::linear(double factor, double offset, std::string description)
{
    return SampleConversion{[factor, offset](double v) { return v * factor + offset; },
                            std::move(description)};
}

void StoreSink::write(std::size_t signal, const SignalKey &key, const Sample &sample)
{
    if (signal >= m_ids.size()) {
        m_ids.resize(signal + 1);
        m_known.resize(signal + 1);
    }
    if (!m_known[signal]) {
        m_ids[signal] = m_store.addSignal(key);
        m_known[signal] = true;
    }
    if (m_batch == 0) {
        m_store.append(m_ids[signal], sample);
        return;
    }
    if (signal >= m_pending.size())
        m_pending.resize(signal + 1);
    auto &pending = m_pending[signal];
    if (pending.capacity() < m_batch)
        pending.reserve(m_batch);
    pending.push_back(sample);
    if (pending.size() >= m_batch) {
        m_store.append(m_ids[signal], std::span<const Sample>(pending));
        pending.clear();
    }
}

void StoreSink::flush()
{
    for (std::size_t i = 0; i < m_pending.size(); ++i)
        if (!m_pending[i].empty()) {
            m_store.append(m_ids[i], std::span<const Sample>(m_pending[i]));
            m_pending[i].clear();
        }
}

StoreSink::~StoreSink()
{
    flush();
}

QualityPipeline::QualityPipeline(SampleSink *sink) : m_sink(sink) {}

QualityPipeline::~QualityPipeline() = default;

std::size_t QualityPipeline::addSignal(const SignalKey &key, SignalQualityConfig config)
{
    auto it = m_index.find(key);
    std::size_t index;
    if (it != m_index.end()) {
        index = it->second;
    } else {
        index = m_signals.size();
        m_signals.push_back(std::make_unique<SignalState>());
        m_signals.back()->key = key;
        m_signals.back()->index = index;
        m_signals.back()->counts.key = key;
        m_index.emplace(key, index);
    }
    SignalState &s = *m_signals[index];
    config.reorderWatermark = std::max<TimeNs>(config.reorderWatermark, 0);
    config.periodSamples = std::max<std::size_t>(config.periodSamples, 1);
    if (config.expectedPeriod && *config.expectedPeriod > 0)
        s.period = *config.expectedPeriod;
    s.config = std::move(config);
    return index;
}

std::optional<std::size_t> QualityPipeline::findSignal(const SignalKey &key) const
{
    auto it = m_index.find(key);
    return it == m_index.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

void QualityPipeline::push(const SignalKey &key, const Sample &sample)
{
    auto index = findSignal(key);
    push(index ? *index : addSignal(key), sample);
}

void QualityPipeline::push(std::size_t signal, Sample sample)
{
    if (signal >= m_signals.size())
        return;
    SignalState &s = *m_signals[signal];
    QualityReport &c = s.counts;
    const SignalQualityConfig &cfg = s.config;
    ++c.received;
    // 1-3: value checks.
    if (!std::isfinite(sample.value)) {
        sample.value = std::numeric_limits<double>::quiet_NaN();
        sample.quality |= QualityBadValue;
        ++c.badValues;
    } else {
        if (cfg.conversion && cfg.conversion->convert) {
            sample.value = cfg.conversion->convert(sample.value);
            sample.quality |= QualityConverted;
            ++c.converted;
        }
        if ((cfg.min && sample.value < *cfg.min) || (cfg.max && sample.value > *cfg.max)) {
            sample.quality |= QualityOutOfRange;
            ++c.outOfRange;
        }
    }
    // 4: duplicates among recent samples (none possible when the sample is newer than the whole window).
    const TimeNs t = sample.sourceTime;
    auto byTime = [](const Sample &a, const Sample &b) { return a.sourceTime < b.sourceTime; };
    auto lo = s.window.end(), hi = s.window.end();
    if (!s.window.empty() && t <= s.window.back().sourceTime)
        std::tie(lo, hi) = std::equal_range(s.window.begin(), s.window.end(), sample, byTime);
    for (auto it = lo; it != hi; ++it) {
        const bool same = it->value == sample.value || (std::isnan(it->value) && std::isnan(sample.value));
        if (same) {
            ++c.duplicatesDropped;
            return;
        }
    }
    if (lo != hi) {
        sample.quality |= QualityDuplicate;
        ++c.duplicatesFlagged;
    }
    // 5: order.
    const TimeNs watermark = cfg.reorderWatermark;
    const auto pos = std::size_t(hi - s.window.begin());
    if (!s.any) {
        s.first = s.newest = t;
        s.any = true;
    }
    s.first = std::min(s.first, t);
    if (t < s.newest && t <= s.newest - watermark) { // too late to reorder: released now, in its place
        sample.quality |= QualityOutOfOrder;
        ++c.outOfOrder;
        s.window.insert(s.window.begin() + std::ptrdiff_t(pos), sample);
        ++s.releasedCount;
        ++c.released;
        if (m_sink)
            m_sink->write(s.index, s.key, sample);
    } else {
        if (t < s.newest) {
            sample.quality |= QualityLate;
            ++c.late;
        }
        s.newest = std::max(s.newest, t);
        s.window.insert(s.window.begin() + std::ptrdiff_t(pos), sample);
        const TimeNs frontier = s.newest - watermark;
        while (s.releasedCount < s.window.size() && s.window[s.releasedCount].sourceTime <= frontier)
            release(s, s.window[s.releasedCount++]);
    }
    while (s.releasedCount > cfg.duplicateHistory) {
        s.window.pop_front();
        --s.releasedCount;
    }
}

void QualityPipeline::release(SignalState &s, Sample sample)
{
    if (s.anyReleased)
        noteInterval(s, s.lastReleased, sample.sourceTime, &sample);
    s.lastReleased = sample.sourceTime;
    s.anyReleased = true;
    ++s.counts.released;
    if (m_sink)
        m_sink->write(s.index, s.key, sample);
}

void QualityPipeline::noteInterval(SignalState &s, TimeNs from, TimeNs to, Sample *after)
{
    if (to <= from)
        return;
    if (s.period == 0) {
        s.earlyIntervals.push_back(Gap{from, to});
        if (s.earlyIntervals.size() >= s.config.periodSamples)
            estimatePeriod(s);
        return;
    }
    if (double(to - from) > s.config.gapFactor * double(s.period)) {
        recordGap(s, from, to);
        if (after)
            after->quality |= QualityAfterGap;
    }
}

void QualityPipeline::recordGap(SignalState &s, TimeNs from, TimeNs to)
{
    ++s.counts.gaps;
    if (s.counts.gapList.size() < s.config.maxGapsListed)
        s.counts.gapList.push_back(Gap{from, to});
}

void QualityPipeline::estimatePeriod(SignalState &s)
{
    if (s.earlyIntervals.empty())
        return;
    std::vector<TimeNs> lengths;
    for (const Gap &g : s.earlyIntervals)
        lengths.push_back(g.end - g.start);
    std::nth_element(lengths.begin(), lengths.begin() + std::ptrdiff_t(lengths.size() / 2), lengths.end());
    s.period = std::max<TimeNs>(lengths[lengths.size() / 2], 1);
    for (const Gap &g : s.earlyIntervals)
        if (double(g.end - g.start) > s.config.gapFactor * double(s.period))
            recordGap(s, g.start, g.end); // listed, not flagged: those samples are already released
    s.earlyIntervals.clear();
    s.earlyIntervals.shrink_to_fit();
}

void QualityPipeline::flush()
{
    for (auto &sp : m_signals) {
        SignalState &s = *sp;
        while (s.releasedCount < s.window.size())
            release(s, s.window[s.releasedCount++]);
        if (s.period == 0 && s.earlyIntervals.size() >= 3) // short feed: estimate from what there is
            estimatePeriod(s);
        while (s.releasedCount > s.config.duplicateHistory) {
            s.window.pop_front();
            --s.releasedCount;
        }
    }
    if (m_sink)
        m_sink->flush();
}

std::vector<SchemaChange> QualityPipeline::observeSchema(const std::string &feed, TimeNs time,
                                                         const FieldSet &fields)
{
    return m_feeds[feed].observe(time, fields);
}

std::vector<SchemaChange> QualityPipeline::schemaChanges(const std::string &feed) const
{
    auto it = m_feeds.find(feed);
    return it == m_feeds.end() ? std::vector<SchemaChange>{} : it->second.changes();
}

TimeNs QualityPipeline::staleLimit(const SignalState &s) const
{
    if (s.config.staleAfter > 0)
        return s.config.staleAfter;
    return s.period > 0 ? TimeNs(s.config.gapFactor * double(s.period)) : 0;
}

QualityReport QualityPipeline::report(std::size_t signal, TimeNs now) const
{
    if (signal >= m_signals.size())
        return {};
    const SignalState &s = *m_signals[signal];
    QualityReport r = s.counts;
    r.firstTime = s.first;
    r.newestTime = s.newest;
    r.expectedPeriod = s.period;
    if (s.any) {
        r.freshness = now - s.newest;
        const TimeNs limit = staleLimit(s);
        r.stale = limit > 0 && r.freshness > limit;
    }
    if (r.released > 1 && s.newest > s.first)
        r.rate = double(r.released - 1) / (double(s.newest - s.first) / double(kNsPerSecond));
    if (s.config.conversion && r.converted > 0)
        r.conversions.push_back(s.config.conversion->description.empty() ? "custom conversion"
                                                                         : s.config.conversion->description);
    return r;
}

std::vector<QualityReport> QualityPipeline::reports(TimeNs now) const
{
    std::vector<QualityReport> out;
    for (std::size_t i = 0; i < m_signals.size(); ++i)
        out.push_back(report(i, now));
    return out;
}

std::optional<TimeNs> QualityPipeline::assetFreshness(std::uint64_t asset, TimeNs now) const
{
    std::optional<TimeNs> stalest;
    for (auto it = m_index.lower_bound(SignalKey{asset, {}}); it != m_index.end() && it->first.asset == asset;
         ++it) {
        const SignalState &s = *m_signals[it->second];
        if (s.any && (!stalest || now - s.newest > *stalest))
            stalest = now - s.newest;
    }
    return stalest;
}

bool QualityPipeline::assetStale(std::uint64_t asset, TimeNs now) const
{
    for (auto it = m_index.lower_bound(SignalKey{asset, {}}); it != m_index.end() && it->first.asset == asset;
         ++it)
        if (report(it->second, now).stale)
            return true;
    return false;
}

} // namespace twin::model
