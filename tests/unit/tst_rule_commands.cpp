// Undoable rule-set edits (SetRuleSetCommand) and the rules-editor helpers: undo/redo restores the exact
// stored JSON, removal and re-adding, inherited rules, and compile errors that name the rule and position.
#include "twin/model/commands/RuleCommands.h"
#include "twin/model/commands/UndoStack.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/Project.h"
#include "twin/model/state/RuleEditing.h"

#include <QtTest>

using namespace twin::model;

namespace {
const std::string kPump = "dtmi:twinworks:demo:Pump;1";
const std::string kEquipment = "dtmi:twinworks:demo:Equipment;1";
const std::string kValve = "dtmi:twinworks:demo:Valve;1";

std::optional<std::string> stored(const Project &p, const std::string &typeId)
{
    auto it = p.meta.find(ruleSetMetaKey(typeId));
    return it == p.meta.end() ? std::nullopt : std::optional<std::string>(it->second);
}

RuleSet onOff(const std::string &typeId, const std::string &condition)
{
    RuleSet r;
    r.typeId = typeId;
    r.states = {"Off", "On"};
    r.initialState = "Off";
    r.transitions = {{"Off", "On", condition, 0}};
    return r;
}
} // namespace

class TestRuleCommands : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_project = std::make_unique<Project>();
        QVERIFY(buildDemoTwin(*m_project).ok());
    }
    void undoRedoRestoresExactJson_data();
    void undoRedoRestoresExactJson();
    void typeIdFollowsTheCommand();
    void inheritedRulesNameTheirType();
    void variablesOfAType();
    void checkNamesRuleAndPosition_data();
    void checkNamesRuleAndPosition();

private:
    std::unique_ptr<Project> m_project;
};

void TestRuleCommands::undoRedoRestoresExactJson_data()
{
    QTest::addColumn<QString>("typeId");
    QTest::addColumn<bool>("remove");
    QTest::newRow("replace existing") << QString::fromStdString(kPump) << false;
    QTest::newRow("remove existing") << QString::fromStdString(kPump) << true;
    QTest::newRow("add new") << QString::fromStdString(kValve) << false;
    QTest::newRow("remove absent") << QString::fromStdString(kValve) << true;
}

void TestRuleCommands::undoRedoRestoresExactJson()
{
    QFETCH(QString, typeId);
    QFETCH(bool, remove);
    const std::string type = typeId.toStdString();
    // A hand-formatted entry: undo must give back this text, not a re-serialisation.
    if (stored(*m_project, type))
        m_project->meta[ruleSetMetaKey(type)] = "  " + *stored(*m_project, type) + "\n";
    const auto metaBefore = m_project->meta;
    UndoStack stack(m_project->graph);
    std::optional<RuleSet> rules;
    if (!remove)
        rules = onOff(type, "stateTime > 1");
    QVERIFY(stack.push(std::make_unique<SetRuleSetCommand>(*m_project, type, rules)).ok());
    QCOMPARE(stack.count(), 1);
    const auto metaAfter = m_project->meta;
    QCOMPARE(stored(*m_project, type).has_value(), !remove);
    if (!remove)
        QCOMPARE(ownRuleSet(*m_project, type)->transitions.front().condition, std::string("stateTime > 1"));
    QVERIFY(stack.undo());
    QVERIFY(m_project->meta == metaBefore);
    QVERIFY(stack.redo());
    QVERIFY(m_project->meta == metaAfter);
    QVERIFY(stack.undo());
    QVERIFY(m_project->meta == metaBefore);
}

void TestRuleCommands::typeIdFollowsTheCommand()
{
    UndoStack stack(m_project->graph);
    QVERIFY(
        stack.push(std::make_unique<SetRuleSetCommand>(*m_project, kValve, onOff("other", "stateTime > 1")))
            .ok());
    QCOMPARE(ownRuleSet(*m_project, kValve)->typeId, kValve);
    QCOMPARE(QString::fromStdString(stack.undoText()), QString::fromStdString("Edit rules of " + kValve));
    QVERIFY(!stack.push(std::make_unique<SetRuleSetCommand>(*m_project, "", std::nullopt)).ok());
    QCOMPARE(stack.count(), 1);
}

void TestRuleCommands::inheritedRulesNameTheirType()
{
    QVERIFY(!effectiveRuleSet(*m_project, kValve));
    QCOMPARE(effectiveRuleSet(*m_project, kPump)->definedOn, kPump);
    setProjectRuleSet(*m_project, onOff(kEquipment, "stateTime > 1"));
    auto valve = effectiveRuleSet(*m_project, kValve);
    QVERIFY(valve);
    QCOMPARE(valve->definedOn, kEquipment);
    QCOMPARE(effectiveRuleSet(*m_project, kPump)->definedOn, kPump); // its own rules win
}

void TestRuleCommands::variablesOfAType()
{
    const auto names = ruleVariables(*m_project, kPump);
    QVERIFY(std::find(names.begin(), names.end(), "flow") != names.end());
    QVERIFY(std::find(names.begin(), names.end(), "dischargePressure") != names.end());
    // then stateTime, then each telemetry's shadow-simulation signals
    const auto stateTime = std::find(names.begin(), names.end(), "stateTime");
    QVERIFY(stateTime != names.end());
    QVERIFY(std::find(stateTime, names.end(), "flow_residual") != names.end());
    QVERIFY(std::find(stateTime, names.end(), "flow_shadow") != names.end());
    QVERIFY(std::find(names.begin(), stateTime, "flow_residual") == stateTime);
}

void TestRuleCommands::checkNamesRuleAndPosition_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QString>("expected"); // empty: valid
    QTest::newRow("valid") << "flow > 25 && stateTime > 3"
                           << "";
    QTest::newRow("dangling operator") << "flow >"
                                       << "position";
    QTest::newRow("unknown variable") << "flw > 2"
                                      << "flw";
    QTest::newRow("empty") << ""
                           << "empty";
}

void TestRuleCommands::checkNamesRuleAndPosition()
{
    QFETCH(QString, condition);
    QFETCH(QString, expected);
    RuleSet rules = *ownRuleSet(*m_project, kPump);
    rules.transitions.front().condition = condition.toStdString();
    const auto status = checkRuleSet(*m_project, rules);
    if (expected.isEmpty()) {
        QVERIFY2(status.ok(), status.ok() ? "" : status.error().c_str());
        return;
    }
    QVERIFY(!status.ok());
    const QString error = QString::fromStdString(status.error());
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.contains("Off->Running"), qPrintable(error));
    QVERIFY2(error.contains(QString::fromStdString(kPump)), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestRuleCommands)
#include "tst_rule_commands.moc"
