#include "twin/formats/CsvReader.h"

#include "twin/formats/TimestampParser.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace twin::model {

struct CsvReader::Mapping
{
    const char *data = nullptr;
    std::size_t size = 0;
    ~Mapping()
    {
        if (data && size)
            ::munmap(const_cast<char *>(data), size);
    }
};

namespace {

bool equalsFolded(std::string_view a, const char *b)
{
    size_t n = std::strlen(b);
    if (a.size() != n)
        return false;
    for (size_t i = 0; i < n; ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + 32);
        if (c != b[i])
            return false;
    }
    return true;
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Row scanner over [pos, end). Fields point into the buffer or into scratch (unescaped quoted fields).
class Scanner
{
public:
    Scanner(const char *begin, const char *end, char delimiter, std::int64_t line)
        : m_pos(begin), m_end(end), m_delim(delimiter), m_line(line)
    {
    }

    // False at the end of input or on error (then error() is set).
    bool next()
    {
        // Skip blank lines.
        while (m_pos < m_end && (*m_pos == '\n' || *m_pos == '\r')) {
            if (*m_pos == '\r' && m_pos + 1 < m_end && m_pos[1] == '\n')
                ++m_pos;
            ++m_pos;
            ++m_line;
        }
        if (m_pos >= m_end)
            return false;
        m_rowLine = m_line;
        if (plainLine())
            return true;
        m_refs.clear();
        m_scratch.clear();
        for (;;) {
            Ref ref;
            if (*m_pos == '"') {
                if (!quoted(ref))
                    return false;
            } else {
                const char *start = m_pos;
                while (m_pos < m_end && *m_pos != m_delim && *m_pos != '\n' && *m_pos != '\r')
                    ++m_pos;
                ref.p = start;
                ref.len = static_cast<size_t>(m_pos - start);
            }
            m_refs.push_back(ref);
            if (m_pos < m_end && *m_pos == m_delim) {
                ++m_pos;
                continue;
            }
            if (m_pos < m_end) { // line end
                if (*m_pos == '\r' && m_pos + 1 < m_end && m_pos[1] == '\n')
                    ++m_pos;
                ++m_pos;
                ++m_line;
            }
            break;
        }
        m_fields.resize(m_refs.size());
        for (size_t i = 0; i < m_refs.size(); ++i)
            m_fields[i] = m_refs[i].p ? std::string_view(m_refs[i].p, m_refs[i].len)
                                      : std::string_view(m_scratch.data() + m_refs[i].off, m_refs[i].len);
        return true;
    }

    const std::vector<std::string_view> &fields() const { return m_fields; }
    std::int64_t rowLine() const { return m_rowLine; }
    std::int64_t line() const { return m_line; }
    const char *pos() const { return m_pos; }
    const std::string &error() const { return m_error; }

private:
    // Fast path for a line without quotes and without a lone CR (the common case): find the line end and
    // the delimiters with memchr. False (nothing consumed) when the line needs the general scanner.
    bool plainLine()
    {
        const auto rest = static_cast<size_t>(m_end - m_pos);
        const char *nl = static_cast<const char *>(std::memchr(m_pos, '\n', rest));
        const char *lineEnd = nl ? nl : m_end;
        const char *contentEnd = nl && lineEnd > m_pos && lineEnd[-1] == '\r' ? lineEnd - 1 : lineEnd;
        const auto len = static_cast<size_t>(contentEnd - m_pos);
        if (std::memchr(m_pos, '"', len) || std::memchr(m_pos, '\r', len))
            return false;
        m_fields.clear();
        const char *p = m_pos;
        for (;;) {
            const char *d =
                static_cast<const char *>(std::memchr(p, m_delim, static_cast<size_t>(contentEnd - p)));
            if (!d) {
                m_fields.emplace_back(p, static_cast<size_t>(contentEnd - p));
                break;
            }
            m_fields.emplace_back(p, static_cast<size_t>(d - p));
            p = d + 1;
        }
        if (nl) {
            m_pos = nl + 1;
            ++m_line;
        } else {
            m_pos = m_end;
        }
        return true;
    }

    struct Ref
    {
        const char *p = nullptr; // null: in scratch at off
        size_t off = 0;
        size_t len = 0;
    };

