// FMI import (plugins/sim-fmi) through the isolated worker (model/sim/SimulationRunner): the good test FMUs
// against the analytic solution, and every misbehaving FMU gives its error while the caller survives.
#include "FmiSimulator.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include "FmiTestSupport.h"
#include "SharedData.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <sys/wait.h>
#include <thread>

using namespace twin::model::sim;
using namespace twin::fmitest;

namespace {

bool noChildLeft()
{
    return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

} // namespace

class TstFmi : public QObject
{
    Q_OBJECT

private slots:
    void goodFmuMatchesAnalyticSolution_data()
    {
        QTest::addColumn<QString>("fmu");
        QTest::addColumn<double>("k");
        QTest::addColumn<double>("y0");
        QTest::newRow("FMI 2, default k") << "decay2" << 1.0 << 1.0;
        QTest::newRow("FMI 2, k only honoured in initialization mode") << "decay2" << 0.5 << 3.0;
        QTest::newRow("FMI 3") << "decay3" << 2.0 << 1.5;
    }
    void goodFmuMatchesAnalyticSolution()
    {
        QFETCH(QString, fmu);
        QFETCH(double, k);
        QFETCH(double, y0);
        SimulationJob job = fmuJob(fmu.toStdString(), 2.0, 0.05);
        job.parameters = {{"k", k}, {"y0", y0}};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        double lastProgress = -1;
        const SimulationResult r = runner.run(job, quickLimits(), [&](double t) { lastProgress = t; });
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.columns, (std::vector<std::string>{"time", "y"}));
        QCOMPARE(r.rows.size(), std::size_t(41));
        for (const auto &row : r.rows)
            QVERIFY(std::fabs(row[1] - y0 * std::exp(-k * row[0])) < 1e-12);
        QCOMPARE(lastProgress, 2.0);
        QVERIFY(r.warnings.empty());
    }

    void describeReadsUnitsExperimentAndCapabilities()
    {
        twin::fmi::FmuDescription d;
        std::string error;
        QVERIFY2(twin::fmi::FmiSimulator::readDescription(fmuPath("decay3"), d, error), error.c_str());
        QCOMPARE(d.fmiMajor, 3);
        QCOMPARE(d.modelIdentifier, std::string("decay3"));
        QCOMPARE(d.stopTime.value_or(-1), 2.0);
        QCOMPARE(d.stepSize.value_or(-1), 0.1);
        QVERIFY(d.capabilities.canHandleVariableCommunicationStepSize);
        QCOMPARE(d.units.size(), std::size_t(3));
        QCOMPARE(d.find("k")->unit, std::string("1/s")); // through the declared type
        QCOMPARE(d.find("k")->variability, std::string("tunable"));
        QCOMPARE(d.find("y")->causality, std::string("output"));
    }

    void latin1DescriptionIsConvertedNotFatal()
    {
        twin::fmi::FmuDescription d;
        std::string error;
        QVERIFY2(twin::fmi::FmiSimulator::readDescription(fmuPath("mismatch"), d, error), error.c_str());
        QVERIFY(d.description.find("D\xc3\xa9"
                                   "croissance") == 0);
        QCOMPARE(d.warnings.size(), std::size_t(1));
    }

