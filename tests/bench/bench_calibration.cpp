// Calibration speed (docs/benchmarks.md, "Calibration"):
//  1. ODE calibration, 3 parameters x 1800 residuals (the sim-ode motor, two outputs, stepped load): our
//     calibrate() on one kept worker process vs the same Ceres fit calling the compiled model in this
//     process (the floor: our overhead is process + IPC), vs scipy least_squares (trf) over solve_ivp on the
//     same model and data (peers/calibrate_scipy.py), each several times, interleaved; same optimum checked.
//  2. FMU calibration of the demo's Motor M-103 (its stored definition, 7200 s at 1 s, 200-draw band):
//     model runs per second on 1 and 2 workers.
//  3. Sobol indices with ~10 000 runs of the M-103 model over 10 minutes on 2 workers: runs/s and the share
//     of time spent starting worker processes (kept workers: a few starts, measured start cost).
// Arguments: the parts to run (runs ode fmu sobol; default all). Env: BENCH_CAL_FIT_IN_WORKER=0 (FMU part:
// the solver here, never in the worker), BENCH_CAL_REPS (default 5), BENCH_SOBOL_N (default 2000: N (p + 2) =
// 10 000 runs).
#include "BenchUtil.h"

#include "OdeSimulator.h"

#include "twin/model/calibration/CalibrationRun.h"
#include "twin/model/calibration/Calibrator.h"
#include "twin/model/calibration/ProjectSensitivity.h"
#include "twin/model/demo/DemoTwin.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <thread>

namespace cal = twin::model::calibration;
namespace sim = twin::model::sim;
using nlohmann::json;

namespace {
const std::string kBin = TWIN_BINARY_DIR;
const std::string kWorker = kBin + "/bin/twin-simworker";
const double kTruth[3] = {0.9, 3e4, 0.04}; // eta, Cth, Rth

sim::SimulationJob motorJob()
{
    sim::SimulationJob job;
    job.pluginDir = kBin + "/plugins";
    job.pluginId = "twin.sim-ode";
    job.modelId = "motor";
    job.config = R"({"solver": "dopri5", "rtol": 1e-8, "atol": 1e-10})";
    job.start = 0;
    job.stop = 3600;
    job.step = 4; // 900 points per output; the load steps (1200 s, 2400 s) fall on the grid
    job.inputs.time = {0, 1199.999, 1200, 2399.999, 2400, 3600};
    job.inputs.columns = {{"Pshaft", {20e3, 20e3, 45e3, 45e3, 10e3, 10e3}}};
    job.outputs = {"T", "I"};
    return job;
}

// The sim-ode motor in this process: the same worker loop (inputs at each step's start, then one step).
cal::Evaluation inProcess(const cal::CalibrationProblem &problem, const std::vector<double> &p)
{
    cal::Evaluation e;
    twin::simode::OdeSimulator s;
    const sim::SimulationJob &job = problem.job;
    if (!s.load(job.modelId, job.config))
        return e;
    for (std::size_t j = 0; j < p.size(); ++j)
        (void)s.setReal(problem.parameters[j].name, p[j]);
    auto power = [&](double t) { return t < 1200 ? 20e3 : t < 2400 ? 45e3 : 10e3; };
    (void)s.setReal("Pshaft", power(0));
    if (!s.initialize(0))
        return e;
    e.outputs.assign(2, {});
    double t = 0;
    std::size_t next = 0;
    const auto &times = problem.outputs[0].time;
    while (next < times.size()) {
        (void)s.setReal("Pshaft", power(t));
        double reached = t;
        std::string message;
        if (s.step(job.step, reached, message) != twin::sdk::StepResult::Ok)
            return e;
        t = reached;
        if (std::abs(t - times[next]) < 1e-6) {
            double T = 0, I = 0;
            (void)s.getReal("T", T);
            (void)s.getReal("I", I);
            e.outputs[0].push_back(T);
            e.outputs[1].push_back(I);
            ++next;
        }
    }
    e.ok = true;
    return e;
}

cal::CalibrationProblem motorProblem()
{
    sim::SimulationJob truth = motorJob();
    truth.parameters = {{"eta", kTruth[0]}, {"Cth", kTruth[1]}, {"Rth", kTruth[2]}};
    sim::SimulationRunner runner(kWorker);
    const auto run = runner.run(truth);
    if (!run.ok()) {
        std::fprintf(stderr, "truth run failed: %s\n", run.message.c_str());
        std::exit(1);
    }
    cal::CalibrationProblem problem;
    problem.job = motorJob();
    problem.parameters = {
        {"eta", 0.5, 0.99, 0.8, {}, {}}, {"Cth", 1e3, 1e6, 1e4, {}, {}}, {"Rth", 1e-3, 1, 0.1, {}, {}}};
    std::mt19937 random(11);
    for (std::size_t c = 1; c <= 2; ++c) {
        double mean = 0, sq = 0;
        for (const auto &row : run.rows)
            mean += row[c] / double(run.rows.size());
        for (const auto &row : run.rows)
            sq += (row[c] - mean) * (row[c] - mean) / double(run.rows.size());
        std::normal_distribution<double> noise(0, 0.05 * std::sqrt(sq));
        cal::FitOutput o;
        o.variable = run.columns[c];
        for (const auto &row : run.rows)
            if (row[0] > 0) {
                o.time.push_back(row[0]);
                o.observed.push_back(row[c] + noise(random));
            }
        problem.outputs.push_back(o);
    }
    return problem;
}

double maxRelDiff(const std::vector<double> &a, const std::vector<double> &b)
{
    double worst = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]) / std::abs(b[i]));
    return worst;
}

