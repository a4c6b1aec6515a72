// The twin's health on the demo: fresh and good at the end of the recording; stale an hour later, rolled up
// to the site; a burst of bad-quality samples and a failed scenario run are warnings that name the signal and
// the scenario.
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/detect/DetectorDefinition.h"
#include "twin/model/health/TwinHealth.h"
#include "twin/model/project/Project.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace twin::model;
using namespace twin::model::health;

namespace {

const std::string kStation = "Riverside site/Pump station PS-1";
constexpr TimeNs kEnd = kDemoTelemetryStart + TimeNs(kDemoTelemetrySeconds - 1) * kNsPerSecond;

const AssetHealth &byPath(const TwinHealth &h, const std::string &path)
{
    for (const auto &a : h.assets)
        if (a.path == path)
            return a;
    static const AssetHealth none;
    return none;
}

bool mentions(const AssetHealth &a, const std::string &text)
{
    for (const auto &r : a.reasons)
        if (r.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestHealth : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void freshAtTheEndOfTheRecording();
    void staleAnHourLater();
    void badQualityIsAWarning();
    void failedScenarioRunIsAWarning();
    void keptDetectorSaysDrift();

private:
    std::unique_ptr<Project> m_project;
};

void TestHealth::init()
{
    m_project = std::make_unique<Project>();
    QVERIFY(buildDemoTwin(*m_project).ok()); // with its two hours of history
}

void TestHealth::freshAtTheEndOfTheRecording()
{
    const TwinHealth h = twinHealth(*m_project);
    QCOMPARE(h.now, kEnd);
    const AssetHealth &site = byPath(h, "Riverside site");
    QCOMPARE(site.level, HealthLevel::Ok);
    QCOMPARE(site.own, HealthLevel::Unknown); // no data of its own
    QCOMPARE(site.bad + site.warning, 0);
    QCOMPARE(site.ok, 10); // 2 tanks, 4 pumps, 4 motors (site, station and skids have no data of their own)
    const AssetHealth &pump = byPath(h, kStation + "/Skid 2/Pump P-102");
    QCOMPARE(pump.telemetry.size(), std::size_t(2));
    for (const auto &s : pump.telemetry) {
        QCOMPARE(s.samples, std::uint64_t(kDemoTelemetrySeconds));
        QCOMPARE(s.periodSeconds, 1.0);
        QCOMPARE(s.ageSeconds, 0.0);
        QVERIFY(!s.stale);
        QCOMPARE(s.recent, std::uint64_t(1000));
    }
    // the motor with a stored calibration says so
    QVERIFY(!byPath(h, kStation + "/Skid 3/Motor M-103").calibration.empty());
    const auto json = nlohmann::json::parse(healthJson(h));
    QCOMPARE(json["now"].get<std::string>(), std::string("2026-01-05T07:59:59Z"));
    QCOMPARE(json["assets"].size(), h.assets.size());
}

void TestHealth::staleAnHourLater()
{
    HealthOptions options;
    options.now = kEnd + 3600 * kNsPerSecond;
    const TwinHealth h = twinHealth(*m_project, options);
    const AssetHealth &motor = byPath(h, kStation + "/Skid 1/Motor M-101");
    QCOMPARE(motor.level, HealthLevel::Bad);
    QVERIFY2(mentions(motor, "no data for 60 min (usually every 1 s)"), motor.reasons.front().c_str());
    const AssetHealth &site = byPath(h, "Riverside site");
    QCOMPARE(site.level, HealthLevel::Bad);
    QCOMPARE(site.ok, 0);
    QCOMPARE(site.bad, 10);
}

void TestHealth::badQualityIsAWarning()
{
    // 100 out-of-range samples in the 25 s after the recording on P-102's pressure: 10 % of its recent
    // samples
    auto &store = *m_project->history;
    const AssetId pump = scenario::findAssetByPath(*m_project, kStation + "/Skid 2/Pump P-102");
    const auto id = store.findSignal({pump, "dischargePressure"});
    QVERIFY(id);
    for (int i = 1; i <= 100; ++i)
        QVERIFY(store.append(*id, kEnd + TimeNs(i) * kNsPerSecond / 4, 99.0, QualityOutOfRange));
    const TwinHealth h = twinHealth(*m_project);
    const AssetHealth &a = byPath(h, kStation + "/Skid 2/Pump P-102");
    QCOMPARE(a.own, HealthLevel::Warning);
    QVERIFY(mentions(a, "dischargePressure: 10.0 % of its recent samples flagged bad"));
    QCOMPARE(byPath(h, kStation + "/Skid 2").level, HealthLevel::Warning);
    QCOMPARE(byPath(h, kStation).warning, 1);
    // the others are 25 s behind the newest sample: still fresh (stale after max(10 periods, 60 s))
    QCOMPARE(byPath(h, kStation + "/Skid 1/Motor M-101").level, HealthLevel::Ok);
}

void TestHealth::failedScenarioRunIsAWarning()
{
    scenario::ScenarioDefinition definition;
    definition.name = "overload";
    definition.targets = {kStation + "/Skid 1/Motor M-101"};
    scenario::setScenario(*m_project, definition);
    scenario::setScenarioRunRecord(*m_project, "overload",
                                   nlohmann::json{{"target", kStation + "/Skid 1/Motor M-101"},
                                                  {"ranAt", "2026-01-05T08:10:00Z"},
                                                  {"outcome", "crashed"},
                                                  {"message", "the model died from signal 11"}}
                                       .dump());
    const TwinHealth h = twinHealth(*m_project);
    const AssetHealth &motor = byPath(h, kStation + "/Skid 1/Motor M-101");
    QCOMPARE(motor.own, HealthLevel::Warning);
    QCOMPARE(motor.failedRuns, 1);
    QVERIFY(mentions(motor, "scenario 'overload' last run crashed: the model died from signal 11"));
    QCOMPARE(motor.lastRun, std::string("overload at 2026-01-05T08:10:00Z: crashed"));
}

void TestHealth::keptDetectorSaysDrift()
{
    // Skid 2 trained on its first 30 minutes: the cavitation (from 06:40) is still an alarm at the end; Skid
    // 1 trained on 100 minutes is quiet over the last hour.
    detect::DetectorDefinition skid2;
    skid2.trainFrom = kDemoTelemetryStart;
    skid2.trainTo = kDemoTelemetryStart + 1800 * kNsPerSecond;
    m_project->meta[detect::detectorKey(kStation + "/Skid 2")] = detect::detectorToJson(skid2);
    detect::DetectorDefinition skid1 = skid2;
    skid1.trainTo = kDemoTelemetryStart + 6000 * kNsPerSecond;
    m_project->meta[detect::detectorKey(kStation + "/Skid 1")] = detect::detectorToJson(skid1);
    const TwinHealth h = twinHealth(*m_project);
    const AssetHealth &two = byPath(h, kStation + "/Skid 2");
    QCOMPARE(two.own, HealthLevel::Warning);
    QCOMPARE(two.drift, std::string("alarm since 2026-01-05T06:40:09Z, led by Pump P-102.dischargePressure"));
    const AssetHealth &one = byPath(h, kStation + "/Skid 1");
    QCOMPARE(one.own, HealthLevel::Ok);
    QCOMPARE(one.drift, std::string("no alarm since 2026-01-05T07:40:01Z"));
    QCOMPARE(byPath(h, kStation).warning, 1);
    // a definition round-trips through its JSON; a broken one names the field
    QCOMPARE(*detect::detectorFromJson(detect::detectorToJson(skid2)), skid2);
    const auto broken = detect::detectorFromJson(R"({"train": {"from": "2026-01-05T06:00:00Z"}})");
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().find("train.to") != std::string::npos, broken.error().c_str());
}

QTEST_GUILESS_MAIN(TestHealth)
#include "tst_health.moc"
