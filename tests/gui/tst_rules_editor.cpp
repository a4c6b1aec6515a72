// The rules dock in the real workbench window: it shows the selected pump's demo rules, Apply pushes one undo
// step, a broken condition is refused with the rule and position named, undo restores the rules, the
// condition field completes variable names, and a new alarm added in the editor fires in a replay.
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/state/RuleEditing.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/rules/RulesEditor.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/TelemetrySession.h"
#include "twin/ui/widgets/ExpressionEdit.h"

#include <QCompleter>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QtTest>

using namespace twin;
using model::TimeNs;
using ui::ExpressionEdit;

namespace {
const char *kPumpPath = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";
const std::string kPumpType = "dtmi:twinworks:demo:Pump;1";

model::AssetId byName(const model::Project &p, const std::string &name)
{
    for (model::AssetId id : p.graph.allIds())
        if (p.graph.find(id)->name == name)
            return id;
    return model::kNoAsset;
}

// The demo with its recording, filled the way tst_replay_gui does if the demo comes without one.
std::unique_ptr<model::Project> demoWithHistory()
{
    auto project = std::make_unique<model::Project>();
    if (!model::buildDemoTwin(*project).ok())
        return nullptr;
    if (project->history && project->history->sampleCount() > 0)
        return project;
    project->history = std::make_shared<model::TimeSeriesStore>();
    const auto columns = model::demoTelemetryColumns();
    for (size_t c = 0; c < columns.size(); ++c) {
        model::AssetId asset = model::kNoAsset;
        for (model::AssetId id : project->graph.allIds())
            if (project->graph.path(id) == columns[c].assetPath)
                asset = id;
        const auto signal = project->history->addSignal({asset, columns[c].telemetry}, columns[c].unit);
        for (int s = 0; s < model::kDemoTelemetrySeconds; ++s)
            project->history->append(signal, model::kDemoTelemetryStart + TimeNs(s) * model::kNsPerSecond,
                                     model::demoTelemetryValue(c, s));
    }
    return project;
}

std::string storedRules(const model::Project &p)
{
    auto it = p.meta.find(model::ruleSetMetaKey(kPumpType));
    return it == p.meta.end() ? std::string() : it->second;
}
} // namespace

class TestRulesEditor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void showsSelectedPumpRules();
    void applyChangedThresholdIsOneUndoStep();
    void brokenExpressionIsRefusedWithPosition();
    void undoRestoresPreviousRules();
    void conditionCompletesVariableNames();
    void newAlarmFiresInReplay();

private:
    ExpressionEdit *transitionCondition(int row)
    {
        return qobject_cast<ExpressionEdit *>(m_transitions->cellWidget(row, 2));
    }

    ui::ProjectDocument *m_document = nullptr;
    ui::MainWindow *m_window = nullptr;
    ui::RulesEditor *m_editor = nullptr;
    QTableWidget *m_transitions = nullptr;
    std::string m_demoRules;
};

void TestRulesEditor::initTestCase()
{
    qputenv("TWIN_NO_PROMPTS", "1");
    QCoreApplication::setOrganizationName("TwinworksRulesEditorTest");
    m_document = new ui::ProjectDocument;
    m_window = new ui::MainWindow(*m_document);
    auto project = demoWithHistory();
    QVERIFY(project);
    m_demoRules = storedRules(*project);
    QVERIFY(!m_demoRules.empty());
    m_document->adopt(std::move(project), {}, false);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_editor = m_window->findChild<ui::RulesEditor *>();
    QVERIFY(m_editor);
    m_window->findChild<QDockWidget *>("rulesDock")->raise();
    m_transitions = m_editor->findChild<QTableWidget *>("rulesTransitions");
    QVERIFY(m_transitions);
}

void TestRulesEditor::cleanupTestCase()
{
    delete m_window;
    delete m_document;
}

void TestRulesEditor::showsSelectedPumpRules()
{
    const model::AssetId pump = byName(m_document->project(), "Pump P-101");
    QVERIFY(pump != model::kNoAsset);
    QCOMPARE(m_document->project().graph.path(pump), std::string(kPumpPath));
    m_document->selection().setSelection({pump});
    QCOMPARE(m_editor->typeId(), QString::fromStdString(kPumpType));
    QCOMPARE(model::ruleSetToJson(m_editor->editedRules()), m_demoRules);
    QVERIFY(!m_editor->isModified());
    QCOMPARE(m_transitions->rowCount(), 6);
    QCOMPARE(transitionCondition(0)->text(), QStringLiteral("flow > 20"));
}

