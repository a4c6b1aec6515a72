// Calibration from the project: the demo's Motor M-103 (fouled cooler, DemoTelemetry.h) bound to the
// motor-cooling FMU, its stored definition planned from the twin's history, fitted through the worker
// processes, checked on the hold-out hour, kept as evidence, signed off (one undo step), applied to later
// what-ifs; bad definitions named; and twinctl calibrate p.twin --asset end to end.
#include "twin/model/calibration/CalibrationRun.h"
#include "twin/model/calibration/CalibrationStatus.h"
#include "twin/model/calibration/Evidence.h"
#include "twin/model/commands/UndoStack.h"
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/scenario/AssetParameters.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <memory>

using namespace twin::model;
using namespace twin::model::calibration;
using nlohmann::json;
using twin::Result;
using twin::Status;

namespace {

const std::string kBin = TWIN_BINARY_DIR;
const std::string kPlugins = kBin + "/plugins";
const std::string kWorker = kBin + "/bin/twin-simworker";
const std::string kM103 = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";

std::unique_ptr<Project> demo()
{
    auto p = std::make_unique<Project>();
    if (Status s = buildDemoTwin(*p); !s)
        qFatal("demo: %s", s.error().c_str());
    return p;
}

CalibrationDefinition demoDefinition(const Project &p)
{
    auto d = findDefinition(p, kM103);
    if (!d)
        qFatal("the demo has no calibration of %s", kM103.c_str());
    return *d;
}

double parameter(const sim::SimulationJob &job, const std::string &name)
{
    for (const auto &[n, v] : job.parameters)
        if (n == name)
            return v;
    return std::nan("");
}

std::string failure(const Result<CalibrationPlan> &plan)
{
    return plan.ok() ? std::string("planned without error") : plan.error();
}

} // namespace

class TestCalibrationProject : public QObject
{
    Q_OBJECT
private slots:
    void planTakesTheTwinsOwnData()
    {
        auto p = demo();
        const auto plan = planCalibration(*p, demoDefinition(*p), kPlugins);
        QVERIFY2(plan.ok(), failure(plan).c_str());
        // Both hours on the data's 1 s spacing, each hour simulated from the twin's state at its start (T0,
        // the winding temperature, as the mean around the start rather than one noisy sample).
        QCOMPARE(plan->scenario.startAt, kDemoTelemetryStart);
        QCOMPARE(plan->problem.job.step, 1.0);
        QCOMPARE(plan->problem.job.stop, 7200.0);
        QCOMPARE(plan->problem.segments.size(), std::size_t(2));
        QCOMPARE(plan->problem.segments[0].start, 0.0);
        QCOMPARE(plan->problem.segments[0].stop, 3600.0);
        QCOMPARE(plan->problem.segments[1].start, 3601.0);
        QCOMPARE(plan->problem.segments[1].stop, 7200.0);
        QCOMPARE(plan->problem.segments[1].parameters.size(), std::size_t(1)); // the state only, not R_th
        QCOMPARE(plan->problem.segments[1].parameters[0].first, std::string("T0"));
        {
            const auto &o = plan->problem.outputs[0];
            const auto at = std::lower_bound(o.time.begin(), o.time.end(), 3601.0) - o.time.begin();
            double near = 0; // the observations within +-30 s of the start
            for (auto i = at - 30; i <= at + 30; ++i)
                near += o.observed[std::size_t(i)] / 61;
            QVERIFY(std::abs(plan->problem.segments[1].parameters[0].second - near) < 0.05);
        }
        auto straight = demoDefinition(*p);
        straight.restartEachWindow = false; // one run through both hours
        const auto through = planCalibration(*p, straight, kPlugins);
        QVERIFY2(through.ok(), failure(through).c_str());
        QVERIFY(through->problem.segments.empty());
        QCOMPARE(plan->problem.outputs.size(), std::size_t(1));
        QCOMPARE(plan->problem.outputs[0].variable, std::string("T"));
        const DataCounts c = plan->counts.at("windingTemperature");
        QCOMPARE(c.fitted, std::size_t(3601));
        QCOMPARE(c.holdout, std::size_t(3599));
        QCOMPARE(c.badQuality, std::size_t(0));
        // The motor's current drives the model from history (an input column), not as a constant.
        QCOMPARE(plan->inputs, std::vector<std::string>{"current"});
        QCOMPARE(plan->problem.job.inputs.columns.size(), std::size_t(1));
        QCOMPARE(plan->problem.job.inputs.columns[0].first, std::string("I"));
        QVERIFY(std::isnan(parameter(plan->problem.job, "I")));
        const auto &current = plan->problem.job.inputs.columns[0].second;
        QVERIFY(*std::max_element(current.begin(), current.end()) > 1.1 * current.front()); // the load step
        QVERIFY(plan->dataHash.rfind("sha256:", 0) == 0 && plan->dataHash.size() == 7 + 64);
        QVERIFY(!plan->pluginVersion.empty());
    }

