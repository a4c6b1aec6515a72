// JSON lines through the same mapping, quality pipeline and store as CSV (see TelemetryIngest.h).
#include "twin/formats/JsonLinesReader.h"
#include "twin/formats/TimestampParser.h"
#include "twin/model/telemetry/TelemetryIngest_p.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace twin::model {

namespace {

std::string fileNameOf(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string joined(const std::vector<std::string> &paths)
{
    std::string out;
    for (const auto &p : paths)
        out += (out.empty() ? "'" : ", '") + p + "'";
    return out;
}

// The first of /timestamp, /ts, /time present on the first object line; empty when none.
std::string detectTimestampPath(const std::string &path)
{
    auto reader = JsonLinesReader::open(path, {"/timestamp", "/ts", "/time"});
    if (!reader)
        return {};
    reader->setSkipMalformed(true);
    std::string found;
    // Stops after the first line. A file that cannot be read has no timestamp path either; the ingest that
    // follows reads it again and reports why.
    [[maybe_unused]] const Status probed = reader->read([&](const JsonLine &line) {
        const char *names[] = {"/timestamp", "/ts", "/time"};
        for (size_t i = 0; i < 3 && found.empty(); ++i)
            if (line.values[i].type == JsonField::Type::Number ||
                line.values[i].type == JsonField::Type::String)
                found = names[i];
        return false;
    });
    return found;
}

// How timestamps are read: from the field at `path`; numbers as epoch values (unit guessed unless the mapping
// names an epoch format); text in the mapping's format, else the one detected on the first text timestamp.
struct TimestampReading
{
    std::string path;
    TimeZone zone;
    TimestampFormat numeric;
    std::optional<TimestampFormat> text;
};

// The timestamp zone, format and field from the mapping; the field detected when the mapping names none.
Result<TimestampReading> timestampReading(const std::string &path, const std::string &file,
                                          const IngestMapping &mapping)
{
    auto zone = TimeZone::named(mapping.timeZone.empty() ? "UTC" : mapping.timeZone);
    if (!zone)
        return Error{"mapping timestamp zone: " + zone.error()};
    TimestampReading reading;
    reading.zone = zone.value();
    reading.numeric.kind = TimestampKind::EpochAuto;
    if (!mapping.timestampFormat.empty() && mapping.timestampFormat != "auto") {
        TimestampFormat format;
        if (!timestampFormatFromName(mapping.timestampFormat, format))
            return Error{"mapping timestamp format: unknown '" + mapping.timestampFormat + "'"};
        format.zone = zone.value();
        (format.kind >= TimestampKind::EpochSeconds && format.kind <= TimestampKind::EpochAuto
             ? reading.numeric
             : reading.text) = format;
    }
    reading.path = mapping.timestampColumn;
    if (reading.path.empty())
        reading.path = detectTimestampPath(path);
    if (reading.path.empty())
        return Error{file + ":1: no timestamp field (/timestamp, /ts or /time); name one in the mapping"};
    return reading;
}

// The time of a line's timestamp field; the text format is detected on the first text timestamp when the
// mapping names none. `ambiguous` is set for a repeated (fall-back) wall time.
Result<TimeNs> lineTime(const JsonField &ts, TimestampReading &reading, bool &ambiguous)
{
    if (ts.type == JsonField::Type::Number) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.17g", ts.number);
        return parse(buffer, reading.numeric);
    }
    if (ts.type != JsonField::Type::String)
        return Error{"missing"};
    if (!reading.text) {
        auto detected = detectFormat({ts.text});
        if (detected) {
            reading.text = detected.value();
            reading.text->zone = reading.zone;
        }
    }
    return reading.text ? parse(ts.text, *reading.text, &ambiguous) : Result<TimeNs>(Error{"unknown format"});
}

// What a mapped field holds.
enum class FieldValue
{
    Number,
    NotNumber,
    Absent,
};

// A mapped field's value: numbers and booleans, also written as text; other text, objects and arrays are not
// numbers; missing and null fields give nothing.
FieldValue fieldValue(const JsonField &f, double &value)
{
    double v = 0;
    if (f.type == JsonField::Type::Number || f.type == JsonField::Type::Bool) {
        value = f.number;
        return FieldValue::Number;
    }
    if (f.type == JsonField::Type::String &&
        (parseNumber(f.text, v) == NumberStatus::Ok || parseBool(f.text, v))) {
        value = v;
        return FieldValue::Number;
    }
    if (f.type == JsonField::Type::String || f.type == JsonField::Type::Object ||
        f.type == JsonField::Type::Array)
        return FieldValue::NotNumber;
    return FieldValue::Absent;
}

// What the file holds, read before anything is stored: a row per line with a usable timestamp.
struct ReadRows
{
    explicit ReadRows(std::size_t columns) : values(columns), badRows(columns) {}
    std::vector<TimeNs> times;
    std::vector<std::uint16_t> timeQuality;
    std::vector<std::vector<std::pair<size_t, double>>> values; // per mapped column: (row, value)
    std::vector<std::vector<size_t>> badRows;                   // per mapped column: indexes into values
    std::int64_t lines = 0;                                     // every line read, with a timestamp or not
};

// One line: its timestamp, then a value for each mapped column. Problems go to result.lineErrors; a line
// without a usable timestamp gives no row.
void takeLine(const JsonLine &line, const std::string &file, const IngestMapping &mapping,
              TimestampReading &timestamps, ReadRows &read, IngestResult &result)
{
    ++read.lines;
    const std::string where = file + ":" + std::to_string(line.line);
    const JsonField &ts = line.values[0];
    bool ambiguous = false;
    const Result<TimeNs> time = lineTime(ts, timestamps, ambiguous);
    if (!time) {
        result.lineErrors.push_back(
            where + ": timestamp '" + timestamps.path +
            "': " + (ts.type == JsonField::Type::Missing ? std::string("missing") : time.error()));
        return;
    }
    const size_t row = read.times.size();
    read.times.push_back(time.value());
    read.timeQuality.push_back(ambiguous ? QualityAmbiguousTime : QualityGood);
    if (ambiguous)
        result.ambiguousLines.push_back(line.line);
    for (size_t i = 0; i < read.values.size(); ++i) {
        const JsonField &f = line.values[i + 1];
        double v = 0;
        switch (fieldValue(f, v)) {
        case FieldValue::Number:
            read.values[i].emplace_back(row, v);
            break;
        case FieldValue::NotNumber:
            read.values[i].emplace_back(row, std::numeric_limits<double>::quiet_NaN());
            read.badRows[i].push_back(read.values[i].size() - 1);
            result.lineErrors.push_back(where + ": field '" + mapping.columns[i].column + "': '" + f.text +
                                        "' is not a number");
            break;
        case FieldValue::Absent:
            break;
        }
    }
}

// The reader's skipped lines and schema changes, named by file and line, into `result`.
void noteReaderReports(const JsonLinesReader &reader, const std::string &file, IngestResult &result)
{
    for (const std::string &skipped : reader.skippedLines())
        result.lineErrors.push_back(skipped);
    for (const JsonSchemaChange &c : reader.schemaChanges()) {
        const std::string where = file + ":" + std::to_string(c.line) + ": ";
        if (!c.added.empty())
            result.schemaChanges.push_back(where + "added " + joined(c.added));
        if (!c.removed.empty())
            result.schemaChanges.push_back(where + "removed " + joined(c.removed));
        if (!c.retyped.empty())
            result.schemaChanges.push_back(where + "retyped " + joined(c.retyped));
    }
}

// Values already stored for `key` from `first` to `last`, by source time.
std::unordered_map<TimeNs, double> storedValues(const TimeSeriesStore &store, const SignalKey &key,
                                                TimeNs first, TimeNs last)
{
    std::unordered_map<TimeNs, double> existing;
    if (auto id = store.findSignal(key))
        for (const Sample &s : store.range(*id, first, last + 1))
            existing.emplace(s.sourceTime, s.value);
    return existing;
}

// Pushes one mapped column through the pipeline in file order. A value already stored with the same time and
// value is skipped (counted in `alreadyStored`); another value at a stored time is marked a duplicate.
void feedColumn(QualityPipeline &pipeline, std::size_t signal, const IngestTarget &target,
                const ReadRows &read, std::size_t column, TimeNs ingestTime,
                const std::unordered_map<TimeNs, double> &existing, std::uint64_t &alreadyStored)
{
    const auto &values = read.values[column];
    const auto &badRows = read.badRows[column];
    size_t nextBad = 0;
    for (size_t k = 0; k < values.size(); ++k) {
        const auto [row, value] = values[k];
        Sample sample{read.times[row], ingestTime, value, read.timeQuality[row]};
        if (nextBad < badRows.size() && badRows[nextBad] == k) {
            sample.quality |= QualityBadValue;
            ++nextBad;
        }
        if (auto it = existing.find(sample.sourceTime); it != existing.end()) {
            const auto &conv = target.config.conversion;
            const double converted = conv ? conv->convert(value) : value;
            if (converted == it->second || (std::isnan(converted) && std::isnan(it->second))) {
                ++alreadyStored;
                continue;
            }
            sample.quality |= QualityDuplicate;
        }
        pipeline.push(signal, sample);
    }
}

// Adds each mapped signal and feeds its column through the quality pipeline into the project's store; the
// pipeline's reports and the stored count go to `result`.
void storeRows(Project &project, const IngestMapping &mapping, const std::vector<IngestTarget> &targets,
               const ReadRows &read, IngestResult &result)
{
    if (!project.history)
        project.history = std::make_shared<TimeSeriesStore>();
    StoreSink sink(*project.history, 8192);
    QualityPipeline pipeline(&sink);
    std::vector<std::size_t> signals;
    TimeNs first = std::numeric_limits<TimeNs>::max(), last = std::numeric_limits<TimeNs>::min();
    for (TimeNs t : read.times) {
        first = std::min(first, t);
        last = std::max(last, t);
    }
    const TimeNs ingestTime = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
    for (size_t i = 0; i < targets.size(); ++i) {
        const SignalKey key{targets[i].asset, mapping.columns[i].telemetry};
        signals.push_back(pipeline.addSignal(key, targets[i].config));
        project.history->addSignal(key, targets[i].modelUnit);
        // Samples already stored with the same time and value are not stored again (see ingestCsv).
        std::unordered_map<TimeNs, double> existing;
        if (!read.times.empty())
            existing = storedValues(*project.history, key, first, last);
        feedColumn(pipeline, signals[i], targets[i], read, i, ingestTime, existing, result.alreadyStored);
    }
    pipeline.flush();
    for (size_t i = 0; i < signals.size(); ++i) {
        result.reports.push_back(pipeline.report(signals[i], read.times.empty() ? 0 : last));
        result.stored += result.reports.back().released;
    }
}

} // namespace

