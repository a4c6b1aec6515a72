// State machines and alarms over telemetry: transitions, minimum durations, hysteresis, alarms with
// severity, acknowledge and history, and clear errors for bad rules.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/state/StateEngine.h"

#include <QtTest>

using namespace twin::model;

namespace {
const std::string kPump = "dtmi:twinworks:demo:Pump;1";
constexpr TimeNs s(double seconds)
{
    return TimeNs(seconds * double(kNsPerSecond));
}

RuleSet pumpRules()
{
    RuleSet r;
    r.typeId = kPump;
    r.states = {"Off", "Running", "Degraded", "Fault"};
    r.initialState = "Off";
    r.transitions = {
        {"Off", "Running", "flow > 10", 0},
        {"Running", "Off", "flow < 1", 2},
        {"Running", "Degraded", "dischargePressure < 2 && flow > 10", 5}, // must hold 5 s
        {"Degraded", "Running", "dischargePressure > 3", 0},              // hysteresis: 2 in, 3 out
        {"*", "Fault", "dischargePressure > ratedHead / 4", 0},           // uses a property (45 m)
        {"Fault", "Off", "flow < 1 && stateTime > 10", 0},
    };
    AlarmRule low;
    low.name = "LowDischargePressure";
    low.severity = AlarmSeverity::Major;
    low.condition = "dischargePressure < 1.5";
    low.clearCondition = "dischargePressure > 2.5";
    low.minDurationS = 3;
    low.message = "discharge pressure below 1.5 bar";
    r.alarms = {low};
    return r;
}

AssetId firstPump(const Project &p)
{
    for (AssetId id : p.graph.allIds())
        if (p.graph.find(id)->typeId == kPump)
            return id;
    return kNoAsset;
}
} // namespace

class TestStateEngine : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(buildDemoTwin(m_project).ok()); }
    void minimumDurationAndHysteresis_data();
    void minimumDurationAndHysteresis();
    void propertiesAndStateTimeInConditions();
    void alarmRaiseClearAcknowledge();
    void badRulesNameTheProblem_data();
    void badRulesNameTheProblem();
    void rulesRoundTripThroughProject();
    void resetRestartsFromInitialState();

private:
    Project m_project;
};

void TestStateEngine::minimumDurationAndHysteresis_data()
{
    QTest::addColumn<QList<double>>("pressures"); // one sample per second, flow fixed at 50
    QTest::addColumn<QString>("expected");
    QTest::newRow("short dip stays Running") << QList<double>{4, 1.8, 1.8, 1.8, 4, 4} << "Running";
    QTest::newRow("dip held 5 s degrades") << QList<double>{4, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8} << "Degraded";
    QTest::newRow("hysteresis keeps Degraded at 2.5")
        << QList<double>{4, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 2.5, 2.5} << "Degraded";
    QTest::newRow("recovers above 3")
        << QList<double>{4, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 2.5, 3.2} << "Running";
    QTest::newRow("overpressure faults from any state") << QList<double>{4, 12} << "Fault";
}

void TestStateEngine::minimumDurationAndHysteresis()
{
    QFETCH(QList<double>, pressures);
    QFETCH(QString, expected);
    auto engine = StateEngine::create(m_project, {pumpRules()});
    QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().c_str());
    const AssetId pump = firstPump(m_project);
    QCOMPARE(QString::fromStdString((*engine)->stateOf(pump)), QString("Off"));
    double t = 0;
    for (double p : pressures) {
        (*engine)->setInput(pump, "flow", s(t), 50);
        (*engine)->setInput(pump, "dischargePressure", s(t), p);
        t += 1;
    }
    QCOMPARE(QString::fromStdString((*engine)->stateOf(pump)), expected);
    // The log starts with Off -> Running at t = 0.
    QVERIFY(!(*engine)->changes().empty());
    QCOMPARE(QString::fromStdString((*engine)->changes().front().to), QString("Running"));
    QCOMPARE((*engine)->changes().front().time, TimeNs(0));
}