    void defaultModelMissesAndCalibrationFindsThePlant()
    {
        auto p = demo();
        const auto plan = planCalibration(*p, demoDefinition(*p), kPlugins);
        QVERIFY2(plan.ok(), failure(plan).c_str());
        WorkerEvaluator evaluator(plan->problem, 2, {}, kWorker);
        std::vector<double> start;
        for (const auto &fp : plan->problem.parameters)
            start.push_back(fp.start);
        QCOMPARE(start[0], 0.03); // the FMU's defaults
        QCOMPARE(start[1], 1200.0);
        const auto before = evaluator.evaluate({start});
        QVERIFY2(before[0].ok, before[0].message.c_str());
        const FitMetrics missed =
            computeMetrics(plan->problem.outputs[0], before[0].outputs[0], Use::Holdout);
        qInfo("default model on the hold-out hour: RMSE %.2f degC, bias %.2f degC", missed.rmse, missed.bias);
        QVERIFY(missed.nrmse > 0.5 && missed.bias < -10); // the fouled motor runs far hotter than predicted

        const auto result = calibrate(plan->problem, evaluator);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QVERIFY2(result->converged && result->identifiable, result->message.c_str());
        const ParameterEstimate &rth = result->parameters[0], &tau = result->parameters[1];
        qInfo("R_th %.6g +- %.2g, tau %.5g +- %.2g", rth.value, rth.stderror, tau.value, tau.stderror);
        QVERIFY(std::abs(rth.value - kDemoFouledRth) < 0.01 * kDemoFouledRth);
        QVERIFY(std::abs(tau.value - kDemoFouledTau) < 0.01 * kDemoFouledTau);
        QVERIFY(rth.ci95[0] <= kDemoFouledRth && kDemoFouledRth <= rth.ci95[1]);
        QVERIFY(tau.ci95[0] <= kDemoFouledTau && kDemoFouledTau <= tau.ci95[1]);

        // The hold-out hour, started from the twin's state there, is met to the sensor's noise (uniform
        // +-0.3 degC: RMSE 0.17), without bias.
        const FitMetrics &holdout = result->outputs[0].holdout;
        QVERIFY2(std::abs(holdout.bias) < 0.05 && holdout.rmse < 0.19,
                 qPrintable(QString("bias %1, rmse %2").arg(holdout.bias).arg(holdout.rmse)));

        const AcceptanceOutcome acceptance = evaluateAcceptance(*plan, *result);
        QCOMPARE(acceptance.criteria.size(), std::size_t(2));
        QVERIFY(acceptance.passed);
        QVERIFY(acceptance.criteria[0].value < 0.05 && acceptance.criteria[0].value > 0);

        // A criterion the data cannot meet fails, and one without hold-out data fails with a reason.
        CalibrationPlan strict = *plan;
        strict.definition.acceptance = {{"rmse", "<=", 1e-6, "", true}, {"r2", ">=", 0.5, "", false}};
        const AcceptanceOutcome tight = evaluateAcceptance(strict, *result);
        QVERIFY(!tight.passed && !tight.criteria[0].passed && tight.criteria[1].passed);
        CalibrationResult noHoldout = *result;
        noHoldout.outputs[0].holdout = {};
        const AcceptanceOutcome none = evaluateAcceptance(*plan, noHoldout);
        QVERIFY(!none.passed);
        QCOMPARE(none.criteria[0].note, std::string("no hold-out observations"));
    }

