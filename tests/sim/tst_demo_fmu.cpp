// The demo's FMU scenarios: Motor M-101 bound to our own motor-cooling FMU (resources/fmus), its
// relative path resolved next to the plugins (build/share/twinworks/fmus), "cooldown-fmu" run through the
// worker process against the analytic solution, "overload-fmu" heating past 120 degC, and twinctl
// simulate / validate / fmu-info on the real binary.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/scenario/ScenarioRun.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace twin::model;
using namespace twin::model::scenario;

namespace {
const std::string kBin = TWIN_BINARY_DIR;
const std::string kPlugins = kBin + "/plugins";
const std::string kFmu = kBin + "/share/twinworks/fmus/motor-cooling.fmu";
const std::string kM101 = "Riverside site/Pump station PS-1/Skid 1/Motor M-101";
// The FMU's parameter start values (modelDescription.xml).
constexpr double kTau = 1200, kAmbient = 25, kRth = 0.03;

std::unique_ptr<Project> demo()
{
    auto p = std::make_unique<Project>();
    p->history = std::make_shared<TimeSeriesStore>();
    if (auto s = buildDemoTwin(*p); !s)
        qFatal("%s", s.error().c_str());
    return p;
}

ExecutorOptions options()
{
    ExecutorOptions o;
    o.pluginDir = kPlugins;
    o.workerPath = kBin + "/bin/twin-simworker";
    return o;
}

double kpi(const ScenarioRunResult &r, const std::string &name)
{
    for (const auto &k : r.kpis)
        if (k.name == name)
            return k.error.empty() ? k.value : std::nan("");
    return std::nan("");
}

double parameter(const ScenarioPlan &plan, const std::string &name)
{
    for (const auto &[n, v] : plan.job.parameters)
        if (n == name)
            return v;
    return std::nan("");
}

QJsonObject runTwinctl(const QStringList &args, int &exitCode)
{
    QProcess p;
    p.start(QString::fromStdString(kBin + "/bin/twinctl"), QStringList{"--json"} + args);
    if (!p.waitForFinished(60000))
        qFatal("twinctl did not finish");
    exitCode = p.exitCode();
    const QByteArray out = p.readAllStandardOutput();
    if (exitCode != 0)
        qWarning("twinctl %s: %s %s", qPrintable(args.join(' ')), out.constData(),
                 p.readAllStandardError().constData());
    return QJsonDocument::fromJson(out).object();
}
} // namespace

class TstDemoFmu : public QObject
{
    Q_OBJECT
private slots:
    void fmuIsBuiltWhereTheInstallPutsIt() { QVERIFY2(std::filesystem::is_regular_file(kFmu), kFmu.c_str()); }

    void resourcePathResolution()
    {
        namespace fs = std::filesystem;
        const std::string rel = "fmus/motor-cooling.fmu";
        QCOMPARE(fs::path(resolveResourcePath(rel, kPlugins)), fs::path(kFmu).lexically_normal());
        QCOMPARE(resolveResourcePath("/abs/x.fmu", kPlugins), std::string("/abs/x.fmu"));
        QCOMPARE(resolveResourcePath("fmus/none.fmu", kPlugins), std::string("fmus/none.fmu"));
        // The project's folder wins over the bundled resources.
        QTemporaryDir dir;
        fs::create_directories(dir.path().toStdString() + "/fmus");
        fs::copy_file(kFmu, dir.path().toStdString() + "/fmus/motor-cooling.fmu");
        QCOMPARE(resolveResourcePath(rel, kPlugins, dir.path().toStdString()),
                 dir.path().toStdString() + "/fmus/motor-cooling.fmu");
        // Install layout: <prefix>/lib/twinworks/plugins -> <prefix>/share/twinworks.
        fs::create_directories(dir.path().toStdString() + "/lib/twinworks/plugins");
        fs::create_directories(dir.path().toStdString() + "/share/twinworks/fmus");
        fs::copy_file(kFmu, dir.path().toStdString() + "/share/twinworks/fmus/motor-cooling.fmu");
        QCOMPARE(resolveResourcePath(rel, dir.path().toStdString() + "/lib/twinworks/plugins"),
                 dir.path().toStdString() + "/share/twinworks/fmus/motor-cooling.fmu");
    }

    void demoMotorBindingIsClean()
    {
        auto p = demo();
        const auto binding = findBinding(*p, "dtmi:twinworks:demo:Motor;1");
        QVERIFY(binding && binding->pluginId == "twin.sim-fmi");
        const auto f = validateBinding(*p, *binding, [](const SimulationBinding &b, std::string &why) {
            return modelVariables(kPlugins, b, why);
        });
        for (const auto &x : f)
            qWarning("%s: %s: %s", x.where.c_str(), x.rule.c_str(), x.message.c_str());
        QVERIFY(f.empty());
        std::string why;
        QVERIFY2(modelVariables(kPlugins, *binding, why).has_value(), why.c_str());
    }