std::vector<double> values(const cal::CalibrationResult &r)
{
    std::vector<double> v;
    for (const auto &p : r.parameters)
        v.push_back(p.value);
    return v;
}

// The scipy peer on the same data and weights; its parameters, its first fit's seconds and the seconds of the
// same fit again in the same Python process.
bool runScipy(const cal::CalibrationProblem &problem, const cal::CalibrationResult &ours,
              std::vector<double> &params, double &seconds, double &nextSeconds)
{
    const std::string input = bench::dataDir() + "/calibration-motor.json";
    json j = {{"time", problem.outputs[0].time},  {"T", problem.outputs[0].observed},
              {"I", problem.outputs[1].observed}, {"sigma", {ours.outputs[0].sigma, ours.outputs[1].sigma}},
              {"start", {0.8, 1e4, 0.1}},         {"lower", {0.5, 1e3, 1e-3}},
              {"upper", {0.99, 1e6, 1}}};
    std::ofstream(input) << j.dump();
    const std::string command =
        "/usr/bin/python3 " + bench::benchDir() + "/peers/calibrate_scipy.py " + input;
    FILE *pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return false;
    std::string out;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe))
        out += buffer;
    if (::pclose(pipe) != 0)
        return false;
    const json r = json::parse(out, nullptr, false);
    if (!r.is_object())
        return false;
    params = r["x"].get<std::vector<double>>();
    seconds = r["seconds"].get<double>();
    nextSeconds = r["next_seconds"].get<double>();
    return true;
}

// The floor's fit once, in a fresh process (this program run as `bench_calibration floor-once`): its first
// fit, which pays what a new process pays (code and pages touched for the first time) as our first fit on a
// fresh worker does. Seconds, or NaN when it failed.
double freshFloor()
{
    const std::string command = std::filesystem::read_symlink("/proc/self/exe").string() + " floor-once";
    FILE *pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return NAN;
    double seconds = NAN;
    if (std::fscanf(pipe, "%lf", &seconds) != 1)
        seconds = NAN;
    return ::pclose(pipe) == 0 ? seconds : NAN;
}

int floorOnce()
{
    const cal::CalibrationProblem problem = motorProblem();
    cal::FunctionEvaluator evaluator([&](const std::vector<double> &p) { return inProcess(problem, p); });
    const auto t0 = bench::Clock::now();
    const auto r = cal::calibrate(problem, evaluator);
    std::printf("%.6f\n", bench::secondsSince(t0));
    return r ? 0 : 1;
}

