// FMI step overhead: the decay model y' = -k*y (each step integrated exactly, y *= exp(-k*h)) as a native
// in-process Simulator and as an FMU (tests/fmus decay2/decay3) loaded in process by the FMI backend
// (FmiSimulator: dlopen, fmi2DoStep/fmi3DoStep + fmi2GetReal/fmi3GetFloat64), both driven the same way
// through the Simulator interface: step(h) then getReal("y") per communication step. Also the FMU through the
// worker process (SimulationRunner, rows streamed back over the socket), reported separately. Env:
// BENCH_FMI_STEPS (default 2,000,000), BENCH_RUNS (default 7).
#include "FmiSimulator.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

class NativeDecay final : public twin::sdk::Simulator
{
public:
    twin::sdk::SimCapability capabilities() const override { return twin::sdk::SimCapability::FixedStep; }
    std::vector<twin::sdk::ModelInfo> models(const std::string &) override { return {}; }
    twin::sdk::Status load(const std::string &, const std::string &) override
    {
        return twin::sdk::Status::ok();
    }
    twin::sdk::Status setReal(const std::string &name, double value) override
    {
        if (name == "k")
            m_k = value;
        else if (name == "y0")
            m_y0 = value;
        else if (name == "substeps")
            m_substeps = int(value);
        else
            return twin::sdk::Status::error("no variable " + name);
        return twin::sdk::Status::ok();
    }
    twin::sdk::Status initialize(double start) override
    {
        m_t = start;
        m_y = m_y0;
        return twin::sdk::Status::ok();
    }
    twin::sdk::StepResult step(double dt, double &reached, std::string &) override
    {
        if (cancelRequested.load(std::memory_order_relaxed))
            return twin::sdk::StepResult::Cancelled;
        if (m_substeps > 0) { // the same RK4 as tests/fmus/decay_fmi2.c
            const double h = dt / m_substeps, k = m_k;
            double y = m_y;
            for (int i = 0; i < m_substeps; ++i) {
                const double k1 = -k * y, k2 = -k * (y + 0.5 * h * k1), k3 = -k * (y + 0.5 * h * k2),
                             k4 = -k * (y + h * k3);
                y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
            }
            m_y = y;
        } else {
            m_y *= std::exp(-m_k * dt);
        }
        reached = m_t += dt;
        return twin::sdk::StepResult::Ok;
    }
    twin::sdk::Status getReal(const std::string &name, double &value) const override
    {
        if (name != "y")
            return twin::sdk::Status::error("no variable " + name);
        value = m_y;
        return twin::sdk::Status::ok();
    }
    void terminate() override {}

private:
    double m_t = 0, m_y = 1, m_y0 = 1, m_k = 1;
    int m_substeps = 0;
};

int envInt(const char *name, int fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// Returns seconds for `steps` steps; checks the result against the analytic solution.
double drive(twin::sdk::Simulator &sim, long steps, double h, int substeps)
{
    sim.setReal("k", 0.001);
    if (substeps > 0)
        sim.setReal("substeps", substeps);
    if (!sim.initialize(0)) {
        std::fprintf(stderr, "initialize failed\n");
        std::exit(1);
    }
    double y = 0, reached = 0, sum = 0;
    std::string message;
    const auto start = Clock::now();
    for (long i = 0; i < steps; ++i) {
        if (sim.step(h, reached, message) != twin::sdk::StepResult::Ok) {
            std::fprintf(stderr, "step failed: %s\n", message.c_str());
            std::exit(1);
        }
        sim.getReal("y", y);
        sum += y;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (std::fabs(y - std::exp(-0.001 * h * double(steps))) > 1e-9 || sum <= 0) {
        std::fprintf(stderr, "wrong result %g\n", y);
        std::exit(1);
    }
    sim.terminate();
    return seconds;
}

} // namespace

int main()
{
    const long steps = envInt("BENCH_FMI_STEPS", 2000000);
    const int runs = envInt("BENCH_RUNS", 7);
    const double h = 1e-3;
    const std::string bin = TWIN_BINARY_DIR;
    struct Row
    {
        std::string name;
        double nsPerStep;
        std::size_t base; // the native row it is compared with
    };
    std::vector<Row> rows;

    std::size_t nativeRow = 0;
    for (const int substeps : {0, 20}) {
        const std::string work = substeps ? "RK4, 20 substeps per step" : "exact step, y *= exp(-k h)";
        std::vector<double> native;
        for (int r = 0; r < runs; ++r) {
            NativeDecay sim;
            native.push_back(drive(sim, steps, h, substeps));
        }
        nativeRow = rows.size();
        rows.push_back(
            {"native C++ Simulator (in process), " + work, median(native) / double(steps) * 1e9, 0});
        rows.back().base = nativeRow;
        for (const char *fmu : {"decay2", "decay3"}) {
            if (substeps && fmu[5] == '3')
                continue; // only the FMI 2 model has the substeps parameter
            std::vector<double> times;
            for (int r = 0; r < runs; ++r) {
                twin::fmi::FmiSimulator sim;
                const std::string config = "{\"fmu\": \"" + bin + "/tests/fmus/" + fmu + ".fmu\"}";
                if (const auto loaded = sim.load("", config); !loaded) {
                    std::fprintf(stderr, "%s\n", loaded.message().c_str());
                    return 1;
                }
                times.push_back(drive(sim, steps, h, substeps));
            }
            rows.push_back(
                {std::string(fmu) + ".fmu in process (FMI " + (fmu[5] == '2' ? "2" : "3") + "), " + work,
                 median(times) / double(steps) * 1e9, nativeRow});
        }
    }
    // Through the worker process: total wall time of the run (start-up, load, stream rows) per step.
    std::vector<double> worker;
    for (int r = 0; r < std::min(runs, 3); ++r) {
        twin::model::sim::SimulationJob job;
        job.pluginDir = bin + "/plugins";
        job.pluginId = "twin.sim-fmi";
        job.config = "{\"fmu\": \"" + bin + "/tests/fmus/decay2.fmu\"}";
        job.label = "decay2.fmu";
        job.stop = h * double(steps);
        job.step = h;
        job.parameters = {{"k", 0.001}};
        twin::model::sim::SimulationRunner runner(bin + "/bin/twin-simworker");
        const auto start = Clock::now();
        const auto result = runner.run(job);
        worker.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        if (!result.ok() || result.rows.size() != std::size_t(steps + 1)) {
            std::fprintf(stderr, "worker run failed: %s (%zu rows)\n", result.message.c_str(),
                         result.rows.size());
            return 1;
        }
    }
    rows.push_back({"decay2.fmu through twin-simworker (whole run incl. start-up, rows streamed back)",
                    median(worker) / double(steps) * 1e9, 0});

    std::printf("### FMI step overhead, %ld steps of h=%g, median of %d runs (worker: %d)\n", steps, h, runs,
                std::min(runs, 3));
    std::printf("| case | ns per step (step + get y) | vs native |\n|---|---|---|\n");
    for (const auto &row : rows)
        std::printf("| %s | %.1f | %.2f× |\n", row.name.c_str(), row.nsPerStep,
                    row.nsPerStep / rows[row.base].nsPerStep);
    return 0;
}