Result<IngestResult> ingestJsonLines(Project &project, const std::string &path, const IngestMapping &mapping,
                                     const ProgressCallback &progress)
{
    const auto started = std::chrono::steady_clock::now();
    auto resolved = resolveIngestTargets(project, mapping);
    if (!resolved)
        return Error{resolved.error()};
    const std::vector<IngestTarget> &targets = resolved.value();
    const std::string file = fileNameOf(path);
    auto timestamps = timestampReading(path, file, mapping);
    if (!timestamps)
        return Error{timestamps.error()};

    std::vector<std::string> paths{timestamps->path};
    for (const ColumnMapping &c : mapping.columns)
        paths.push_back(c.column);
    auto reader = JsonLinesReader::open(path, paths);
    if (!reader)
        return Error{reader.error()};
    reader->setSkipMalformed(true);

    // 1. Read the whole file; nothing is stored yet.
    IngestResult result;
    ReadRows read(targets.size());
    auto status = reader->read(
        [&](const JsonLine &line) {
            takeLine(line, file, mapping, *timestamps, read, result);
            return true;
        },
        progress);
    if (!status)
        return Error{status.error()};
    noteReaderReports(*reader, file, result);

    // 2. Through the quality pipeline into the store, in file order.
    storeRows(project, mapping, targets, read, result);
    result.file = path;
    result.rows = size_t(read.lines);
    result.timestampFormat = timestamps->text ? timestamps->text->describe() : timestamps->numeric.describe();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace twin::model