    void evidenceIsKeptAndSignOffIsOneUndoStep()
    {
        auto p = demo();
        const auto plan = planCalibration(*p, demoDefinition(*p), kPlugins);
        QVERIFY2(plan.ok(), failure(plan).c_str());
        WorkerEvaluator evaluator(plan->problem, 2, {}, kWorker);
        const auto run = runCalibration(*plan, evaluator, {}, {60});
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().c_str());
        QVERIFY2(run->band, run->bandProblem.c_str());
        QVERIFY(run->passed());
        const CalibrationResult *result = &run->result;
        const std::string record = evidenceJson(*plan, *run, kDemoTelemetryStart);
        const MetaChange first = newEvidence(*p, kM103, record);
        applyChanges(*p, {first});
        const MetaChange second = newEvidence(*p, kM103, record);
        QVERIFY(first.key != second.key); // a later calibration never overwrites an earlier record
        applyChanges(*p, {second});
        QCOMPARE(evidenceKeys(*p, kM103), (std::vector<std::string>{first.key, second.key}));

        const json j = json::parse(p->meta.at(first.key));
        QCOMPARE(j["decision"]["status"].get<std::string>(), std::string("pending"));
        QCOMPARE(j["data"]["hash"].get<std::string>(), plan->dataHash);
        QCOMPARE(j["data"]["outputs"]["windingTemperature"]["fitted"].get<int>(), 3601);
        // How each hour started: T0 fitted for the first, the twin's state for the hold-out hour.
        QCOMPARE(j["data"]["initialState"]["segments"].size(), std::size_t(2));
        QCOMPARE(j["data"]["initialState"]["segments"][0]["fitted"][0].get<std::string>(), std::string("T0"));
        QVERIFY(j["data"]["initialState"]["segments"][1]["state"]["T0"].get<double>() > 80);
        QCOMPARE(j["model"]["plugin"].get<std::string>(), std::string("twin.sim-fmi"));
        QVERIFY(!j["software"]["version"].get<std::string>().empty());
        QCOMPARE(j["series"]["windingTemperature"]["t"].size(), std::size_t(7200));
        QCOMPARE(j["series"]["windingTemperature"]["upper"].size(), std::size_t(7200));
        QVERIFY(j["result"]["holdout"]["T"]["coverage"].get<double>() > 0.9);
        // The model before calibration, for the review: far off on the hold-out hour.
        QCOMPARE(j["series"]["windingTemperature"]["initial"].size(), std::size_t(7200));
        QVERIFY(j["series"]["windingTemperature"]["initialMetrics"]["holdout"]["nrmse"].get<double>() > 0.5);
        QVERIFY(j["result"]["parameters"]["R_th"]["ci95"].is_array());
        QVERIFY(j["acceptance"]["passed"].get<bool>());

        QVERIFY(!signOffChanges(*p, first.key, {Decision::Approved, "", "ok", 0}).ok());
        QVERIFY(!signOffChanges(*p, first.key, {Decision::Approved, "A. Expert", " ", 0}).ok());
        QVERIFY(
            !signOffChanges(*p, "calibration-evidence:nothing#0001", {Decision::Approved, "x", "y", 0}).ok());
        const auto changes = signOffChanges(*p, second.key, {Decision::Approved, "A. Expert", "matches", 5});
        QVERIFY2(changes.ok(), changes.ok() ? "" : changes.error().c_str());
        UndoStack stack(p->graph);
        QVERIFY(pushChanges(stack, *p, *changes, "Approve calibration of Motor M-103").ok());
        const auto applied = scenario::assetParameters(*p, kM103);
        QCOMPARE(applied.values.at("R_th"), result->parameters[0].value);
        QCOMPARE(applied.evidence, second.key);
        QCOMPARE(json::parse(p->meta.at(second.key))["decision"]["reviewer"].get<std::string>(),
                 std::string("A. Expert"));
        QVERIFY(!signOffChanges(*p, second.key, {Decision::Rejected, "B", "changed my mind", 6}).ok());

        // What-ifs on the motor now start from the fitted model.
        auto cooldown = scenario::findScenario(*p, "cooldown-fmu");
        QVERIFY(cooldown);
        auto whatIf = scenario::planScenario(*p, *cooldown, kM103, kPlugins);
        QVERIFY(whatIf.ok());
        QCOMPARE(parameter(whatIf->job, "R_th"), result->parameters[0].value);
        QCOMPARE(parameter(whatIf->job, "tau"), result->parameters[1].value);

