#include "twin/model/telemetry/TelemetryIngest.h"

#include "twin/formats/CsvPreview.h"
#include "twin/formats/Units.h"
#include "twin/model/telemetry/CsvSeries.h"
#include "twin/model/telemetry/TelemetryIngest_p.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

namespace twin::model {
using nlohmann::json;

namespace {
const std::string kMappingPrefix = "mapping:";

std::string lower(std::string s)
{
    for (char &c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
// Why a mapped column did not come out as numbers: absent, or the first cell that is not a number.
std::string explainMissingColumn(const std::string &path, const CsvOptions &options,
                                 const std::string &column)
{
    auto reader = CsvReader::open(path, options);
    if (!reader)
        return reader.error();
    int index = -1;
    for (size_t i = 0; i < reader->header().size(); ++i)
        if (reader->header()[i] == column)
            index = int(i);
    if (index < 0)
        return path + ": no column '" + column + "' (named in the mapping)";
    std::string problem;
    const Status read = reader->read([&](const CsvRow &row) {
        const std::string_view cell = row[size_t(index)];
        double value = 0;
        if (parseNumber(cell, value) == NumberStatus::Invalid && !parseBool(cell, value)) {
            problem = reader->where(row.line, index) + ": '" + std::string(cell) + "' is not a number";
            return false;
        }
        return true;
    });
    if (!read && read.error() != kCancelled && problem.empty())
        problem = read.error();
    return problem.empty() ? path + ": column '" + column + "' holds no numbers" : problem;
}
} // namespace

Result<IngestMapping> ingestMappingFromJson(const std::string &text)
{
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return Error{"mapping: not a JSON object"};
    IngestMapping m;
    try {
        const std::string delimiter = j.value("delimiter", "");
        m.delimiter = delimiter == "\\t" ? '\t' : delimiter.empty() ? 0 : delimiter[0];
        if (j.contains("timestamp")) {
            m.timestampColumn = j["timestamp"].value("column", "");
            m.timestampFormat = j["timestamp"].value("format", "auto");
            m.timeZone = j["timestamp"].value("zone", "UTC");
        }
        m.reorderWatermarkS = j.value("reorderWatermark", 0.0);
        const json &columns = j.at("columns");
        for (size_t i = 0; i < columns.size(); ++i) {
            const json &c = columns[i];
            ColumnMapping cm;
            cm.column = c.at("column").get<std::string>();
            cm.assetPath = c.at("asset").get<std::string>();
            cm.telemetry = c.at("telemetry").get<std::string>();
            cm.unit = c.value("unit", "");
            if (c.contains("min"))
                cm.minimum = c["min"].get<double>();
            if (c.contains("max"))
                cm.maximum = c["max"].get<double>();
            m.columns.push_back(std::move(cm));
        }
    } catch (const json::exception &e) {
        return Error{std::string("mapping: ") + e.what()};
    }
    return m;
}

std::string ingestMappingToJson(const IngestMapping &m)
{
    json j{
        {"delimiter", m.delimiter == '\t' ? std::string("\\t")
                      : m.delimiter       ? std::string(1, m.delimiter)
                                          : ""},
        {"timestamp", {{"column", m.timestampColumn}, {"format", m.timestampFormat}, {"zone", m.timeZone}}},
        {"reorderWatermark", m.reorderWatermarkS},
        {"columns", json::array()}};
    for (const auto &c : m.columns) {
        json cj{{"column", c.column}, {"asset", c.assetPath}, {"telemetry", c.telemetry}, {"unit", c.unit}};
        if (c.minimum)
            cj["min"] = *c.minimum;
        if (c.maximum)
            cj["max"] = *c.maximum;
        j["columns"].push_back(cj);
    }
    return j.dump(2);
}

IngestMapping suggestMapping(const Project &project, const CsvPreview &preview)
{
    IngestMapping m;
    m.delimiter = preview.delimiter;
    if (preview.timestampColumn >= 0 && size_t(preview.timestampColumn) < preview.header.size())
        m.timestampColumn = preview.header[size_t(preview.timestampColumn)];
    m.timestampFormat = "auto";
    // Candidate targets: every (asset, telemetry); a column matches when its name contains the asset's tag or
    // name and the telemetry name, or only the telemetry name when that is unique in the project.
    struct Target
    {
        std::string path, telemetry, tag, unit;
    };
    std::vector<Target> targets;
    for (AssetId id : project.graph.allIds()) {
        const Asset &a = *project.graph.find(id);
        std::string tag;
        if (auto it = a.properties.find("tag"); it != a.properties.end())
            tag = lower(valueToString(it->second));
        for (const auto *t : project.types.telemetry(a.typeId))
            targets.push_back({project.graph.path(id), t->name, tag, t->unit});
    }
    auto strip = [](std::string s) {
        std::string out;
        for (char c : lower(std::move(s)))
            if (std::isalnum(static_cast<unsigned char>(c)))
                out += c;
        return out;
    };
    for (size_t i = 0; i < preview.columns.size(); ++i) {
        const auto &col = preview.columns[i];
        if (int(i) == preview.timestampColumn ||
            (col.kind != ColumnKind::Number && col.kind != ColumnKind::Bool))
            continue;
        const std::string name = strip(col.name);
        const Target *best = nullptr;
        int bestScore = 0;
        for (const Target &t : targets) {
            int score = 0;
            if (name.find(strip(t.telemetry)) != std::string::npos)
                score += 2;
            if (!t.tag.empty() && name.find(strip(t.tag)) != std::string::npos)
                score += 3;
            if (!col.unit.empty() && quantityKind(col.unit) == quantityKind(t.unit))
                score += 1;
            if (score > bestScore) {
                bestScore = score;
                best = &t;
            }
        }
        if (best && bestScore >= 3)
            m.columns.push_back({col.name, best->path, best->telemetry, col.unit, {}, {}});
    }
    return m;
}

void saveMapping(Project &project, const std::string &name, const IngestMapping &mapping)
{
    project.meta[kMappingPrefix + name] = ingestMappingToJson(mapping);
}

std::vector<std::string> savedMappingNames(const Project &project)
{
    std::vector<std::string> out;
    for (auto it = project.meta.lower_bound(kMappingPrefix);
         it != project.meta.end() && it->first.rfind(kMappingPrefix, 0) == 0; ++it)
        out.push_back(it->first.substr(kMappingPrefix.size()));
    return out;
}

std::optional<IngestMapping> savedMapping(const Project &project, const std::string &name)
{
    auto it = project.meta.find(kMappingPrefix + name);
    if (it == project.meta.end())
        return std::nullopt;
    auto m = ingestMappingFromJson(it->second);
    return m ? std::optional<IngestMapping>(m.value()) : std::nullopt;
}

Result<std::vector<IngestTarget>> resolveIngestTargets(const Project &project, const IngestMapping &mapping)
{
    std::map<std::string, AssetId> byPath;
    for (AssetId id : project.graph.allIds())
        byPath[project.graph.path(id)] = id;
    std::vector<IngestTarget> targets;
    for (size_t i = 0; i < mapping.columns.size(); ++i) {
        const ColumnMapping &c = mapping.columns[i];
        const std::string where = "mapping columns[" + std::to_string(i) + "] '" + c.column + "'";
        auto it = byPath.find(c.assetPath);
        if (it == byPath.end())
            return Error{where + ": no asset at path '" + c.assetPath + "'"};
        const Asset &asset = *project.graph.find(it->second);
        const TelemetryDescriptor *descriptor = nullptr;
        for (const auto *t : project.types.telemetry(asset.typeId))
            if (t->name == c.telemetry)
                descriptor = t;
        if (!descriptor)
            return Error{where + ": " + asset.typeId + " has no telemetry '" + c.telemetry + "'"};
        IngestTarget target{it->second, {}, descriptor->unit};
        target.config.reorderWatermark = TimeNs(mapping.reorderWatermarkS * double(kNsPerSecond));
        target.config.min = c.minimum ? c.minimum : descriptor->minimum;
        target.config.max = c.maximum ? c.maximum : descriptor->maximum;
        if (!c.unit.empty() && !descriptor->unit.empty()) {
            auto conversion = model::conversion(c.unit, descriptor->unit);
            if (!conversion)
                return Error{where + ": " + conversion.error()};
            if (!conversion->isIdentity())
                target.config.conversion = SampleConversion::linear(conversion->factor, conversion->offset,
                                                                    c.unit + " -> " + descriptor->unit);
        }
        targets.push_back(std::move(target));
    }
    return targets;
}

bool isJsonLinesPath(const std::string &path)
{
    const auto dot = path.find_last_of('.');
    const std::string ext = dot == std::string::npos ? std::string() : lower(path.substr(dot));
    return ext == ".jsonl" || ext == ".ndjson" || ext == ".json";
}

Result<IngestResult> ingestCsv(Project &project, const std::string &path, const IngestMapping &mapping,
                               const ProgressCallback &progress)
{
    const auto started = std::chrono::steady_clock::now();
    if (isJsonLinesPath(path))
        return ingestJsonLines(project, path, mapping, progress);
    // 1. The mapping must fit the project before anything is read.
    auto resolved = resolveIngestTargets(project, mapping);
    if (!resolved)
        return Error{resolved.error()};
    const std::vector<IngestTarget> &targets = resolved.value();
    // 2. Read and parse the whole file (errors name file, line and column); nothing is stored yet.
    CsvImportOptions options;
    options.csv.delimiter = mapping.delimiter;
    auto preview = previewCsv(path, 50, options.csv);
    if (!preview)
        return Error{preview.error()};
    if (!mapping.timestampColumn.empty()) {
        for (size_t i = 0; i < preview->header.size(); ++i)
            if (preview->header[i] == mapping.timestampColumn)
                options.timestampColumn = int(i);
        if (options.timestampColumn < 0)
            return Error{path + ": no column '" + mapping.timestampColumn +
                         "' (the mapping's timestamp column)"};
    }
    auto zone = TimeZone::named(mapping.timeZone.empty() ? "UTC" : mapping.timeZone);
    if (!zone)
        return Error{"mapping timestamp zone: " + zone.error()};
    options.zone = zone.value();
    if (!mapping.timestampFormat.empty() && mapping.timestampFormat != "auto") {
        TimestampFormat format;
        if (!timestampFormatFromName(mapping.timestampFormat, format))
            return Error{"mapping timestamp format: unknown '" + mapping.timestampFormat + "'"};
        format.zone = zone.value();
        options.timestampFormat = format;
    }
    auto series = readCsvSeries(path, options, progress);
    if (!series)
        return Error{series.error()};
    std::vector<const CsvValueColumn *> columns;
    for (const ColumnMapping &c : mapping.columns) {
        const CsvValueColumn *found = nullptr;
        for (const auto &col : series->columns)
            if (col.name == c.column)
                found = &col;
        if (!found)
            return Error{explainMissingColumn(path, options.csv, c.column)};
        columns.push_back(found);
    }
    // 3. Through the quality pipeline into the store.
    if (!project.history)
        project.history = std::make_shared<TimeSeriesStore>();
    StoreSink sink(*project.history, 8192); // spans: one store lock per 8192 samples; flushed below
    QualityPipeline pipeline(&sink);
    std::vector<std::size_t> signals;
    for (size_t i = 0; i < targets.size(); ++i) {
        signals.push_back(
            pipeline.addSignal({targets[i].asset, mapping.columns[i].telemetry}, targets[i].config));
        project.history->addSignal({targets[i].asset, mapping.columns[i].telemetry}, targets[i].modelUnit);
    }
    const TimeNs ingestTime = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
    const size_t rows = series->rows();
    // Samples already in the store (a file imported twice, overlapping exports): the same time and value is
    // dropped, the same time with another value is kept and flagged as a duplicate.
    std::vector<std::unordered_map<TimeNs, double>> existing(columns.size());
    if (rows > 0)
        for (size_t i = 0; i < columns.size(); ++i)
            if (auto id = project.history->findSignal({targets[i].asset, mapping.columns[i].telemetry}))
                for (const Sample &s :
                     project.history->range(*id, series->times.front(), series->times.back() + 1))
                    existing[i].emplace(s.sourceTime, s.value);
    IngestResult result;
    // Column by column: signals are independent in the pipeline, and each pass reads its arrays in order.
    for (size_t i = 0; i < columns.size(); ++i)
        for (size_t r = 0; r < rows; ++r) {
            Sample sample{series->times[r], ingestTime, columns[i]->values[r], series->quality[r]};
            if (!existing[i].empty()) {
                auto it = existing[i].find(sample.sourceTime);
                if (it != existing[i].end()) {
                    const double converted = targets[i].config.conversion
                                                 ? targets[i].config.conversion->convert(sample.value)
                                                 : sample.value;
                    if (converted == it->second || (std::isnan(converted) && std::isnan(it->second))) {
                        ++result.alreadyStored;
                        continue;
                    }
                    sample.quality |= QualityDuplicate;
                }
            }
            pipeline.push(signals[i], sample);
        }
    pipeline.flush();
    result.file = path;
    result.rows = rows;
    for (size_t i = 0; i < signals.size(); ++i) {
        result.reports.push_back(pipeline.report(signals[i], rows ? series->times[rows - 1] : 0));
        result.stored += result.reports.back().released;
    }
    result.ambiguousLines = series->ambiguousLines;
    result.backwardLines = series->backwardLines;
    result.duplicateTimes = series->duplicateTimes;
    result.timestampFormat = series->format.describe();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace twin::model
