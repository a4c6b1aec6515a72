// Shadow simulation (model/shadow/Shadow.h) on the demo's Pump P-101 (sim-ode pump station, driven by its
// measured speed): chunk by chunk, each chunk going on from the state the last one saved, against one
// unbroken offline run of the same plan; chunk lengths that do not matter; advancing in steps; derived
// signals in the store; a model that cannot save its state; twinctl shadow.
#include "twin/model/calibration/ProjectCalibration.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/health/TwinHealth.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/replay/ReplayEngine.h"
#include "twin/model/scenario/Binding.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/shadow/Shadow.h"
#include "twin/model/simrunner/SimulationRunner.h"
#include "twin/model/state/RuleEditing.h"
#include "twin/model/state/StateEngine.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace twin::model;
using twin::Status;

namespace {

const std::string kBin = TWIN_BINARY_DIR;
const std::string kPump = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";
const std::string kMotor = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";
const TimeNs k0600 = 1767592800LL * kNsPerSecond; // 2026-01-05T06:00:00Z, in the demo's history

std::unique_ptr<Project> demo()
{
    auto p = std::make_unique<Project>();
    if (Status s = buildDemoTwin(*p); !s)
        qFatal("demo: %s", s.error().c_str());
    return p;
}

shadow::ShadowRequest request(const std::string &asset, double minutes, double chunk)
{
    shadow::ShadowRequest r;
    r.asset = asset;
    r.window = {k0600, k0600 + TimeNs(minutes * 60) * kNsPerSecond};
    r.chunkSeconds = chunk;
    r.pluginDir = kBin + "/plugins";
    r.workerPath = kBin + "/bin/twin-simworker";
    return r;
}

std::unique_ptr<shadow::ShadowSession> run(const Project &p, const shadow::ShadowRequest &r)
{
    auto s = shadow::ShadowSession::open(p, r);
    if (!s)
        qFatal("open: %s", s.error().c_str());
    if (Status ok = (*s)->advanceTo((*s)->end()); !ok)
        qFatal("advance: %s", ok.error().c_str());
    return std::move(*s);
}

// The largest difference between two runs' simulated values, relative to each output's range.
double largestDifference(const std::vector<shadow::ShadowOutput> &a,
                         const std::vector<shadow::ShadowOutput> &b)
{
    double worst = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const auto [lo, hi] = std::minmax_element(a[k].simulated.begin(), a[k].simulated.end());
        const double range = std::max(1e-9, *hi - *lo);
        for (std::size_t i = 0; i < a[k].simulated.size(); ++i)
            worst = std::max(worst, std::abs(a[k].simulated[i] - b[k].simulated[i]) / range);
    }
    return worst;
}

} // namespace

class TstShadow : public QObject
{
    Q_OBJECT

private slots:
    // Ten chunks of a minute, each restored from the last one's saved state, against one run of the same
    // plan from the start to the end: the same values (to 1e-6 of each output's range; sim-ode restarts its
    // solver at a restored state, and here the chunks end on communication points, which the solver meets
    // exactly, so they agree to rounding); the residual is observed - simulated.
    void chunksMatchAnUnbrokenRun()
    {
        const auto p = demo();
        const shadow::ShadowRequest r = request(kPump, 10, 60);
        const auto shadowed = run(*p, r);
        QCOMPARE(shadowed->chunks(), std::size_t(10));
        QCOMPARE(shadowed->position(), r.window.to);

        calibration::CalibrationDefinition d;
        d.asset = kPump;
        d.windows = {r.window};
        const auto plan = calibration::planModelData(*p, d, r.pluginDir);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().c_str());
        sim::SimulationRunner runner(r.workerPath);
        const sim::SimulationResult whole = runner.run(plan->problem.job);
        QVERIFY2(whole.ok(), whole.message.c_str());

