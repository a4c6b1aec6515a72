// Benchmark 4: replay + state derivation over 5 M stored samples vs the same rules in DuckDB SQL.
// Data: the demo's 16 pump/motor signals (skids 1-4) at 1 Hz, the 2-hour demo recording repeated (one
// cavitation / overheat / trip episode on skid 2 every 2 h), 5 M samples in all. Ours = ReplayEngine +
// StateEngine with demoRuleSets() over an in-memory store (1 thread). Peer = peers/duckdb_states.mjs on the
// same samples (loaded from a CSV before timing). Env: BENCH_SAMPLES (5 000 000), BENCH_RUNS (3).
#include "BenchUtil.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/replay/ReplayEngine.h"
#include "twin/model/state/StateEngine.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <filesystem>
#include <map>
#include <thread>

using namespace twin::model;

int main()
{
    const size_t samples = size_t(bench::envInt("BENCH_SAMPLES", 5'000'000));
    const int runs = bench::envInt("BENCH_RUNS", 3);
    Project project;
    if (auto s = buildDemoTwin(project); !s)
        return std::fprintf(stderr, "demo twin: %s\n", s.error().c_str()), 1;
    std::map<std::string, AssetId> byPath;
    for (AssetId id : project.graph.allIds())
        byPath[project.graph.path(id)] = id;
    const auto columns = demoTelemetryColumns();
    constexpr size_t kSignals = 16; // flow, pressure, current, winding of skids 1-4
    const int seconds = int(samples / kSignals);

    // The store (signal order = column order: the replay's tie order) and the peer's CSV.
    auto store = std::make_shared<TimeSeriesStore>();
    std::vector<SignalId> ids;
    for (size_t c = 0; c < kSignals; ++c)
        ids.push_back(
            store->addSignal({byPath.at(columns[c].assetPath), columns[c].telemetry}, columns[c].unit));
    const std::string csv = bench::dataDir() + "/replay-" + std::to_string(samples) + ".csv";
    const bool writeCsv = !std::filesystem::exists(csv);
    FILE *f = writeCsv ? std::fopen((csv + ".part").c_str(), "w") : nullptr;
    if (f)
        std::fprintf(f, "asset,type,seq,t,signal,v\n");
    std::vector<Sample> batch(static_cast<size_t>(seconds));
    for (size_t c = 0; c < kSignals; ++c) {
        const AssetId asset = byPath.at(columns[c].assetPath);
        const char *type =
            columns[c].telemetry == "flow" || columns[c].telemetry == "dischargePressure" ? "pump" : "motor";
        for (int s = 0; s < seconds; ++s) {
            const double v = demoTelemetryValue(c, s % kDemoTelemetrySeconds);
            batch[size_t(s)] = Sample{kDemoTelemetryStart + TimeNs(s) * kNsPerSecond, 0, v, QualityGood};
            if (f)
                std::fprintf(f, "%llu,%s,%zu,%d,%s,%.17g\n", static_cast<unsigned long long>(asset), type, c,
                             s, columns[c].telemetry.c_str(), v);
        }
        store->append(ids[c], batch);
    }
    if (f) {
        std::fclose(f);
        std::filesystem::rename(csv + ".part", csv);
    }
    project.history = store;

    std::vector<double> ours, peer;
    size_t changes = 0, alarms = 0;
    std::string peerOut;
    const std::string peerCmd = "node " + bench::benchDir() + "/peers/duckdb_states.mjs " + csv;
    for (int run = 0; run < runs; ++run) {
        auto engine = StateEngine::create(project, demoRuleSets());
        if (!engine)
            return std::fprintf(stderr, "rules: %s\n", engine.error().c_str()), 1;
        auto start = bench::Clock::now();
        ReplayEngine replay(*store, **engine);
        const std::uint64_t fed = replay.advanceTo(replay.end());
        ours.push_back(bench::secondsSince(start));
        if (fed != size_t(seconds) * kSignals)
            return std::fprintf(stderr, "replay fed %llu samples\n", static_cast<unsigned long long>(fed)), 1;
        changes = (*engine)->changes().size();
        alarms = (*engine)->alarms().size();
        if (auto s = bench::runPeer(peerCmd, &peerOut))
            peer.push_back(*s);
    }
    const double n = double(seconds) * kSignals;
    const double o = bench::median(ours), p = bench::median(peer);
    std::printf("Samples: %.0f (16 signals x %d s at 1 Hz), 8 assets with rules; %d runs, interleaved, "
                "medians.\n\n",
                n, seconds, runs);
    std::printf(
        "| case | median s | M samples/s | M samples/s/core | state changes |\n|---|---:|---:|---:|---:|\n");
    std::printf(
        "| twin ReplayEngine + StateEngine (1 thread; %zu alarms raised too) | %.3f | %.2f | %.2f | %zu |\n",
        alarms, o, n / o / 1e6, n / o / 1e6, changes);
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    if (p > 0) {
        const auto pos = peerOut.find("changes=");
        const long peerChanges = pos == std::string::npos ? -1 : std::atol(peerOut.c_str() + pos + 8);
        std::printf("| peer: DuckDB SQL (window functions + recursive CTE, %d threads) | %.3f | %.2f | %.2f "
                    "| %ld |\n",
                    cores, p, n / p / 1e6, n / p / 1e6 / cores, peerChanges);
        std::printf("\nOurs vs DuckDB: **%.2f×** faster (goal >= 5); per core: %.2f×.\n", p / o,
                    cores * p / o);
    }
    return 0;
}
