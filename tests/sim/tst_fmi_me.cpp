// Model-exchange FMUs (FMI 1.0, 2.0 and 3.0) integrated by sim-fmi through the isolated worker: the
// bouncing-ball test FMUs against their exact solution with each solver (state, time and step events, a
// continuous input, termination), the interface choice and its errors, FMI 1.0 co-simulation (prefixed
// functions, discard, the logger without an environment pointer, negated aliases), and the Modelica
// Association's Reference FMUs run as model exchange (from ../shared when present).
#include "FmiSimulator.h"
#include "twin/model/simrunner/SimulationRunner.h"

#include "SharedData.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace twin::model::sim;

namespace {

const std::string kBin = TWIN_BINARY_DIR;
constexpr double kG = -9.81, kE = 0.7;

SimulationJob meJob(const std::string &fmu, const std::string &solver, double stop, double step)
{
    SimulationJob job;
    job.pluginDir = kBin + "/plugins";
    job.pluginId = "twin.sim-fmi";
    job.config = "{\"fmu\": \"" + fmu + "\", \"solver\": \"" + solver + "\"}";
    job.label = fmu.substr(fmu.rfind('/') + 1);
    job.stepName = "doStep";
    job.stop = stop;
    job.step = step;
    return job;
}

std::string testFmu(const std::string &name)
{
    return kBin + "/tests/fmus/" + name + ".fmu";
}

RunLimits limits()
{
    RunLimits l;
    l.answerSeconds = 5;
    l.wallSeconds = 60;
    return l;
}

int column(const SimulationResult &r, const std::string &name)
{
    const auto it = std::find(r.columns.begin(), r.columns.end(), name);
    return it == r.columns.end() ? -1 : int(it - r.columns.begin());
}

// The ball dropped from 1 m without wind: (h, v) at t, the bounce times and apex times up to `until`.
struct Ball
{
    std::vector<double> bounces, apexes;
    explicit Ball(double until)
    {
        double t = std::sqrt(2.0 / -kG), v = -kG * t * kE; // first impact; speed after it
        while (t <= until) {
            bounces.push_back(t);
            apexes.push_back(t + v / -kG);
            t += 2 * v / -kG;
            v *= kE;
        }
    }
    void state(double t, double &h, double &v) const
    {
        if (bounces.empty() || t < bounces[0]) {
            h = 1 + 0.5 * kG * t * t;
            v = kG * t;
            return;
        }
        std::size_t i = 0;
        while (i + 1 < bounces.size() && bounces[i + 1] <= t)
            ++i;
        const double v0 = -kG * bounces[0] * std::pow(kE, double(i + 1)), dt = t - bounces[i];
        h = v0 * dt + 0.5 * kG * dt * dt;
        v = v0 + kG * dt;
    }
    static int countUpTo(const std::vector<double> &times, double t)
    {
        return int(std::count_if(times.begin(), times.end(), [&](double x) { return x <= t; }));
    }
};

} // namespace

