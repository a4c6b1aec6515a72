// Plot decimation of 10 M points (goal: >= 1 G samples/s/core). Prints a markdown table.
// The peer is a plain single pass over the same columns (min/max/first/last per bucket, no precomputed
// summaries), run in the same process on the same data.
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

using namespace twin::model;
using Clock = std::chrono::steady_clock;

namespace {
double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Naive reference: one pass, bucket index from the time.
double naive(const std::vector<TimeNs> &t, const std::vector<double> &v, TimeNs t0, TimeNs t1,
             std::size_t buckets)
{
    std::vector<double> mn(buckets, INFINITY), mx(buckets, -INFINITY);
    const double scale = double(buckets) / double(t1 - t0);
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] < t0 || t[i] >= t1)
            continue;
        const auto k = std::min(buckets - 1, std::size_t(double(t[i] - t0) * scale));
        mn[k] = v[i] < mn[k] ? v[i] : mn[k];
        mx[k] = v[i] > mx[k] ? v[i] : mx[k];
    }
    double sum = 0;
    for (std::size_t k = 0; k < buckets; ++k)
        sum += mn[k] + mx[k];
    return sum;
}
} // namespace

int main()
{
    constexpr std::size_t n = 10'000'000;
    std::mt19937_64 rng(42);
    std::normal_distribution<double> noise(0, 1);
    std::vector<TimeNs> times(n);
    std::vector<double> values(n);
    TimeNs t = 1'700'000'000 * kNsPerSecond;
    double walk = 0;
    for (std::size_t i = 0; i < n; ++i) {
        t += 1'000'000 + TimeNs(rng() % 1000); // ~1 kHz with jitter
        walk += noise(rng);
        times[i] = t;
        values[i] = walk;
    }
    TimeSeriesStore store;
    const SignalId id = store.addSignal(SignalKey{1, "signal"});
    std::vector<Sample> batch(n);
    for (std::size_t i = 0; i < n; ++i)
        batch[i] = Sample{times[i], 0, values[i], QualityGood};
    auto start = Clock::now();
    store.append(id, batch);
    const double appendS = secondsSince(start);
    const TimeNs t0 = times.front(), t1 = times.back() + 1;

    std::printf("| query (10 M points) | buckets | store median ms | store G samples/s | single-pass peer "
                "median ms | peer "
                "G samples/s "
                "|\n|---|---|---|---|---|---|\n");
    double sink = 0;
    for (std::size_t buckets : {100, 1000, 2000, 4000, 100000, 1000000}) {
        // Median of 7 for both, interleaved.
        std::vector<double> ours, peer;
        for (int rep = 0; rep < 7; ++rep) {
            start = Clock::now();
            const auto out = store.decimate(id, t0, t1, buckets);
            ours.push_back(secondsSince(start));
            sink += out[buckets / 2].max;
            start = Clock::now();
            sink += naive(times, values, t0, t1, buckets);
            peer.push_back(secondsSince(start));
        }
        std::sort(ours.begin(), ours.end());
        std::sort(peer.begin(), peer.end());
        const double best = ours[3], bestPeer = peer[3];
        std::printf("| full range | %zu | %.2f | %.1f | %.1f | %.2f |\n", buckets, best * 1e3,
                    double(n) / best / 1e9, bestPeer * 1e3, double(n) / bestPeer / 1e9);
    }
    std::printf("\nappend of 10 M samples in order: %.0f ms (%.0f M samples/s); checksum %g\n", appendS * 1e3,
                double(n) / appendS / 1e6, sink);
    return 0;
}
