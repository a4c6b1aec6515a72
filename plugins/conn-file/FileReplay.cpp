// The two readers behind FileConnector: CSV (CsvReader + CsvPreview) and JSON lines (JsonLinesReader).
#include "FileConnector.h"

#include "twin/formats/CsvPreview.h"
#include "twin/formats/JsonLinesReader.h"

#include <chrono>
#include <cstdio>

namespace twin::connfile {

namespace {

sdk::TimeNs nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The configured format (zone applied); nullopt for "auto".
std::optional<model::TimestampFormat> configuredFormat(const FileConfig &c)
{
    model::TimestampFormat format;
    if (c.timestampFormat == "auto" || !model::timestampFormatFromName(c.timestampFormat, format))
        return std::nullopt;
    if (auto zone = model::TimeZone::named(c.timeZone))
        format.zone = zone.value();
    return format;
}

const std::string *signalFor(const FileConfig &c, const std::string &field)
{
    auto it = c.mappings.find(field);
    return it == c.mappings.end() ? nullptr : &it->second;
}

} // namespace

sdk::Status replayCsv(FileConnector &connector)
{
    const FileConfig &c = connector.config();
    model::CsvOptions options;
    options.delimiter = c.delimiter;
    auto preview = model::previewCsv(c.file, 100, options);
    if (!preview)
        return sdk::Status::error(preview.error());
    int tsColumn = preview->timestampColumn;
    if (!c.timestamp.empty()) {
        tsColumn = -1;
        for (size_t i = 0; i < preview->header.size(); ++i)
            if (preview->header[i] == c.timestamp)
                tsColumn = int(i);
        if (tsColumn < 0)
            return sdk::Status::error(connector.fileName() + ":1: no column '" + c.timestamp +
                                      "' (config 'timestampField')");
    }
    for (size_t i = 0; i < preview->header.size() && tsColumn < 0; ++i) // named like one, some cells bad
        if (model::isTimestampColumnName(preview->header[i]))
            tsColumn = int(i);
    if (tsColumn < 0)
        return sdk::Status::error(connector.fileName() + ":1: no timestamp column found; name one with "
                                                         "'timestampField'");
    std::optional<model::TimestampFormat> format = configuredFormat(c);
    if (!format) {
        std::vector<std::string> samples;
        for (const auto &row : preview->rows)
            if (size_t(tsColumn) < row.size())
                samples.push_back(row[size_t(tsColumn)]);
        auto detected = model::detectFormat(samples);
        if (!detected)
            return sdk::Status::error(connector.fileName() + ":1: column " + std::to_string(tsColumn) + " '" +
                                      preview->header[size_t(tsColumn)] + "': " + detected.error());
        format = detected.value();
        if (auto zone = model::TimeZone::named(c.timeZone))
            format->zone = zone.value();
    }
    options.delimiter = preview->delimiter;
    options.header = preview->hasHeader ? model::CsvOptions::Header::Yes : model::CsvOptions::Header::No;
    auto reader = model::CsvReader::open(c.file, options);
    if (!reader)
        return sdk::Status::error(reader.error());
    const auto &header = reader->header();
    struct Column
    {
        bool emit = false;
        std::string signal;
    };
    std::vector<Column> columns(header.size());
    for (size_t i = 0; i < header.size(); ++i) {
        const std::string *signal = signalFor(c, header[i]);
        columns[i].emit = int(i) != tsColumn && (signal || c.emitUnmapped);
        columns[i].signal = signal ? *signal : std::string();
    }
    const std::string source = connector.fileName();
    FileConnector::Row row;
    auto status = reader->read([&](const model::CsvRow &r) {
        const std::string_view tsText = r[size_t(tsColumn)];
        auto time = model::parse(tsText, *format);
        if (!time) {
            connector.problem(reader->where(r.line, tsColumn) + ": " + time.error());
            return true;
        }
        row.time = time.value();
        row.records.clear();
        const sdk::TimeNs received = nowNs();
        for (size_t i = 0; i < r.count && i < columns.size(); ++i) {
            if (!columns[i].emit)
                continue;
            double value = 0;
            sdk::RawRecord rec{source, header[i], columns[i].signal, 0.0, row.time, received};
            const auto parsed = model::parseNumber(r[i], value);
            if (parsed == model::NumberStatus::Missing)
                continue;
            if (parsed == model::NumberStatus::Ok || model::parseBool(r[i], value))
                rec.value = value;
            else
                rec.value = std::string(r[i]);
            row.records.push_back(std::move(rec));
        }
        return connector.emit(row);
    });
    if (!status && status.error() != model::kCancelled)
        return sdk::Status::error(status.error());
    return sdk::Status::ok();
}

sdk::Status replayJsonLines(FileConnector &connector)
{
    const FileConfig &c = connector.config();
    const std::string source = connector.fileName();
    // First object line: the timestamp path when not configured, and the fields to emit when none are named.
    std::string tsPath = c.timestamp.empty() ? std::string() : model::toJsonPointer(c.timestamp);
    if (!c.timestamp.empty() && tsPath.empty())
        return sdk::Status::error("config 'timestampField': bad JSON path '" + c.timestamp + "'");
    std::vector<std::string> fields;
    for (const auto &[field, signal] : c.mappings)
        fields.push_back(model::toJsonPointer(field));
    for (const auto &f : c.fields)
        fields.push_back(model::toJsonPointer(f));
    {
        const std::vector<std::string> candidates{"/timestamp", "/ts", "/time"};
        auto probe = model::JsonLinesReader::open(c.file, candidates);
        if (!probe)
            return sdk::Status::error(probe.error());
        probe->setSkipMalformed(true);
        const Status probed = probe->read([&](const model::JsonLine &line) {
            for (size_t i = 0; i < candidates.size() && tsPath.empty(); ++i)
                if (line.values[i].type == model::JsonField::Type::Number ||
                    line.values[i].type == model::JsonField::Type::String)
                    tsPath = candidates[i];
            if (fields.empty() && c.emitUnmapped)
                for (const auto &p : line.leafPaths)
                    if (p != tsPath)
                        fields.push_back(p);
            return false; // the first line is enough
        });
        if (!probed && probed.error() != model::kCancelled)
            return sdk::Status::error(probed.error());
    }
    if (tsPath.empty())
        return sdk::Status::error(source + ":1: no timestamp field (/timestamp, /ts or /time); name one with "
                                           "'timestampField'");
    std::vector<std::string> paths{tsPath};
    std::vector<std::string> signals;
    for (const auto &f : fields) {
        if (f.empty() || f == tsPath)
            continue;
        std::string signal;
        for (const auto &[field, s] : c.mappings)
            if (model::toJsonPointer(field) == f)
                signal = s;
        paths.push_back(f);
        signals.push_back(signal);
    }
    auto reader = model::JsonLinesReader::open(c.file, paths);
    if (!reader)
        return sdk::Status::error(reader.error());
    reader->setSkipMalformed(true);
    model::TimestampFormat numeric;
    numeric.kind = model::TimestampKind::EpochAuto;
    std::optional<model::TimestampFormat> text;
    if (auto given = configuredFormat(c)) {
        const bool epoch = given->kind >= model::TimestampKind::EpochSeconds &&
                           given->kind <= model::TimestampKind::EpochAuto;
        (epoch ? numeric : text.emplace()) = *given;
    }
    FileConnector::Row row;
    auto status = reader->read([&](const model::JsonLine &line) {
        const std::string where = source + ":" + std::to_string(line.line);
        const model::JsonField &ts = line.values[0];
        twin::Result<model::TimeNs> time = twin::Error{"missing"};
        if (ts.type == model::JsonField::Type::Number) {
            char buffer[64];
            std::snprintf(buffer, sizeof buffer, "%.17g", ts.number);
            time = model::parse(buffer, numeric);
        } else if (ts.type == model::JsonField::Type::String) {
            if (!text)
                if (auto detected = model::detectFormat({ts.text})) {
                    text = detected.value();
                    if (auto zone = model::TimeZone::named(c.timeZone))
                        text->zone = zone.value();
                }
            time = text ? model::parse(ts.text, *text)
                        : twin::Result<model::TimeNs>(twin::Error{"unknown format"});
        }
        if (!time) {
            connector.problem(where + ": timestamp '" + tsPath + "': " + time.error());
            return true;
        }
        row.time = time.value();
        row.records.clear();
        const sdk::TimeNs received = nowNs();
        for (size_t i = 1; i < paths.size(); ++i) {
            const model::JsonField &f = line.values[i];
            sdk::RawRecord rec{source, paths[i], signals[i - 1], 0.0, row.time, received};
            if (f.type == model::JsonField::Type::Number || f.type == model::JsonField::Type::Bool)
                rec.value = f.number;
            else if (f.type == model::JsonField::Type::String)
                rec.value = f.text;
            else
                continue;
            row.records.push_back(std::move(rec));
        }
        return connector.emit(row);
    });
    for (const std::string &skipped : reader->skippedLines())
        connector.problem(skipped);
    if (!status && status.error() != model::kCancelled)
        return sdk::Status::error(status.error());
    return sdk::Status::ok();
}

} // namespace twin::connfile
