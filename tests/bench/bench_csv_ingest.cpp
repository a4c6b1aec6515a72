// Benchmark 1: CSV -> in-memory store vs Polars (nodejs-polars readCSV) and pandas (read_csv) on
// the same generated CSV. Ours = ingestCsv into a fresh demo project's in-memory store: parse, timestamps,
// units, quality pipeline, store. Peers parse the file into a data frame with the timestamps as datetimes.
// Prints a markdown table. Env: BENCH_ROWS (default 5 000 000), BENCH_RUNS (3), BENCH_PEERS=0 skips peers.
#include "BenchUtil.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/telemetry/TelemetryIngest.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <filesystem>

using namespace twin::model;

namespace {
IngestMapping benchMapping()
{
    IngestMapping m;
    m.delimiter = ',';
    m.timestampColumn = "timestamp";
    m.timestampFormat = "iso8601";
    const auto columns = demoTelemetryColumns();
    for (size_t i = 0; i < 4; ++i)
        m.columns.push_back(
            {columns[i].column, columns[i].assetPath, columns[i].telemetry, columns[i].unit, {}, {}});
    return m;
}
} // namespace

int main()
{
    const size_t rows = size_t(bench::envInt("BENCH_ROWS", 5'000'000));
    const int runs = bench::envInt("BENCH_RUNS", 3);
    const bool peers = bench::envInt("BENCH_PEERS", 1) != 0;
    auto start = bench::Clock::now();
    const std::string csv = bench::telemetryCsv(rows);
    const double generateS = bench::secondsSince(start);
    const auto bytes = std::filesystem::file_size(csv);
    const IngestMapping mapping = benchMapping();
    const std::string dir = bench::benchDir();
    const std::string polars = "node " + dir + "/peers/polars_read_csv.mjs " + csv;
    const std::string pandas = "/usr/bin/python3 " + dir + "/peers/pandas_read_csv.py " + csv;

    std::vector<double> ours, pl, pd;
    std::uint64_t stored = 0;
    for (int run = 0; run < runs; ++run) {
        Project project;
        if (auto s = buildDemoTwin(project); !s) {
            std::fprintf(stderr, "demo twin: %s\n", s.error().c_str());
            return 1;
        }
        project.history = std::make_shared<TimeSeriesStore>();
        start = bench::Clock::now();
        auto result = ingestCsv(project, csv, mapping);
        ours.push_back(bench::secondsSince(start));
        if (!result) {
            std::fprintf(stderr, "ingest: %s\n", result.error().c_str());
            return 1;
        }
        stored = result->stored;
        if (peers) {
            if (auto s = bench::runPeer(polars))
                pl.push_back(*s);
            if (auto s = bench::runPeer(pandas))
                pd.push_back(*s);
        }
    }
    const double o = bench::median(ours), p = bench::median(pl), d = bench::median(pd);
    const double mb = double(bytes) / 1e6;
    std::printf("Input: %s, %zu rows x (ISO 8601 timestamp + 4 numeric columns), %.0f MB%s; %d runs, "
                "interleaved, medians. Samples stored by ours: %llu.\n\n",
                csv.c_str(), rows, mb, generateS > 0.5 ? " (generated now)" : " (cached)", runs,
                static_cast<unsigned long long>(stored));
    std::printf("| case | median s | M rows/s | MB/s | time vs ours |\n|---|---:|---:|---:|---:|\n");
    auto line = [&](const char *name, double s) {
        if (s > 0)
            std::printf("| %s | %.3f | %.2f | %.0f | %.2f× |\n", name, s, double(rows) / s / 1e6, mb / s,
                        s / o);
    };
    line("twin ingestCsv -> in-memory store (1 thread)", o);
    line("peer: nodejs-polars readCSV(tryParseDates)", p);
    line("peer: pandas read_csv(parse_dates)", d);
    if (p > 0 && d > 0)
        std::printf(
            "\nOurs vs Polars: **%.2f×** its speed (goal >= 1.0); vs pandas: **%.2f×** (goal >= 4).\n", p / o,
            d / o);
    return 0;
}
