#pragma once
// What the import wizard shows before importing: delimiter, header, first rows, per-column kind and unit
// guess, the timestamp column and its detected format.
//
// Timestamp column rule (decided for the shared meter file bad_csv_file_test.csv, header "Dately"): the
// column is chosen automatically only when its NAME reads as a timestamp (date, time, datetime, timestamp,
// ts, ..., or those words as a token) AND its values parse. A column whose values parse but whose name does
// not is listed as a candidate and a note asks the user to choose it; importing without that choice fails
// with an error naming file, line 1 and the column.
#include "twin/formats/CsvReader.h"
#include "twin/formats/TimestampParser.h"

#include <optional>

namespace twin::model {

enum class ColumnKind
{
    Empty,
    Timestamp,
    Number,
    Bool,
    Text
};
const char *columnKindName(ColumnKind kind);

struct ColumnPreview
{
    std::string name;
    ColumnKind kind = ColumnKind::Empty;
    std::string unit;         // canonical unit guessed from the name (empty when no guess)
    std::int64_t missing = 0; // empty / nan cells in the previewed rows
};

struct CsvPreview
{
    char delimiter = ',';
    bool hasHeader = false;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows; // first rows, as text
    std::vector<ColumnPreview> columns;
    int timestampColumn = -1;                       // chosen automatically (see the rule above), else -1
    std::vector<int> timestampCandidates;           // columns whose values parse as timestamps
    std::optional<TimestampFormat> timestampFormat; // of timestampColumn, else of the first candidate
    std::vector<std::string> notes;
};

Result<CsvPreview> previewCsv(const std::string &path, std::size_t maxRows = 100,
                              const CsvOptions &options = {});

// "Boiler_OAT_value_f" -> degreeFahrenheit, "Boiler_DP_value_psi" -> poundPerSquareInch, "kW" -> kilowatt,
// "Temp [°C]" -> degreeCelsius, SKAB column names -> their documented units. Empty when no guess.
std::string guessUnitFromColumnName(std::string_view name);
bool isTimestampColumnName(std::string_view name);

} // namespace twin::model
