#pragma once
// Recorded telemetry into a project: CSV file -> timestamps -> unit conversion to the model's units ->
// data-quality pipeline -> the project's time-series store. Shared by `twinctl ingest` and the GUI's
// import wizard (which runs it on a worker thread; progress may cancel, leaving the store unchanged).
#include "twin/formats/CsvReader.h"
#include "twin/model/project/Project.h"
#include "twin/model/telemetry/QualityPipeline.h"

#include <optional>
#include <string>
#include <vector>

namespace twin::model {

struct CsvPreview;

struct ColumnMapping
{
    std::string column;    // CSV header name
    std::string assetPath; // TwinGraph::path of the asset
    std::string telemetry; // telemetry name on the asset's type
    std::string unit;      // unit of the values in the file; empty: already in the model's unit
    std::optional<double> minimum, maximum; // range check (model units); default: the telemetry's range
};

struct IngestMapping
{
    char delimiter = 0;          // 0: detect
    std::string timestampColumn; // empty: detect
    std::string timestampFormat; // "auto", "iso8601", "epoch-s", "epoch-ms", "epoch-us", "epoch-ns", "m/d/y",
                                 // "d/m/y", "dd-mon-yy"
    std::string timeZone = "UTC"; // for wall times without a zone (IANA name, POSIX TZ or +hh:mm)
    double reorderWatermarkS = 0; // data-quality reorder window
    std::vector<ColumnMapping> columns;
};

Result<IngestMapping> ingestMappingFromJson(const std::string &json);
std::string ingestMappingToJson(const IngestMapping &mapping);
// Suggests a mapping for a previewed file: columns matched to telemetry by name, units from the header.
IngestMapping suggestMapping(const Project &project, const CsvPreview &preview);
// Mappings saved in the project (meta "mapping:<name>").
void saveMapping(Project &project, const std::string &name, const IngestMapping &mapping);
std::vector<std::string> savedMappingNames(const Project &project);
std::optional<IngestMapping> savedMapping(const Project &project, const std::string &name);

struct IngestResult
{
    std::string file;
    std::size_t rows = 0;
    std::uint64_t stored = 0;
    std::uint64_t alreadyStored = 0;    // samples identical to ones already in the store (not stored again)
    std::vector<QualityReport> reports; // one per mapped column
    std::vector<std::int64_t> ambiguousLines; // repeated DST wall times
    std::vector<std::int64_t> backwardLines;  // wall clock stepped back
    std::int64_t duplicateTimes = 0;
    std::string timestampFormat; // as detected or given
    double seconds = 0;          // wall time spent
    // JSON lines only: "feed.jsonl:12: field '/b' added" (also "removed", "retyped"), in file order, and
    // lines that were skipped or values that could not be used ("feed.jsonl:7: not valid JSON").
    std::vector<std::string> schemaChanges;
    std::vector<std::string> lineErrors;
};

// Imports one CSV file; a path ending in .jsonl, .ndjson or .json is passed to ingestJsonLines instead (so
// `twinctl ingest` and the wizard take both with one call). Nothing is stored when the mapping does not fit
// the project or the file fails to read: errors name the file, line, column, or the mapping entry.
Result<IngestResult> ingestCsv(Project &project, const std::string &path, const IngestMapping &mapping,
                               const ProgressCallback &progress = {});

// Imports a JSON-lines file (one object per line). The mapping's `column`s and `timestampColumn` are JSON
// paths ("a.b", "a.b[0]" or "/a/b"); an empty timestamp path tries /timestamp, /ts, /time. Numeric
// timestamps use timestampFormat "epoch-s/-ms/-us/-ns" ("auto": unit by magnitude); text timestamps the
// named format or one detected from the first value. Per-line problems do not stop the import: a malformed
// line or a line without a usable timestamp is skipped, a mapped value that is text is stored as NaN flagged
// QualityBadValue; each is listed in lineErrors with file:line. Schema changes across lines (added, removed,
// retyped leaf fields) are listed in schemaChanges. Samples go through the pipeline in file order, so an
// out-of-order line is flagged like any late sample.
Result<IngestResult> ingestJsonLines(Project &project, const std::string &path, const IngestMapping &mapping,
                                     const ProgressCallback &progress = {});

} // namespace twin::model