    void cooldownMatchesTheAnalyticSolution()
    {
        auto p = demo();
        const auto def = findScenario(*p, "cooldown-fmu");
        QVERIFY(def);
        auto plan = planScenario(*p, *def, kM101, kPlugins);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().c_str());
        QVERIFY2(plan->job.config.find(kFmu) != std::string::npos, plan->job.config.c_str()); // absolute
        const double t0 = parameter(plan.value(), "T0");
        QVERIFY2(std::isfinite(t0) && t0 > 40, std::to_string(t0).c_str()); // the demo motor runs warm
        QCOMPARE(parameter(plan.value(), "P_loss"), 0.0);
        QCOMPARE(parameter(plan.value(), "I"), 0.0); // tripped: no current, no copper losses

        ScenarioExecutor ex(options());
        const auto r = ex.runPlan(plan.value());
        QVERIFY2(r.ok(), r.message.c_str());
        const auto *T = r.series.find("T");
        const auto *twin = r.series.find("windingTemperature");
        QVERIFY(T && twin);
        QCOMPARE(r.series.time.size(), std::size_t(361));
        double worst = 0;
        for (std::size_t i = 0; i < r.series.time.size(); ++i) {
            const double exact = kAmbient + (t0 - kAmbient) * std::exp(-r.series.time[i] / kTau);
            worst = std::max({worst, std::abs((*T)[i] - exact), std::abs((*twin)[i] - exact)});
        }
        QVERIFY2(worst < 1e-9, std::to_string(worst).c_str());
        QVERIFY(std::abs(kpi(r, "finalT") - (kAmbient + (t0 - kAmbient) * std::exp(-3600 / kTau))) < 1e-9);
        QVERIFY(kpi(r, "maxT") <= t0 + 1e-9);
    }

    void overloadHeatsPast120()
    {
        auto p = demo();
        ScenarioExecutor ex(options());
        const ScenarioPlans planned = planScenarioTargets(*p, *findScenario(*p, "overload-fmu"), kPlugins);
        QCOMPARE(planned.plans.size(), std::size_t(1));
        const std::vector<ScenarioRunResult> r{executePlan(ex, planned.plans.front()).result};
        QVERIFY2(r.front().ok(), r.front().message.c_str());
        // Copper losses 3 * 0.05 ohm * (170 A)^2 = 4335 W; steady state 25 + 4335 W * 0.03 K/W = 155 degC,
        // after 55 min most of the way there.
        const double steady = kAmbient + 3 * 0.05 * 170 * 170 * kRth;
        QVERIFY2(kpi(r.front(), "finalT") > 145 && kpi(r.front(), "finalT") < steady,
                 std::to_string(kpi(r.front(), "finalT")).c_str());
        QVERIFY(kpi(r.front(), "timeAbove120C") > 0);
    }

    void twinctlSimulateValidateFmuInfo()
    {
        QTemporaryDir dir;
        const QString twin = dir.filePath("p.twin"), csv = dir.filePath("x.csv");
        int rc = -1;
        runTwinctl({"demo", "--out", twin}, rc);
        QCOMPARE(rc, 0);

        const QJsonObject validate = runTwinctl({"validate", twin}, rc);
        QCOMPARE(rc, 0);
        QCOMPARE(validate["errors"].toVariant().toString(), QString("0"));

        runTwinctl({"simulate", twin, "--scenario", "cooldown-fmu", "--out", csv}, rc);
        QCOMPARE(rc, 0);
        std::ifstream in(csv.toStdString());
        std::string header;
        std::getline(in, header);
        QVERIFY2(header.rfind("time", 0) == 0 && header.find("windingTemperature") != std::string::npos,
                 header.c_str());
        std::size_t rows = 0;
        for (std::string line; std::getline(in, line);)
            rows += !line.empty();
        QCOMPARE(rows, std::size_t(361));

        const QJsonObject info = runTwinctl({"fmu-info", QString::fromStdString(kFmu)}, rc);
        QCOMPARE(rc, 0);
        const QJsonArray vars = info["details"].toObject()["variables"].toArray();
        QCOMPARE(vars.size(), 8);
        QMap<QString, QString> units;
        for (const auto &v : vars)
            units[v.toObject()["name"].toString()] = v.toObject()["unit"].toString();
        QCOMPARE(units["T"], QString("degC"));
        QCOMPARE(units["P_loss"], QString("W"));
        QCOMPARE(units["R_th"], QString("K/W"));
        QCOMPARE(units["tau"], QString("s"));
        QCOMPARE(units["T_amb"], QString("degC"));
        QCOMPARE(units["I"], QString("A"));
        QCOMPARE(units["R_w"], QString("Ohm"));
    }
};

QTEST_GUILESS_MAIN(TstDemoFmu)
#include "tst_demo_fmu.moc"
