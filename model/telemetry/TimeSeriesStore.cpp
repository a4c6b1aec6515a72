#include "twin/model/telemetry/TimeSeriesStore.h"

#include "twin/model/telemetry/TimeSeriesStore_p.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace twin::model {
using detail::Chunk;
using detail::kBlockSize;
using detail::SignalSeries;
using detail::Summary;

namespace detail {

void Chunk::push(TimeNs t, double v, std::uint16_t q)
{
    if (time.size() % kBlockSize == 0)
        blocks.emplace_back();
    time.push_back(t);
    value.push_back(v);
    quality.push_back(q);
    blocks.back().add(v, q);
    summary.add(v, q);
}

void Chunk::insertAt(std::size_t pos, TimeNs t, double v, std::uint16_t q)
{
    time.insert(time.begin() + std::ptrdiff_t(pos), t);
    value.insert(value.begin() + std::ptrdiff_t(pos), v);
    quality.insert(quality.begin() + std::ptrdiff_t(pos), q);
    rebuildSummaries(pos / kBlockSize);
}

std::unique_ptr<Chunk> Chunk::splitUpperHalf()
{
    auto upper = std::make_unique<Chunk>();
    const auto mid = std::ptrdiff_t(size() / 2);
    upper->time.assign(time.begin() + mid, time.end());
    upper->value.assign(value.begin() + mid, value.end());
    upper->quality.assign(quality.begin() + mid, quality.end());
    time.resize(std::size_t(mid));
    value.resize(std::size_t(mid));
    quality.resize(std::size_t(mid));
    rebuildSummaries();
    upper->rebuildSummaries();
    return upper;
}

void Chunk::rebuildSummaries(std::size_t fromBlock)
{
    const std::size_t n = size();
    blocks.resize((n + kBlockSize - 1) / kBlockSize);
    for (std::size_t b = fromBlock; b < blocks.size(); ++b) {
        Summary s;
        for (std::size_t i = b * kBlockSize, end = std::min(n, (b + 1) * kBlockSize); i < end; ++i)
            s.add(value[i], quality[i]);
        blocks[b] = s;
    }
    summary = Summary();
    for (const Summary &s : blocks)
        summary.merge(s);
}

} // namespace detail

