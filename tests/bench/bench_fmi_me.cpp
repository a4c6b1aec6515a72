// Model exchange vs co-simulation of the same FMU: the Modelica Association's Reference BouncingBall (FMI 3,
// both interfaces) over its default experiment (3 s, output every 0.01 s), run in process through
// FmiSimulator as co-simulation (the FMU's own fixed-step Euler inside, 1 ms) and as model exchange with our
// CVODE and DOPRI5 at rtol 1e-6 and 1e-9. Reports median wall time of interleaved repetitions and the largest
// error in h against the exact piecewise-parabolic solution up to t = 2.4 s (before the ball comes to rest).
// Needs ../shared/data (the Reference FMUs); says so and exits 0 without it.
#include "BenchUtil.h"
#include "FmiSimulator.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

// h(t) of the ball dropped from 1 m (g = -9.81, e = 0.7), before the ball rests.
double exactHeight(double t)
{
    const double g = 9.81, e = 0.7;
    double t0 = 0, h0 = 1, v0 = 0;
    for (;;) {
        // time to reach the floor from (h0, v0) going up with v0
        const double hit = (v0 + std::sqrt(v0 * v0 + 2 * g * h0)) / g;
        if (t <= t0 + hit)
            return h0 + v0 * (t - t0) - 0.5 * g * (t - t0) * (t - t0);
        v0 = e * g * hit - e * v0; // speed at impact times e
        t0 += hit;
        h0 = 0;
    }
}

struct Case
{
    const char *label, *config;
};

} // namespace

int main()
{
    const std::string fmu = std::string(TWIN_SHARED_DATA) + "/fmu/reference-fmus/fmi3/BouncingBall.fmu";
    if (!std::filesystem::exists(fmu)) {
        std::printf(
            "bench_fmi_me: %s is missing (../shared/data exists only in the team's workplace); skipped\n",
            fmu.c_str());
        return 0;
    }
    const std::vector<Case> cases = {
        {"co-simulation (the FMU's Euler, 1 ms)", ""},
        {"model exchange, CVODE, rtol 1e-6",
         ", \"interface\": \"me\", \"solver\": \"cvode\", \"tolerance\": 1e-6"},
        {"model exchange, DOPRI5, rtol 1e-6",
         ", \"interface\": \"me\", \"solver\": \"dopri5\", \"tolerance\": 1e-6"},
        {"model exchange, CVODE, rtol 1e-9",
         ", \"interface\": \"me\", \"solver\": \"cvode\", \"tolerance\": 1e-9"},
        {"model exchange, DOPRI5, rtol 1e-9",
         ", \"interface\": \"me\", \"solver\": \"dopri5\", \"tolerance\": 1e-9"},
    };
    const int reps = bench::envInt("BENCH_FMI_ME_REPS", 7);
    std::vector<std::vector<double>> seconds(cases.size());
    std::vector<double> worst(cases.size(), 0);
    for (int rep = 0; rep < reps; ++rep)
        for (std::size_t c = 0; c < cases.size(); ++c) {
            twin::fmi::FmiSimulator sim;
            const auto t0 = bench::Clock::now();
            if (!sim.load("", "{\"fmu\": \"" + fmu + "\"" + cases[c].config + "}") || !sim.initialize(0)) {
                std::fprintf(stderr, "%s: cannot start\n", cases[c].label);
                return 1;
            }
            double t = 0, worstHere = 0;
            for (int i = 1; i <= 300; ++i) {
                double reached = 0, h = 0;
                std::string message;
                if (sim.step(0.01, reached, message) != twin::sdk::StepResult::Ok || !sim.getReal("h", h)) {
                    std::fprintf(stderr, "%s: step failed at t=%g: %s\n", cases[c].label, t, message.c_str());
                    return 1;
                }
                t = reached;
                if (t <= 2.4)
                    worstHere = std::max(worstHere, std::abs(h - exactHeight(t)));
            }
            seconds[c].push_back(bench::secondsSince(t0));
            worst[c] = worstHere;
        }
    std::printf(
        "Run %s\n\nReference BouncingBall (FMI 3), 3 s with outputs every 0.01 s, in process; %d repetitions "
        "interleaved\n\n| run | median ms | min ms | max error in h to t = 2.4 s (m) | vs co-simulation |\n"
        "|---|---|---|---|---|\n",
        bench::today().c_str(), reps);
    const double base = bench::median(seconds[0]);
    for (std::size_t c = 0; c < cases.size(); ++c)
        std::printf("| %s | %.2f | %.2f | %.1e | %.2fx |\n", cases[c].label, bench::median(seconds[c]) * 1e3,
                    *std::min_element(seconds[c].begin(), seconds[c].end()) * 1e3, worst[c],
                    bench::median(seconds[c]) / base);
    return 0;
}
