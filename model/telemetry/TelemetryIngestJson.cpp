// JSON lines through the same mapping, quality pipeline and store as CSV (see TelemetryIngest.h).
#include "telemetry/JsonLinesReader.h"
#include "telemetry/TelemetryIngest_p.h"
#include "telemetry/TimeSeriesStore.h"
#include "telemetry/TimestampParser.h"

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
    reader->read([&](const JsonLine &line) {
        const char *names[] = {"/timestamp", "/ts", "/time"};
        for (size_t i = 0; i < 3 && found.empty(); ++i)
            if (line.values[i].type == JsonField::Type::Number ||
                line.values[i].type == JsonField::Type::String)
                found = names[i];
        return false;
    });
    return found;
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

    auto zone = TimeZone::named(mapping.timeZone.empty() ? "UTC" : mapping.timeZone);
    if (!zone)
        return Error{"mapping timestamp zone: " + zone.error()};
    TimestampFormat numericFormat;
    numericFormat.kind = TimestampKind::EpochAuto;
    std::optional<TimestampFormat> textFormat;
    if (!mapping.timestampFormat.empty() && mapping.timestampFormat != "auto") {
        TimestampFormat format;
        if (!timestampFormatFromName(mapping.timestampFormat, format))
            return Error{"mapping timestamp format: unknown '" + mapping.timestampFormat + "'"};
        format.zone = zone.value();
        (format.kind >= TimestampKind::EpochSeconds && format.kind <= TimestampKind::EpochAuto ? numericFormat
                                                                                               : textFormat) =
            format;
    }
    std::string timestampPath = mapping.timestampColumn;
    if (timestampPath.empty())
        timestampPath = detectTimestampPath(path);
    if (timestampPath.empty())
        return Error{file + ":1: no timestamp field (/timestamp, /ts or /time); name one in the mapping"};

    std::vector<std::string> paths{timestampPath};
    for (const ColumnMapping &c : mapping.columns)
        paths.push_back(c.column);
    auto reader = JsonLinesReader::open(path, paths);
    if (!reader)
        return Error{reader.error()};
    reader->setSkipMalformed(true);

    // 1. Read the whole file; nothing is stored yet.
    IngestResult result;
    std::vector<TimeNs> times;
    std::vector<std::uint16_t> timeQuality;
    std::vector<std::vector<std::pair<size_t, double>>> values(targets.size()); // (row, value)
    std::vector<std::vector<size_t>> badRows(targets.size());
    std::int64_t rows = 0;
    auto status = reader->read(
        [&](const JsonLine &line) {
            ++rows;
            const std::string where = file + ":" + std::to_string(line.line);
            const JsonField &ts = line.values[0];
            Result<TimeNs> time = Error{"missing"};
            bool ambiguous = false;
            if (ts.type == JsonField::Type::Number) {
                char buffer[64];
                std::snprintf(buffer, sizeof buffer, "%.17g", ts.number);
                time = parse(buffer, numericFormat);
            } else if (ts.type == JsonField::Type::String) {
                if (!textFormat) {
                    auto detected = detectFormat({ts.text});
                    if (detected) {
                        textFormat = detected.value();
                        textFormat->zone = zone.value();
                    }
                }
                time = textFormat ? parse(ts.text, *textFormat, &ambiguous)
                                  : Result<TimeNs>(Error{"unknown format"});
            }
            if (!time) {
                result.lineErrors.push_back(
                    where + ": timestamp '" + timestampPath +
                    "': " + (ts.type == JsonField::Type::Missing ? std::string("missing") : time.error()));
                return true;
            }
            const size_t row = times.size();
            times.push_back(time.value());
            timeQuality.push_back(ambiguous ? QualityAmbiguousTime : QualityGood);
            if (ambiguous)
                result.ambiguousLines.push_back(line.line);
            for (size_t i = 0; i < targets.size(); ++i) {
                const JsonField &f = line.values[i + 1];
                double v = 0;
                if (f.type == JsonField::Type::Number || f.type == JsonField::Type::Bool) {
                    values[i].emplace_back(row, f.number);
                } else if (f.type == JsonField::Type::String &&
                           (parseNumber(f.text, v) == NumberStatus::Ok || parseBool(f.text, v))) {
                    values[i].emplace_back(row, v);
                } else if (f.type == JsonField::Type::String || f.type == JsonField::Type::Object ||
                           f.type == JsonField::Type::Array) {
                    values[i].emplace_back(row, std::numeric_limits<double>::quiet_NaN());
                    badRows[i].push_back(values[i].size() - 1);
                    result.lineErrors.push_back(where + ": field '" + mapping.columns[i].column + "': '" +
                                                f.text + "' is not a number");
                }
            }
            return true;
        },
        progress);
    if (!status)
        return Error{status.error()};
    for (const std::string &skipped : reader->skippedLines())
        result.lineErrors.push_back(skipped);
    for (const JsonSchemaChange &c : reader->schemaChanges()) {
        const std::string where = file + ":" + std::to_string(c.line) + ": ";
        if (!c.added.empty())
            result.schemaChanges.push_back(where + "added " + joined(c.added));
        if (!c.removed.empty())
            result.schemaChanges.push_back(where + "removed " + joined(c.removed));
        if (!c.retyped.empty())
            result.schemaChanges.push_back(where + "retyped " + joined(c.retyped));
    }

    // 2. Through the quality pipeline into the store, in file order.
    if (!project.history)
        project.history = std::make_shared<TimeSeriesStore>();
    StoreSink sink(*project.history, 8192);
    QualityPipeline pipeline(&sink);
    std::vector<std::size_t> signals;
    TimeNs first = std::numeric_limits<TimeNs>::max(), last = std::numeric_limits<TimeNs>::min();
    for (TimeNs t : times) {
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
        if (!times.empty())
            if (auto id = project.history->findSignal(key))
                for (const Sample &s : project.history->range(*id, first, last + 1))
                    existing.emplace(s.sourceTime, s.value);
        size_t nextBad = 0;
        for (size_t k = 0; k < values[i].size(); ++k) {
            const auto [row, value] = values[i][k];
            Sample sample{times[row], ingestTime, value, timeQuality[row]};
            if (nextBad < badRows[i].size() && badRows[i][nextBad] == k) {
                sample.quality |= QualityBadValue;
                ++nextBad;
            }
            if (auto it = existing.find(sample.sourceTime); it != existing.end()) {
                const auto &conv = targets[i].config.conversion;
                const double converted = conv ? conv->convert(value) : value;
                if (converted == it->second || (std::isnan(converted) && std::isnan(it->second))) {
                    ++result.alreadyStored;
                    continue;
                }
                sample.quality |= QualityDuplicate;
            }
            pipeline.push(signals[i], sample);
        }
    }
    pipeline.flush();
    result.file = path;
    result.rows = size_t(rows);
    for (size_t i = 0; i < signals.size(); ++i) {
        result.reports.push_back(pipeline.report(signals[i], times.empty() ? 0 : last));
        result.stored += result.reports.back().released;
    }
    result.timestampFormat = textFormat ? textFormat->describe() : numericFormat.describe();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace twin::model