namespace {

// The hot loop of decimation: min/max (NaN ignored) and OR of quality over [0, n).
void scan(const double *v, const std::uint16_t *q, std::size_t n, Summary &acc)
{
    std::size_t i = 0;
#if defined(__SSE2__)
    // _mm_min_pd(x, acc) returns acc when x is NaN, so NaN never enters the accumulator.
    __m128d mn0 = _mm_set1_pd(acc.min), mn1 = mn0, mx0 = _mm_set1_pd(acc.max), mx1 = mx0;
    for (; i + 4 <= n; i += 4) {
        const __m128d a = _mm_loadu_pd(v + i), b = _mm_loadu_pd(v + i + 2);
        mn0 = _mm_min_pd(a, mn0);
        mn1 = _mm_min_pd(b, mn1);
        mx0 = _mm_max_pd(a, mx0);
        mx1 = _mm_max_pd(b, mx1);
    }
    double lo[2], hi[2];
    _mm_storeu_pd(lo, _mm_min_pd(mn0, mn1));
    _mm_storeu_pd(hi, _mm_max_pd(mx0, mx1));
    acc.min = std::min(lo[0], lo[1]);
    acc.max = std::max(hi[0], hi[1]);
#endif
    for (; i < n; ++i) {
        acc.min = v[i] < acc.min ? v[i] : acc.min;
        acc.max = v[i] > acc.max ? v[i] : acc.max;
    }
    std::uint16_t qor = 0;
    for (std::size_t k = 0; k < n; ++k)
        qor |= q[k];
    acc.quality |= qor;
}

// Summary over samples [a, b) of a chunk: whole blocks from their precomputed summary, edges scanned.
void aggregate(const Chunk &c, std::size_t a, std::size_t b, Summary &acc)
{
    const std::size_t firstFull = (a + kBlockSize - 1) / kBlockSize;
    const std::size_t lastFull = b / kBlockSize; // blocks [firstFull, lastFull) lie inside [a, b)
    if (firstFull >= lastFull) {
        scan(c.value.data() + a, c.quality.data() + a, b - a, acc);
        return;
    }
    const std::size_t headEnd = firstFull * kBlockSize, tailStart = lastFull * kBlockSize;
    scan(c.value.data() + a, c.quality.data() + a, headEnd - a, acc);
    for (std::size_t k = firstFull; k < lastFull; ++k)
        acc.merge(c.blocks[k]);
    scan(c.value.data() + tailStart, c.quality.data() + tailStart, b - tailStart, acc);
}

// Position of the first sample with time >= t: (chunk index, sample index).
std::pair<std::size_t, std::size_t> locate(const SignalSeries &s, TimeNs t)
{
    const auto it = std::partition_point(s.chunks.begin(), s.chunks.end(),
                                         [t](const std::unique_ptr<Chunk> &c) { return c->tLast() < t; });
    if (it == s.chunks.end())
        return {s.chunks.size(), 0};
    const Chunk &c = **it;
    return {std::size_t(it - s.chunks.begin()),
            std::size_t(std::lower_bound(c.time.begin(), c.time.end(), t) - c.time.begin())};
}

// t0 + span * k / buckets without overflow (span = t1 - t0 as unsigned: the range may exceed INT64_MAX).
TimeNs bucketEdge(TimeNs t0, std::uint64_t span, std::size_t k, std::size_t buckets, bool wide)
{
    const std::uint64_t offset = wide ? std::uint64_t((unsigned __int128)span * k / buckets)
                                      : span * k / buckets; // fits: avoid the slow 128-bit division
    return TimeNs(std::uint64_t(t0) + offset);
}

// First index in [from, n) with time >= t, searching outwards from `from` (buckets end close to where they
// start, so this costs O(log bucket size) rather than O(log chunk size)).
std::size_t gallop(const std::vector<TimeNs> &time, std::size_t from, TimeNs t)
{
    const std::size_t n = time.size();
    std::size_t lo = from, step = 1;
    while (lo + step < n && time[lo + step] < t) {
        lo += step;
        step *= 2;
    }
    const std::size_t hi = std::min(n, lo + step + 1);
    return std::size_t(
        std::lower_bound(time.begin() + std::ptrdiff_t(lo), time.begin() + std::ptrdiff_t(hi), t) -
        time.begin());
}

void mergeInto(DecimatedBucket &bk, Summary &acc, const Chunk &c, std::size_t a, std::size_t b)
{
    if (bk.count == 0) {
        bk.first = c.value[a];
        bk.firstTime = c.time[a];
    }
    bk.last = c.value[b - 1];
    bk.lastTime = c.time[b - 1];
    bk.count += b - a;
    if (a == 0 && b == c.size())
        acc.merge(c.summary);
    else
        aggregate(c, a, b, acc);
}

} // namespace

TimeSeriesStore::TimeSeriesStore(std::uint32_t chunkCapacity) : m_chunkCapacity(std::max(chunkCapacity, 2u))
{
}

TimeSeriesStore::~TimeSeriesStore() = default;

SignalId TimeSeriesStore::addSignal(const SignalKey &key, const std::string &unit)
{
    std::unique_lock lock(m_mutex);
    auto it = m_ids.find(key);
    if (it != m_ids.end()) {
        if (!unit.empty())
            m_info[it->second].unit = unit;
        return it->second;
    }
    const auto id = SignalId(m_series.size());
    m_series.push_back(std::make_unique<SignalSeries>());
    m_info.push_back(SignalInfo{key, unit});
    m_ids.emplace(key, id);
    return id;
}

