#include "twin/model/telemetry/CsvSeries.h"

#include <cmath>

namespace twin::model {

Result<CsvSeries> readCsvSeries(const std::string &path, const CsvImportOptions &options,
                                const ProgressCallback &progress)
{
    auto preview = previewCsv(path, 200, options.csv);
    if (!preview.ok())
        return Error{preview.error()};
    auto reader = CsvReader::open(path, options.csv);
    if (!reader.ok())
        return Error{reader.error()};
    CsvSeries s;
    s.delimiter = reader->delimiter();
    const CsvPreview &p = preview.value();
    int tc = options.timestampColumn >= 0 ? options.timestampColumn : p.timestampColumn;
    if (tc < 0) {
        std::string msg =
            reader->where(1, p.timestampCandidates.empty() ? -1 : p.timestampCandidates.front());
        msg += p.timestampCandidates.empty()
                   ? ": no column holds timestamps"
                   : ": not named like a timestamp column; choose the timestamp column explicitly";
        return Error{msg};
    }
    if (static_cast<size_t>(tc) >= reader->fieldCount())
        return Error{reader->where(1) + ": timestamp column " + std::to_string(tc + 1) + " does not exist"};
    s.timestampColumn = tc;
    if (options.timestampFormat) {
        s.format = *options.timestampFormat;
    } else {
        std::vector<std::string> samples;
        for (const auto &row : p.rows)
            if (static_cast<size_t>(tc) < row.size())
                samples.push_back(row[tc]);
        auto fmt = detectFormat(samples);
        if (!fmt.ok())
            return Error{reader->where(1, tc) + ": " + fmt.error()};
        s.format = fmt.value();
        s.format.zone = options.zone;
    }
    std::vector<size_t> map; // column -> index in s.columns, or SIZE_MAX
    for (size_t c = 0; c < p.columns.size(); ++c) {
        const ColumnKind k = p.columns[c].kind;
        if (static_cast<int>(c) == tc || k == ColumnKind::Text || k == ColumnKind::Timestamp) {
            if (static_cast<int>(c) != tc)
                s.skippedColumns.push_back(p.columns[c].name);
            map.push_back(SIZE_MAX);
            continue;
        }
        map.push_back(s.columns.size());
        s.columns.push_back({p.columns[c].name,
                             static_cast<int>(c),
                             k == ColumnKind::Bool ? ColumnKind::Bool : ColumnKind::Number,
                             p.columns[c].unit,
                             {},
                             0});
    }
    // Reserve for the estimated row count (average row length of the preview), saving regrowth copies.
    if (!p.rows.empty()) {
        size_t bytes = 0;
        for (const auto &row : p.rows)
            for (const auto &field : row)
                bytes += field.size() + 1;
        const size_t estimate =
            size_t(double(reader->size()) / (double(bytes) / double(p.rows.size())) * 1.05) + 16;
        s.times.reserve(estimate);
        s.quality.reserve(estimate);
        for (auto &col : s.columns)
            col.values.reserve(estimate);
    }
    std::string error;
    TimeNs prevNaive = INT64_MIN, prev = INT64_MIN;
    TimestampFormat later = s.format;
    later.laterForAmbiguous = true;
    auto status = reader->read(
        [&](const CsvRow &row) {
            bool ambiguous = false;
            auto t = parse(row[tc], s.format, &ambiguous);
            if (!t.ok()) {
                error = reader->where(row.line, tc) + ": " + t.error();
                return false;
            }
            TimeNs time = t.value();
            std::uint16_t q = QualityGood;
            if (ambiguous) {
                q |= QualityAmbiguousTime;
                s.ambiguousLines.push_back(row.line);
                if (options.resolveFoldBySequence && time < prev)
                    if (auto second = parse(row[tc], later); second.ok() && second.value() >= prev)
                        time = second.value();
            }
            if (t.value() < prevNaive) {
                q |= QualityAmbiguousTime;
                s.backwardLines.push_back(row.line);
            }
            if (time == prev)
                ++s.duplicateTimes;
            prevNaive = t.value();
            prev = time;
            s.times.push_back(time);
            s.quality.push_back(q);
            for (size_t c = 0; c < row.count && c < map.size(); ++c) {
                if (map[c] == SIZE_MAX)
                    continue;
                CsvValueColumn &col = s.columns[map[c]];
                double v;
                NumberStatus ns = parseNumber(row[c], v);
                if (ns == NumberStatus::Invalid) {
                    if (parseBool(row[c], v)) {
                        ns = NumberStatus::Ok;
                    } else {
                        error = reader->where(row.line, static_cast<int>(c)) + ": '" + std::string(row[c]) +
                                "' is not a number";
                        return false;
                    }
                }
                if (ns == NumberStatus::Missing)
                    ++col.missing;
                col.values.push_back(v);
            }
            return true;
        },
        progress);
    if (!error.empty())
        return Error{error};
    if (!status.ok())
        return Error{status.error()};
    return s;
}

} // namespace twin::model
