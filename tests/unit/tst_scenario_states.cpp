// Asset states over a stored scenario run: the run's result series replayed through the project's rules
// after a warm-up on the observed history, queried at any time; run ids found in the store.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/scenario/ScenarioStates.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QtTest>

using namespace twin::model;
using namespace twin::model::scenario;

namespace {
const char *kP101 = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";
const char *kP102 = "Riverside site/Pump station PS-1/Skid 2/Pump P-102";
constexpr TimeNs kStart = 1767600000LL * kNsPerSecond;
constexpr TimeNs sec(int s)
{
    return TimeNs(s) * kNsPerSecond;
}

void write(Project &p, AssetId asset, const std::string &name, TimeNs from, int seconds,
           const std::function<double(int)> &value)
{
    const SignalId id = p.history->addSignal({asset, name});
    for (int s = 0; s <= seconds; ++s)
        p.history->append(id, from + sec(s), value(s));
}
} // namespace

class TestScenarioStates : public QObject
{
    Q_OBJECT
    std::unique_ptr<Project> m_project;
    AssetId m_p101 = kNoAsset, m_p102 = kNoAsset;

private slots:
    void initTestCase()
    {
        m_project = std::make_unique<Project>();
        QVERIFY(buildDemoTwin(*m_project).ok());
        m_p101 = findAssetByPath(*m_project, kP101);
        m_p102 = findAssetByPath(*m_project, kP102);
        QVERIFY(m_p101 != kNoAsset && m_p102 != kNoAsset);
        // A hand-built store: 10 minutes of both pumps running, then two runs of 5 minutes for P-102.
        Project &p = *m_project;
        p.history = std::make_shared<TimeSeriesStore>();
        for (AssetId pump : {m_p101, m_p102}) {
            write(p, pump, "flow", kStart - sec(600), 599, [](int) { return 50.0; });
            write(p, pump, "dischargePressure", kStart - sec(600), 599, [](int) { return 4.0; });
        }
        write(p, m_p102, scenarioSignalName("baseline", "flow"), kStart, 300, [](int) { return 50.0; });
        write(p, m_p102, scenarioSignalName("baseline", "dischargePressure"), kStart, 300,
              [](int) { return 4.0; });
        // Degraded: pressure collapses to 1 bar one minute in.
        write(p, m_p102, scenarioSignalName("degraded", "flow"), kStart, 300, [](int) { return 50.0; });
        write(p, m_p102, scenarioSignalName("degraded", "dischargePressure"), kStart, 300,
              [](int s) { return s < 60 ? 4.0 : 1.0; });
        // A rerun of "degraded" under its own prefix, where the pump stops.
        write(p, m_p102, "scenario:degraded@2/flow", kStart, 300, [](int s) { return s < 30 ? 50.0 : 0.0; });
        p.history->addSignal({m_p101, "scenario:empty/flow"}); // no samples: not a run
    }

    void runsInStore()
    {
        QCOMPARE(scenarioRunsInStore(*m_project),
                 (std::vector<std::string>{"baseline", "degraded", "degraded@2"}));
        QCOMPARE(scenarioOfRun("degraded@2"), std::string("degraded"));
        QCOMPARE(scenarioOfRun("a@b"), std::string("a@b"));
        QCOMPARE(scenarioOfRun("baseline"), std::string("baseline"));
        QCOMPARE(latestScenarioRun(*m_project, "degraded"), std::string("degraded"));
        setScenarioRunRecord(*m_project, "degraded", R"({"signalPrefix": "scenario:degraded@2/"})");
        QCOMPARE(latestScenarioRun(*m_project, "degraded"), std::string("degraded@2"));
    }

    void baselineKeepsRunning()
    {
        auto track = deriveScenarioStates(*m_project, "baseline");
        QVERIFY2(track.ok(), track.ok() ? "" : track.error().c_str());
        QCOMPARE(track->begin, kStart);
        QCOMPARE(track->end, kStart + sec(300));
        QCOMPARE(track->resultAssets, std::vector<AssetId>{m_p102});
        QCOMPARE(track->initial.at(m_p102), std::string("Off")); // before the warm-up
        for (int s : {0, 60, 120, 300})
            QCOMPARE(track->stateAt(m_p102, kStart + sec(s)), std::string("Running"));
        QCOMPARE(track->stateAt(m_p102, kStart - sec(900)), std::string("Off"));
    }

