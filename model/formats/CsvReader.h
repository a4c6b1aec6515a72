#pragma once
// Streaming CSV reader over a memory-mapped file. RFC 4180 quoting (escaped "" quotes, delimiters and
// newlines inside quotes), CRLF / LF / CR / mixed line ends, UTF-8 BOM, blank lines skipped. Delimiter (, ;
// tab |) and header row are detected unless given. Rows arrive as string_views into the mapping (quoted
// fields with escapes are unescaped into a reused buffer): no allocation per row once warmed up. Errors name
// the file and line: "meter.csv:1203: expected 19 fields, found 17".
#include "twin/util/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace twin::model {

struct CsvOptions
{
    char delimiter = 0; // 0: detect among , ; \t |
    enum class Header
    {
        Detect,
        Yes,
        No
    } header = Header::Detect;
    bool strictFieldCount = true; // a row whose field count differs from the header's is an error
};

struct CsvRow
{
    std::int64_t line = 0; // 1-based line where the row starts
    const std::string_view *fields = nullptr;
    std::size_t count = 0;
    std::string_view operator[](std::size_t i) const { return i < count ? fields[i] : std::string_view(); }
};

using CsvRowCallback = std::function<bool(const CsvRow &)>; // return false to stop reading (not an error)
// Bytes done / total; return false to cancel. Called about every MiB and once at the end.
using ProgressCallback = std::function<bool(std::uint64_t done, std::uint64_t total)>;

inline constexpr const char *kCancelled = "cancelled";

// Number parsing shared by the readers. Empty, nan/NaN/NAN, NA, N/A, null -> Missing.
enum class NumberStatus
{
    Ok,
    Missing,
    Invalid
};
NumberStatus parseNumber(std::string_view text, double &out);
// ON/OFF, TRUE/FALSE, YES/NO (any case) -> 1/0.
bool parseBool(std::string_view text, double &out);

class CsvReader
{
public:
    static Result<CsvReader> open(const std::string &path, const CsvOptions &options = {});
    CsvReader(CsvReader &&) noexcept;
    CsvReader &operator=(CsvReader &&) noexcept;
    ~CsvReader();

    const std::string &path() const { return m_path; }
    std::string fileName() const; // last path component, used in messages
    char delimiter() const { return m_delimiter; }
    bool hasHeader() const { return m_hasHeader; }
    const std::vector<std::string> &header() const { return m_header; } // names (column1.. without header)
    std::size_t fieldCount() const { return m_header.size(); }
    std::uint64_t size() const;

    // Streams the data rows (after the header). Error on malformed quoting or a wrong field count; Error
    // with message kCancelled when progress returned false.
    Status read(const CsvRowCallback &onRow, const ProgressCallback &progress = {}) const;

    // "meter.csv:1203" or, with column (0-based), "meter.csv:1203: column 3 'kW'".
    std::string where(std::int64_t line, int column = -1) const;

    struct Mapping;

private:
    CsvReader() = default;
    std::string m_path;
    std::unique_ptr<Mapping> m_map; // Owned.
    std::size_t m_dataOffset = 0;   // after BOM and header
    std::int64_t m_dataLine = 1;
    char m_delimiter = ',';
    bool m_hasHeader = false;
    bool m_strict = true;
    std::vector<std::string> m_header;
};

} // namespace twin::model
