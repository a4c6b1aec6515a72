#include "twin/model/telemetry/ChunkCodec.h"

#include <bit>
#include <cstring>
#include <string>

namespace twin::model {
static_assert(std::endian::native == std::endian::little, "ChunkCodec writes the host's byte order");

namespace {
constexpr char kMagic[4] = {'T', 'S', 'C', '1'};
constexpr std::uint16_t kVersion = 1;

template <typename T> void put(std::vector<std::uint8_t> &out, std::size_t offset, T v)
{
    std::memcpy(out.data() + offset, &v, sizeof v);
}

template <typename T> T get(const std::uint8_t *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Fast non-cryptographic checksum (detects damage, not tampering): 64-bit multiply-xor over 8-byte words.
std::uint64_t checksum(const std::uint8_t *p, std::size_t n)
{
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h ^= get<std::uint64_t>(p + i);
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
    }
    for (; i < n; ++i) {
        h ^= p[i];
        h *= 0xC4CEB9FE1A85EC53ull;
    }
    return h ^ (h >> 32);
}
} // namespace

std::vector<std::uint8_t> encodeChunk(std::span<const TimeNs> time, std::span<const double> value,
                                      std::span<const std::uint16_t> quality)
{
    const std::size_t n = time.size();
    std::vector<std::uint8_t> out(kChunkHeaderSize);
    out.reserve(kChunkHeaderSize + n * (2 + 8 + 2));
    std::memcpy(out.data(), kMagic, 4);
    put<std::uint16_t>(out, 4, kVersion);
    put<std::uint16_t>(out, 6, 0);
    put<std::uint32_t>(out, 8, std::uint32_t(n));
    put<std::uint32_t>(out, 12, 0);
    put<std::int64_t>(out, 16, n ? time[0] : 0);
    TimeNs prev = n ? time[0] : 0;
    for (TimeNs t : time) {
        auto delta = std::uint64_t(t - prev);
        prev = t;
        while (delta >= 0x80) {
            out.push_back(std::uint8_t(delta | 0x80));
            delta >>= 7;
        }
        out.push_back(std::uint8_t(delta));
    }
    const std::size_t at = out.size();
    out.resize(at + n * 8 + n * 2);
    if (n > 0) { // memcpy from an empty vector's null data() is undefined even for 0 bytes
        std::memcpy(out.data() + at, value.data(), n * 8);
        std::memcpy(out.data() + at + n * 8, quality.data(), n * 2);
    }
    put<std::uint64_t>(out, 24, checksum(out.data() + kChunkHeaderSize, out.size() - kChunkHeaderSize));
    return out;
}

Status decodeChunk(std::span<const std::uint8_t> blob, ChunkColumns &out)
{
    if (blob.size() < kChunkHeaderSize)
        return Error{"data too short (" + std::to_string(blob.size()) + " bytes) for a chunk header"};
    const std::uint8_t *p = blob.data();
    if (std::memcmp(p, kMagic, 4) != 0)
        return Error{"not chunk data (bad magic)"};
    if (get<std::uint16_t>(p + 4) != kVersion)
        return Error{"unsupported chunk format version " + std::to_string(get<std::uint16_t>(p + 4))};
    const std::size_t n = get<std::uint32_t>(p + 8);
    const TimeNs tFirst = get<std::int64_t>(p + 16);
    if (checksum(p + kChunkHeaderSize, blob.size() - kChunkHeaderSize) != get<std::uint64_t>(p + 24))
        return Error{"checksum mismatch (the data is damaged)"};
    // Every time takes at least one byte; this bounds n before allocating.
    if (n * (1 + 8 + 2) > blob.size() - kChunkHeaderSize)
        return Error{"data too short for " + std::to_string(n) + " samples"};
    out.time.resize(n);
    out.value.resize(n);
    out.quality.resize(n);
    std::size_t pos = kChunkHeaderSize;
    const std::size_t end = blob.size();
    TimeNs t = tFirst;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t delta = 0;
        for (int shift = 0;; shift += 7) {
            if (pos >= end || shift > 63)
                return Error{"time " + std::to_string(i) + " is truncated"};
            const std::uint8_t byte = p[pos++];
            delta |= std::uint64_t(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                break;
        }
        if (delta > std::uint64_t(INT64_MAX) || t > INT64_MAX - TimeNs(delta))
            return Error{"time " + std::to_string(i) + " overflows"};
        t += TimeNs(delta);
        out.time[i] = t;
    }
    if (end - pos != n * 10)
        return Error{"size mismatch: " + std::to_string(end - pos) + " bytes of values and flags for " +
                     std::to_string(n) + " samples"};
    if (n > 0) {
        std::memcpy(out.value.data(), p + pos, n * 8);
        std::memcpy(out.quality.data(), p + pos + n * 8, n * 2);
    }
    return okStatus();
}

} // namespace twin::model