class TstFmiMe : public QObject
{
    Q_OBJECT

private slots:
    void bouncingBallMatchesExactSolution_data()
    {
        QTest::addColumn<QString>("fmu");
        QTest::addColumn<QString>("solver");
        for (const char *fmu : {"bounce1", "bounce2", "bounce3"})
            for (const char *solver : {"cvode", "dopri5"})
                QTest::newRow(qPrintable(QString("%1 %2").arg(fmu, solver))) << fmu << solver;
    }
    void bouncingBallMatchesExactSolution()
    {
        QFETCH(QString, fmu);
        QFETCH(QString, solver);
        const SimulationJob job = meJob(testFmu(fmu.toStdString()), solver.toStdString(), 2.0, 0.01);
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, limits());
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.rows.size(), std::size_t(201));
        const int h = column(r, "h"), v = column(r, "v"), bounces = column(r, "bounces"),
                  ticks = column(r, "ticks"), apexes = column(r, "apexes");
        QVERIFY(h > 0 && v > 0 && bounces > 0 && ticks > 0 && apexes > 0);
        const Ball ball(2.0);
        QCOMPARE(ball.bounces.size(), std::size_t(4));
        for (const auto &row : r.rows) {
            const double t = row[0];
            double he = 0, ve = 0;
            ball.state(t, he, ve);
            // The DefaultExperiment asks for 1e-8; errors grow through each located bounce.
            QVERIFY2(std::abs(row[std::size_t(h)] - he) < 1e-5 && std::abs(row[std::size_t(v)] - ve) < 1e-4,
                     qPrintable(QString("t=%1: h %2 (exact %3), v %4 (exact %5)")
                                    .arg(t)
                                    .arg(row[std::size_t(h)])
                                    .arg(he)
                                    .arg(row[std::size_t(v)])
                                    .arg(ve)));
            // State events: exactly the bounces so far. Time events: one tick per 0.25 s, on the dot.
            QCOMPARE(int(row[std::size_t(bounces)]), Ball::countUpTo(ball.bounces, t));
            QCOMPARE(int(row[std::size_t(ticks)]), int(std::floor(t / 0.25 + 1e-9)));
            // Step events: an apex is seen at the end of the integrator step that passed it, never later
            // than the next output point.
            const int seen = int(row[std::size_t(apexes)]);
            QVERIFY(seen <= Ball::countUpTo(ball.apexes, t) &&
                    seen >= Ball::countUpTo(ball.apexes, t - 0.01));
        }
        QCOMPARE(int(r.rows.back()[std::size_t(apexes)]), 4);
    }

    // A continuous input changes the dynamics mid-run: from t = 0.21 a "wind" of +9.81 m/s² cancels gravity,
    // so the ball falls at constant speed, bounces once and rises at constant speed.
    void inputDrivesTheModel_data()
    {
        QTest::addColumn<QString>("fmu");
        QTest::newRow("FMI 2") << "bounce2";
        QTest::newRow("FMI 3") << "bounce3";
    }
    void inputDrivesTheModel()
    {
        QFETCH(QString, fmu);
        SimulationJob job = meJob(testFmu(fmu.toStdString()), "cvode", 1.5, 0.01);
        job.inputs.time = {0, 0.2049, 0.2051, 10};
        job.inputs.columns = {{"wind", {0, 0, -kG, -kG}}};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, limits());
        QVERIFY2(r.ok(), r.message.c_str());
        const int h = column(r, "h"), bounces = column(r, "bounces");
        const double t0 = 0.21, h0 = 1 + 0.5 * kG * t0 * t0, v0 = kG * t0, tb = t0 + h0 / -v0;
        for (const auto &row : r.rows) {
            const double t = row[0];
            const double exact = t <= t0   ? 1 + 0.5 * kG * t * t
                                 : t <= tb ? h0 + v0 * (t - t0)
                                           : -kE * v0 * (t - tb);
            QVERIFY2(std::abs(row[std::size_t(h)] - exact) < 1e-5,
                     qPrintable(QString("t=%1: h %2, exact %3").arg(t).arg(row[std::size_t(h)]).arg(exact)));
        }
        QCOMPARE(r.rows.back()[std::size_t(bounces)], 1.0);
    }

    // A model that asks to terminate (here at its second bounce) is a result up to there, not a failure.
    void terminationKeepsTheRowsSoFar()
    {
        SimulationJob job = meJob(testFmu("bounce3"), "dopri5", 2.0, 0.01);
        job.parameters = {{"maxBounces", 2}};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, limits());
        QCOMPARE(r.outcome, RunOutcome::Discarded);
        QVERIFY2(r.message.find("terminate") != std::string::npos, r.message.c_str());
        const Ball ball(2.0);
        QVERIFY2(std::abs(r.reached - ball.bounces[1]) < 1e-6, std::to_string(r.reached).c_str());
        QVERIFY(!r.rows.empty() && r.rows.back()[0] <= r.reached + 1e-12);
        QVERIFY(r.rows.back()[0] > ball.bounces[1] - 0.011);
    }

    void fmi1CoSimulationAndAliases()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        SimulationJob job = meJob(testFmu("decay1"), "cvode", 2.0, 0.05);
        job.config = "{\"fmu\": \"" + testFmu("decay1") + "\"}";
        job.parameters = {{"k", 2.0}, {"y0", 3.0}};
        SimulationResult r = runner.run(job, limits());
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.rows.size(), std::size_t(41));
        for (const auto &row : r.rows)
            QVERIFY(std::abs(row[1] - 3 * std::exp(-2 * row[0])) < 1e-12);
        // A discarded step ends the run where the FMU got to, as a result.
        job.parameters = {{"discardAt", 0.5}};
        r = runner.run(job, limits());
        QCOMPARE(r.outcome, RunOutcome::Discarded);
        QCOMPARE(r.reached, 0.5);
        QVERIFY2(r.message.find("step from t=0.5 discarded") != std::string::npos, r.message.c_str());
        // The FMI 1.0 logger has no environment pointer; the model's own message still reaches the error.
        job.parameters = {{"k", -1.0}};
        r = runner.run(job, limits());
        QVERIFY(!r.ok());
        QVERIFY2(r.message.find("decay rate k must be >= 0 (got -1)") != std::string::npos,
                 r.message.c_str());
        // A negatedAlias reads as minus its base variable.
        job = meJob(testFmu("bounce1"), "cvode", 0.5, 0.1);
        job.outputs = {"v", "falling"};
        r = runner.run(job, limits());
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.columns, (std::vector<std::string>{"time", "v", "falling"}));
        for (const auto &row : r.rows)
            QCOMPARE(row[2], -row[1]);
        twin::fmi::FmuDescription d;
        std::string error;
        QVERIFY2(twin::fmi::FmiSimulator::readDescription(testFmu("bounce1"), d, error), error.c_str());
        QVERIFY(d.fmiMajor == 1 && d.modelExchange.present && !d.hasCoSimulation);
        QCOMPARE(d.find("g")->causality, std::string("parameter"));
        QCOMPARE(d.find("der(h)")->causality, std::string("local"));
        QCOMPARE(d.find("v")->unit, std::string("m/s")); // from its declared type
        QVERIFY(d.find("falling")->negated);
    }

    void interfaceChoiceAndItsErrors()
    {
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        SimulationJob job = meJob(testFmu("decay2"), "cvode", 1, 0.1);
        job.config = "{\"fmu\": \"" + testFmu("decay2") + "\", \"interface\": \"me\"}";
        SimulationResult r = runner.run(job, limits());
        QVERIFY(!r.ok());
        QVERIFY2(r.message.find("no model-exchange interface") != std::string::npos, r.message.c_str());
        job = meJob(testFmu("bounce2"), "cvode", 1, 0.1);
        job.config = "{\"fmu\": \"" + testFmu("bounce2") + "\", \"interface\": \"cs\"}";
        r = runner.run(job, limits());
        QVERIFY2(r.message.find("no co-simulation interface") != std::string::npos, r.message.c_str());
        job.config = "{\"fmu\": \"" + testFmu("bounce2") + "\", \"solver\": \"euler\"}";
        r = runner.run(job, limits());
        QVERIFY2(r.message.find("\"solver\" is \"euler\"") != std::string::npos, r.message.c_str());

        twin::fmi::FmuDescription d;
        std::string error;
        QVERIFY2(twin::fmi::FmiSimulator::readDescription(testFmu("bounce3"), d, error), error.c_str());
        QVERIFY(!d.hasCoSimulation && d.modelExchange.present);
        QVERIFY(d.modelExchange.needsCompletedIntegratorStep);
        QCOMPARE(d.continuousStates, std::size_t(2));
        QCOMPARE(d.eventIndicators, std::size_t(1));
        QCOMPARE(twin::fmi::FmiSimulator::toModelInfo(d).version, std::string("FMI 3.0 (model exchange)"));
    }

    // A model-exchange-only FMU calibrates like a co-simulation one: the restitution coefficient of the
    // ball is recovered from its own trajectory through `twinctl calibrate --fmu`.
    void calibratesThroughTwinctl()
    {
        SimulationJob job = meJob(testFmu("bounce3"), "cvode", 2.0, 0.01);
        job.parameters = {{"e", 0.8}};
        job.outputs = {"h"};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult truth = runner.run(job, limits());
        QVERIFY2(truth.ok(), truth.message.c_str());
        QTemporaryDir dir;
        const QString data = dir.filePath("observed.csv"), fit = dir.filePath("fit.json");
        {
            QFile f(data);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("time,h\n");
            for (const auto &row : truth.rows)
                f.write(QByteArray::number(row[0], 'g', 17) + "," + QByteArray::number(row[1], 'g', 17) +
                        "\n");
        }
        QProcess p;
        p.start(QString::fromStdString(kBin + "/bin/twinctl"),
                {"calibrate", "--fmu", QString::fromStdString(testFmu("bounce3")), "--data", data, "--param",
                 "e=0.5:0.95:0.6", "--fit", "h", "--out", fit});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QFile f(fit);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        const double e = doc["parameters"].toObject()["e"].toObject()["value"].toDouble();
        QVERIFY2(std::abs(e - 0.8) < 1e-6, std::to_string(e).c_str());
    }

    // The FMI standard's Reference FMUs, which offer both interfaces, run as model exchange: BouncingBall
    // and Dahlquist against their exact solutions, Stair (time events only, no continuous state) against
    // its published output, VanDerPol with both solvers agreeing.
    void referenceFmusAsModelExchange_data()
    {
        QTest::addColumn<QString>("version");
        QTest::newRow("FMI 2") << "fmi2";
        QTest::newRow("FMI 3") << "fmi3";
    }
    void referenceFmusAsModelExchange()
    {
        TWIN_SKIP_WITHOUT_SHARED_DATA();
        QFETCH(QString, version);
        const std::string dir = TWIN_SHARED_DATA "/fmu/reference-fmus/" + version.toStdString() + "/";
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        auto run = [&](const std::string &model, const std::string &solver, double stop, double step,
                       const char *tolerance = nullptr) {
            SimulationJob job = meJob(dir + model + ".fmu", solver, stop, step);
            job.config = "{\"fmu\": \"" + dir + model + ".fmu\", \"interface\": \"me\", \"solver\": \"" +
                         solver + "\"" + (tolerance ? std::string(", \"tolerance\": ") + tolerance : "") +
                         "}";
            return runner.run(job, limits());
        };

        SimulationResult r = run("BouncingBall", "cvode", 2.0, 0.01, "1e-9");
        QVERIFY2(r.ok(), r.message.c_str());
        const Ball ball(2.0);
        for (const auto &row : r.rows) {
            double h = 0, v = 0;
            ball.state(row[0], h, v);
            QVERIFY2(std::abs(row[std::size_t(column(r, "h"))] - h) < 1e-5, std::to_string(row[0]).c_str());
        }

        r = run("Dahlquist", "dopri5", 10, 0.1, "1e-10");
        QVERIFY2(r.ok(), r.message.c_str());
        for (const auto &row : r.rows)
            QVERIFY2(std::abs(row[1] - std::exp(-row[0])) < 1e-8,
                     std::to_string(row[1] - std::exp(-row[0])).c_str());

        r = run("Stair", "cvode", 10, 0.2);
        QCOMPARE(r.outcome, RunOutcome::Discarded); // it terminates itself at t = 9, as published
        QCOMPARE(r.reached, 9.0);
        for (const auto &row : r.rows) // counter = 1 + whole seconds passed
            QCOMPARE(row[1], 1 + std::floor(row[0] + 1e-9));

        const SimulationResult a = run("VanDerPol", "cvode", 20, 0.1, "1e-10"),
                               b = run("VanDerPol", "dopri5", 20, 0.1, "1e-10");
        QVERIFY2(a.ok() && b.ok(), (a.message + b.message).c_str());
        QCOMPARE(a.rows.size(), b.rows.size());
        for (std::size_t i = 0; i < a.rows.size(); ++i)
            for (std::size_t c = 1; c < a.rows[i].size(); ++c)
                QVERIFY2(std::abs(a.rows[i][c] - b.rows[i][c]) < 1e-6, std::to_string(a.rows[i][0]).c_str());
    }
};

QTEST_GUILESS_MAIN(TstFmiMe)
#include "tst_fmi_me.moc"