    void degradedThenFault()
    {
        auto track = deriveScenarioStates(*m_project, "degraded");
        QVERIFY(track.ok());
        const StateChange *degraded = nullptr, *fault = nullptr;
        for (const StateChange &c : track->changes) {
            QVERIFY(c.time <= track->end);
            if (c.asset == m_p102 && c.to == "Degraded")
                degraded = &c;
            if (c.asset == m_p102 && c.to == "Fault")
                fault = &c;
        }
        QVERIFY(degraded && fault);
        // Below 3 bar from +60 s, held 30 s -> Degraded at +90 s; below 1.5 bar held 60 s more -> Fault.
        QVERIFY(qAbs(degraded->time - (kStart + sec(90))) <= sec(1));
        QVERIFY(qAbs(fault->time - (kStart + sec(150))) <= sec(1));
        QCOMPARE(track->stateAt(m_p102, kStart + sec(80)), std::string("Running"));
        QCOMPARE(track->stateAt(m_p102, kStart + sec(120)), std::string("Degraded"));
        QCOMPARE(track->stateAt(m_p102, kStart + sec(250)), std::string("Fault"));
        // statesAt agrees with stateAt; P-101 (no results) keeps its observed state through the run.
        const auto at = track->statesAt(kStart + sec(250));
        QCOMPARE(at.at(m_p102), std::string("Fault"));
        QCOMPARE(at.at(m_p101), std::string("Running"));
        QCOMPARE(track->stateAt(m_p101, kStart + sec(300)), std::string("Running"));
        QVERIFY(track->stateAt(kNoAsset, kStart).empty());
    }

    void rerunStops()
    {
        auto track = deriveScenarioStates(*m_project, "degraded@2");
        QVERIFY(track.ok());
        // flow < 5 held 10 s -> Off at +40 s; the rerun has no pressure series (the observed 4 bar is held).
        QCOMPARE(track->stateAt(m_p102, kStart + sec(35)), std::string("Running"));
        QCOMPARE(track->stateAt(m_p102, kStart + sec(45)), std::string("Off"));
    }

    void warmupMatters()
    {
        ScenarioStatesOptions none;
        none.warmup = 0;
        auto track = deriveScenarioStates(*m_project, "baseline", none);
        QVERIFY(track.ok());
        // Without warm-up P-101 has no inputs at all and stays in its initial state; P-102 starts from Off.
        QCOMPARE(track->stateAt(m_p101, kStart + sec(100)), std::string("Off"));
        QCOMPARE(track->stateAt(m_p102, kStart + sec(1)), std::string("Off"));
        QCOMPARE(track->stateAt(m_p102, kStart + sec(10)), std::string("Running"));
    }

    void kpis()
    {
        ScenarioDefinition def;
        def.name = "baseline";
        def.targets = {kP102};
        def.kpis = {{"meanFlow", "mean(flow)", "m3/h"}, {"power", "max(pump.P)", "W"}};
        setScenario(*m_project, def);
        setScenarioRunRecord(*m_project, "baseline", "{}");
        auto kpis = scenarioRunKpis(*m_project, "baseline"); // evaluated over the stored series
        QCOMPARE(kpis.size(), size_t(2));
        QCOMPARE(kpis[0].name, std::string("meanFlow"));
        QVERIFY(kpis[0].error.empty());
        QCOMPARE(kpis[0].value, 50.0);
        QCOMPARE(kpis[0].unit, std::string("m3/h"));
        QVERIFY(!kpis[1].error.empty()); // a model variable the store does not keep
        setScenarioRunRecord(*m_project, "baseline",
                             R"({"signalPrefix": "scenario:baseline/", "kpis": {"meanFlow": 42}})");
        kpis = scenarioRunKpis(*m_project, "baseline"); // the run record wins
        QCOMPARE(kpis.size(), size_t(1));
        QCOMPARE(kpis[0].value, 42.0);
        QCOMPARE(kpis[0].unit, std::string("m3/h"));
        QVERIFY(scenarioRunKpis(*m_project, "nope").empty());
    }

    void errors()
    {
        auto missing = deriveScenarioStates(*m_project, "nope");
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.error()).contains("scenario:nope/"));
        QVERIFY(!deriveScenarioStates(*m_project, "empty").ok());
        Project bare;
        QVERIFY(!deriveScenarioStates(bare, "baseline").ok());
    }
};

QTEST_GUILESS_MAIN(TestScenarioStates)
#include "tst_scenario_states.moc"
