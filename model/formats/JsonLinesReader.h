#pragma once
// JSON lines: one object per line. Selected fields are addressed by path ("a.b.c", "a.b[0]" or JSON pointer
// "/a/b"); each line reports the values of those paths and, for schema-drift detection, the leaf paths it
// carries. Errors name file and line ("feed.jsonl:12: not a JSON object: ...").
#include "twin/formats/CsvReader.h"

namespace twin::model {

struct JsonField
{
    enum class Type
    {
        Missing,
        Null,
        Number,
        Bool,
        String,
        Object,
        Array
    } type = Type::Missing;
    double number = 0.0; // Number, Bool (1/0)
    std::string text;    // String; compact JSON for Object / Array
};

struct JsonLine
{
    std::int64_t line = 0;
    const std::vector<JsonField> &values;      // one per requested path, in order
    const std::vector<std::string> &leafPaths; // "/a/b" pointers of every scalar in the line (sorted)
};

struct JsonSchemaChange
{
    std::int64_t line = 0;
    std::vector<std::string> added;   // leaf paths not seen in the previous line
    std::vector<std::string> removed; // leaf paths of the previous line missing here
    std::vector<std::string> retyped; // same path, different JSON type than when first seen
};

class JsonLinesReader
{
public:
    // Paths are validated here: "bad path" errors name the path.
    static Result<JsonLinesReader> open(const std::string &path, const std::vector<std::string> &fieldPaths);
    JsonLinesReader(JsonLinesReader &&) noexcept;
    JsonLinesReader &operator=(JsonLinesReader &&) noexcept;
    ~JsonLinesReader();

    // Blank lines are skipped. onLine returns false to stop. A line that is not an object is an error.
    Status read(const std::function<bool(const JsonLine &)> &onLine, const ProgressCallback &progress = {});
    // Off (default): a line that is not a JSON object ends read() with an error. On: it is skipped and its
    // error ("feed.jsonl:7: not valid JSON") is kept in skippedLines(); reading goes on.
    void setSkipMalformed(bool skip) { m_skipMalformed = skip; }
    const std::vector<std::string> &skippedLines() const { return m_skipped; }
    // Schema changes seen by the last read() (the first line is the baseline, never a change).
    const std::vector<JsonSchemaChange> &schemaChanges() const { return m_changes; }

    struct Impl;

private:
    JsonLinesReader() = default;
    std::unique_ptr<Impl> m_impl; // Owned.
    std::vector<JsonSchemaChange> m_changes;
    std::vector<std::string> m_skipped;
    bool m_skipMalformed = false;
};

// "a.b.c" -> "/a/b/c", "a.b[2]" -> "/a/b/2", "/a/b" unchanged; empty on malformed input.
std::string toJsonPointer(std::string_view path);

} // namespace twin::model