void TestRulesEditor::applyChangedThresholdIsOneUndoStep()
{
    const int steps = m_document->undoStack().count();
    transitionCondition(0)->setText("flow > 25");
    QVERIFY(m_editor->isModified());
    QTest::mouseClick(m_editor->findChild<QPushButton *>("rulesApply"), Qt::LeftButton);
    QVERIFY2(m_editor->errorText().isEmpty(), qPrintable(m_editor->errorText()));
    QVERIFY(!m_editor->isModified());
    QCOMPARE(m_document->undoStack().count(), steps + 1);
    const auto own = model::ownRuleSet(m_document->project(), kPumpType);
    QVERIFY(own);
    QCOMPARE(own->transitions.front().condition, std::string("flow > 25"));
    QCOMPARE(transitionCondition(0)->text(), QStringLiteral("flow > 25"));
}

void TestRulesEditor::brokenExpressionIsRefusedWithPosition()
{
    const std::string before = storedRules(m_document->project());
    const int steps = m_document->undoStack().count();
    transitionCondition(0)->setText("flow >");
    QTest::mouseClick(m_editor->findChild<QPushButton *>("rulesApply"), Qt::LeftButton);
    const QString error = m_editor->errorText();
    QVERIFY2(error.contains("position"), qPrintable(error));
    QVERIFY2(error.contains("Off->Running"), qPrintable(error));
    QVERIFY(m_editor->isModified());
    QCOMPARE(m_document->undoStack().count(), steps);
    QCOMPARE(storedRules(m_document->project()), before);
    QVERIFY(!transitionCondition(0)->styleSheet().isEmpty()); // the offending field is framed
    m_editor->revert();
    QVERIFY(!m_editor->isModified());
    QVERIFY(m_editor->errorText().isEmpty());
    QCOMPARE(transitionCondition(0)->text(), QStringLiteral("flow > 25"));
}

void TestRulesEditor::undoRestoresPreviousRules()
{
    QSignalSpy rulesChanged(m_document, &ui::ProjectDocument::rulesChanged);
    m_document->undo();
    QCOMPARE(rulesChanged.count(), 1);
    QCOMPARE(storedRules(m_document->project()), m_demoRules);
    QCOMPARE(transitionCondition(0)->text(), QStringLiteral("flow > 20"));
    m_document->redo();
    QCOMPARE(rulesChanged.count(), 2);
    QCOMPARE(transitionCondition(0)->text(), QStringLiteral("flow > 25"));
    m_document->undo();
    QCOMPARE(transitionCondition(0)->text(), QStringLiteral("flow > 20"));
}

void TestRulesEditor::conditionCompletesVariableNames()
{
    ExpressionEdit *edit = transitionCondition(1);
    edit->setFocus();
    edit->setText("flow < 5 && ");
    edit->end(false);
    QTest::keyClicks(edit, "disch");
    QCOMPARE(edit->completer()->currentCompletion(), QStringLiteral("dischargePressure"));
    m_editor->revert();
    QCOMPARE(transitionCondition(1)->text(), QStringLiteral("flow < 5"));
}

void TestRulesEditor::newAlarmFiresInReplay()
{
    ui::TelemetrySession *session = m_window->telemetrySession();
    QVERIFY(session);
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->hasHistory, 10000);
    auto hasAlarm = [session] {
        for (const auto &a : session->snapshot()->alarms)
            if (a.name == "Pump pumping (test)")
                return true;
        return false;
    };
    QVERIFY(!hasAlarm());
    auto *alarms = m_editor->findChild<QTableWidget *>("rulesAlarms");
    const int row = alarms->rowCount();
    QTest::mouseClick(m_editor->findChild<QPushButton *>("rulesAlarmsAdd"), Qt::LeftButton);
    QCOMPARE(alarms->rowCount(), row + 1);
    qobject_cast<QLineEdit *>(alarms->cellWidget(row, 0))->setText("Pump pumping (test)");
    qobject_cast<QLineEdit *>(alarms->cellWidget(row, 2))->setText("flow > 20");
    qobject_cast<QLineEdit *>(alarms->cellWidget(row, 3))->setText("flow < 5");
    QVERIFY(m_editor->apply());
    QCOMPARE(model::ownRuleSet(m_document->project(), kPumpType)->alarms.size(), size_t(row + 1));
    if (!qEnvironmentVariableIsEmpty("TWIN_RULES_SCREENSHOT"))
        QVERIFY(m_window->saveScreenshot(qEnvironmentVariable("TWIN_RULES_SCREENSHOT")).isEmpty());
    // rulesChanged made the session reload; replay past the recording and look for the alarm.
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->error.isEmpty() && session->snapshot()->hasHistory, 10000);
    const TimeNs end = session->snapshot()->end;
    session->pause();
    session->seek(end);
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot()->position == end && hasAlarm(), 20000);
}

QTEST_MAIN(TestRulesEditor)
#include "tst_rules_editor.moc"
