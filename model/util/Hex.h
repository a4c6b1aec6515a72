#pragma once
// Bytes as hex digits and back (Binary variables in CSV files, job JSON and on the command line).
#include <cstdint>
#include <string>
#include <vector>

namespace twin {

// Lowercase digits, two per byte.
inline std::string toHex(const std::vector<std::uint8_t> &bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

// Either case, an optional "0x" in front; false on an odd count or another character.
inline bool fromHex(std::string text, std::vector<std::uint8_t> &bytes)
{
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        text.erase(0, 2);
    if (text.size() % 2 != 0)
        return false;
    auto digit = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
    };
    bytes.clear();
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = digit(text[i]), lo = digit(text[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        bytes.push_back(std::uint8_t(hi << 4 | lo));
    }
    return true;
}

} // namespace twin