void TestStateEngine::propertiesAndStateTimeInConditions()
{
    auto engine = StateEngine::create(m_project, {pumpRules()});
    QVERIFY(engine.ok());
    const AssetId pump = firstPump(m_project);
    (*engine)->setInput(pump, "flow", s(0), 50);
    (*engine)->setInput(pump, "dischargePressure", s(0), 11.3); // > ratedHead/4 = 11.25
    QCOMPARE(QString::fromStdString((*engine)->stateOf(pump)), QString("Fault"));
    (*engine)->setInput(pump, "flow", s(1), 0);
    (*engine)->setInput(pump, "dischargePressure", s(1), 0);
    QCOMPARE(QString::fromStdString((*engine)->stateOf(pump)), QString("Fault")); // stateTime 1 s
    (*engine)->advance(s(12));
    QCOMPARE(QString::fromStdString((*engine)->stateOf(pump)), QString("Off"));
}

void TestStateEngine::alarmRaiseClearAcknowledge()
{
    auto engine = StateEngine::create(m_project, {pumpRules()});
    QVERIFY(engine.ok());
    StateEngine &e = **engine;
    const AssetId pump = firstPump(m_project);
    for (int t = 0; t <= 2; ++t)
        e.setInput(pump, "dischargePressure", s(t), 1.0);
    QVERIFY(e.activeAlarms().empty()); // held 2 s, needs 3
    e.setInput(pump, "dischargePressure", s(3), 1.0);
    QCOMPARE(int(e.activeAlarms().size()), 1);
    const AlarmRecord alarm = e.activeAlarms().front();
    QCOMPARE(alarm.raised, s(3));
    QCOMPARE(int(alarm.severity), int(AlarmSeverity::Major));
    e.setInput(pump, "dischargePressure", s(4), 2.0); // between thresholds: stays active
    QCOMPARE(int(e.activeAlarms().size()), 1);
    QVERIFY(e.acknowledge(alarm.id));
    QVERIFY(e.activeAlarms().front().acknowledged);
    e.setInput(pump, "dischargePressure", s(5), 2.6);
    QVERIFY(e.activeAlarms().empty());
    QCOMPARE(int(e.alarms().size()), 1); // history keeps it
    QCOMPARE(e.alarms().front().cleared, s(5));
    QVERIFY(!e.acknowledge(9999));
}

void TestStateEngine::badRulesNameTheProblem_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown variable") << "flwo > 3"
                                      << "flwo";
    QTest::newRow("syntax") << "flow > > 3"
                            << "position";
    QTest::newRow("non-numeric property") << "manufacturer > 3"
                                          << "";
}

void TestStateEngine::badRulesNameTheProblem()
{
    QFETCH(QString, condition);
    QFETCH(QString, expected);
    RuleSet rules = pumpRules();
    rules.transitions[0].condition = condition.toStdString();
    auto engine = StateEngine::create(m_project, {rules});
    if (expected.isEmpty()) { // a string property is NaN in conditions: allowed, never true
        QVERIFY(engine.ok());
        return;
    }
    QVERIFY(!engine.ok());
    const QString message = QString::fromStdString(engine.error());
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(message.contains("Off->Running") && message.contains("Pump"), qPrintable(message));
}

void TestStateEngine::rulesRoundTripThroughProject()
{
    Project copy;
    QVERIFY(buildDemoTwin(copy).ok());
    setProjectRuleSet(copy, pumpRules());
    std::vector<std::string> errors;
    auto sets = projectRuleSets(copy, &errors);
    QVERIFY(errors.empty());
    QCOMPARE(int(sets.size()), 2); // the demo's motor rules, and ours replacing the demo's pump rules
    const auto pump =
        std::find_if(sets.begin(), sets.end(), [](const RuleSet &r) { return r.typeId == kPump; });
    QVERIFY(pump != sets.end());
    QCOMPARE(ruleSetToJson(*pump), ruleSetToJson(pumpRules()));
    QVERIFY(
        !ruleSetFromJson(R"({"type":"x","states":["A"],"transitions":[{"from":"A","to":"B","when":"1"}]})")
             .ok());
    QVERIFY(!ruleSetFromJson("{broken").ok());
}

void TestStateEngine::resetRestartsFromInitialState()
{
    auto engine = StateEngine::create(m_project, {pumpRules()});
    QVERIFY(engine.ok());
    const AssetId pump = firstPump(m_project);
    (*engine)->setInput(pump, "flow", s(0), 50);
    QCOMPARE(QString::fromStdString((*engine)->stateOf(pump)), QString("Running"));
    (*engine)->reset();
    QCOMPARE(QString::fromStdString((*engine)->stateOf(pump)), QString("Off"));
    QVERIFY((*engine)->changes().empty());
}

QTEST_GUILESS_MAIN(TestStateEngine)
#include "tst_state_engine.moc"
