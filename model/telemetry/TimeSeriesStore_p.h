#pragma once
// Internals of TimeSeriesStore shared by its .cpp files: a chunk of columns with precomputed summaries.
#include "twin/formats/Sample.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace twin::model::detail {

constexpr std::size_t kBlockSize = 128; // samples per precomputed block summary inside a chunk

// min/max ignore NaN: they start at +inf/-inf and a NaN never compares less or greater.
struct Summary
{
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    std::uint16_t quality = 0;

    void add(double v, std::uint16_t q)
    {
        min = v < min ? v : min;
        max = v > max ? v : max;
        quality |= q;
    }
    void merge(const Summary &o)
    {
        min = o.min < min ? o.min : min;
        max = o.max > max ? o.max : max;
        quality |= o.quality;
    }
};

struct Chunk
{
    std::vector<TimeNs> time; // sorted, non-decreasing
    std::vector<double> value;
    std::vector<std::uint16_t> quality;
    std::vector<Summary> blocks; // one per kBlockSize samples (last may be partial)
    Summary summary;             // whole chunk

    std::size_t size() const { return time.size(); }
    TimeNs tFirst() const { return time.front(); }
    TimeNs tLast() const { return time.back(); }

    void push(TimeNs t, double v, std::uint16_t q);
    void insertAt(std::size_t pos, TimeNs t, double v, std::uint16_t q);
    // Moves samples [size/2, size) into a new chunk and returns it.
    std::unique_ptr<Chunk> splitUpperHalf();
    // Recomputes block summaries from block `fromBlock` on, and the chunk summary.
    void rebuildSummaries(std::size_t fromBlock = 0);
};

struct SignalSeries
{
    std::vector<std::unique_ptr<Chunk>> chunks; // Owned; ordered by time
    std::uint64_t count = 0;
};

} // namespace twin::model::detail
