#include "twin/model/detect/CsvTable.h"

#include "twin/formats/CsvPreview.h"

#include <algorithm>
#include <limits>
#include <map>

namespace twin::model::detect {

Result<CsvTable> readCsvTable(const std::string &path, const std::vector<std::string> &ignore,
                              const std::string &timestamp)
{
    const auto preview = previewCsv(path);
    if (!preview)
        return Error{preview.error()};
    CsvOptions options;
    options.delimiter = preview->delimiter;
    options.header = preview->hasHeader ? CsvOptions::Header::Yes : CsvOptions::Header::No;
    auto reader = CsvReader::open(path, options);
    if (!reader)
        return Error{reader.error()};
    const std::vector<std::string> &header = reader->header();
    auto columnOf = [&](const std::string &name) {
        return int(std::find(header.begin(), header.end(), name) - header.begin());
    };
    CsvTable out;
    out.file = reader->fileName();
    for (const std::string &name : ignore)
        if (columnOf(name) == int(header.size()))
            return Error{out.file + ": no column '" + name + "' to ignore"};
    int timeColumn = preview->timestampColumn;
    if (!timestamp.empty()) {
        timeColumn = columnOf(timestamp);
        if (timeColumn == int(header.size()))
            return Error{out.file + ": no timestamp column '" + timestamp + "'"};
    }
    if (timeColumn >= 0)
        out.timestampName = header[std::size_t(timeColumn)];
    std::vector<int> signalColumns;
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (int(c) == timeColumn || std::find(ignore.begin(), ignore.end(), header[c]) != ignore.end())
            continue;
        const ColumnKind kind = c < preview->columns.size() ? preview->columns[c].kind : ColumnKind::Empty;
        if (kind == ColumnKind::Number || kind == ColumnKind::Bool) {
            signalColumns.push_back(int(c));
            out.table.names.push_back(header[c]);
        } else {
            out.notes.push_back("column '" + header[c] + "' is not numeric (" + columnKindName(kind) +
                                "): not a signal");
        }
    }
    if (signalColumns.empty())
        return Error{out.file + ": no numeric column to use as a signal"};
    std::map<std::string, std::int64_t> missing;
    std::int64_t row = 0;
    const Status read = reader->read([&](const CsvRow &r) {
        ++row;
        out.lines.push_back(r.line);
        out.timestamps.push_back(timeColumn >= 0 ? std::string(r[std::size_t(timeColumn)])
                                                 : std::to_string(row));
        for (std::size_t k = 0; k < signalColumns.size(); ++k) {
            double v = 0;
            if (parseNumber(r[std::size_t(signalColumns[k])], v) != NumberStatus::Ok &&
                parseBool(r[std::size_t(signalColumns[k])], v) == false) {
                v = std::numeric_limits<double>::quiet_NaN();
                ++missing[out.table.names[k]];
            }
            out.table.values.push_back(v);
        }
        return true;
    });
    if (!read)
        return Error{read.error()};
    if (row == 0)
        return Error{out.file + ": no data rows"};
    for (const auto &[name, count] : missing)
        out.notes.push_back("column '" + name + "': " + std::to_string(count) +
                            " empty or non-numeric cells, taken as missing");
    return out;
}

} // namespace twin::model::detect
