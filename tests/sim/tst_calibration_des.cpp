// Calibration of a discrete-event model (sim-des "maintenance": pumps that fail and wait for a repair crew)
// with the derivative-free global method: the failure rate recovered from the cumulative failure count of a
// run with a known rate. With a fixed seed the model's random streams are common to every run, so the
// objective is a step function of the rate: the gradient-free search finds it, and the result says that the
// local Jacobian carries no information instead of inventing an interval.
#include "twin/model/calibration/Calibrator.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>

using namespace twin::model;
using namespace twin::model::calibration;

namespace {
const std::string kBin = TWIN_BINARY_DIR;
const std::string kWorker = kBin + "/bin/twin-simworker";

sim::SimulationJob maintenanceJob()
{
    sim::SimulationJob job;
    job.pluginDir = kBin + "/plugins";
    job.pluginId = "twin.sim-des";
    job.modelId = "maintenance";
    job.config = nlohmann::json{{"N", 20}, {"lambdaF", 0.002}, {"muR", 0.05}, {"k", 2}, {"seed", 7}}.dump();
    job.label = "maintenance";
    job.start = 0;
    job.stop = 20000; // hours
    job.step = 50;
    job.outputs = {"failures"};
    return job;
}
} // namespace

class TestCalibrationDes : public QObject
{
    Q_OBJECT
private slots:
    void globalMethodRecoversTheFailureRate()
    {
        sim::SimulationRunner runner(kWorker);
        const sim::SimulationResult truth = runner.run(maintenanceJob());
        QVERIFY2(truth.ok(), truth.message.c_str());
        QVERIFY(truth.rows.back()[1] > 100); // enough failures to say something
        CalibrationProblem problem;
        problem.job = maintenanceJob();
        problem.parameters = {{"lambdaF", 0.0005, 0.01, 0.005, {}, {}}};
        FitOutput failures;
        failures.variable = "failures";
        failures.sigma = 1; // counts
        for (const auto &row : truth.rows) {
            failures.time.push_back(row[0]);
            failures.observed.push_back(row[1]);
        }
        problem.outputs.push_back(failures);
        WorkerEvaluator evaluator(problem, 2, {}, kWorker);
        CalibrationOptions options;
        options.method = Method::Global;
        options.seed = 3;
        options.globalEvaluations = 120;
        const auto result = calibrate(problem, evaluator, options);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        const double fitted = result->parameters[0].value;
        qInfo("lambdaF %.6g (truth 0.002), %zu runs, cost %.3g -> %.3g", fitted, result->evaluations,
              result->initialCost, result->finalCost);
        QVERIFY(std::abs(fitted - 0.002) < 0.05 * 0.002);
        QVERIFY(result->finalCost < 0.01 * result->initialCost);
        QCOMPARE(result->method, std::string("global"));
        // The step-shaped objective has no slope at the optimum: no interval is invented, and it says so.
        QVERIFY(!result->identifiable && !result->parameters[0].informed);
        QVERIFY(std::isnan(result->parameters[0].stderror));
        QVERIFY(!result->warnings.empty());
        // Reproducible: the same seed gives the same answer.
        WorkerEvaluator again(problem, 2, {}, kWorker);
        const auto second = calibrate(problem, again, options);
        QVERIFY(second.ok());
        QCOMPARE(second->parameters[0].value, fitted);
    }
};

QTEST_GUILESS_MAIN(TestCalibrationDes)
#include "tst_calibration_des.moc"