void odeCalibration(int reps)
{
    const cal::CalibrationProblem problem = motorProblem();
    std::vector<double> ours, oursWarm, oursSecond, ours2, floor, floorFresh, scipy, scipyNext;
    std::vector<double> oursX, floorX, scipyX;
    std::size_t oursRuns = 0, floorRuns = 0;
    bool haveScipy = true;
    for (int rep = 0; rep < reps; ++rep) {
        // A fit on `evaluator`, timed into `times`; it must reach the one-worker fit's optimum.
        auto timedFit = [&](cal::WorkerEvaluator &evaluator, std::vector<double> &times, const char *what) {
            const auto t0 = bench::Clock::now();
            const auto r = cal::calibrate(problem, evaluator);
            times.push_back(bench::secondsSince(t0));
            if (!r || maxRelDiff(values(*r), oursX.empty() ? values(*r) : oursX) > 1e-9) {
                std::fprintf(stderr, "calibrate %s: %s\n", what,
                             r ? "a different optimum" : r.error().c_str());
                std::exit(1);
            }
        };
        { // the same fit with the finite-difference points on two worker processes at once
            cal::WorkerEvaluator evaluator(problem, 2, {}, kWorker);
            timedFit(evaluator, ours2, "on 2 workers");
        }
        { // the worker process started ahead with the model's plugin, as twinctl and the workbench do
            auto ahead =
                cal::WorkerEvaluator::startAhead({}, kWorker, problem.job.pluginDir, problem.job.pluginId);
            std::this_thread::sleep_for(
                std::chrono::milliseconds(100)); // it has loaded and warmed up by then
            cal::WorkerEvaluator evaluator(problem, 1, {}, kWorker, std::move(ahead));
            timedFit(evaluator, oursWarm, "on a worker started ahead");
            timedFit(evaluator, oursSecond, "on the same worker again");
        }
        if (const double s = freshFloor(); !std::isnan(s))
            floorFresh.push_back(s);
        {
            cal::WorkerEvaluator evaluator(problem, 1, {}, kWorker);
            const auto t0 = bench::Clock::now();
            const auto r = cal::calibrate(problem, evaluator);
            ours.push_back(bench::secondsSince(t0));
            if (!r) {
                std::fprintf(stderr, "calibrate: %s\n", r.error().c_str());
                std::exit(1);
            }
            oursX = values(*r);
            oursRuns = r->evaluations;
            if (haveScipy) {
                double s = 0, next = 0;
                haveScipy = runScipy(problem, *r, scipyX, s, next);
                if (haveScipy) {
                    scipy.push_back(s);
                    scipyNext.push_back(next);
                }
            }
        }
        {
            cal::FunctionEvaluator evaluator(
                [&](const std::vector<double> &p) { return inProcess(problem, p); });
            const auto t0 = bench::Clock::now();
            const auto r = cal::calibrate(problem, evaluator);
            floor.push_back(bench::secondsSince(t0));
            floorX = values(*r);
            floorRuns = r->evaluations;
        }
    }
    auto spread = [](const std::vector<double> &v) { return *std::min_element(v.begin(), v.end()) * 1e3; };
    std::printf(
        "ODE calibration: sim-ode motor, 3 parameters, %zu residuals, DOPRI5 rtol 1e-8 atol 1e-10, %d "
        "repetitions interleaved (median, min in ms)\n\n",
        cal::fittedCount(problem), reps);
    std::printf("| fit | median ms | min ms | model runs |\n|---|---|---|---|\n");
    auto row = [&](const char *what, const std::vector<double> &t, std::size_t runs) {
        if (!t.empty())
            std::printf("| %s | %.1f | %.1f | %s |\n", what, bench::median(t) * 1e3, spread(t),
                        runs ? std::to_string(runs).c_str() : "-");
    };
    row("ours: Ceres LM in one worker process started for the fit", ours, oursRuns);
    row("ours, the worker started beforehand (its first fit)", oursWarm, oursRuns);
    row("ours, the same worker's next fit", oursSecond, oursRuns);
    row("ours on 2 worker processes started for the fit", ours2, oursRuns);
    row("floor: the same Ceres fit, model compiled in, first fit of a fresh process", floorFresh, floorRuns);
    row("floor, repeated in one process", floor, floorRuns);
    if (haveScipy) {
        row("scipy least_squares (trf) over solve_ivp (RK45), first fit after import", scipy, 0);
        row("scipy, the same fit again in the same process", scipyNext, 0);
    }
    const double mf = bench::median(floor), mff = floorFresh.empty() ? NAN : bench::median(floorFresh);
    const double sc = haveScipy && !scipy.empty() ? bench::median(scipy) : NAN;
    const double scn = haveScipy && !scipyNext.empty() ? bench::median(scipyNext) : NAN;
    std::printf(
        "\nours / floor: %.2f warm (next fit vs repeated), %.2f first fits of fresh processes (started "
        "beforehand vs fresh), %.2f with our process start in the timing; scipy / ours: %.1f next fit vs "
        "next fit, %.1f first fit vs first fit (ours started beforehand), %.1f with our process start in the "
        "timing; scipy / floor: %.1f first fit vs first fit; parameters: ours vs floor max rel. diff %.1e",
        bench::median(oursSecond) / mf, bench::median(oursWarm) / mff, bench::median(ours) / mff,
        scn / bench::median(oursSecond), sc / bench::median(oursWarm), sc / bench::median(ours), sc / mff,
        maxRelDiff(oursX, floorX));
    if (haveScipy && !scipyX.empty())
        std::printf(", ours vs scipy %.1e", maxRelDiff(oursX, scipyX));
    std::printf(" (eta %.6g, Cth %.6g, Rth %.6g)\n\n", oursX[0], oursX[1], oursX[2]);
}

