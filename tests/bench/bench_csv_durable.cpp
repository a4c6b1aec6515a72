// Benchmark 2: CSV -> durable project store vs `sqlite3 .import` of the same file into a table.
// Ours = ingestCsv into a fresh demo project + saveProject to a .twin file (temp file, fsync, rename, fsync
// of the folder). Peer = the sqlite3 shell importing the CSV into a new database (one transaction, default
// synchronous=FULL), timed around the process. Env: BENCH_ROWS (5 000 000), BENCH_RUNS (3).
#include "BenchUtil.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/telemetry/TelemetryIngest.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <filesystem>

using namespace twin::model;
namespace fs = std::filesystem;

int main()
{
    const size_t rows = size_t(bench::envInt("BENCH_ROWS", 5'000'000));
    const int runs = bench::envInt("BENCH_RUNS", 3);
    const std::string csv = bench::telemetryCsv(rows);
    const std::string dir = bench::dataDir();
    const std::string twin = dir + "/durable.twin", db = dir + "/durable-peer.db";
    IngestMapping mapping;
    mapping.delimiter = ',';
    mapping.timestampColumn = "timestamp";
    mapping.timestampFormat = "iso8601";
    const auto columns = demoTelemetryColumns();
    for (size_t i = 0; i < 4; ++i)
        mapping.columns.push_back(
            {columns[i].column, columns[i].assetPath, columns[i].telemetry, columns[i].unit, {}, {}});

    std::vector<double> ours, ingest, save, peer;
    std::uintmax_t twinBytes = 0, dbBytes = 0;
    for (int run = 0; run < runs; ++run) {
        fs::remove(twin);
        Project project;
        if (auto s = buildDemoTwin(project); !s)
            return std::fprintf(stderr, "demo twin: %s\n", s.error().c_str()), 1;
        project.history = std::make_shared<TimeSeriesStore>();
        auto start = bench::Clock::now();
        auto result = ingestCsv(project, csv, mapping);
        if (!result)
            return std::fprintf(stderr, "ingest: %s\n", result.error().c_str()), 1;
        const double ingestS = bench::secondsSince(start);
        if (auto s = saveProject(captureProject(project), twin); !s)
            return std::fprintf(stderr, "save: %s\n", s.error().c_str()), 1;
        ours.push_back(bench::secondsSince(start));
        ingest.push_back(ingestS);
        save.push_back(ours.back() - ingestS);
        twinBytes = fs::file_size(twin);

        fs::remove(db);
        start = bench::Clock::now();
        const int rc = std::system(("sqlite3 " + db + " '.mode csv' '.import " + csv + " samples'").c_str());
        const double peerS = bench::secondsSince(start);
        if (rc != 0)
            return std::fprintf(stderr, "sqlite3 .import failed (%d)\n", rc), 1;
        peer.push_back(peerS);
        dbBytes = fs::file_size(db);
    }
    fs::remove(db);
    const double o = bench::median(ours), p = bench::median(peer);
    std::printf("Input: %s (%zu rows, 4 value columns; %.0f MB); %d runs, interleaved, medians.\n\n",
                csv.c_str(), rows, double(fs::file_size(csv)) / 1e6, runs);
    std::printf("| case | median s | M rows/s | file MB |\n|---|---:|---:|---:|\n");
    std::printf("| twin ingestCsv + saveProject (.twin, fsync'd) | %.3f | %.2f | %.0f |\n", o,
                double(rows) / o / 1e6, double(twinBytes) / 1e6);
    std::printf("| &nbsp;&nbsp;of which ingestCsv / saveProject | %.3f / %.3f | | |\n", bench::median(ingest),
                bench::median(save));
    std::printf("| peer: sqlite3 .import into a table | %.3f | %.2f | %.0f |\n", p, double(rows) / p / 1e6,
                double(dbBytes) / 1e6);
    std::printf("\nOurs vs sqlite3 .import: **%.2f×** faster (goal >= 8).\n", p / o);
    return 0;
}