std::optional<SignalId> TimeSeriesStore::findSignal(const SignalKey &key) const
{
    std::shared_lock lock(m_mutex);
    auto it = m_ids.find(key);
    return it == m_ids.end() ? std::nullopt : std::optional<SignalId>(it->second);
}

std::size_t TimeSeriesStore::signalCount() const
{
    std::shared_lock lock(m_mutex);
    return m_series.size();
}

std::optional<SignalInfo> TimeSeriesStore::signalInfo(SignalId id) const
{
    std::shared_lock lock(m_mutex);
    return id < m_info.size() ? std::optional<SignalInfo>(m_info[id]) : std::nullopt;
}

std::vector<SignalInfo> TimeSeriesStore::allSignals() const
{
    std::shared_lock lock(m_mutex);
    return m_info;
}

SignalSeries *TimeSeriesStore::series(SignalId id) const
{
    return id < m_series.size() ? m_series[id].get() : nullptr;
}

void TimeSeriesStore::appendLocked(SignalSeries &s, TimeNs t, double v, std::uint16_t q)
{
    ++s.count;
    auto &chunks = s.chunks;
    if (chunks.empty() || t >= chunks.back()->tLast()) { // fast path: in time order
        if (chunks.empty() || chunks.back()->size() >= m_chunkCapacity) {
            chunks.push_back(std::make_unique<Chunk>());
            chunks.back()->time.reserve(std::min<std::size_t>(m_chunkCapacity, 1024));
        }
        chunks.back()->push(t, v, q);
        return;
    }
    // Late sample: the last chunk starting at or before t (or the first chunk) takes it.
    auto it = std::partition_point(chunks.begin(), chunks.end(),
                                   [t](const std::unique_ptr<Chunk> &c) { return c->tFirst() <= t; });
    std::size_t index = it == chunks.begin() ? 0 : std::size_t(it - chunks.begin()) - 1;
    // Between a full chunk and the next one: the front of the next one, if it has room.
    if (chunks[index]->size() >= m_chunkCapacity && t >= chunks[index]->tLast() &&
        index + 1 < chunks.size() && chunks[index + 1]->size() < m_chunkCapacity) {
        chunks[index + 1]->insertAt(0, t, v, q);
        return;
    }
    if (chunks[index]->size() >= m_chunkCapacity) {
        auto upper = chunks[index]->splitUpperHalf();
        const bool goesUp = t >= upper->tFirst();
        chunks.insert(chunks.begin() + std::ptrdiff_t(index) + 1, std::move(upper));
        if (goesUp)
            ++index;
    }
    Chunk &c = *chunks[index];
    const auto pos = std::size_t(std::upper_bound(c.time.begin(), c.time.end(), t) - c.time.begin());
    if (pos == c.size())
        c.push(t, v, q);
    else
        c.insertAt(pos, t, v, q);
}

bool TimeSeriesStore::append(SignalId id, TimeNs time, double value, std::uint16_t quality)
{
    std::unique_lock lock(m_mutex);
    SignalSeries *s = series(id);
    if (!s)
        return false;
    appendLocked(*s, time, value, quality);
    return true;
}

bool TimeSeriesStore::append(SignalId id, const Sample &sample)
{
    return append(id, sample.sourceTime, sample.value, sample.quality);
}

bool TimeSeriesStore::append(SignalId id, std::span<const Sample> samples)
{
    std::unique_lock lock(m_mutex);
    SignalSeries *s = series(id);
    if (!s)
        return false;
    for (const Sample &sample : samples)
        appendLocked(*s, sample.sourceTime, sample.value, sample.quality);
    return true;
}

