#pragma once
// Binary form of one time-series chunk, stored as the BLOB of a ts_chunks row.
//
// Layout (little-endian):
//   0  magic "TSC1" (4 bytes)
//   4  format version u16 (= 1), reserved u16 (= 0)
//   8  count u32 (samples), reserved u32 (= 0)
//  16  t_first i64 (source time of the first sample, ns)
//  24  checksum u64 over every byte from offset 32 to the end
//  32  times: count unsigned LEB128 varints, each the delta to the previous time (the first is 0)
//      values: count raw IEEE-754 doubles
//      qualities: count u16
// Times within a chunk never decrease, so deltas are never negative.
#include "twin/formats/Sample.h"
#include "twin/util/Result.h"

#include <cstdint>
#include <span>
#include <vector>

namespace twin::model {

struct ChunkColumns
{
    std::vector<TimeNs> time;
    std::vector<double> value;
    std::vector<std::uint16_t> quality;
};

constexpr std::size_t kChunkHeaderSize = 32;

// Columns must have equal lengths and non-decreasing times.
std::vector<std::uint8_t> encodeChunk(std::span<const TimeNs> time, std::span<const double> value,
                                      std::span<const std::uint16_t> quality);
// Checks magic, version, checksum, sizes and time order. The error says what is wrong (the caller adds
// where).
Status decodeChunk(std::span<const std::uint8_t> blob, ChunkColumns &out);

} // namespace twin::model
