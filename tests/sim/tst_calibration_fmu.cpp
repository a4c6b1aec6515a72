// Calibration of a real FMU through the worker processes: the demo's motor-cooling FMU (FMI 2.0) with known
// parameters and 5 % noise, the same through `twinctl calibrate --fmu`, a setup that cannot separate two
// parameters, and a crashing FMU.
#include "twin/model/calibration/Calibrator.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include "SharedData.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <fstream>
#include <random>

using namespace twin::model;
using namespace twin::model::calibration;

namespace {

const std::string kBin = TWIN_BINARY_DIR;
const std::string kPlugins = kBin + "/plugins";
const std::string kWorker = kBin + "/bin/twin-simworker";
const std::string kFmu = kBin + "/share/twinworks/fmus/motor-cooling.fmu";
const std::string kCrashFmu = kBin + "/tests/fmus/crash.fmu";

// Truth: thermal resistance, time constant, ambient temperature.
const double kRth = 0.036, kTau = 900, kAmbient = 21.5;

sim::SimulationJob motorJob(const std::string &fmu = kFmu)
{
    sim::SimulationJob job;
    job.pluginDir = kPlugins;
    job.pluginId = "twin.sim-fmi";
    job.config = nlohmann::json{{"fmu", fmu}}.dump();
    job.label = "motor-cooling.fmu";
    job.stepName = "doStep";
    job.start = 0;
    job.stop = 3600;
    job.step = 3.6; // 1000 communication points
    job.parameters = {{"T0", 40}};
    // Losses in steps, so the ambient temperature and the thermal resistance are told apart.
    job.inputs.time = {0, 1199.9, 1200, 2399.9, 2400, 3600};
    job.inputs.columns = {{"P_loss", {1500, 1500, 4000, 4000, 800, 800}}};
    return job;
}

// Observations of T from the FMU with the true parameters, plus Gaussian noise of 5 % of the signal's
// standard deviation.
FitOutput observedTemperature(const sim::SimulationJob &job, unsigned seed)
{
    sim::SimulationJob truth = job;
    truth.parameters.insert(truth.parameters.end(), {{"R_th", kRth}, {"tau", kTau}, {"T_amb", kAmbient}});
    truth.outputs = {"T"};
    sim::SimulationRunner runner(kWorker);
    const sim::SimulationResult run = runner.run(truth, {});
    if (!run.ok())
        qFatal("truth run failed: %s", run.message.c_str());
    FitOutput o;
    o.variable = "T";
    double mean = 0, sq = 0;
    for (const auto &row : run.rows)
        mean += row[1] / double(run.rows.size());
    for (const auto &row : run.rows)
        sq += (row[1] - mean) * (row[1] - mean) / double(run.rows.size());
    std::mt19937 random(seed);
    std::normal_distribution<double> noise(0, 0.05 * std::sqrt(sq));
    for (const auto &row : run.rows) {
        if (row[0] <= 0)
            continue; // the initial value is the fixed T0
        o.time.push_back(row[0]);
        o.observed.push_back(row[1] + noise(random));
    }
    return o;
}

CalibrationProblem motorProblem(const sim::SimulationJob &job, unsigned seed)
{
    CalibrationProblem problem;
    problem.job = job;
    problem.parameters = {
        {"R_th", 0.005, 0.1, 0.03, {}, {}}, {"tau", 100, 5000, 1200, {}, {}}, {"T_amb", -10, 50, 25, {}, {}}};
    problem.outputs.push_back(observedTemperature(job, seed));
    return problem;
}

} // namespace

