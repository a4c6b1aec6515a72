#pragma once
// What happens next: from the twin's state at a time (default: its newest data), the asset's bound model runs
// forward over a horizon, many times, with parameters drawn from the covariance of its newest approved
// calibration (correlated normal draws, clamped to the calibration bounds) and the measured inputs held at
// their last value. The result is a band (5 / 50 / 95 % per time) for each bound output, for each alarm of
// the asset's rules that compares a forecast output with a number the time until it is crossed (median and
// 5-95 % over the runs that cross it), and, where the history holds the horizon (a hindcast), the forecast's
// skill against persistence (the last value held). Runs go to the worker processes.
#include "twin/formats/Sample.h"
#include "twin/util/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace twin::model {
struct Project;
}

namespace twin::model::forecast {

struct ForecastRequest
{
    std::string asset;
    double horizonSeconds = 1800;
    std::size_t runs = 100;
    std::uint64_t seed = 1;
    std::optional<TimeNs> at; // the start; none: the newest sample of the asset
    // The input assumption: empty holds the measured inputs at their last value; a what-if scenario's name
    // applies its overrides (a step of the current, a valve command) from the forecast's start instead.
    std::string scenario;
    std::string pluginDir, projectDir, workerPath;
    int workers = 2;
};

struct Band
{
    std::string name; // the twin telemetry ("windingTemperature")
    std::vector<double> p05, p50, p95;
};

struct TimeToThreshold
{
    std::string alarm, telemetry;
    bool above = true;
    double limit = 0;
    std::size_t crossed = 0;          // runs that cross it within the horizon (of `runs`)
    double p05 = 0, p50 = 0, p95 = 0; // seconds from the start, over the runs that cross
};

struct Skill
{
    std::string name;
    std::size_t points = 0;
    double rmseForecast = 0, rmsePersistence = 0;
    double lift = 0; // 1 - rmseForecast / rmsePersistence: > 0 is better than persistence
};

struct Forecast
{
    TimeNs start = 0;
    std::vector<double> times; // seconds from the start
    std::vector<Band> bands;
    std::vector<TimeToThreshold> thresholds;
    std::vector<Skill> skill;
    std::string
        parameters; // where the draws came from ("evidence ...#0002: R_th, tau"; or why there were none)
    std::size_t runs = 0, failed = 0;
    std::vector<std::string> warnings;
};

// Errors: unknown asset, no model bound, no data to start from, every run failed (with the first message).
Result<Forecast> forecastAsset(const Project &project, const ForecastRequest &request);

} // namespace twin::model::forecast