std::vector<Sample> TimeSeriesStore::range(SignalId id, TimeNs t0, TimeNs t1) const
{
    std::shared_lock lock(m_mutex);
    std::vector<Sample> out;
    const SignalSeries *s = series(id);
    if (!s || t1 <= t0)
        return out;
    auto [ci, i] = locate(*s, t0);
    for (; ci < s->chunks.size(); ++ci, i = 0) {
        const Chunk &c = *s->chunks[ci];
        const std::size_t end =
            c.tLast() < t1
                ? c.size()
                : std::size_t(std::lower_bound(c.time.begin() + std::ptrdiff_t(i), c.time.end(), t1) -
                              c.time.begin());
        for (; i < end; ++i)
            out.push_back(Sample{c.time[i], 0, c.value[i], c.quality[i]});
        if (end < c.size())
            break;
    }
    return out;
}

std::vector<DecimatedBucket> TimeSeriesStore::decimate(SignalId id, TimeNs t0, TimeNs t1,
                                                       std::size_t buckets) const
{
    std::shared_lock lock(m_mutex);
    const SignalSeries *s = series(id);
    if (!s || t1 <= t0 || buckets == 0)
        return {};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<DecimatedBucket> out(buckets);
    auto [ci, i] = locate(*s, t0);
    const std::size_t nChunks = s->chunks.size();
    const std::uint64_t span = std::uint64_t(t1) - std::uint64_t(t0);
    const bool wide = span > UINT64_MAX / buckets;
    TimeNs start = t0;
    for (std::size_t k = 0; k < buckets; ++k) {
        DecimatedBucket &bk = out[k];
        bk.start = start;
        bk.end = start = k + 1 == buckets ? t1 : bucketEdge(t0, span, k + 1, buckets, wide);
        Summary acc;
        while (ci < nChunks) {
            const Chunk &c = *s->chunks[ci];
            const std::size_t n = c.size();
            const std::size_t j = c.tLast() < bk.end ? n : gallop(c.time, i, bk.end);
            if (j > i)
                mergeInto(bk, acc, c, i, j);
            if (j < n) {
                i = j;
                break;
            }
            ++ci;
            i = 0;
        }
        bk.quality = acc.quality;
        if (bk.count == 0) {
            bk.min = bk.max = bk.first = bk.last = nan;
        } else if (acc.min > acc.max) { // only NaN values
            bk.min = bk.max = nan;
        } else {
            bk.min = acc.min;
            bk.max = acc.max;
        }
    }
    return out;
}

void TimeSeriesStore::setRetention(TimeNs duration)
{
    std::unique_lock lock(m_mutex);
    m_retention = std::max<TimeNs>(duration, 0);
}

TimeNs TimeSeriesStore::retention() const
{
    std::shared_lock lock(m_mutex);
    return m_retention;
}

std::uint64_t TimeSeriesStore::applyRetention(TimeNs now)
{
    std::unique_lock lock(m_mutex);
    if (m_retention <= 0)
        return 0;
    const TimeNs cutoff = now - m_retention;
    std::uint64_t dropped = 0;
    for (auto &s : m_series) {
        auto keep = std::find_if(s->chunks.begin(), s->chunks.end(),
                                 [cutoff](const std::unique_ptr<Chunk> &c) { return c->tLast() >= cutoff; });
        std::uint64_t n = 0;
        for (auto it = s->chunks.begin(); it != keep; ++it)
            n += (*it)->size();
        s->count -= n;
        dropped += n;
        s->chunks.erase(s->chunks.begin(), keep);
    }
    return dropped;
}

SignalStats TimeSeriesStore::stats(SignalId id) const
{
    std::shared_lock lock(m_mutex);
    SignalStats st;
    const SignalSeries *s = series(id);
    if (!s || s->chunks.empty())
        return st;
    st.count = s->count;
    st.chunks = s->chunks.size();
    st.first = s->chunks.front()->tFirst();
    st.last = s->chunks.back()->tLast();
    return st;
}

std::uint64_t TimeSeriesStore::sampleCount() const
{
    std::shared_lock lock(m_mutex);
    std::uint64_t n = 0;
    for (const auto &s : m_series)
        n += s->count;
    return n;
}

} // namespace twin::model
