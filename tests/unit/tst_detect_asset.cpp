// Detection over an asset's own history, on the demo twin: Skid 2's cavitation episode is found before the
// demo's rule raises "Low discharge pressure", led by the pump's signals; a healthy skid stays quiet; bad
// requests name what is wrong.
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/detect/AssetDetect.h"
#include "twin/model/detect/DetectorDefinition.h"
#include "twin/model/project/Project.h"
#include "twin/model/replay/ReplayEngine.h"
#include "twin/model/state/StateEngine.h"

#include <QtTest>

using namespace twin::model;
using namespace twin::model::detect;

namespace {

const std::string kStation = "Riverside site/Pump station PS-1";
constexpr TimeNs kMinute = 60 * kNsPerSecond;

// When the demo's rule "Low discharge pressure" (pressure < 2 bar and flow > 20 m3/h for 20 s) raises on
// Pump P-102, from the recording itself.
TimeNs ruleAlarmTime()
{
    const auto columns = demoTelemetryColumns();
    std::size_t flow = 0, pressure = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].assetPath == kStation + "/Skid 2/Pump P-102" && columns[c].telemetry == "flow")
            flow = c;
        if (columns[c].assetPath == kStation + "/Skid 2/Pump P-102" &&
            columns[c].telemetry == "dischargePressure")
            pressure = c;
    }
    int held = 0;
    for (int second = 0; second < kDemoTelemetrySeconds; ++second) {
        held =
            demoTelemetryValue(pressure, second) < 2 && demoTelemetryValue(flow, second) > 20 ? held + 1 : 0;
        if (held > 20)
            return kDemoTelemetryStart + TimeNs(second) * kNsPerSecond;
    }
    return 0;
}

} // namespace

class TestDetectAsset : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cavitationFoundBeforeTheRule();
    void healthySkidStaysQuiet();
    void badRequests();
    void keptDetectorRaisesAnAlarmInReplay();

private:
    Project m_project;
};

void TestDetectAsset::initTestCase()
{
    QVERIFY(buildDemoTwin(m_project).ok()); // with its two hours of history
}

void TestDetectAsset::cavitationFoundBeforeTheRule()
{
    AssetDetectRequest request;
    request.asset = kStation + "/Skid 2";
    request.trainFrom = kDemoTelemetryStart;
    request.trainTo = kDemoTelemetryStart + 30 * kMinute;
    const auto result = detectAsset(m_project, request);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
    for (const char *name : {"Motor M-102.current", "Motor M-102.windingTemperature",
                             "Pump P-102.dischargePressure", "Pump P-102.flow"})
        QVERIFY2(std::find(result->signalNames.begin(), result->signalNames.end(), name) !=
                     result->signalNames.end(),
                 name);
    QCOMPARE(result->stepSeconds, 1.0);
    QCOMPARE(result->trainRows, std::size_t(30 * 60 + 1));
    QVERIFY(!result->episodes.empty());
    const AlarmEpisode &first = result->episodes.front();
    const TimeNs rule = ruleAlarmTime();
    QVERIFY(rule > 0);
    // the cavitation starts at minute 40; the detector sees it before the rule does
    QVERIFY2(first.raised >= kDemoTelemetryStart + 40 * kMinute && first.raised < rule,
             qPrintable(QString("raised %1 s after the start, the rule at %2 s")
                            .arg((first.raised - kDemoTelemetryStart) / kNsPerSecond)
                            .arg((rule - kDemoTelemetryStart) / kNsPerSecond)));
    // raised by the pump's discharge pressure falling
    QCOMPARE(first.first, std::string("Pump P-102.dischargePressure"));
    QVERIFY2(first.signal.rfind("Pump P-102.", 0) == 0 || first.signal.rfind("Motor M-102.", 0) == 0,
             first.signal.c_str());
    QVERIFY(first.peak > 1);
    qInfo("lead time over the rule: %lld s", static_cast<long long>((rule - first.raised) / kNsPerSecond));
}