    bool quoted(Ref &ref)
    {
        const std::int64_t startLine = m_line;
        ++m_pos;
        const char *seg = m_pos;
        bool copied = false;
        size_t off = m_scratch.size();
        for (;;) {
            const char *q =
                static_cast<const char *>(std::memchr(m_pos, '"', static_cast<size_t>(m_end - m_pos)));
            if (!q) {
                m_error = ":" + std::to_string(startLine) + ": unterminated quoted field";
                return false;
            }
            m_line += std::count(m_pos, q, '\n');
            if (q + 1 < m_end && q[1] == '"') {
                m_scratch.append(seg, q + 1);
                copied = true;
                m_pos = q + 2;
                seg = m_pos;
                continue;
            }
            if (copied) {
                m_scratch.append(seg, q);
                ref.off = off;
                ref.len = m_scratch.size() - off;
            } else {
                ref.p = seg;
                ref.len = static_cast<size_t>(q - seg);
            }
            m_pos = q + 1;
            while (m_pos < m_end && (*m_pos == ' ' || *m_pos == '\t') && *m_pos != m_delim)
                ++m_pos;
            if (m_pos < m_end && *m_pos != m_delim && *m_pos != '\n' && *m_pos != '\r') {
                m_error = ":" + std::to_string(m_line) + ": unexpected character after a closing quote";
                return false;
            }
            return true;
        }
    }

    const char *m_pos;
    const char *m_end;
    char m_delim;
    std::int64_t m_line;
    std::int64_t m_rowLine = 0;
    std::vector<Ref> m_refs;
    std::string m_scratch;
    std::vector<std::string_view> m_fields;
    std::string m_error;
};

// Count of the delimiter outside quotes in each of the first lines; the candidate with a constant, non-zero
// count wins (highest count first), else the one most often present.
char detectDelimiter(const char *begin, const char *end)
{
    const char candidates[] = {',', ';', '\t', '|'};
    const char *limit = begin + std::min<size_t>(static_cast<size_t>(end - begin), 1 << 16);
    char best = ',';
    int bestScore = -1;
    for (char d : candidates) {
        std::vector<int> counts;
        int count = 0;
        bool inQuotes = false;
        for (const char *p = begin; p < limit && counts.size() < 50; ++p) {
            if (*p == '"')
                inQuotes = !inQuotes;
            else if (!inQuotes && *p == d)
                ++count;
            else if (!inQuotes && *p == '\n') {
                counts.push_back(count);
                count = 0;
            }
        }
        if (count > 0)
            counts.push_back(count);
        if (counts.empty())
            continue;
        bool constant = std::all_of(counts.begin(), counts.end(), [&](int c) { return c == counts[0]; });
        int present =
            static_cast<int>(std::count_if(counts.begin(), counts.end(), [](int c) { return c > 0; }));
        int score = constant && counts[0] > 0 ? 1'000'000 + counts[0] : present;
        if (score > bestScore && (constant ? counts[0] > 0 : present > 0)) {
            bestScore = score;
            best = d;
        }
    }
    return best;
}

bool isValueLike(std::string_view s)
{
    double v;
    s = trimmed(s);
    return !s.empty() && (parseNumber(s, v) == NumberStatus::Ok || looksLikeTimestamp(s));
}

} // namespace

NumberStatus parseNumber(std::string_view text, double &out)
{
    text = trimmed(text);
    // Fast path: a plain decimal number (none of the missing-value words starts with a digit or '.').
    if (!text.empty()) {
        const char *b = text.data();
        const char *e = b + text.size();
        const char *d = (*b == '-' || *b == '+') ? b + 1 : b;
        if (d < e && ((*d >= '0' && *d <= '9') || *d == '.')) {
            if (*b == '+')
                ++b;
            auto r = std::from_chars(b, e, out);
            return r.ec == std::errc() && r.ptr == e ? NumberStatus::Ok : NumberStatus::Invalid;
        }
    }
    if (text.empty() || equalsFolded(text, "nan") || equalsFolded(text, "na") || equalsFolded(text, "n/a") ||
        equalsFolded(text, "null") || equalsFolded(text, "none") || text == "-") {
        out = std::nan("");
        return NumberStatus::Missing;
    }
    const char *b = text.data();
    const char *e = b + text.size();
    if (*b == '+')
        ++b;
    auto r = std::from_chars(b, e, out);
    if (r.ec != std::errc() || r.ptr != e)
        return NumberStatus::Invalid;
    return NumberStatus::Ok;
}