std::unique_ptr<twin::model::Project> demo()
{
    auto p = std::make_unique<twin::model::Project>();
    if (!twin::model::buildDemoTwin(*p)) {
        std::fprintf(stderr, "demo failed\n");
        std::exit(1);
    }
    return p;
}

void fmuCalibration()
{
    auto project = demo();
    const std::string asset = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";
    const auto plan =
        cal::planCalibration(*project, *cal::findDefinition(*project, asset), kBin + "/plugins");
    if (!plan) {
        std::fprintf(stderr, "plan: %s\n", plan.error().c_str());
        std::exit(1);
    }
    std::printf("FMU calibration: demo Motor M-103 (motor-cooling FMU, 7200 s at 1 s, 3 parameters, %zu "
                "residuals, then a 200-draw prediction band)\n\n| workers | model runs | seconds | runs/s | "
                "speed-up | worker processes started |\n|---|---|---|---|---|---|\n",
                cal::fittedCount(plan->problem));
    double base = 0;
    for (int workers : {1, 2, 1, 2}) {
        cal::WorkerEvaluator evaluator(plan->problem, workers, {}, kWorker);
        const auto t0 = bench::Clock::now();
        cal::CalibrationOptions options;
        options.fitInWorker = bench::envInt("BENCH_CAL_FIT_IN_WORKER", 1) != 0;
        const auto run = cal::runCalibration(*plan, evaluator, options, {200});
        const double s = bench::secondsSince(t0);
        if (!run) {
            std::fprintf(stderr, "calibration: %s\n", run.error().c_str());
            std::exit(1);
        }
        const double rate = double(evaluator.evaluations()) / s;
        if (workers == 1)
            base = rate;
        std::printf("| %d | %zu | %.2f | %.1f | %.2fx | %zu |\n", workers, evaluator.evaluations(), s, rate,
                    rate / base, evaluator.workersStarted());
    }
    std::printf("\n");
}