class TestCalibrationFmu : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QString::fromStdString(kFmu)), "the demo FMU is not built");
        QVERIFY2(QFileInfo::exists(QString::fromStdString(kWorker)), "twin-simworker is not built");
    }

    void recoversMotorParametersWithin1Percent()
    {
        const CalibrationProblem problem = motorProblem(motorJob(), 17);
        WorkerEvaluator evaluator(problem, 2, {}, kWorker);
        const auto result = calibrate(problem, evaluator);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QVERIFY2(result->converged, result->message.c_str());
        QVERIFY(result->identifiable);
        const double truth[] = {kRth, kTau, kAmbient};
        for (std::size_t j = 0; j < 3; ++j) {
            const auto &p = result->parameters[j];
            qInfo("%s = %.6g +- %.3g (truth %.6g)", p.name.c_str(), p.value, p.stderror, truth[j]);
            QVERIFY2(std::abs(p.value - truth[j]) < 0.01 * std::abs(truth[j]), p.name.c_str());
            QVERIFY(p.ci95[0] < p.value && p.value < p.ci95[1]);
        }
        QVERIFY(result->outputs[0].calibration.r2 > 0.99);
        QVERIFY(evaluator.evaluations() == result->evaluations && result->evaluations >= 8);
    }

    void constantLossesCannotSeparateAmbientAndResistance()
    {
        sim::SimulationJob job = motorJob();
        job.inputs = {};
        job.parameters.emplace_back("P_loss", 2500); // constant: only T_amb + P * R_th is determined
        CalibrationProblem problem = motorProblem(job, 5);
        WorkerEvaluator evaluator(problem, 2, {}, kWorker);
        const auto result = calibrate(problem, evaluator);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QVERIFY(!result->identifiable);
        const std::string warnings = nlohmann::json(result->warnings).dump();
        QVERIFY2(warnings.find("'R_th'") != std::string::npos &&
                     warnings.find("'T_amb'") != std::string::npos,
                 warnings.c_str());
    }

    // On two workers the runs go one by one (the start point crashes); on one the whole fit runs in the
    // fit worker, which the crash ends.
    void crashingFmuStopsWithTheCrashNamed_data()
    {
        QTest::addColumn<int>("workers");
        QTest::newRow("runs from here, 2 workers") << 2;
        QTest::newRow("fit in the worker") << 1;
    }

    void crashingFmuStopsWithTheCrashNamed()
    {
        QFETCH(int, workers);
        sim::SimulationJob job = motorJob(kCrashFmu);
        job.inputs = {};
        job.parameters = {};
        job.stop = 1;
        job.step = 0.01;
        CalibrationProblem problem;
        problem.job = job;
        problem.parameters = {{"k", 0.1, 10, 1, {}, {}}};
        FitOutput y;
        y.variable = "y";
        for (int i = 1; i <= 100; ++i) {
            y.time.push_back(0.01 * i);
            y.observed.push_back(std::exp(-0.01 * i));
        }
        problem.outputs.push_back(y);
        WorkerEvaluator evaluator(problem, workers, {}, kWorker);
        const auto result = calibrate(problem, evaluator);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("SIGSEGV") != std::string::npos, result.error().c_str());
    }

    // A model nobody on this team wrote: the Modelica Association's reference VanDerPol FMU, FMI 2.0 and 3.0.
    void calibratesTheReferenceVanDerPol_data()
    {
        QTest::addColumn<QString>("fmu");
        QTest::newRow("FMI 2.0") << QStringLiteral(TWIN_SHARED_DATA "/fmu/reference-fmus/fmi2/VanDerPol.fmu");
        QTest::newRow("FMI 3.0") << QStringLiteral(TWIN_SHARED_DATA "/fmu/reference-fmus/fmi3/VanDerPol.fmu");
    }

    void calibratesTheReferenceVanDerPol()
    {
        TWIN_SKIP_WITHOUT_SHARED_DATA();
        QFETCH(QString, fmu);
        sim::SimulationJob job = motorJob(fmu.toStdString());
        job.label = "VanDerPol.fmu";
        job.inputs = {};
        job.parameters = {{"mu", 1.7}};
        job.stop = 20;
        job.step = 0.02;
        job.outputs = {"x0"};
        sim::SimulationRunner runner(kWorker);
        const sim::SimulationResult truth = runner.run(job, {});
        QVERIFY2(truth.ok(), truth.message.c_str());
        CalibrationProblem problem;
        problem.job = job;
        problem.job.parameters.clear();
        problem.parameters = {{"mu", 0.2, 5, 1, {}, {}}};
        FitOutput x0;
        x0.variable = "x0";
        std::mt19937 random(9);
        std::normal_distribution<double> noise(0, 0.05);
        for (const auto &row : truth.rows) {
            x0.time.push_back(row[0]);
            x0.observed.push_back(row[1] + noise(random));
        }
        problem.outputs.push_back(x0);
        WorkerEvaluator evaluator(problem, 2, {}, kWorker);
        const auto result = calibrate(problem, evaluator);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QVERIFY2(result->converged && result->identifiable, result->message.c_str());
        const auto &mu = result->parameters[0];
        QVERIFY2(std::abs(mu.value - 1.7) < 0.01 * 1.7, qPrintable(QString::number(mu.value)));
        QVERIFY(mu.ci95[0] <= 1.7 && 1.7 <= mu.ci95[1]);
    }

    void twinctlCalibratesFromFiles()
    {
        QTemporaryDir dir;
        const sim::SimulationJob job = motorJob();
        const FitOutput observed = observedTemperature(job, 23);
        const QString data = dir.filePath("observed.csv"), inputs = dir.filePath("inputs.csv"),
                      out = dir.filePath("fit.json");
        {
            std::ofstream csv(data.toStdString());
            csv << "time,T\n";
            csv.precision(17);
            for (std::size_t i = 0; i < observed.time.size(); ++i)
                csv << observed.time[i] << "," << observed.observed[i] << "\n";
            std::ofstream in(inputs.toStdString());
            in << "time,P_loss\n";
            for (std::size_t i = 0; i < job.inputs.time.size(); ++i)
                in << job.inputs.time[i] << "," << job.inputs.columns[0].second[i] << "\n";
        }
        const QString twinctl = QString::fromStdString(kBin + "/bin/twinctl");
        auto run = [&](const QStringList &args, int &exitCode) {
            QProcess p;
            p.start(twinctl, args);
            if (!p.waitForFinished(120000))
                qFatal("twinctl calibrate timed out");
            exitCode = p.exitCode();
            return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        };
        int rc = -1;
        const QString text = run({"calibrate",
                                  "--fmu",
                                  QString::fromStdString(kFmu),
                                  "--data",
                                  data,
                                  "--inputs",
                                  inputs,
                                  "--set",
                                  "T0=40",
                                  "--param",
                                  "R_th=0.005:0.1",
                                  "--param",
                                  "tau=100:5000",
                                  "--param",
                                  "T_amb=-10:50:25",
                                  "--holdout",
                                  "3000/3600",
                                  "--workers",
                                  "2",
                                  "--out",
                                  out},
                                 rc);
        QVERIFY2(rc == 0, qPrintable(text));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto fit = nlohmann::json::parse(file.readAll().toStdString());
        QCOMPARE(fit["converged"].get<bool>(), true);
        const std::pair<const char *, double> truth[] = {{"R_th", kRth}, {"tau", kTau}, {"T_amb", kAmbient}};
        for (const auto &[name, value] : truth) {
            const double fitted = fit["parameters"][name]["value"].get<double>();
            QVERIFY2(std::abs(fitted - value) < 0.01 * std::abs(value), name);
            QVERIFY(fit["parameters"][name]["ci95"][0].get<double>() < fitted);
            QVERIFY(fit["parameters"][name]["stderr"].get<double>() > 0);
        }
        for (const char *key : {"rmse", "nrmse", "r2", "bias"})
            QVERIFY2(fit["metrics"]["T"][key].is_number(), key);
        QVERIFY(fit["holdout"]["T"]["n"].get<int>() > 100); // the hold-out window is scored, not fitted
        QVERIFY(fit["evaluations"].get<int>() > 0 && fit["seconds"].get<double>() > 0);

        // Bad input: exit 2 with the problem named.
        const QString unknown = run(
            {"calibrate", "--fmu", QString::fromStdString(kFmu), "--data", data, "--param", "R_x=0:1"}, rc);
        QCOMPARE(rc, 2);
        QVERIFY2(unknown.contains("parameter 'R_x': the model has no such parameter"), qPrintable(unknown));
        const QString badBounds = run(
            {"calibrate", "--fmu", QString::fromStdString(kFmu), "--data", data, "--param", "tau=10"}, rc);
        QCOMPARE(rc, 2);
        QVERIFY2(badBounds.contains("expected NAME=LO:HI"), qPrintable(badBounds));
        const QString noFile = run({"calibrate", "--fmu", QString::fromStdString(kFmu), "--data",
                                    dir.filePath("none.csv"), "--param", "tau=10:20"},
                                   rc);
        QCOMPARE(rc, 2);
        QVERIFY2(noFile.contains("none.csv"), qPrintable(noFile));
        const QString badWorkers = run({"calibrate", "--fmu", QString::fromStdString(kFmu), "--data", data,
                                        "--param", "tau=10:20", "--workers", "0"},
                                       rc);
        QCOMPARE(rc, 2);
        QVERIFY2(badWorkers.contains("--workers 0"), qPrintable(badWorkers));
        const QString help = run({"calibrate", "--help"}, rc);
        QCOMPARE(rc, 0);
        QVERIFY(help.contains("--param NAME=LO:HI[:START]"));
    }
};

QTEST_GUILESS_MAIN(TestCalibrationFmu)
#include "tst_calibration_fmu.moc"
