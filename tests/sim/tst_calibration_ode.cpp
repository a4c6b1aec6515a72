// Calibration of an ODE model through the worker processes: the sim-ode motor (power balance and first-order
// winding temperature) with known efficiency, heat capacity and thermal resistance, observed with 5 % noise
// on two outputs (winding temperature and line current) under a stepped load. The fit must recover the
// three parameters within 1 % with intervals that contain the truth.
#include "twin/model/calibration/Calibrator.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace twin::model;
using namespace twin::model::calibration;

namespace {

const std::string kBin = TWIN_BINARY_DIR;
const std::string kWorker = kBin + "/bin/twin-simworker";
const double kEta = 0.9, kCth = 3e4, kRth = 0.04;

sim::SimulationJob motorJob()
{
    sim::SimulationJob job;
    job.pluginDir = kBin + "/plugins";
    job.pluginId = "twin.sim-ode";
    job.modelId = "motor";
    job.config = R"({"solver": "dopri5", "rtol": 1e-8, "atol": 1e-10})";
    job.label = "sim-ode motor";
    job.start = 0;
    job.stop = 3600;
    job.step = 3.6; // 1000 communication points per output
    job.inputs.time = {0, 1199.999, 1200, 2399.999, 2400, 3600};
    job.inputs.columns = {{"Pshaft", {20e3, 20e3, 45e3, 45e3, 10e3, 10e3}}};
    return job;
}

// The motor with the true parameters, outputs T and I.
sim::SimulationResult truthRun()
{
    sim::SimulationJob truth = motorJob();
    truth.parameters = {{"eta", kEta}, {"Cth", kCth}, {"Rth", kRth}};
    truth.outputs = {"T", "I"};
    sim::SimulationRunner runner(kWorker);
    return runner.run(truth);
}

// The motor problem with observations from `run` plus 5 % noise drawn with `seed`.
CalibrationProblem noisyProblem(const sim::SimulationJob &job, const sim::SimulationResult &run,
                                unsigned seed)
{
    CalibrationProblem problem;
    problem.job = job;
    problem.parameters = {
        {"eta", 0.5, 0.99, 0.8, {}, {}}, {"Cth", 1e3, 1e6, 1e4, {}, {}}, {"Rth", 1e-3, 1, 0.1, {}, {}}};
    std::mt19937 random(seed);
    for (std::size_t c = 1; c <= 2; ++c) {
        double mean = 0, sq = 0;
        for (const auto &row : run.rows)
            mean += row[c] / double(run.rows.size());
        for (const auto &row : run.rows)
            sq += (row[c] - mean) * (row[c] - mean) / double(run.rows.size());
        std::normal_distribution<double> noise(0, 0.05 * std::sqrt(sq));
        FitOutput o;
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

} // namespace

class TestCalibrationOde : public QObject
{
    Q_OBJECT
private slots:
    void recoversThreeParametersWithin1Percent()
    {
        const sim::SimulationResult run = truthRun();
        QVERIFY2(run.ok(), run.message.c_str());
        const CalibrationProblem problem = noisyProblem(motorJob(), run, 11);
        QVERIFY(fittedCount(problem) >= 2000);

        WorkerEvaluator evaluator(problem, 2, {}, kWorker);
        const auto result = calibrate(problem, evaluator);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QVERIFY2(result->converged && result->identifiable, result->message.c_str());
        const double truthValues[] = {kEta, kCth, kRth};
        for (std::size_t j = 0; j < 3; ++j) {
            const auto &p = result->parameters[j];
            qInfo("%s = %.6g +- %.3g (truth %.6g), %zu model runs", p.name.c_str(), p.value, p.stderror,
                  truthValues[j], result->evaluations);
            QVERIFY2(std::abs(p.value - truthValues[j]) < 0.01 * truthValues[j], p.name.c_str());
            QVERIFY2(p.ci95[0] <= truthValues[j] && truthValues[j] <= p.ci95[1], p.name.c_str());
        }
        for (const auto &o : result->outputs)
            QVERIFY(o.calibration.r2 > 0.99);
    }

    // The solver next to the model in the worker process (twin-fitworker) and the solver here sending each
    // run to the worker reach the same optimum with the same model runs; progress comes from both, and a
    // progress callback that says stop stops both.
    void fitInWorkerEqualsFitFromHere()
    {
        const sim::SimulationResult run = truthRun();
        QVERIFY2(run.ok(), run.message.c_str());
        const CalibrationProblem problem = noisyProblem(motorJob(), run, 5);
        CalibrationResult fits[2];
        for (int inWorker = 0; inWorker < 2; ++inWorker) {
            WorkerEvaluator evaluator(problem, 1, {}, kWorker);
            QVERIFY(evaluator.prefersFitInWorker()); // twin-fitworker is built beside twin-simworker
            CalibrationOptions options;
            options.fitInWorker = inWorker == 1;
            int reports = 0;
            options.progress = [&](const CalibrationProgress &p) {
                ++reports;
                return p.cost >= 0;
            };
            const auto result = calibrate(problem, evaluator, options);
            QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
            QCOMPARE(result->fittedInWorker, inWorker == 1);
            QVERIFY(reports > 2);
            fits[inWorker] = *result;
        }
        QCOMPARE(fits[1].evaluations, fits[0].evaluations);
        QCOMPARE(fits[1].iterations, fits[0].iterations);
        for (std::size_t j = 0; j < 3; ++j) {
            const auto &a = fits[0].parameters[j], &b = fits[1].parameters[j];
            QVERIFY2(std::abs(a.value - b.value) <= 1e-12 * std::abs(a.value), a.name.c_str());
            QVERIFY2(std::abs(a.stderror - b.stderror) <= 1e-9 * a.stderror, a.name.c_str());
        }
        QCOMPARE(fits[1].outputs[0].simulated, fits[0].outputs[0].simulated);

        WorkerEvaluator evaluator(problem, 1, {}, kWorker);
        CalibrationOptions options;
        options.progress = [](const CalibrationProgress &p) { return p.iteration < 2; };
        const auto stopped = calibrate(problem, evaluator, options);
        QVERIFY(!stopped.ok());
        QVERIFY2(stopped.error().rfind("stopped", 0) == 0, stopped.error().c_str());
    }

    // A fit worker started ahead (with the model's plugin to preload, or none) warms up while the caller
    // prepares: a fit sent at once (during the warm-up) or later reaches the plain fit's optimum with the
    // same runs, and so does a second fit on the same worker process.
    void fitOnAWorkerStartedAheadEqualsAPlainFit()
    {
        const sim::SimulationResult run = truthRun();
        QVERIFY2(run.ok(), run.message.c_str());
        const CalibrationProblem problem = noisyProblem(motorJob(), run, 5);
        WorkerEvaluator plain(problem, 1, {}, kWorker);
        const auto expected = calibrate(problem, plain);
        QVERIFY2(expected.ok(), expected.ok() ? "" : expected.error().c_str());
        for (int variant = 0; variant < 3; ++variant) {
            const bool withPlugin = variant != 1, wait = variant == 2;
            auto ahead = WorkerEvaluator::startAhead({}, kWorker, withPlugin ? problem.job.pluginDir : "",
                                                     withPlugin ? problem.job.pluginId : "");
            QVERIFY(ahead);
            if (wait)
                QTest::qWait(300);
            WorkerEvaluator evaluator(problem, 1, {}, kWorker, std::move(ahead));
            for (int fit = 0; fit < 2; ++fit) {
                const auto result = calibrate(problem, evaluator);
                QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
                QVERIFY(result->fittedInWorker);
                QCOMPARE(result->evaluations, expected->evaluations);
                for (std::size_t j = 0; j < 3; ++j)
                    QCOMPARE(result->parameters[j].value, expected->parameters[j].value);
            }
            QCOMPARE(evaluator.workersStarted(), std::size_t(1));
        }
    }

    // The runners of a finished evaluator serve the next one with their worker processes still running: the
    // same runner object, no process started again, the same optimum.
    void keptRunnersServeTheNextEvaluator()
    {
        const sim::SimulationResult run = truthRun();
        QVERIFY2(run.ok(), run.message.c_str());
        const CalibrationProblem problem = noisyProblem(motorJob(), run, 5);
        WorkerEvaluator first(problem, 1, {}, kWorker);
        const auto expected = calibrate(problem, first);
        QVERIFY2(expected.ok(), expected.ok() ? "" : expected.error().c_str());
        auto kept = first.takeRunners();
        QCOMPARE(kept.size(), std::size_t(1));
        const sim::SimulationRunner *runner = kept.front().get();
        QCOMPARE(runner->workersStarted(), std::size_t(1));
        QCOMPARE(first.takeRunners().size(), std::size_t(0));
        WorkerEvaluator next(problem, 1, {}, kWorker, std::move(kept));
        const auto again = calibrate(problem, next);
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().c_str());
        QCOMPARE(again->evaluations, expected->evaluations);
        for (std::size_t j = 0; j < 3; ++j)
            QCOMPARE(again->parameters[j].value, expected->parameters[j].value);
        const auto back = next.takeRunners();
        QCOMPARE(back.size(), std::size_t(1));
        QCOMPARE(back.front().get(), runner);
        QCOMPARE(back.front()->workersStarted(), std::size_t(1));
    }

    // The fit worker answers a request it cannot read with an error that says what is wrong, and stays
    // usable: a series named outside the job's attachment, a request that is not a fit.
    void malformedFitRequestIsAClearError()
    {
        sim::SimulationRunner runner(kBin + "/bin/twin-fitworker");
        runner.setReuse(true);
        sim::SimulationJob job = motorJob();
        job.outputs = {"T"};
        job.attachment = std::string(16, '\0'); // two doubles
        job.extension = R"({"calibrationFit": {"segments": [], "parameters": [], "sigmas": [1],
            "outputs": [{"variable": "T", "time": {"at": 0, "n": 2}, "observed": {"at": 8, "n": 2},
                         "use": {"at": 0, "n": 0}, "sigma": 1, "weight": 1, "loss": 0, "lossScale": 1}],
            "options": {"method": 0, "maxIterations": 5, "seed": 1, "globalEvaluations": 10, "localStarts": 1},
            "runWallSeconds": 10}})";
        const sim::SimulationResult outside = runner.run(job);
        QCOMPARE(outside.outcome, sim::RunOutcome::ModelError);
        QVERIFY2(outside.message.find("outside the job's attachment") != std::string::npos,
                 outside.message.c_str());

        job.extension = R"({"somethingElse": {}})";
        const sim::SimulationResult unknown = runner.run(job);
        QCOMPARE(unknown.outcome, sim::RunOutcome::ModelError);
        QVERIFY2(unknown.message.find("does not know") != std::string::npos, unknown.message.c_str());
        QCOMPARE(runner.workersStarted(), std::size_t(1)); // the same worker answered both
    }

    // The run limit holds for each model run of a fit made in the worker: over it, the calibration stops and
    // says so, as when each run goes to the worker on its own.
    void runLimitHoldsInsideAWorkerFit()
    {
        const sim::SimulationResult run = truthRun();
        QVERIFY2(run.ok(), run.message.c_str());
        const CalibrationProblem problem = noisyProblem(motorJob(), run, 3);
        sim::RunLimits limits;
        limits.wallSeconds = 1e-6;
        WorkerEvaluator evaluator(problem, 1, limits, kWorker);
        const auto result = calibrate(problem, evaluator);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("wall-time limit") != std::string::npos, result.error().c_str());
        QVERIFY2(result.error().find("timed out") != std::string::npos, result.error().c_str());
    }

    // Honest intervals through the real worker path: over 100 noisy replicates (same model, new noise), each
    // 95 % interval contains the truth in 90 to 99 of them.
    void intervalsContainTheTruthAcross100Replicates()
    {
        sim::SimulationJob truth = motorJob();
        truth.step = 12; // 300 points per output keep 100 fits quick
        truth.parameters = {{"eta", kEta}, {"Cth", kCth}, {"Rth", kRth}};
        truth.outputs = {"T", "I"};
        sim::SimulationRunner runner(kWorker);
        const sim::SimulationResult run = runner.run(truth);
        QVERIFY2(run.ok(), run.message.c_str());
        sim::SimulationJob job = motorJob();
        job.step = 12;
        const double truthValues[] = {kEta, kCth, kRth};
        int inside[3] = {0, 0, 0};
        for (unsigned rep = 0; rep < 100; ++rep) {
            const CalibrationProblem problem = noisyProblem(job, run, 1000 + rep);
            WorkerEvaluator replicate(problem, 2, {}, kWorker);
            const auto result = calibrate(problem, replicate);
            QVERIFY2(result.ok() && result->converged,
                     result.ok() ? result->message.c_str() : result.error().c_str());
            for (int j = 0; j < 3; ++j)
                inside[j] += result->parameters[std::size_t(j)].ci95[0] <= truthValues[j] &&
                             truthValues[j] <= result->parameters[std::size_t(j)].ci95[1];
        }
        for (int j = 0; j < 3; ++j) {
            qInfo("parameter %d: truth inside the 95 %% interval in %d of 100 replicates", j, inside[j]);
            QVERIFY(inside[j] >= 90 && inside[j] <= 99);
        }
    }
};

QTEST_GUILESS_MAIN(TestCalibrationOde)
#include "tst_calibration_ode.moc"
