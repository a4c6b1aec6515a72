// A Monte Carlo sweep of the demo's "baseline" what-if (Pump P-101 on sim-ode "pumpstation", 600 s
// at 1 s steps, speed ~ normal(1400, 50) rpm, seed 1) on 1 and on 2 worker processes, the same runs. Reports
// runs/s, the parallel speed-up, and checks that both give identical KPIs. Env: BENCH_MC_RUNS (default 1000).
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/scenario/Sweep.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

using namespace twin::model;
using namespace twin::model::scenario;

int main()
{
    const char *env = std::getenv("BENCH_MC_RUNS");
    const std::size_t runs = env ? std::size_t(std::atoll(env)) : 1000;
    Project project;
    project.history = std::make_shared<TimeSeriesStore>();
    if (auto s = buildDemoTwin(project); !s) {
        std::fprintf(stderr, "demo: %s\n", s.error().c_str());
        return 1;
    }
    ExecutorOptions options;
    options.pluginDir = TWIN_PLUGIN_DIR;
    options.workerPath = std::string(TWIN_BINARY_DIR) + "/bin/twin-simworker";
    const auto def = findScenario(project, "baseline");
    auto base = planScenario(project, *def, def->targets.front(), options.pluginDir);
    if (!base) {
        std::fprintf(stderr, "plan: %s\n", base.error().c_str());
        return 1;
    }
    const auto variants = monteCarloVariants({parseDistribution("speed=normal(1400,50)").value()}, runs, 1);
    const auto plans = variantPlans(base.value(), variants, true);
    ScenarioExecutor executor(options);
    std::printf("%zu runs of %s (%g s of model time at %g s steps, %zu KPIs each), %u hardware threads\n\n",
                runs, def->name.c_str(), def->horizon, def->step, def->kpis.size(),
                std::thread::hardware_concurrency());
    std::printf("| workers | runs | completed | seconds | runs/s | speed-up |\n|---|---|---|---|---|---|\n");
    double oneWorker = 0;
    std::vector<ScenarioRunResult> reference;
    bool identical = true;
    for (int workers : {1, 2}) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto results = executor.runMany(plans.value(), workers);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::size_t ok = 0;
        for (const auto &r : results)
            ok += r.ok();
        if (workers == 1) {
            oneWorker = s;
            reference = results;
        } else {
            for (std::size_t i = 0; i < results.size(); ++i)
                for (std::size_t k = 0; k < results[i].kpis.size(); ++k)
                    identical = identical && results[i].kpis[k].value == reference[i].kpis[k].value;
        }
        std::printf("| %d | %zu | %zu | %.2f | %.1f | %.2f× |\n", workers, runs, ok, s, double(runs) / s,
                    oneWorker / s);
        if (ok != runs) {
            for (const auto &r : results)
                if (!r.ok()) {
                    std::fprintf(stderr, "first failure: %s\n", r.message.c_str());
                    break;
                }
            return 1;
        }
    }
    std::printf("\nKPIs identical on 1 and 2 workers: %s\n", identical ? "yes" : "NO");
    return identical ? 0 : 1;
}
