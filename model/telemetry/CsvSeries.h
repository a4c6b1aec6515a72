#pragma once
// A CSV file read into columns: timestamps (UTC ns) plus numeric / boolean value columns, with the findings
// the data-quality report needs (missing values, repeated DST wall times, backward steps, duplicate times).
// Value errors name file, line and column: "meter.csv:1203: column 2 'kW': 'abc' is not a number".
#include "twin/formats/CsvPreview.h"
#include "twin/formats/Sample.h"

namespace twin::model {

struct CsvImportOptions
{
    CsvOptions csv;
    int timestampColumn = -1;                       // -1: the one previewCsv chooses (named like a timestamp)
    std::optional<TimestampFormat> timestampFormat; // empty: detected from the first rows, read in `zone`
    TimeZone zone;                                  // wall times without a zone (with a detected format)
    // Repeated (fall-back) wall times: take the second occurrence when the first would step backwards.
    bool resolveFoldBySequence = true;
};

struct CsvValueColumn
{
    std::string name;
    int column = 0;
    ColumnKind kind = ColumnKind::Number; // Number or Bool (ON/OFF -> 1/0)
    std::string unit;                     // guessed from the name
    std::vector<double> values;           // NaN where missing
    std::int64_t missing = 0;
};

struct CsvSeries
{
    char delimiter = ',';
    int timestampColumn = -1;
    TimestampFormat format;
    std::vector<TimeNs> times;
    std::vector<std::uint16_t> quality; // QualityAmbiguousTime: repeated wall time or backward step
    std::vector<CsvValueColumn> columns;
    std::vector<std::string> skippedColumns; // text columns, not imported
    // Findings (source line numbers, 1-based)
    std::vector<std::int64_t> ambiguousLines; // wall time in a repeated DST hour
    std::vector<std::int64_t> backwardLines;  // wall clock read earlier than the previous row
    std::int64_t duplicateTimes = 0;          // same UTC time as the previous row
    std::size_t rows() const { return times.size(); }
};

Result<CsvSeries> readCsvSeries(const std::string &path, const CsvImportOptions &options = {},
                                const ProgressCallback &progress = {});

} // namespace twin::model