bool parseBool(std::string_view text, double &out)
{
    text = trimmed(text);
    if (equalsFolded(text, "on") || equalsFolded(text, "true") || equalsFolded(text, "yes")) {
        out = 1.0;
        return true;
    }
    if (equalsFolded(text, "off") || equalsFolded(text, "false") || equalsFolded(text, "no")) {
        out = 0.0;
        return true;
    }
    return false;
}

CsvReader::CsvReader(CsvReader &&) noexcept = default;
CsvReader &CsvReader::operator=(CsvReader &&) noexcept = default;
CsvReader::~CsvReader() = default;

Result<CsvReader> CsvReader::open(const std::string &path, const CsvOptions &options)
{
    CsvReader r;
    r.m_path = path;
    r.m_strict = options.strictFieldCount;
    r.m_map = std::make_unique<Mapping>();
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error{path + ": cannot open: " + std::strerror(errno)};
    struct stat st = {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return Error{path + ": cannot read: " + std::strerror(errno)};
    }
    if (st.st_size > 0) {
        void *p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            return Error{path + ": cannot map: " + std::strerror(errno)};
        }
        ::madvise(p, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
        r.m_map->data = static_cast<const char *>(p);
        r.m_map->size = static_cast<size_t>(st.st_size);
    }
    ::close(fd);
    const char *begin = r.m_map->data;
    const char *end = begin + r.m_map->size;
    if (r.m_map->size >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0)
        begin += 3;
    if (begin == end)
        return Error{r.fileName() + ": the file is empty"};
    r.m_delimiter = options.delimiter ? options.delimiter : detectDelimiter(begin, end);

    Scanner scan(begin, end, r.m_delimiter, 1);
    if (!scan.next())
        return Error{r.fileName() + (scan.error().empty() ? ": the file has no rows" : scan.error())};
    std::vector<std::string> first(scan.fields().begin(), scan.fields().end());
    const char *afterFirst = scan.pos();
    bool header = options.header == CsvOptions::Header::Yes;
    if (options.header == CsvOptions::Header::Detect)
        header =
            std::none_of(first.begin(), first.end(), [](const std::string &f) { return isValueLike(f); });
    r.m_hasHeader = header;
    if (header) {
        r.m_header = first;
        r.m_dataOffset = static_cast<size_t>(afterFirst - r.m_map->data);
        r.m_dataLine = scan.line();
    } else {
        for (size_t i = 0; i < first.size(); ++i)
            r.m_header.push_back("column" + std::to_string(i + 1));
        r.m_dataOffset = static_cast<size_t>(begin - r.m_map->data);
        r.m_dataLine = 1;
    }
    return r;
}

std::string CsvReader::fileName() const
{
    auto slash = m_path.find_last_of('/');
    return slash == std::string::npos ? m_path : m_path.substr(slash + 1);
}

std::uint64_t CsvReader::size() const
{
    return m_map ? m_map->size : 0;
}

std::string CsvReader::where(std::int64_t line, int column) const
{
    std::string s = fileName() + ":" + std::to_string(line);
    if (column >= 0) {
        s += ": column " + std::to_string(column + 1);
        if (static_cast<size_t>(column) < m_header.size())
            s += " '" + m_header[column] + "'";
    }
    return s;
}

Status CsvReader::read(const CsvRowCallback &onRow, const ProgressCallback &progress) const
{
    const char *data = m_map->data;
    const char *end = data + m_map->size;
    Scanner scan(data + m_dataOffset, end, m_delimiter, m_dataLine);
    const std::uint64_t total = m_map->size;
    std::uint64_t nextReport = 1 << 20;
    CsvRow row;
    while (scan.next()) {
        const auto &fields = scan.fields();
        if (m_strict && fields.size() != m_header.size())
            return Error{where(scan.rowLine()) + ": expected " + std::to_string(m_header.size()) +
                         " fields, found " + std::to_string(fields.size())};
        row.line = scan.rowLine();
        row.fields = fields.data();
        row.count = fields.size();
        if (!onRow(row))
            return okStatus();
        const auto done = static_cast<std::uint64_t>(scan.pos() - data);
        if (progress && done >= nextReport) {
            nextReport = done + (1 << 20);
            if (!progress(done, total))
                return Error{kCancelled};
        }
    }
    if (!scan.error().empty())
        return Error{fileName() + scan.error()};
    if (progress && !progress(total, total))
        return Error{kCancelled};
    return okStatus();
}

} // namespace twin::model