void sobol(int n)
{
    auto project = demo();
    const std::string asset = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";
    auto d = *cal::findDefinition(*project, asset);
    d.windows = {{twin::model::kDemoTelemetryStart,
                  twin::model::kDemoTelemetryStart + 600 * twin::model::kNsPerSecond}};
    d.holdout.clear();
    const auto plan = cal::planCalibration(*project, d, kBin + "/plugins");
    if (!plan) {
        std::fprintf(stderr, "plan: %s\n", plan.error().c_str());
        std::exit(1);
    }
    // The cost of starting a worker: 20 one-process-per-run jobs vs 20 jobs on one kept worker.
    sim::SimulationJob job = cal::jobFor(plan->problem, {0.045, 1500, 83});
    auto timeRuns = [&](bool reuse) {
        sim::SimulationRunner runner(kWorker);
        runner.setReuse(reuse);
        (void)runner.run(job);
        const auto t0 = bench::Clock::now();
        for (int i = 0; i < 20; ++i)
            (void)runner.run(job);
        return bench::secondsSince(t0) / 20;
    };
    const double fresh = timeRuns(false), kept = timeRuns(true);
    const double startCost = std::max(0.0, fresh - kept);
    cal::WorkerEvaluator evaluator(plan->problem, 2, {}, kWorker);
    const auto t0 = bench::Clock::now();
    const auto result = cal::projectSensitivity(*plan, evaluator, {"sobol", n, 1});
    const double s = bench::secondsSince(t0);
    if (!result) {
        std::fprintf(stderr, "sobol: %s\n", result.error().c_str());
        std::exit(1);
    }
    const std::size_t runs = evaluator.evaluations(), started = evaluator.workersStarted();
    std::printf(
        "Sobol indices: demo Motor M-103 over 10 minutes (600 steps per run), N = %d, 2 workers\n\n"
        "| runs | seconds | runs/s | worker processes started | start cost per process | share of time "
        "starting processes | one process per run would add |\n|---|---|---|---|---|---|---|\n",
        n);
    std::printf("| %zu | %.2f | %.1f | %zu | %.1f ms | %.2f %% | %.1f s (%.0f %%) |\n\n", runs, s,
                double(runs) / s, started, startCost * 1e3, 100 * double(started) * startCost / (2 * s),
                double(runs) * startCost / 2, 100 * double(runs) * startCost / 2 / s);
    std::printf(
        "(per run: %.2f ms as its own process, %.2f ms on a kept worker, measured over 20 runs each)\n\n",
        fresh * 1e3, kept * 1e3);
}
} // namespace

// One model run of the ODE fit's problem, three ways, interleaved: in this process, on a kept worker process,
// and as a fresh worker process; what a calibration pays per run on top of the model.
void perRun(int reps)
{
    const cal::CalibrationProblem problem = motorProblem();
    const std::vector<double> point = {0.85, 2e4, 0.05};
    const sim::SimulationJob job = cal::jobFor(problem, point);
    sim::SimulationRunner kept(kWorker);
    kept.setReuse(true);
    (void)kept.run(job);
    const std::string fitWorker = kBin + "/bin/twin-fitworker";
    std::vector<double> inProc, onKept, fresh, freshFit;
    for (int rep = 0; rep < reps; ++rep) {
        auto t0 = bench::Clock::now();
        (void)inProcess(problem, point);
        inProc.push_back(bench::secondsSince(t0));
        t0 = bench::Clock::now();
        const auto r = kept.run(job);
        onKept.push_back(bench::secondsSince(t0));
        const auto e = cal::toEvaluation(problem, r);
        if (!e.ok) {
            std::fprintf(stderr, "kept worker run: %s\n", e.message.c_str());
            std::exit(1);
        }
        if (rep >= 20)
            continue; // process starts are slow and steady: 20 tell enough
        sim::SimulationRunner once(kWorker);
        t0 = bench::Clock::now();
        (void)once.run(job);
        fresh.push_back(bench::secondsSince(t0));
        sim::SimulationRunner onceFit(fitWorker);
        t0 = bench::Clock::now();
        (void)onceFit.run(job);
        freshFit.push_back(bench::secondsSince(t0));
    }
    std::printf("Per model run of the ODE fit (median of %d, ms): in process %.3f, kept worker %.3f, fresh "
                "twin-simworker process %.3f, fresh twin-fitworker process %.3f (of %zu)\n\n",
                reps, bench::median(inProc) * 1e3, bench::median(onKept) * 1e3, bench::median(fresh) * 1e3,
                bench::median(freshFit) * 1e3, fresh.size());
}

// Arguments name the parts to run (runs, ode, fmu, sobol); none runs all three.
int main(int argc, char **argv)
{
    const std::vector<std::string> parts(argv + 1, argv + argc);
    if (parts == std::vector<std::string>{"floor-once"})
        return floorOnce();
    auto wanted = [&](const char *part) {
        return parts.empty() || std::find(parts.begin(), parts.end(), part) != parts.end();
    };
    std::printf("Run %s\n\n", bench::today().c_str());
    if (wanted("runs"))
        perRun(bench::envInt("BENCH_RUN_REPS", 200));
    if (wanted("ode"))
        odeCalibration(bench::envInt("BENCH_CAL_REPS", 5));
    if (wanted("fmu"))
        fmuCalibration();
    if (wanted("sobol"))
        sobol(bench::envInt("BENCH_SOBOL_N", 2000));
    return 0;
}