    void crashIsReportedWithSignalPhaseAndTime_thenRetryWorks()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult crashed = runner.run(fmuJob("crash"), quickLimits());
        QCOMPARE(crashed.outcome, RunOutcome::Crashed);
        QCOMPARE(crashed.message, std::string("SIGSEGV in doStep of crash.fmu at t=0.3"));
        QVERIFY(noChildLeft());
        const SimulationResult retry = runner.run(fmuJob("decay2"), quickLimits());
        QVERIFY2(retry.ok(), retry.message.c_str());
    }

    void hangTimesOutAndTheChildIsGone()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const auto started = std::chrono::steady_clock::now();
        const SimulationResult r = runner.run(fmuJob("hang"), quickLimits());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        QCOMPARE(r.outcome, RunOutcome::TimedOut);
        QVERIFY2(r.message.find("no answer within 1.5 s") != std::string::npos, r.message.c_str());
        QVERIFY2(r.message.find("doStep of hang.fmu at t=0.2") != std::string::npos, r.message.c_str());
        QVERIFY(seconds < 5);
        QVERIFY(noChildLeft());
    }

    void memoryHogHitsTheLimit()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(fmuJob("hog", 5.0), quickLimits());
        QCOMPARE(r.outcome, RunOutcome::MemoryLimit);
        QVERIFY2(r.message.find("exceeded the memory limit of 256 MiB in doStep of hog.fmu") !=
                     std::string::npos,
                 r.message.c_str());
    }

    void malformedDescriptionNamesTheXmlProblem()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(fmuJob("malformed"), quickLimits());
        QCOMPARE(r.outcome, RunOutcome::ModelError);
        QVERIFY2(
            r.message.find("malformed.fmu: modelDescription.xml is malformed: Start-end tags mismatch") == 0,
            r.message.c_str());
    }

    void nanOutputNamesVariableAndTime_stdoutNoiseIsHarmless()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(fmuJob("noisy"), quickLimits());
        QCOMPARE(r.outcome, RunOutcome::ModelError);
        QCOMPARE(r.message, std::string("noisy.fmu: output \"y\" is NaN at t=0.5"));
        QVERIFY(r.modelOutput.find("noise: stepped to t=0.1") != std::string::npos);
        QCOMPARE(r.rows.size(), std::size_t(6)); // t = 0 ... 0.5, the last one holding the NaN
        QVERIFY(std::fabs(r.rows[4][1] - std::exp(-0.4)) < 1e-12);
    }

    void binaryNameMismatchRunsWithAWarning()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(fmuJob("mismatch"), quickLimits());
        QVERIFY2(r.ok(), r.message.c_str());
        bool warned = false;
        for (const auto &w : r.warnings)
            warned = warned ||
                     w.find("decay_impl.so does not match modelIdentifier \"mismatch\"") != std::string::npos;
        QVERIFY(warned);
    }

    void discardReportsTheTimeReached()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(fmuJob("discard"), quickLimits());
        QCOMPARE(r.outcome, RunOutcome::Discarded);
        QCOMPARE(r.reached, 0.5);
        QVERIFY2(r.message.find("step size too large") != std::string::npos, r.message.c_str());
    }

    void modelErrorQuotesTheLoggedMessage()
    {
        SimulationJob job = fmuJob("decay2");
        job.parameters = {{"k", -1}};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, quickLimits());
        QCOMPARE(r.outcome, RunOutcome::ModelError);
        QVERIFY2(r.message.find("fmi2ExitInitializationMode returned Error") != std::string::npos &&
                     r.message.find("k must be >= 0 (got -1)") != std::string::npos,
                 r.message.c_str());
    }

    void cancelStopsALongRun()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            runner.cancel();
        });
        const SimulationResult r = runner.run(fmuJob("decay2", 1e9, 1e-3), quickLimits());
        canceller.join();
        QCOMPARE(r.outcome, RunOutcome::Cancelled);
        QVERIFY(r.reached > 0);
        QVERIFY(noChildLeft());
    }

    // Every Reference FMU with a published co-simulation result runs through `twinctl fmu-run` over its
    // default experiment and matches that result at every time both have (Feedthrough: see its own test;
    // StateSpace has array outputs, Clocks no co-simulation, Roberts no result; see the folder's README).
    void referenceFmusMatchTheirPublishedResults_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("model");
        for (const char *version : {"fmi2", "fmi3"})
            for (const char *model : {"BouncingBall", "Dahlquist", "Resource", "Stair", "VanDerPol"})
                QTest::newRow(qPrintable(QString("%1 %2").arg(version, model))) << version << model;
        QTest::newRow("fmi3 StateSpace (arrays sized by structural parameters)") << "fmi3"
                                                                                 << "StateSpace";
    }
    void referenceFmusMatchTheirPublishedResults()
    {
        TWIN_SKIP_WITHOUT_SHARED_DATA();
        QFETCH(QString, version);
        QFETCH(QString, model);
        const QString dir = QStringLiteral(TWIN_SHARED_DATA "/fmu/reference-fmus/") + version + "/";
        QTemporaryDir tmp;
        const QString out = tmp.filePath("out.csv");
        QProcess run;
        run.start(QString::fromStdString(kBin + "/bin/twinctl"),
                  {"fmu-run", dir + model + ".fmu", "--out", out});
        QVERIFY(run.waitForFinished(60000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
        auto read = [](const QString &path) {
            QFile f(path);
            std::vector<QStringList> rows;
            if (f.open(QIODevice::ReadOnly))
                while (!f.atEnd())
                    rows.push_back(QString::fromUtf8(f.readLine()).trimmed().split(','));
            return rows;
        };
        const auto ours = read(out), theirs = read(dir + model + "_out.csv");
        QVERIFY(ours.size() > 1 && theirs.size() > 1);
        std::size_t compared = 0, o = 1;
        for (std::size_t t = 1; t < theirs.size(); ++t) {
            const double time = theirs[t][0].toDouble();
            while (o < ours.size() && ours[o][0].toDouble() < time - 1e-9)
                ++o;
            if (o == ours.size() || std::abs(ours[o][0].toDouble() - time) > 1e-9)
                continue;
            for (int c = 1; c < theirs[0].size(); ++c) {
                // An array's published cell holds its elements space-separated; ours has a column per
                // element.
                const QStringList cells = theirs[t][c].split(' ', Qt::SkipEmptyParts);
                for (int k = 0; k < cells.size(); ++k) {
                    const QString name =
                        cells.size() > 1 ? theirs[0][c] + "[" + QString::number(k + 1) + "]" : theirs[0][c];
                    const int mine = int(ours[0].indexOf(name));
                    QVERIFY2(mine > 0, qPrintable("no column " + name));
                    const double a = ours[o][mine].toDouble(), b = cells[k].toDouble();
                    QVERIFY2(std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)),
                             qPrintable(QString("%1 at t=%2: %3, published %4")
                                            .arg(theirs[0][c])
                                            .arg(time)
                                            .arg(a)
                                            .arg(b)));
                    ++compared;
                }
            }
        }
        QVERIFY2(compared >= theirs.size() - 1, qPrintable(QString("%1 values compared").arg(compared)));
    }

    // FMI 3 arrays are offered element by element ("v[1]" ... with their start values), read and written
    // through the whole array (nValues = its length).
    void arrayElementsAreVariables()
    {
        twin::fmi::FmuDescription d;
        std::string error;
        QVERIFY2(twin::fmi::FmiSimulator::readDescription(fmuPath("types3"), d, error), error.c_str());
        const auto *v2 = d.find("v[2]");
        QVERIFY(v2 && v2->arrayLength == 3 && v2->element == 1 && v2->start == 2.0);
        QVERIFY(d.find("v") && !d.find("v")->isNumeric()); // the array itself is not one number
        twin::fmi::FmiSimulator sim;
        QVERIFY(sim.load("", "{\"fmu\": \"" + fmuPath("types3") + "\"}"));
        QVERIFY(sim.setReal("v[2]", 5));
        QVERIFY(sim.initialize(0));
        double value = 0;
        QVERIFY(sim.getReal("v[2]", value));
        QCOMPARE(value, 5.0);
        QVERIFY(sim.getReal("v[3]", value));
        QCOMPARE(value, 3.0);
        QVERIFY(!sim.setReal("v[4]", 1));
    }

    // Array inputs from a CSV: a cell of space-separated numbers (as the Reference FMUs' files write them) or
    // one column per element give the same run; rows whose cells change width are refused by line.
    void arrayInputsFromEitherCsvForm()
    {
        QTemporaryDir dir;
        const QString twinctl = QString::fromStdString(kBin + "/bin/twinctl");
        auto write = [&](const QString &name, const QByteArray &text) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(text);
            return dir.filePath(name);
        };
        auto run = [&](const QString &fmu, const QString &inputs, const QString &out, int &rc) {
            QProcess p;
            p.start(twinctl,
                    {"fmu-run", fmu, "--stop", "1", "--step", "0.1", "--inputs", inputs, "--out", out});
            p.waitForFinished(60000);
            rc = p.exitCode();
            return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        };
        int rc = 0;
        const QString uneven = write("uneven.csv", "time,u\n0,1 2\n1,1 2 3\n");
        QString text = run(QString::fromStdString(fmuPath("decay2")), uneven, dir.filePath("x.csv"), rc);
        QVERIFY2(rc != 0 && text.contains("uneven.csv:3: column u has 3 values, the first row 2"),
                 qPrintable(text));

        TWIN_SKIP_WITHOUT_SHARED_DATA();
        const QString fmu = TWIN_SHARED_DATA "/fmu/reference-fmus/fmi3/StateSpace.fmu";
        const QString cells = write("cells.csv", "time,u\n0,1 -2 0.5\n1,1 -2 0.5\n"),
                      columns = write("columns.csv", "time,u[1],u[2],u[3]\n0,1,-2,0.5\n1,1,-2,0.5\n");
        QVERIFY2(run(fmu, cells, dir.filePath("a.csv"), rc).size() >= 0 && rc == 0, "space-separated cells");
        QVERIFY2(run(fmu, columns, dir.filePath("b.csv"), rc).size() >= 0 && rc == 0,
                 "one column per element");
        QFile a(dir.filePath("a.csv")), b(dir.filePath("b.csv"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray first = a.readAll();
        QCOMPARE(first, b.readAll());
        QVERIFY(first.contains("y[2]"));
        QVERIFY(first.split('\n').at(1).contains("-2")); // y = C x + D u with x(0) = 0: y(0) = u
    }

    // saveState / restoreState (FMI get + serialize / deserialize + set FMU state): a run continued from a
    // saved point, in the same instance or a fresh one, repeats exactly what followed that point; FMUs
    // without the capability, and bytes that are not a saved state, are refused by name.
    void stateSaveAndRestoreRoundTrip_data()
    {
        QTest::addColumn<QString>("fmu");
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("shared");
        QTest::newRow("FMI 2 co-simulation, decay2") << QString::fromStdString(fmuPath("decay2")) << ""
                                                     << "y" << false;
        QTest::newRow("FMI 2 co-simulation, ref BouncingBall")
            << TWIN_SHARED_DATA "/fmu/reference-fmus/fmi2/BouncingBall.fmu"
            << ""
            << "h" << true;
        QTest::newRow("FMI 3 model exchange, ref BouncingBall")
            << TWIN_SHARED_DATA "/fmu/reference-fmus/fmi3/BouncingBall.fmu"
            << ", \"interface\": \"me\""
            << "h" << true;
    }
    void stateSaveAndRestoreRoundTrip()
    {
        QFETCH(QString, fmu);
        QFETCH(QString, config);
        QFETCH(QString, output);
        QFETCH(bool, shared);
        if (shared)
            TWIN_SKIP_WITHOUT_SHARED_DATA();
        const std::string json = "{\"fmu\": \"" + fmu.toStdString() + "\"" + config.toStdString() + "}";
        auto started = [&](twin::fmi::FmiSimulator &sim) {
            return sim.load("", json).ok() && sim.initialize(0).ok();
        };
        auto run = [&](twin::fmi::FmiSimulator &sim, int steps, std::vector<double> &values) {
            for (int i = 0; i < steps; ++i) {
                double reached = 0, v = 0;
                std::string message;
                if (sim.step(0.05, reached, message) != twin::sdk::StepResult::Ok ||
                    !sim.getReal(output.toStdString(), v))
                    return false;
                values.push_back(v);
            }
            return true;
        };
        twin::fmi::FmiSimulator a;
        QVERIFY(started(a));
        QVERIFY(twin::sdk::hasCapability(a.capabilities(), twin::sdk::SimCapability::SaveRestore));
        std::vector<double> before, first, again, fresh;
        QVERIFY(run(a, 8, before)); // t = 0.4
        std::vector<std::uint8_t> saved;
        const auto ok = a.saveState(saved);
        QVERIFY2(ok, ok.message().c_str());
        QVERIFY(run(a, 12, first)); // to t = 1.0 (the ball bounces at 0.45)
        QVERIFY(a.restoreState(saved));
        QVERIFY(run(a, 12, again));
        twin::fmi::FmiSimulator b;
        QVERIFY(started(b));
        QVERIFY(b.restoreState(saved));
        QVERIFY(run(b, 12, fresh));
        // Co-simulation repeats exactly; model exchange restarts our integrator at the restored point (its
        // step history is not part of the FMU's state), so it agrees to the integration tolerance.
        const double tolerance = config.isEmpty() ? 0 : 1e-5;
        for (std::size_t i = 0; i < first.size(); ++i) {
            QVERIFY2(std::abs(again[i] - first[i]) <= tolerance,
                     qPrintable(QString::number(again[i] - first[i])));
            QVERIFY2(std::abs(fresh[i] - first[i]) <= tolerance,
                     qPrintable(QString::number(fresh[i] - first[i])));
        }
        QVERIFY(first.front() != before.back()); // it did move on

        std::vector<std::uint8_t> garbage(saved.size(), 7);
        const auto refused = b.restoreState(garbage);
        QVERIFY(!refused && refused.message().find("not a state saved") != std::string::npos);
        twin::fmi::FmiSimulator typed;
        QVERIFY(typed.load("", "{\"fmu\": \"" + fmuPath("types2") + "\"}").ok() && typed.initialize(0).ok());
        const auto cannot = typed.saveState(saved);
        QVERIFY2(!cannot && cannot.message().find("cannot be saved") != std::string::npos,
                 cannot.message().c_str());
    }

    // The same through the worker and twinctl: a run saves its state at t = 1 into a file, a second run goes
    // on from that file and repeats the first one's rows from there; misuse and FMUs without the
    // capability are named.
    void fmuRunSavesAndContinuesFromAState()
    {
        QTemporaryDir dir;
        const QString twinctl = QString::fromStdString(kBin + "/bin/twinctl"),
                      fmu = QString::fromStdString(fmuPath("decay2"));
        auto run = [&](const QStringList &args, int &rc) {
            QProcess p;
            p.start(twinctl,
                    QStringList{"fmu-run", fmu, "--stop", "2", "--step", "0.1", "--set", "y0=3"} + args);
            p.waitForFinished(60000);
            rc = p.exitCode();
            return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        };
        auto rows = [](const QString &path) {
            QFile f(path);
            QStringList lines;
            if (f.open(QIODevice::ReadOnly))
                lines = QString::fromUtf8(f.readAll()).trimmed().split('\n');
            return lines;
        };
        int rc = 0;
        const QString state = dir.filePath("s.state"), a = dir.filePath("a.csv"), b = dir.filePath("b.csv");
        QString text = run({"--save-state", state, "--save-at", "1", "--out", a}, rc);
        QVERIFY2(rc == 0 && text.contains("state at t=1"), qPrintable(text));
        text = run({"--from-state", state, "--out", b}, rc);
        QVERIFY2(rc == 0, qPrintable(text));
        const QStringList first = rows(a), second = rows(b);
        QCOMPARE(first.size(), 22);
        QCOMPARE(second.size(), 12);
        for (int i = 1; i < second.size(); ++i) // t = 1 .. 2 (the grids differ in the last bit: 1 + 0.1 k)
            for (int c = 0; c < 2; ++c)
                QVERIFY2(std::abs(second[i].split(',')[c].toDouble() -
                                  first[i + 10].split(',')[c].toDouble()) < 1e-12,
                         qPrintable(second[i] + " vs " + first[i + 10]));
        text = run({"--save-state", state, "--out", a}, rc);
        QVERIFY2(rc != 0 && text.contains("go together"), qPrintable(text));
        text = run({"--from-state", a, "--out", b}, rc);
        QVERIFY2(rc != 0 && text.contains("not a saved model state"), qPrintable(text));
        QProcess typed;
        typed.start(twinctl, {"fmu-run", QString::fromStdString(fmuPath("types2")), "--save-state", state,
                              "--save-at", "0.5", "--out", a});
        typed.waitForFinished(60000);
        text = QString::fromUtf8(typed.readAllStandardOutput() + typed.readAllStandardError());
        QVERIFY2(typed.exitCode() != 0 && text.contains("cannot save the state"), qPrintable(text));
    }

    void reusedWorkerRunsManyJobsAndIsReplacedAfterFailures()
    {
        auto runner = std::make_unique<SimulationRunner>(kBin + "/bin/twin-simworker");
        runner->setReuse(true);
        std::vector<double> finals;
        for (int i = 0; i < 5; ++i) {
            const SimulationResult r = runner->run(fmuJob("decay2"), quickLimits());
            QVERIFY2(r.ok(), r.message.c_str());
            finals.push_back(r.rows.back()[1]);
        }
        QCOMPARE(runner->workersStarted(), std::size_t(1)); // one process for five runs
        QVERIFY(std::all_of(finals.begin(), finals.end(), [&](double v) { return v == finals[0]; }));
        // A model error keeps the worker; a crash does not, and the next run gets a fresh one.
        QCOMPARE(runner->run(fmuJob("nan"), quickLimits()).outcome, RunOutcome::ModelError);
        QCOMPARE(runner->workersStarted(), std::size_t(1));
        const SimulationResult crashed = runner->run(fmuJob("crash"), quickLimits());
        QCOMPARE(crashed.message, std::string("SIGSEGV in doStep of crash.fmu at t=0.3"));
        // The crash happened on a worker that had served other jobs: it was run once more on a fresh one
        // (which crashed too) before being reported.
        QCOMPARE(runner->workersStarted(), std::size_t(2));
        QVERIFY2(runner->run(fmuJob("decay2"), quickLimits()).ok(), "after a crash");
        QCOMPARE(runner->workersStarted(), std::size_t(3));
        // Other memory limits: a new worker.
        RunLimits bigger = quickLimits();
        bigger.memoryBytes *= 2;
        QVERIFY(runner->run(fmuJob("decay2"), bigger).ok());
        QCOMPARE(runner->workersStarted(), std::size_t(4));
        // A hang still times out (on a new worker: the limits changed back), and the worker is replaced.
        QCOMPARE(runner->run(fmuJob("hang"), quickLimits()).outcome, RunOutcome::TimedOut);
        QVERIFY(runner->run(fmuJob("decay2"), quickLimits()).ok());
        QCOMPARE(runner->workersStarted(), std::size_t(6));
        QVERIFY(!noChildLeft()); // the kept worker is alive...
        runner.reset();
        QVERIFY(noChildLeft()); // ...and gone with its runner
    }

    void twinctlFmuInfoAndRunEndToEnd()
    {
        QTemporaryDir dir;
        const QString twinctl = QString::fromStdString(kBin + "/bin/twinctl");
        QProcess info;
        info.start(twinctl, {"--json", "fmu-info", QString::fromStdString(fmuPath("decay3"))});
        QVERIFY(info.waitForFinished(20000));
        QCOMPARE(info.exitCode(), 0);
        const QJsonObject details =
            QJsonDocument::fromJson(info.readAllStandardOutput())["details"].toObject();
        QCOMPARE(details["fmiVersion"].toString(), QString("3.0"));
        QCOMPARE(details["variables"].toArray().size(), 4);
        QCOMPARE(details["defaultExperiment"].toObject()["stopTime"].toDouble(), 2.0);

        // k as a time series input (it is tunable): k = 0 until t = 1, then 1.
        const QString inputs = dir.filePath("in.csv"), out = dir.filePath("out.csv");
        std::ofstream(inputs.toStdString()) << "time,k\n0,0\n0.999,0\n1,1\n3,1\n";
        QProcess run;
        run.start(twinctl, {"--json", "fmu-run", QString::fromStdString(fmuPath("decay2")), "--stop", "2",
                            "--step", "0.5", "--inputs", inputs, "--out", out});
        QVERIFY(run.waitForFinished(20000));
        QCOMPARE(run.exitCode(), 0);
        const QJsonObject report = QJsonDocument::fromJson(run.readAllStandardOutput()).object();
        QCOMPARE(report["outcome"].toString(), QString("completed"));
        std::ifstream csv(out.toStdString());
        std::string header, line;
        std::getline(csv, header);
        QCOMPARE(header, std::string("time,y"));
        std::vector<double> y;
        while (std::getline(csv, line))
            y.push_back(std::stod(line.substr(line.find(',') + 1)));
        QCOMPARE(y.size(), std::size_t(5));
        QCOMPARE(y[2], 1.0); // no decay while k = 0
        QVERIFY(std::fabs(y[4] - std::exp(-1.0)) < 1e-12);

        QProcess crash;
        crash.start(twinctl,
                    {"fmu-run", QString::fromStdString(fmuPath("crash")), "--out", dir.filePath("c.csv")});
        QVERIFY(crash.waitForFinished(20000));
        QCOMPARE(crash.exitCode(), 1);
        QVERIFY(crash.readAllStandardError().contains("SIGSEGV in doStep of crash.fmu at t=0.3"));

        // An FMU that discards a step stops there: the rows so far are the result, exit 0 with a note.
        QProcess discard;
        discard.start(twinctl, {"--json", "fmu-run", QString::fromStdString(fmuPath("discard")), "--stop",
                                "1", "--step", "0.1", "--out", dir.filePath("d.csv")});
        QVERIFY(discard.waitForFinished(20000));
        const QByteArray discardOut = discard.readAllStandardOutput();
        QVERIFY2(discard.exitCode() == 0, discardOut.constData());
        const QJsonObject early = QJsonDocument::fromJson(discardOut).object();
        QVERIFY(early["stoppedEarly"].toBool());
        QVERIFY(early["note"].toString().contains("stopped at t=0.5"));
        QFile rows(dir.filePath("d.csv"));
        QVERIFY(rows.open(QIODevice::ReadOnly));
        const auto lines = rows.readAll().trimmed().split('\n');
        QVERIFY2(lines.size() >= 6 && lines.last().startsWith("0.5"), lines.last().constData());
    }
};

QTEST_GUILESS_MAIN(TstFmi)
#include "tst_fmi.moc"
