#pragma once
// A CSV file as a table of signals for the detectors: the delimiter, header and timestamp column are
// detected as for telemetry import (CsvPreview.h); every numeric column not ignored is a signal. A cell that
// is empty or not a number is missing (NaN) and counted in the notes; a column that is not numeric is
// reported in the notes and left out.
#include "twin/model/detect/Detector.h"
#include "twin/util/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace twin::model::detect {

struct CsvTable
{
    std::string file;
    std::string timestampName;           // the timestamp column, "" when rows are numbered
    std::vector<std::string> timestamps; // per row: the timestamp's text, or the data row's number
    std::vector<std::int64_t> lines;     // per row: its line in the file
    Table table;
    std::vector<std::string> notes;
};

// `ignore`: column names that are not signals (labels, ids). `timestamp`: the timestamp column's name, or ""
// to detect it. Errors name the file (and line): unreadable, malformed, no numeric column, an unknown column.
Result<CsvTable> readCsvTable(const std::string &path, const std::vector<std::string> &ignore = {},
                              const std::string &timestamp = {});

} // namespace twin::model::detect
