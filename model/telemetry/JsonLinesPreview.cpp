#include "twin/model/telemetry/JsonLinesPreview.h"

#include "twin/formats/JsonLinesReader.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace twin::model {

namespace {

std::string fileNameOf(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Last segment of a JSON pointer, unescaped ("/a/b~1c" -> "b/c").
std::string lastSegment(std::string_view pointer)
{
    const auto slash = pointer.rfind('/');
    std::string_view seg = slash == std::string_view::npos ? pointer : pointer.substr(slash + 1);
    std::string out;
    for (size_t i = 0; i < seg.size(); ++i) {
        if (seg[i] == '~' && i + 1 < seg.size()) {
            out += seg[i + 1] == '1' ? '/' : '~';
            ++i;
        } else {
            out += seg[i];
        }
    }
    return out;
}

std::string unitOfPath(const std::string &pointer)
{
    std::string unit = guessUnitFromColumnName(lastSegment(pointer));
    if (unit.empty()) { // "/flow/gpm" style: the whole path as one name
        std::string name = pointer.substr(pointer.empty() ? 0 : 1);
        std::replace(name.begin(), name.end(), '/', '_');
        unit = guessUnitFromColumnName(name);
    }
    return unit;
}

std::string cellText(const JsonField &f)
{
    switch (f.type) {
    case JsonField::Type::Missing:
        return {};
    case JsonField::Type::Null:
        return "null";
    case JsonField::Type::Number: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.15g", f.number);
        return buf;
    }
    case JsonField::Type::Bool:
        return f.number != 0 ? "true" : "false";
    case JsonField::Type::String:
    case JsonField::Type::Object:
    case JsonField::Type::Array:
        return f.text;
    }
    return {};
}

std::string joined(const std::vector<std::string> &paths)
{
    std::string out;
    for (const auto &p : paths)
        out += (out.empty() ? "'" : ", '") + p + "'";
    return out;
}

} // namespace

Result<JsonLinesPreview> previewJsonLines(const std::string &path, std::size_t maxRows)
{
    const std::string file = fileNameOf(path);
    maxRows = std::max<std::size_t>(maxRows, 1);
    JsonLinesPreview p;
    // Pass 1: which leaves appear where, schema changes and malformed lines in the window.
    {
        auto reader = JsonLinesReader::open(path, {});
        if (!reader)
            return Error{reader.error()};
        reader->setSkipMalformed(true);
        std::unordered_map<std::string, int> index;
        auto status = reader->read([&](const JsonLine &line) {
            for (const std::string &leaf : line.leafPaths) {
                if (leaf.empty() || index.count(leaf))
                    continue;
                index.emplace(leaf, int(p.fields.size()));
                JsonFieldPreview f;
                f.path = leaf;
                f.unit = unitOfPath(leaf);
                f.firstLine = line.line;
                p.fields.push_back(std::move(f));
            }
            p.lines.push_back(line.line);
            return p.lines.size() < maxRows;
        });
        if (!status.ok())
            return Error{status.error()};
        p.malformedLines = reader->skippedLines();
        for (const JsonSchemaChange &c : reader->schemaChanges()) {
            const std::string where = file + ":" + std::to_string(c.line) + ": ";
            if (!c.added.empty())
                p.schemaChanges.push_back(where + "added " + joined(c.added));
            if (!c.removed.empty())
                p.schemaChanges.push_back(where + "removed " + joined(c.removed));
            if (!c.retyped.empty())
                p.schemaChanges.push_back(where + "retyped " + joined(c.retyped));
        }
    }
    if (p.lines.empty()) {
        std::string error = file + ": no JSON object in the first " + std::to_string(maxRows) + " lines";
        if (!p.malformedLines.empty())
            error += " (" + p.malformedLines.front() + ")";
        return Error{std::move(error)};
    }
    // Pass 2: the values of every field on the same lines.
    std::vector<std::string> paths;
    for (const auto &f : p.fields)
        paths.push_back(f.path);
    std::vector<std::vector<JsonField::Type>> types(p.fields.size());
    {
        auto reader = JsonLinesReader::open(path, paths);
        if (!reader)
            return Error{reader.error()};
        reader->setSkipMalformed(true);
        auto status = reader->read([&](const JsonLine &line) {
            p.rows.emplace_back();
            auto &row = p.rows.back();
            for (size_t k = 0; k < line.values.size(); ++k) {
                row.push_back(cellText(line.values[k]));
                types[k].push_back(line.values[k].type);
            }
            return p.rows.size() < p.lines.size();
        });
        if (!status.ok())
            return Error{status.error()};
    }
    for (size_t k = 0; k < p.fields.size(); ++k) {
        JsonFieldPreview &f = p.fields[k];
        bool any = false, allNumber = true, allBool = true, allText = true, allTime = true;
        std::vector<std::string> samples;
        for (size_t r = 0; r < p.rows.size(); ++r) {
            const JsonField::Type t = types[k][r];
            if (t == JsonField::Type::Missing || t == JsonField::Type::Null) {
                ++f.missing;
                continue;
            }
            any = true;
            allNumber &= t == JsonField::Type::Number;
            allBool &= t == JsonField::Type::Bool;
            allText &= t == JsonField::Type::String;
            allTime &= t == JsonField::Type::String && looksLikeTimestamp(p.rows[r][k]);
            samples.push_back(p.rows[r][k]);
        }
        const bool namedTime = isTimestampColumnName(lastSegment(f.path));
        // Text that parses as time, or numbers in a field named like a timestamp (epoch).
        const bool timeLike = any && ((allText && allTime) || (allNumber && namedTime));
        f.kind = !any        ? ColumnKind::Empty
                 : timeLike  ? ColumnKind::Timestamp
                 : allNumber ? ColumnKind::Number
                 : allBool   ? ColumnKind::Bool
                             : ColumnKind::Text;
        if (f.kind != ColumnKind::Timestamp)
            continue;
        auto fmt = detectFormat(samples);
        if (!fmt) {
            f.kind = allNumber ? ColumnKind::Number : ColumnKind::Text;
            continue;
        }
        p.timestampCandidates.push_back(int(k));
        if (p.timestampField < 0 && namedTime) {
            p.timestampField = int(k);
            p.timestampFormat = fmt.value();
        }
        if (!p.timestampFormat)
            p.timestampFormat = fmt.value();
        if (!fmt->note.empty())
            p.notes.push_back("field '" + f.path + "': " + fmt->note);
    }
    if (p.timestampField < 0) {
        if (!p.timestampCandidates.empty())
            p.notes.push_back(
                "field '" + p.fields[size_t(p.timestampCandidates.front())].path +
                "' holds timestamps but is not named like a timestamp field; choose it explicitly");
        else
            p.notes.push_back(file + ": no timestamp field in the first " + std::to_string(p.rows.size()) +
                              " lines");
    }
    for (const auto &s : p.schemaChanges)
        p.notes.push_back("schema change: " + s);
    for (const auto &m : p.malformedLines)
        p.notes.push_back("skipped: " + m);
    return p;
}

CsvPreview toCsvPreview(const JsonLinesPreview &preview)
{
    CsvPreview c;
    c.delimiter = 0;
    c.hasHeader = true;
    for (const auto &f : preview.fields) {
        c.header.push_back(f.path);
        c.columns.push_back({f.path, f.kind, f.unit, f.missing});
    }
    c.rows = preview.rows;
    c.timestampColumn = preview.timestampField;
    c.timestampCandidates = preview.timestampCandidates;
    c.timestampFormat = preview.timestampFormat;
    c.notes = preview.notes;
    return c;
}

} // namespace twin::model
