#pragma once
// The twin's own health, per asset and rolled up the hierarchy: is its data fresh (age of the last sample,
// its usual period, the p95 source -> ingest lag), is it good (samples flagged by data quality), does its
// model hold (calibration status), do its what-ifs run (the last run of each scenario on it). A parent's
// level is the worst of its own and its descendants', with counts. twinctl health prints it; --json gives it
// all.
#include "twin/formats/Sample.h"
#include "twin/model/graph/Asset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace twin::model {
struct Project;
}

namespace twin::model::health {

enum class HealthLevel
{
    Ok = 0,
    Unknown, // nothing to judge by (no data, no calibration, no scenario)
    Warning,
    Bad,
};
const char *levelName(HealthLevel level);

struct SignalHealth
{
    std::string telemetry;
    std::uint64_t samples = 0;
    TimeNs last = 0;
    double ageSeconds = 0;    // from the last sample to the reference time
    double periodSeconds = 0; // the median spacing of its recent samples
    double lagP95Seconds = 0; // source time -> ingest time of its recent samples (imports: when imported)
    std::uint64_t bad = 0;    // recent samples flagged bad (out of range, bad value, out of order, ...)
    std::uint64_t recent = 0; // samples looked at for period, lag and quality (the newest, at most 1000)
    bool stale = false;       // older than max(10 periods, 60 s)
};

struct AssetHealth
{
    AssetId id = kNoAsset;
    std::string path;
    HealthLevel own = HealthLevel::Unknown;   // from this asset's own signals, calibration and scenarios
    HealthLevel level = HealthLevel::Unknown; // rolled up: the worst of own and the descendants'
    std::vector<std::string> reasons;         // own, one line each
    std::vector<SignalHealth> telemetry;
    std::string calibration; // the calibration status line, "" when none
    std::string drift; // its kept detector over the last hour: "no alarm since ...", "alarm since ...", ""
    // Does its model still follow the plant: per telemetry with shadow-simulation residuals
    // (<telemetry>_residual, shadow/Shadow.h) over the last modelWindowSeconds, the residual RMSE and bias,
    // and where its calibration has acceptance criteria for that telemetry, whether they still hold there.
    std::string model;
    std::string lastRun;              // the newest scenario run on it: "NAME at TIME: outcome", "" when none
    int failedRuns = 0;               // scenarios whose last run on it did not complete
    int ok = 0, warning = 0, bad = 0; // this asset and its descendants, by own level
};

struct HealthOptions
{
    TimeNs now = 0;                   // the reference time; 0: the newest sample in the project
    double badShareWarning = 0.05;    // share of recent samples flagged bad that makes a warning
    double driftWindowSeconds = 3600; // how far back a kept detector looks (not before its training ends)
    double modelWindowSeconds = 3600; // how far back shadow residuals are judged
};

struct TwinHealth
{
    TimeNs now = 0;                  // the reference time used
    std::vector<AssetHealth> assets; // every asset, in the tree's depth-first order
};

TwinHealth twinHealth(const Project &project, const HealthOptions &options = {});
std::string healthJson(const TwinHealth &health);

} // namespace twin::model::health
