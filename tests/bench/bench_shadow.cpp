// Shadow simulation speed (docs/benchmarks.md, "Shadow simulation"): the demo's four pumps (sim-ode pump
// station driven by their measured speed) shadowed over the demo's two hours of history in chunks of 60 s,
// each chunk a job on a kept worker going on from the state the last one saved, against the peer: the same
// plans run as one unbroken job each on the same kind of worker. Interleaved repetitions; medians, minimums.
// What it says: how many times faster than real time the shadow keeps up, and what chunking costs.
// Env: BENCH_SHADOW_REPS (default 7), BENCH_SHADOW_CHUNK (seconds, default 60).
#include "BenchUtil.h"

#include "twin/model/calibration/ProjectCalibration.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/shadow/Shadow.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace twin::model;

namespace {

const std::string kBin = TWIN_BINARY_DIR;
const TimeNs kFrom = 1767592800LL * kNsPerSecond; // 2026-01-05T06:00:00Z
const TimeNs kTo = kFrom + 2 * 3600 * kNsPerSecond;

} // namespace

int main()
{
    std::printf("Run %s\n\n", bench::today().c_str());
    Project project;
    if (auto s = buildDemoTwin(project); !s) {
        std::fprintf(stderr, "demo: %s\n", s.error().c_str());
        return 1;
    }
    const int reps = bench::envInt("BENCH_SHADOW_REPS", 7);
    const double chunk = bench::envInt("BENCH_SHADOW_CHUNK", 60);
    std::vector<std::string> pumps;
    for (int i = 1; i <= 4; ++i)
        pumps.push_back("Riverside site/Pump station PS-1/Skid " + std::to_string(i) + "/Pump P-10" +
                        std::to_string(i));
    shadow::ShadowRequest base;
    base.window = {kFrom, kTo};
    base.chunkSeconds = chunk;
    base.pluginDir = kBin + "/plugins";
    base.workerPath = kBin + "/bin/twin-simworker";
    // The peer's plans, made once (planning is common to both and not timed in either).
    std::vector<sim::SimulationJob> whole;
    for (const auto &pump : pumps) {
        calibration::CalibrationDefinition d;
        d.asset = pump;
        d.windows = {base.window};
        auto plan = calibration::planModelData(project, d, base.pluginDir);
        if (!plan) {
            std::fprintf(stderr, "%s\n", plan.error().c_str());
            return 1;
        }
        whole.push_back(plan->problem.job);
    }
    std::vector<double> shadowTimes, unbrokenTimes;
    std::size_t chunks = 0, points = 0;
    for (int rep = 0; rep < reps; ++rep) {
        std::vector<std::unique_ptr<shadow::ShadowSession>> sessions;
        for (const auto &pump : pumps) {
            shadow::ShadowRequest r = base;
            r.asset = pump;
            auto s = shadow::ShadowSession::open(project, r);
            if (!s) {
                std::fprintf(stderr, "%s\n", s.error().c_str());
                return 1;
            }
            sessions.push_back(std::move(*s));
        }
        auto t0 = bench::Clock::now();
        chunks = points = 0;
        for (auto &s : sessions) {
            if (auto ok = s->advanceTo(kTo); !ok) {
                std::fprintf(stderr, "%s\n", ok.error().c_str());
                return 1;
            }
            chunks += s->chunks();
            for (const auto &o : s->outputs())
                points += o.time.size();
        }
        shadowTimes.push_back(bench::secondsSince(t0));
        sim::SimulationRunner runner(base.workerPath);
        runner.setReuse(true);
        t0 = bench::Clock::now();
        for (const auto &job : whole)
            if (const auto r = runner.run(job); !r.ok()) {
                std::fprintf(stderr, "%s\n", r.message.c_str());
                return 1;
            }
        unbrokenTimes.push_back(bench::secondsSince(t0));
    }
    const double span = double(kTo - kFrom) / double(kNsPerSecond) * double(pumps.size());
    const double ms = bench::median(shadowTimes), mu = bench::median(unbrokenTimes);
    const double minS = *std::min_element(shadowTimes.begin(), shadowTimes.end()),
                 minU = *std::min_element(unbrokenTimes.begin(), unbrokenTimes.end());
    std::printf(
        "Shadow simulation: %zu pumps x 2 h of history, chunks of %.0f s (%zu chunks, %zu observations "
        "compared), %d repetitions interleaved\n\n",
        pumps.size(), chunk, chunks, points, reps);
    std::printf("| run | median s | min s | x real time (median) |\n|---|---|---|---|\n");
    std::printf("| shadow, chunk by chunk from saved states | %.3f | %.3f | %.0f |\n", ms, minS, span / ms);
    std::printf("| peer: one unbroken job per pump | %.3f | %.3f | %.0f |\n", mu, minU, span / mu);
    std::printf(
        "\nshadow / unbroken = %.2f by medians, %.2f by minimums; per chunk %.2f ms over the unbroken "
        "run\n",
        ms / mu, minS / minU, (ms - mu) / double(chunks) * 1e3);
    return 0;
}