        // One undo takes back the decision and the parameters together.
        QVERIFY(stack.undo());
        QVERIFY(scenario::assetParameters(*p, kM103).values.empty());
        QCOMPARE(json::parse(p->meta.at(second.key))["decision"]["status"].get<std::string>(),
                 std::string("pending"));
        QVERIFY(stack.redo());
        QCOMPARE(scenario::assetParameters(*p, kM103).values.size(), std::size_t(3));
    }

    void badQualitySamplesAreExcludedAndCounted()
    {
        auto p = demo();
        const CalibrationDefinition d = demoDefinition(*p);
        const auto clean = planCalibration(*p, d, kPlugins);
        QVERIFY(clean.ok());
        const AssetId motor = scenario::findAssetByPath(*p, kM103);
        const auto id = p->history->findSignal({motor, "windingTemperature"});
        QVERIFY(id);
        // Five extra samples inside the calibration window: two bad values, three out of range.
        for (int k = 0; k < 5; ++k)
            p->history->append(*id, kDemoTelemetryStart + (600 + k) * kNsPerSecond + kNsPerSecond / 2,
                               k < 2 ? std::nan("") : 900.0, k < 2 ? QualityBadValue : QualityOutOfRange);
        const auto flagged = planCalibration(*p, d, kPlugins);
        QVERIFY2(flagged.ok(), failure(flagged).c_str());
        QCOMPARE(flagged->counts.at("windingTemperature").badQuality, std::size_t(5));
        QCOMPARE(flagged->counts.at("windingTemperature").fitted, std::size_t(3601));
        QCOMPARE(flagged->problem.outputs[0].observed, clean->problem.outputs[0].observed);
        QCOMPARE(flagged->dataHash, clean->dataHash); // only samples used are hashed
        // A good sample more changes the hash.
        p->history->append(*id, kDemoTelemetryStart + 700 * kNsPerSecond + kNsPerSecond / 2, 80.0);
        const auto more = planCalibration(*p, d, kPlugins);
        QVERIFY(more.ok());
        QVERIFY(more->dataHash != clean->dataHash);
    }

    void badDefinitionsNameWhatIsWrong()
    {
        auto p = demo();
        const CalibrationDefinition base = demoDefinition(*p);
        auto expect = [&](const CalibrationDefinition &d, const std::vector<std::string> &parts) {
            const auto plan = planCalibration(*p, d, kPlugins);
            const std::string e = failure(plan);
            for (const auto &part : parts)
                QVERIFY2(!plan.ok() && e.find(part) != std::string::npos, (part + " not in: " + e).c_str());
        };
        CalibrationDefinition d = base;
        const TimeNs year2030 = 1893456000LL * kNsPerSecond;
        d.windows = {{year2030, year2030 + 3600 * kNsPerSecond}};
        d.holdout = {};
        expect(d, {"window 2030-01-01T00:00:00Z/2030-01-01T01:00:00Z",
                   "no good samples of windingTemperature", "history from 2026-01-05T06:00:00Z"});
        d = base;
        d.parameters.push_back({"R_x", 0, 1, std::nullopt, std::nullopt, std::nullopt});
        expect(d, {"unknown parameter 'R_x'", "R_th", "tau"});
        d = base;
        d.holdout = {{base.windows[0].from + 60 * kNsPerSecond, base.windows[0].to + 60 * kNsPerSecond}};
        expect(d, {"overlaps calibration window"});
        d = base;
        d.windows.clear();
        expect(d, {"no calibration window"});
        d = base;
        d.outputs = {{"current", std::nullopt, 1, Loss::Squared}};
        expect(d, {"output 'current' is not a bound model output"});
        d = base;
        d.parameters[0].lower = 0.5; // start 0.03 below the bound
        expect(d, {"R_th"});
        d = base;
        d.asset = "Riverside site/no such motor";
        expect(d, {"no asset 'Riverside site/no such motor'"});
        d = base;
        d.inputs = {"windingTemperature"};
        expect(d, {"input 'windingTemperature'"});
        // A binding whose model unit does not convert to the twin's: the unit mismatch is named.
        auto binding = *scenario::bindingForAsset(*p, scenario::findAssetByPath(*p, kM103));
        for (auto &v : binding.variables)
            if (v.model == "T")
                v.modelUnit = "ampere";
        scenario::setBinding(*p, binding);
        expect(base, {"T -> windingTemperature", "ampere"});
    }

    void typeDefinitionCoversEveryAssetOfTheType()
    {
        auto p = demo();
        CalibrationDefinition d = demoDefinition(*p);
        const std::string motorType = p->graph.find(scenario::findAssetByPath(*p, kM103))->typeId;
        setTypeDefinition(*p, motorType, d);
        p->meta.erase(definitionKey(kM103));
        const auto motors = assetsOfType(*p, motorType);
        QCOMPARE(motors.size(), std::size_t(4));
        std::string fromType;
        const auto inherited = definitionForAsset(*p, motors[0], &fromType);
        QVERIFY(inherited && inherited->asset == motors[0] && fromType == motorType);
        QCOMPARE(inherited->parameters, d.parameters);
        // An own definition wins over the type's.
        d.asset = motors[0];
        d.parameters.pop_back();
        setDefinition(*p, d);
        QCOMPARE(definitionForAsset(*p, motors[0], &fromType)->parameters.size(), std::size_t(2));
        QVERIFY(fromType.empty());
        // Status: every motor is covered (not run yet), rolled up to the station.
        const auto status = calibrationStatus(*p);
        QCOMPARE(status.at(scenario::findAssetByPath(*p, "Riverside site/Pump station PS-1")).notRun, 4);

        QTemporaryDir dir;
        const QString twin = dir.filePath("t.twin");
        QVERIFY(saveProject(captureProject(*p), twin.toStdString()).ok());
        QProcess proc;
        proc.start(QString::fromStdString(kBin + "/bin/twinctl"),
                   {"calibrate", twin, "--type", QString::fromStdString(motorType), "--band", "0"});
        QVERIFY(proc.waitForFinished(180000));
        const QString text = QString::fromUtf8(proc.readAllStandardOutput() + proc.readAllStandardError());
        QCOMPARE(text.count("== Riverside site/Pump station PS-1/Skid "), 4);
        QVERIFY2(proc.exitCode() == 0 || proc.exitCode() == 1, qPrintable(text));
        Project saved;
        QVERIFY(loadProject(twin.toStdString(), saved).ok());
        for (const auto &motor : motors)
            QCOMPARE(evidenceKeys(saved, motor).size(), std::size_t(1));
        QCOMPARE(summarizeEvidence(saved.meta.at(evidenceKeys(saved, kM103).front())).accepted, true);
    }

    void twinctlCalibratesTheProject()
    {
        QTemporaryDir dir;
        const QString twin = dir.filePath("p.twin"), out = dir.filePath("fit.json");
        const QString twinctl = QString::fromStdString(kBin + "/bin/twinctl");
        auto run = [&](const QStringList &args, int &exitCode) {
            QProcess proc;
            proc.start(twinctl, args);
            if (!proc.waitForFinished(120000))
                qFatal("twinctl timed out");
            exitCode = proc.exitCode();
            return QString::fromUtf8(proc.readAllStandardOutput() + proc.readAllStandardError());
        };
        int rc = -1;
        run({"demo", "--out", twin}, rc);
        QCOMPARE(rc, 0);
        const QString asset = QString::fromStdString(kM103);
        QString text = run({"calibrate", twin, "--asset", asset, "--apply", "--reviewer", "CI", "--band",
                            "60", "--out", out, "--report", dir.filePath("r.html")},
                           rc);
        QVERIFY2(rc == 0, qPrintable(text));
        QVERIFY2(text.contains("acceptance: passed") && text.contains("approved by CI"), qPrintable(text));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const json fit = json::parse(file.readAll().toStdString());
        QVERIFY(fit["converged"].get<bool>());
        QVERIFY(std::abs(fit["parameters"]["R_th"]["value"].get<double>() - kDemoFouledRth) <
                0.01 * kDemoFouledRth);
        QVERIFY(fit["parameters"]["tau"]["stderr"].get<double>() > 0);
        QCOMPARE(fit["parameters"]["tau"]["ci95"].size(), std::size_t(2));
        for (const char *m : {"rmse", "nrmse", "r2", "bias"})
            QVERIFY2(fit["metrics"]["T"][m].is_number(), m);
        QVERIFY(fit["evaluations"].get<int>() > 0 && fit["seconds"].is_number());
        QVERIFY(fit["acceptance"]["passed"].get<bool>());
        QVERIFY(fit["holdout"]["T"]["coverage"].get<double>() > 0.9); // the 95 % prediction band
        QFile html(dir.filePath("r.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString report = QString::fromUtf8(html.readAll());
        QVERIFY(report.contains("Motor M-103") && report.contains(">approved<") && report.contains("CI") &&
                report.contains("<polygon")); // the decision as stored, and the band

        // A second run is a second record; an unmet criterion exits 1 and applies nothing.
        text =
            run({"calibrate", twin, "--asset", asset, "--accept", "rmse<=0.000001", "--apply", "--band", "0"},
                rc);
        QVERIFY2(rc == 1 && text.contains("not applied"), qPrintable(text));
        Project saved;
        QVERIFY(loadProject(twin.toStdString(), saved).ok());
        const auto keys = evidenceKeys(saved, kM103);
        QCOMPARE(keys.size(), std::size_t(2));
        QCOMPARE(json::parse(saved.meta.at(keys[0]))["decision"]["status"].get<std::string>(),
                 std::string("approved"));
        QCOMPARE(json::parse(saved.meta.at(keys[1]))["decision"]["status"].get<std::string>(),
                 std::string("pending"));
        QCOMPARE(scenario::assetParameters(saved, kM103).evidence, keys[0]);

        // Bad input: exit 2 with the problem named.
        text = run({"calibrate", twin, "--asset", asset, "--window",
                    "2030-01-01T00:00:00Z/2030-01-01T01:00:00Z", "--no-record"},
                   rc);
        QVERIFY2(rc == 2 && text.contains("no good samples"), qPrintable(text));
        text = run({"calibrate", twin, "--asset", asset, "--param", "R_x=0:1", "--no-record"}, rc);
        QVERIFY2(rc == 2 && text.contains("unknown parameter 'R_x'"), qPrintable(text));
        text = run({"calibrate", twin, "--asset", "nowhere"}, rc);
        QVERIFY2(rc == 2 && text.contains("no asset 'nowhere'"), qPrintable(text));
        // Sensitivity at the calibrated point and Morris screening, kept in the project for the report.
        const QString sens = dir.filePath("s.json");
        text = run({"sensitivity", twin, "--asset", asset, "--method", "local", "--out", sens}, rc);
        QVERIFY2(rc == 0, qPrintable(text));
        QFile local(sens);
        QVERIFY(local.open(QIODevice::ReadOnly));
        const json s = json::parse(local.readAll().toStdString());
        QCOMPARE(s["runs"].get<int>(), 4);
        // At the fitted point (R_th 0.045 rather than the start 0.03): the steady rise over ambient is
        // proportional to R_th, reached with the time constant from each window's start temperature (each
        // hour is simulated from the twin's state at its start), so the normalized sensitivity is about
        // (mean - 25) / mean * (1 - tau / T (1 - exp(-T / tau))) with T = 3600 s: 0.71 * 0.62 = 0.44.
        const double rth = s["outputs"]["windingTemperature"][0]["normalized"].get<double>();
        QVERIFY2(rth > 0.40 && rth < 0.48, std::to_string(rth).c_str());
        QVERIFY(std::abs(s["point"]["R_th"].get<double>() - kDemoFouledRth) < 0.01 * kDemoFouledRth);
        text = run(
            {"sensitivity", twin, "--asset", asset, "--method", "morris", "--samples", "6", "--out", sens},
            rc);
        QVERIFY2(rc == 0 && text.contains("mu*"), qPrintable(text));
        text = run({"sensitivity", twin, "--asset", asset, "--method", "fast", "--out", sens}, rc);
        QCOMPARE(rc, 2);
        text = run({"sensitivity", twin, "--asset", "nowhere", "--method", "local", "--out", sens}, rc);
        QVERIFY2(rc == 2 && text.contains("no calibration defined"), qPrintable(text));
        text = run({"calibrate", twin, "--asset", asset, "--band", "0", "--no-record", "--report",
                    dir.filePath("s.html")},
                   rc);
        QFile withSensitivity(dir.filePath("s.html"));
        QVERIFY(withSensitivity.open(QIODevice::ReadOnly));
        const QString sReport = QString::fromUtf8(withSensitivity.readAll());
        QVERIFY(sReport.contains("Sensitivity") && sReport.contains("morris: windingTemperature") &&
                sReport.contains("local: windingTemperature"));

#ifdef TWIN_TWINCTL_WRITES_PDF
        text = run({"calibrate", twin, "--asset", asset, "--band", "0", "--no-record", "--report",
                    dir.filePath("r.pdf")},
                   rc);
        QVERIFY2(rc == 0, qPrintable(text));
        QFile pdf(dir.filePath("r.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-" && pdf.size() > 20000);
#endif
        text = run({"calibrate", "--help"}, rc);
        QVERIFY(rc == 0 && text.contains("--asset PATH") && text.contains("--fmu model.fmu"));
    }
};

QTEST_GUILESS_MAIN(TestCalibrationProject)
#include "tst_calibration_project.moc"
