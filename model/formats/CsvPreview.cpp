#include "twin/formats/CsvPreview.h"

#include "twin/formats/Units.h"

#include <algorithm>
#include <cctype>

namespace twin::model {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> tokens(std::string_view name)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : name) {
        if (c == '_' || c == ' ' || c == ':' || c == '-' || c == '(' || c == ')' || c == '[' || c == ']' ||
            c == ',' || c == '{' || c == '}') {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        out.push_back(cur);
    return out;
}

// SKAB column names and units as documented in skab/README-SKAB.md.
const char *const kSkabUnits[][2] = {
    {"Accelerometer1RMS", "gForce"},
    {"Accelerometer2RMS", "gForce"},
    {"Current", "ampere"},
    {"Pressure", "bar"},
    {"Temperature", "degreeCelsius"},
    {"Thermocouple", "degreeCelsius"},
    {"Voltage", "volt"},
    {"RateRMS", "litrePerMinute"},
    {"Volume Flow RateRMS", "litrePerMinute"},
};

} // namespace

const char *columnKindName(ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Empty:
        return "empty";
    case ColumnKind::Timestamp:
        return "timestamp";
    case ColumnKind::Number:
        return "number";
    case ColumnKind::Bool:
        return "bool";
    case ColumnKind::Text:
        return "text";
    }
    return "text";
}

std::string guessUnitFromColumnName(std::string_view name)
{
    for (const auto &row : kSkabUnits)
        if (name == row[0])
            return row[1];
    // Bracketed unit: "Temp [°C]", "Flow (gpm)".
    for (auto [open, close] : {std::pair{'[', ']'}, std::pair{'(', ')'}}) {
        auto a = name.rfind(open);
        auto b = name.rfind(close);
        if (a != std::string_view::npos && b != std::string_view::npos && b > a + 1)
            if (auto u = canonicalUnit(name.substr(a + 1, b - a - 1)))
                return *u;
    }
    const auto parts = tokens(name);
    if (parts.empty())
        return {};
    const std::string &last = parts.back();
    // Single-letter suffixes are temperature scales only after a separator: "_f", "_c", "_k"? (k too risky)
    if (parts.size() > 1 && (last == "f" || last == "F"))
        return "degreeFahrenheit";
    if (parts.size() > 1 && (last == "c" || last == "C"))
        return "degreeCelsius";
    if (last.size() >= 2 || parts.size() == 1) {
        // Exact alias match only (case-sensitive): "kW", "psi", "gpm", "degF"; whole-name units ("kW").
        static const char *const kSuffixes[] = {"kW",  "W",   "MW",   "kWh",  "Wh",   "psi", "PSI", "gpm",
                                                "GPM", "cfm", "CFM",  "degF", "degC", "°F",  "°C",  "kPa",
                                                "Pa",  "bar", "rpm",  "RPM",  "pct",  "%",   "A",   "V",
                                                "Hz",  "lpm", "m3/h", "inWC", "inH2O"};
        for (const char *s : kSuffixes)
            if (last == s)
                return *canonicalUnit(s);
    }
    return {};
}

bool isTimestampColumnName(std::string_view name)
{
    static const char *const kNames[] = {"date",       "time",      "datetime",   "timestamp", "ts",   "utc",
                                         "local time", "date time", "time stamp", "date_time", "index"};
    const std::string n = lower(name);
    for (const char *k : kNames)
        if (n == k)
            return true;
    for (const auto &t : tokens(n))
        if (t == "date" || t == "time" || t == "datetime" || t == "timestamp")
            return true;
    return false;
}

Result<CsvPreview> previewCsv(const std::string &path, std::size_t maxRows, const CsvOptions &options)
{
    CsvOptions lenient = options;
    lenient.strictFieldCount = false;
    auto reader = CsvReader::open(path, lenient);
    if (!reader.ok())
        return Error{reader.error()};
    CsvPreview p;
    p.delimiter = reader->delimiter();
    p.hasHeader = reader->hasHeader();
    p.header = reader->header();
    auto status = reader->read([&](const CsvRow &row) {
        p.rows.emplace_back();
        for (size_t i = 0; i < row.count; ++i)
            p.rows.back().emplace_back(row[i]);
        return p.rows.size() < maxRows;
    });
    if (!status.ok())
        return Error{status.error()};
    for (size_t c = 0; c < p.header.size(); ++c) {
        ColumnPreview col;
        col.name = p.header[c];
        col.unit = guessUnitFromColumnName(col.name);
        bool allNumber = true, allBool = true, allTime = true, any = false;
        std::vector<std::string> samples;
        for (const auto &row : p.rows) {
            std::string_view v = c < row.size() ? std::string_view(row[c]) : std::string_view();
            double d;
            NumberStatus ns = parseNumber(v, d);
            if (ns == NumberStatus::Missing) {
                ++col.missing;
                continue;
            }
            any = true;
            allNumber &= ns == NumberStatus::Ok;
            allBool &= parseBool(v, d);
            allTime &= looksLikeTimestamp(v);
            samples.emplace_back(v);
        }
        col.kind = !any        ? ColumnKind::Empty
                   : allTime   ? ColumnKind::Timestamp
                   : allNumber ? ColumnKind::Number
                   : allBool   ? ColumnKind::Bool
                               : ColumnKind::Text;
        if (col.kind == ColumnKind::Timestamp) {
            auto fmt = detectFormat(samples);
            if (fmt.ok()) {
                p.timestampCandidates.push_back(static_cast<int>(c));
                if (p.timestampColumn < 0 && p.hasHeader && isTimestampColumnName(col.name)) {
                    p.timestampColumn = static_cast<int>(c);
                    p.timestampFormat = fmt.value();
                }
                if (!p.timestampFormat)
                    p.timestampFormat = fmt.value();
                if (!fmt->note.empty())
                    p.notes.push_back("column " + std::to_string(c + 1) + " '" + col.name +
                                      "': " + fmt->note);
            } else {
                col.kind = ColumnKind::Text;
            }
        }
        p.columns.push_back(std::move(col));
    }
    if (p.timestampColumn < 0 && !p.timestampCandidates.empty()) {
        const int c = p.timestampCandidates.front();
        p.notes.push_back(
            "column " + std::to_string(c + 1) + " '" + p.header[c] +
            "' holds timestamps but is not named like a timestamp column; choose it explicitly");
    }
    return p;
}

} // namespace twin::model
