#pragma once
// Shared helpers of the benchmark programs: timing, medians, the cached input files and running a peer
// process that reports its own timing ("seconds=<s>" on stdout).
#include "twin/formats/Sample.h"
#include "twin/model/demo/DemoTelemetry.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bench {
using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

inline double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

inline int envInt(const char *name, int fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

// Cache for generated inputs (kept between runs): $TWIN_BENCH_DATA or /tmp/twin-bench.
inline std::string dataDir()
{
    const char *d = std::getenv("TWIN_BENCH_DATA");
    std::string dir = d && *d ? d : "/tmp/twin-bench";
    std::filesystem::create_directories(dir);
    return dir;
}

// The tests/bench folder (peer scripts), from $TWIN_BENCH_DIR (run.sh sets it) or the source tree.
inline std::string benchDir()
{
    const char *d = std::getenv("TWIN_BENCH_DIR");
    return d && *d ? d : TWIN_BENCH_SOURCE_DIR;
}

inline std::string today()
{
    std::time_t t = std::time(nullptr);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
    return buf;
}

// Runs a shell command; returns the value after "seconds=" in its output (the peer times its own work),
// or nullopt when it failed. The whole output is kept in *output.
inline std::optional<double> runPeer(const std::string &command, std::string *output = nullptr)
{
    FILE *pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return std::nullopt;
    std::string text;
    std::array<char, 4096> buf{};
    while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe))
        text.append(buf.data(), n);
    const int rc = ::pclose(pipe);
    if (output)
        *output = text;
    const auto pos = text.rfind("seconds=");
    if (rc != 0 || pos == std::string::npos) {
        std::fprintf(stderr, "peer failed (rc %d): %s\n%s\n", rc, command.c_str(), text.c_str());
        return std::nullopt;
    }
    return std::atof(text.c_str() + pos + 8);
}

// The CSV shared by the CSV benchmarks: header `timestamp,<4 demo columns of skid 1>`, `rows` rows at 10 Hz
// from 2026-01-05T06:00:00.000Z, ISO 8601 UTC with milliseconds; values are the demo recording's skid 1
// (repeating every 2 h) with 3 decimals. Generated once; returns the path.
inline std::string telemetryCsv(size_t rows)
{
    const std::string path = dataDir() + "/telemetry-" + std::to_string(rows) + ".csv";
    if (std::filesystem::exists(path))
        return path;
    const std::string temp = path + ".part";
    FILE *f = std::fopen(temp.c_str(), "w");
    if (!f) {
        std::perror(temp.c_str());
        std::exit(2);
    }
    const auto columns = twin::model::demoTelemetryColumns();
    std::fprintf(f, "timestamp,%s,%s,%s,%s\n", columns[0].column.c_str(), columns[1].column.c_str(),
                 columns[2].column.c_str(), columns[3].column.c_str());
    const std::time_t start = std::time_t(twin::model::kDemoTelemetryStart / twin::model::kNsPerSecond);
    for (size_t r = 0; r < rows; ++r) {
        const std::time_t s = start + std::time_t(r / 10);
        std::tm tm{};
        gmtime_r(&s, &tm);
        char ts[40];
        std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
        const int second = int((r / 10) % twin::model::kDemoTelemetrySeconds);
        std::fprintf(f, "%s.%03dZ,%.3f,%.3f,%.3f,%.3f\n", ts, int(r % 10) * 100,
                     twin::model::demoTelemetryValue(0, second), twin::model::demoTelemetryValue(1, second),
                     twin::model::demoTelemetryValue(2, second), twin::model::demoTelemetryValue(3, second));
    }
    std::fclose(f);
    std::filesystem::rename(temp, path);
    return path;
}

} // namespace bench
