#pragma once
// What the import wizard shows before importing a JSON-lines file (one object per line): the leaf fields
// of the first lines as columns (JSON pointers "/a/b", "/a/list/0"), each with its kind and a unit guessed
// from its name, a table of the first rows, the timestamp field and its detected format, and notes about
// the preview window: schema changes ("feed.jsonl:4: added '/b'", as IngestResult::schemaChanges words them)
// and malformed lines
// ("feed.jsonl:3: not valid JSON").
//
// Timestamp field rule (as for CSV, see CsvPreview.h): chosen automatically only when the last segment of
// its path reads as a timestamp name ("ts", "time", "timestamp", ...) AND its values parse (ISO text,
// numeric dates, or epoch numbers). Text fields whose values parse but whose name does not are candidates.
#include "twin/formats/CsvPreview.h"

namespace twin::model {

struct JsonFieldPreview
{
    std::string path; // JSON pointer of a scalar leaf, e.g. "/p101/flow"
    ColumnKind kind = ColumnKind::Empty;
    std::string unit;           // canonical unit guessed from the name (empty when no guess)
    std::int64_t missing = 0;   // previewed lines without the field (or null)
    std::int64_t firstLine = 0; // file line where the field first appears
};

struct JsonLinesPreview
{
    std::vector<JsonFieldPreview> fields;           // in order of first appearance
    std::vector<std::int64_t> lines;                // file line of each previewed row
    std::vector<std::vector<std::string>> rows;     // one cell per field, as text ("" when missing)
    int timestampField = -1;                        // chosen automatically (see the rule above), else -1
    std::vector<int> timestampCandidates;           // fields whose values parse as timestamps
    std::optional<TimestampFormat> timestampFormat; // of timestampField, else of the first candidate
    std::vector<std::string> schemaChanges;         // "feed.jsonl:4: added '/b'" (also removed, retyped)
    std::vector<std::string> malformedLines;        // "feed.jsonl:3: not valid JSON"
    std::vector<std::string> notes; // timestamp notes, then the schema changes and malformed lines
};

// Reads the first maxRows object lines (malformed lines among them are skipped and noted). Fails when the
// file cannot be read or holds no JSON object in that window (the error names the file).
Result<JsonLinesPreview> previewJsonLines(const std::string &path, std::size_t maxRows = 100);

// The preview as the CSV wizard pages and suggestMapping() expect it: fields as header columns (named by
// their JSON pointer, which ingestJsonLines takes as mapping column), hasHeader true, delimiter 0.
CsvPreview toCsvPreview(const JsonLinesPreview &preview);

} // namespace twin::model