void TestDetectAsset::healthySkidStaysQuiet()
{
    // Skid 1 follows the demand's slow swing all along. Trained on the first 100 minutes, which cover the
    // range the swing then stays in, the last 20 minutes raise nothing. (Trained on 30 minutes only, the
    // swing later leaves the operating points it was shown, and T² says so: a detector knows what it saw.)
    AssetDetectRequest request;
    request.asset = kStation + "/Skid 1";
    request.trainFrom = kDemoTelemetryStart;
    request.trainTo = kDemoTelemetryStart + 100 * kMinute;
    const auto result = detectAsset(m_project, request);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
    std::size_t alarmRows = 0;
    for (const auto &row : result->rows)
        alarmRows += row.alarm;
    QVERIFY2(alarmRows < result->rows.size() / 50,
             qPrintable(QString("%1 of %2 rows in alarm").arg(alarmRows).arg(result->rows.size())));
    QVERIFY(result->rows.size() > 1000);
}

void TestDetectAsset::badRequests()
{
    AssetDetectRequest request;
    request.asset = kStation + "/Skid 9";
    request.trainFrom = kDemoTelemetryStart;
    request.trainTo = kDemoTelemetryStart + 30 * kMinute;
    auto unknown = detectAsset(m_project, request);
    QVERIFY(!unknown.ok());
    QVERIFY2(unknown.error().find("Skid 9") != std::string::npos, unknown.error().c_str());
    request.asset = kStation + "/Skid 2";
    request.trainFrom = kDemoTelemetryStart - 600 * kMinute;
    auto outside = detectAsset(m_project, request);
    QVERIFY(!outside.ok());
    QVERIFY2(outside.error().find("history runs from 2026-01-05T06:00:00Z") != std::string::npos,
             outside.error().c_str());
}

void TestDetectAsset::keptDetectorRaisesAnAlarmInReplay()
{
    // Skid 2's detector kept in the project: replaying the recording through the state engine raises an
    // "Anomaly" alarm on the skid, saying which signal leads, before the rules' "Low discharge pressure".
    Project project;
    QVERIFY(buildDemoTwin(project).ok());
    DetectorDefinition kept;
    kept.trainFrom = kDemoTelemetryStart;
    kept.trainTo = kDemoTelemetryStart + 30 * kMinute;
    project.meta[detectorKey(kStation + "/Skid 2")] = detectorToJson(kept);
    auto engine = StateEngine::create(project, projectRuleSets(project));
    QVERIFY(engine.ok());
    QVERIFY((*engine)->watchKeptDetectors(project, *project.history).empty());
    ReplayEngine replay(*project.history, **engine);
    replay.advanceTo(replay.end());
    const AlarmRecord *anomaly = nullptr, *rule = nullptr;
    for (const auto &a : (*engine)->alarms()) {
        if (a.name == "Anomaly" && !anomaly)
            anomaly = &a;
        if (a.name == "Low discharge pressure" && !rule)
            rule = &a;
    }
    QVERIFY(anomaly && rule);
    QCOMPARE(project.graph.path(anomaly->asset), kStation + "/Skid 2");
    QVERIFY2(anomaly->raised >= kDemoTelemetryStart + 40 * kMinute && anomaly->raised < rule->raised,
             qPrintable(QString("anomaly at %1 s, rule at %2 s")
                            .arg((anomaly->raised - kDemoTelemetryStart) / kNsPerSecond)
                            .arg((rule->raised - kDemoTelemetryStart) / kNsPerSecond)));
    QVERIFY2(anomaly->message.find("led by Pump P-102.") != std::string::npos, anomaly->message.c_str());
    const TimeNs raised = anomaly->raised;
    auto anomalies = [&] {
        std::vector<TimeNs> times;
        for (const auto &a : (*engine)->alarms())
            if (a.name == "Anomaly")
                times.push_back(a.raised);
        return times;
    };
    const auto first = anomalies();
    // a seek starts over from the beginning: the same alarms at the same times
    replay.seek(replay.end());
    QCOMPARE(anomalies(), first);
    QCOMPARE(first.front(), raised);
}

QTEST_GUILESS_MAIN(TestDetectAsset)
#include "tst_detect_asset.moc"
