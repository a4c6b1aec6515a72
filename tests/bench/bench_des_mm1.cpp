// Discrete-event throughput: an M/M/1 queue (lambda 0.9, mu 1) for the same number of customers in the
// sim-des engine and in SimPy 2.3.1 (peers/mm1_simpy.py). Medians of several runs; events = the model's own
// events, one arrival and one departure per customer, counted the same way for both. Env: BENCH_DES_CUSTOMERS
// (default 1000000), BENCH_RUNS (default 7 for ours, peers min(3, runs)).
#include "BenchUtil.h"

#include "Engine.h"
#include "twin/model/pluginhost/PluginHost.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace {

constexpr double kLambda = 0.9, kMu = 1.0;

twin::simdes::NetworkSpec mm1(std::uint64_t customers, std::uint64_t seed)
{
    using namespace twin::simdes;
    NetworkSpec spec;
    spec.seed = seed;
    spec.sources.push_back({"arrivals", Distribution::exponential(kLambda), "server", customers});
    StationSpec st;
    st.id = "server";
    st.service = Distribution::exponential(kMu);
    st.to = "sink";
    spec.stations.push_back(st);
    spec.sinks.push_back("sink");
    return spec;
}

std::string networkConfig(std::uint64_t customers, std::uint64_t seed)
{
    char buf[512];
    std::snprintf(
        buf, sizeof buf,
        R"({"seed": %llu, "horizon": 1e300, "sources": [{"id": "arrivals", "interarrival": )"
        R"({"dist": "exponential", "rate": %g}, "to": "server", "limit": %llu}], "stations": [{"id": )"
        R"("server", "service": {"dist": "exponential", "rate": %g}, "to": "sink"}], "sinks": ["sink"]})",
        (unsigned long long)seed, kLambda, (unsigned long long)customers, kMu);
    return buf;
}

struct Row
{
    std::string name;
    std::vector<double> seconds;
    double meanW = 0;
};

void print(const Row &r, std::uint64_t customers, double peerSeconds)
{
    const double s = bench::median(r.seconds);
    std::printf("| %s | %zu | %.3f | %.2f | %.2f | %.3f | %s |\n", r.name.c_str(), r.seconds.size(), s * 1e3,
                2.0 * double(customers) / s / 1e6, double(customers) / s / 1e6, r.meanW,
                peerSeconds > 0 ? (std::to_string(int(std::lround(peerSeconds / s))) + "x").c_str() : "1x");
}

} // namespace

int main()
{
    const std::uint64_t customers = std::uint64_t(bench::envInt("BENCH_DES_CUSTOMERS", 1000000));
    const int runs = std::max(1, bench::envInt("BENCH_RUNS", 7));
    const int peerRuns = std::min(3, runs);

    // 1. The engine itself, to the last departure.
    Row engine{"sim-des Engine (in process)", {}, 0};
    for (int r = 0; r < runs; ++r) {
        twin::simdes::Engine e;
        const auto start = bench::Clock::now();
        e.build(mm1(customers, std::uint64_t(r + 1)), 0);
        e.runUntil(std::numeric_limits<double>::infinity());
        engine.seconds.push_back(bench::secondsSince(start));
        double served = 0;
        e.output("sink.count", served);
        e.output("sink.meanTime", engine.meanW);
        if (served != double(customers) || e.events() != 2 * customers) {
            std::fprintf(stderr, "engine served %g customers in %llu events\n", served,
                         (unsigned long long)e.events());
            return 1;
        }
    }

    // 2. The plugin through PluginHost (dlopen, Simulator interface), stepping 1000 time units at a time.
    Row plugin{"twin-sim-des.so via PluginHost, step(1000)", {}, 0};
    twin::model::PluginHost host;
    if (!host.scan(TWIN_PLUGIN_DIR).ok() || !host.find("twin.sim-des")) {
        std::fprintf(stderr, "twin-sim-des.so not found in %s\n", TWIN_PLUGIN_DIR);
        return 1;
    }
    for (int r = 0; r < runs; ++r) {
        auto sim = host.createSimulator("twin.sim-des");
        if (!sim.ok())
            return 1;
        const auto start = bench::Clock::now();
        if (!sim.value()->load("network", networkConfig(customers, std::uint64_t(r + 1))) ||
            !sim.value()->initialize(0))
            return 1;
        double served = 0, reached = 0;
        std::string message;
        while (served < double(customers)) {
            if (sim.value()->step(1000, reached, message) != twin::sdk::StepResult::Ok)
                return 1;
            sim.value()->getReal("sink.count", served);
        }
        plugin.seconds.push_back(bench::secondsSince(start));
        sim.value()->getReal("sink.meanTime", plugin.meanW);
    }

    // 3. SimPy 2.3.1 (Debian's python3-simpy under /usr/bin/python3).
    Row simpy{"peer: SimPy 2.3.1 (python3-simpy)", {}, 0};
    for (int r = 0; r < peerRuns; ++r) {
        std::string out;
        const auto s = bench::runPeer("/usr/bin/python3 " + bench::benchDir() + "/peers/mm1_simpy.py " +
                                          std::to_string(kLambda) + " " + std::to_string(kMu) + " " +
                                          std::to_string(customers) + " " + std::to_string(r + 1),
                                      &out);
        if (!s)
            return 1;
        simpy.seconds.push_back(*s);
        const auto pos = out.find("meanW=");
        simpy.meanW = pos == std::string::npos ? 0 : std::atof(out.c_str() + pos + 6);
    }

    const double peer = bench::median(simpy.seconds);
    std::printf(
        "M/M/1, lambda %.1f, mu %.1f (rho 0.9, mean time in system 1/(mu-lambda) = %.1f), %llu customers, "
        "%s\n\n",
        kLambda, kMu, 1 / (kMu - kLambda), (unsigned long long)customers, bench::today().c_str());
    std::printf("| case | runs | median ms | M events/s | M customers/s | mean W | vs SimPy |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    print(engine, customers, peer);
    print(plugin, customers, peer);
    print(simpy, customers, 0);
    return 0;
}