        const auto &outputs = shadowed->outputs();
        QCOMPARE(outputs.size(), plan->problem.outputs.size());
        QVERIFY(outputs.size() >= 2);
        double worst = 0;
        for (std::size_t k = 0; k < outputs.size(); ++k) {
            const auto &o = outputs[k];
            QVERIFY2(o.time.size() > 500, o.twin.c_str());
            const auto column =
                std::find(whole.columns.begin(), whole.columns.end(), plan->problem.outputs[k].variable);
            QVERIFY(column != whole.columns.end());
            const std::size_t c = std::size_t(column - whole.columns.begin());
            double lo = INFINITY, hi = -INFINITY;
            for (const auto &row : whole.rows)
                lo = std::min(lo, row[c]), hi = std::max(hi, row[c]);
            const auto &conversion = plan->outputs[k].toTwin;
            for (std::size_t i = 0; i < o.time.size(); ++i) {
                const double t = double(o.time[i] - r.window.from) / double(kNsPerSecond);
                const auto at = std::find_if(whole.rows.begin(), whole.rows.end(),
                                             [&](const auto &row) { return std::abs(row[0] - t) < 1e-9; });
                QVERIFY2(at != whole.rows.end(), qPrintable(QString("no row at %1 s").arg(t)));
                const double offline = conversion.apply((*at)[c]);
                worst = std::max(worst, std::abs(o.simulated[i] - offline) /
                                            std::max(1e-9, std::abs(conversion.factor) * (hi - lo)));
                QCOMPARE(o.residual[i], o.observed[i] - o.simulated[i]);
            }
        }
        QVERIFY2(worst < 1e-6, qPrintable(QString("largest difference %1 of the range").arg(worst)));
    }

    // Chunks of 7 s and of 5 minutes give what chunks of a minute give; advancing in two calls gives what
    // one call gives, and the outputs hold only what has been passed.
    void chunkingAndAdvancingDoNotMatter()
    {
        const auto p = demo();
        const auto minute = run(*p, request(kPump, 10, 60));
        const auto seven = run(*p, request(kPump, 10, 7));
        const auto five = run(*p, request(kPump, 10, 300));
        QCOMPARE(five->chunks(), std::size_t(2));
        QVERIFY(seven->chunks() >= 86);
        QVERIFY(largestDifference(minute->outputs(), seven->outputs()) < 1e-4);
        QVERIFY(largestDifference(minute->outputs(), five->outputs()) < 1e-4);

        auto stepped = shadow::ShadowSession::open(*p, request(kPump, 10, 60));
        QVERIFY(stepped.ok());
        auto &s = **stepped;
        QVERIFY(s.advanceTo(k0600 + 150 * kNsPerSecond).ok());
        QCOMPARE(s.position(), k0600 + 150 * kNsPerSecond);
        const std::size_t half = s.outputs()[0].time.size();
        QVERIFY(half > 100 && half < minute->outputs()[0].time.size());
        QVERIFY(s.outputs()[0].time.back() <= s.position());
        QVERIFY(s.advanceTo(k0600).ok()); // the past: nothing to do
        QCOMPARE(s.outputs()[0].time.size(), half);
        QVERIFY(s.advanceTo(s.end() + 3600 * kNsPerSecond).ok()); // clamped to the window
        QCOMPARE(s.position(), s.end());
        QVERIFY(largestDifference(minute->outputs(), s.outputs()) < 1e-4);
    }

    // Kept in history, the residuals replay like any telemetry and rules read them: an alarm on the motor
    // type's "windingTemperature_residual > 10" is raised on M-103 (its cooler is fouled: the plant runs
    // hotter than its model) and on no motor that was not shadowed.
    void rulesReadTheResidualsOnReplay()
    {
        auto p = demo();
        const auto s = run(*p, request(kMotor, 60, 60));
        const auto &t = s->outputs().at(0);
        QCOMPARE(t.telemetry, std::string("windingTemperature"));
        const auto over = std::find_if(t.residual.begin(), t.residual.end(), [](double r) { return r > 10; });
        QVERIFY2(over != t.residual.end(), "the fouled motor's residual never exceeds 10 K");
        const TimeNs firstOver = t.time[std::size_t(over - t.residual.begin())];
        shadow::storeShadow(*p->history, s->outputs());

        const AssetId motor = scenario::findAssetByPath(*p, kMotor);
        const std::string motorType = p->graph.find(motor)->typeId;
        const std::vector<std::string> variables = ruleVariables(*p, motorType);
        QVERIFY(std::find(variables.begin(), variables.end(), "windingTemperature_residual") !=
                variables.end());
        RuleSet rules;
        rules.typeId = motorType;
        rules.initialState = "running";
        rules.states = {"running"};
        rules.alarms = {{"Model mismatch", AlarmSeverity::Warning, "windingTemperature_residual > 10", "", 0,
                         "hotter than the model"}};
        auto engine = StateEngine::create(*p, {rules});
        QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().c_str());
        ReplayEngine replay(*p->history, **engine);
        replay.advanceTo(k0600 + 3600 * kNsPerSecond);
        std::vector<AlarmRecord> raised;
        for (const auto &a : (*engine)->alarms())
            if (a.name == "Model mismatch")
                raised.push_back(a);
        QVERIFY(!raised.empty());
        for (const auto &a : raised)
            QCOMPARE(a.asset, motor);
        QCOMPARE(raised.front().raised, firstOver);
    }

    // The twin's health judges each model by its residuals over the last hour: M-103 (default model, fouled
    // cooler) no longer meets its calibration's acceptance (|bias| <= 0.5 K) and is a warning; P-101, whose
    // type has no calibration, gets its figures without a verdict. The derived signals are not plant data.
    void healthJudgesTheModelByItsResiduals()
    {
        auto p = demo();
        for (const std::string &asset : {kMotor, kPump}) {
            const auto s = run(*p, request(asset, 120, 60));
            shadow::storeShadow(*p->history, s->outputs());
        }
        const health::TwinHealth h = health::twinHealth(*p);
        const AssetId motor = scenario::findAssetByPath(*p, kMotor),
                      pump = scenario::findAssetByPath(*p, kPump);
        const auto of = [&](AssetId id) {
            return *std::find_if(h.assets.begin(), h.assets.end(), [&](const auto &a) { return a.id == id; });
        };
        const health::AssetHealth m = of(motor), q = of(pump);
        QVERIFY2(m.model.find("windingTemperature: residual RMSE") != std::string::npos, m.model.c_str());
        QCOMPARE(m.own, health::HealthLevel::Warning);
        QVERIFY(std::any_of(m.reasons.begin(), m.reasons.end(), [](const std::string &r) {
            return r.find("model: windingTemperature no longer within its calibration's acceptance") !=
                       std::string::npos &&
                   r.find("absBias") != std::string::npos;
        }));
        for (const auto &signal : m.telemetry)
            QVERIFY2(shadowSignalBase(signal.telemetry).empty(), signal.telemetry.c_str());
        QVERIFY2(q.model.find("flow: residual RMSE") != std::string::npos, q.model.c_str());
        QVERIFY(std::none_of(q.reasons.begin(), q.reasons.end(),
                             [](const std::string &r) { return r.rfind("model:", 0) == 0; }));
        QVERIFY(health::healthJson(h).find("\"model\"") != std::string::npos);
    }

    void derivedSignalsInTheStore()
    {
        const auto p = demo();
        const auto s = run(*p, request(kPump, 5, 60));
        TimeSeriesStore store;
        std::size_t total = 0;
        for (const auto &o : s->outputs())
            total += 2 * o.time.size();
        QCOMPARE(shadow::storeShadow(store, s->outputs()), total);
        QCOMPARE(shadow::storeShadow(store, s->outputs()), std::size_t(0)); // the same span again: nothing
        for (const auto &o : s->outputs()) {
            for (const char *suffix : {"_shadow", "_residual"}) {
                const auto id = store.findSignal({o.asset, o.telemetry + suffix});
                QVERIFY2(id.has_value(), (o.telemetry + suffix).c_str());
                QCOMPARE(store.stats(*id).count, std::uint64_t(o.time.size()));
                QCOMPARE(store.signalInfo(*id)->unit, o.unit);
            }
            const auto residual = store.findSignal({o.asset, o.telemetry + "_residual"});
            const auto samples = store.range(*residual, o.time.front(), o.time.back() + 1);
            QCOMPARE(samples.size(), o.time.size());
            QCOMPARE(samples[3].value, o.residual[3]);
        }
    }

    // The demo's motors run an FMU (motor-cooling, FMI 2.0 co-simulation) that saves and restores its state:
    // chunks of 50 s give what one chunk over the whole window gives.
    void fmuThatSavesItsState()
    {
        const auto p = demo();
        const auto chunked = run(*p, request(kMotor, 10, 50));
        const auto whole = run(*p, request(kMotor, 10, 600));
        QCOMPARE(chunked->chunks(), std::size_t(12));
        QCOMPARE(whole->chunks(), std::size_t(1));
        QVERIFY(chunked->outputs().at(0).time.size() > 500);
        QVERIFY(largestDifference(chunked->outputs(), whole->outputs()) < 1e-9);
    }

    // A model that cannot save its state (the suite's integrator block, bound to the motor in place of its
    // FMU): the first chunk says so, and nothing moves. Bad requests are refused before anything runs.
    void modelThatCannotSaveItsState()
    {
        const auto p = demo();
        const AssetId motor = scenario::findAssetByPath(*p, kMotor);
        auto binding = scenario::bindingForAsset(*p, motor);
        QVERIFY(binding.has_value());
        using D = scenario::VariableBinding::Direction;
        binding->config = "{\"fmu\": \"" + kBin + "/tests/fmus/integrator.fmu\"}";
        binding->modelId = "integrator";
        binding->variables = {{"u", "current", D::In, ""}, {"y", "windingTemperature", D::Out, ""}};
        scenario::setBinding(*p, *binding);
        auto s = shadow::ShadowSession::open(*p, request(kMotor, 10, 60));
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().c_str());
        const Status ran = (*s)->advanceTo((*s)->end());
        QVERIFY(!ran.ok());
        QVERIFY2(ran.error().find("Motor M-103") != std::string::npos &&
                     ran.error().find("save") != std::string::npos,
                 ran.error().c_str());
        QCOMPARE((*s)->position(), k0600);
        QCOMPARE((*s)->chunks(), std::size_t(0));
        QVERIFY((*s)->outputs()[0].time.empty());

        auto bad = request(kPump, 10, 60);
        bad.asset = "Riverside site/no such pump";
        QVERIFY(!shadow::ShadowSession::open(*p, bad).ok());
        bad = request(kPump, 0, 60);
        QVERIFY(!shadow::ShadowSession::open(*p, bad).ok());
    }

    void twinctlShadow()
    {
        QTemporaryDir dir;
        const QString twin = dir.filePath("demo.twin"), csv = dir.filePath("shadow.csv");
        auto twinctl = [&](const QStringList &args) {
            QProcess proc;
            proc.start(QString::fromStdString(kBin + "/bin/twinctl"), args);
            proc.waitForFinished(60000);
            return std::pair{proc.exitCode(),
                             QString::fromUtf8(proc.readAllStandardOutput() + proc.readAllStandardError())};
        };
        QCOMPARE(twinctl({"demo", "--out", twin}).first, 0);
        const QString pump = QString::fromStdString(kPump);
        const auto [rc, out] = twinctl({"--json", "shadow", twin, "--asset", pump, "--window",
                                        "2026-01-05T06:00:00Z/2026-01-05T06:05:00Z", "--out", csv, "--save"});
        QVERIFY2(rc == 0, qPrintable(out));
        const QJsonObject o = QJsonDocument::fromJson(out.toUtf8()).object();
        QCOMPARE(o["chunks"].toInt(), 5);
        const QJsonArray outputs = o["outputs"].toArray();
        QVERIFY(outputs.size() >= 2);
        QCOMPARE(outputs[0].toObject()["points"].toInt(), 301);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readLine().trimmed(), QByteArray("time,telemetry,observed,simulated,residual"));

        Project saved;
        QVERIFY(loadProject(twin.toStdString(), saved).ok());
        QVERIFY(saved.history);
        bool found = false;
        for (const auto &info : saved.history->allSignals())
            found = found || info.key.telemetry == "flow_residual";
        QVERIFY(found);

        const auto [badRc, badOut] = twinctl({"shadow", twin, "--asset", pump});
        QVERIFY2(badRc == 2 && badOut.contains("usage: twinctl shadow"), qPrintable(badOut));
    }
};

QTEST_GUILESS_MAIN(TstShadow)
#include "tst_shadow.moc"
