#pragma once
// Shared between the CSV and JSON-lines paths of TelemetryIngest (not part of the public API).
#include "twin/model/telemetry/TelemetryIngest.h"

namespace twin::model {

struct IngestTarget
{
    AssetId asset;
    SignalQualityConfig config;
    std::string modelUnit;
};

// One target per mapping column, in order; errors name the mapping entry.
Result<std::vector<IngestTarget>> resolveIngestTargets(const Project &project, const IngestMapping &mapping);
// .jsonl, .ndjson and .json (any case) are JSON lines.
bool isJsonLinesPath(const std::string &path);

} // namespace twin::model
