// The Simulation dock in the real workbench window: it shows the selected pump's demo binding (sim-ode
// pumpstation) with the model's variables as the plugin lists them; a twin mapping with an incompatible unit
// is refused with the row named and nothing changed; a compatible fix is one undo step; undo restores the
// binding; and `twinctl validate` on a saved copy with a broken binding reports it.
#include "twin/model/commands/BindingCommands.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/scenario/Binding.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/simulation/BindingEditor.h"

#include <QComboBox>
#include <QDockWidget>
#include <QProcess>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace twin;
using Direction = model::scenario::VariableBinding::Direction;

namespace {
const std::string kPumpType = "dtmi:twinworks:demo:Pump;1";

model::AssetId byName(const model::Project &p, const std::string &name)
{
    for (model::AssetId id : p.graph.allIds())
        if (p.graph.find(id)->name == name)
            return id;
    return model::kNoAsset;
}

std::string storedBinding(const model::Project &p)
{
    auto it = p.meta.find(model::SetBindingCommand::metaKey(kPumpType));
    return it == p.meta.end() ? std::string() : it->second;
}
} // namespace

class TestBindingEditor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void showsSelectedPumpBinding();
    void fmuBindingWithRelativePathListsTheModel();
    void incompatibleUnitIsRefused();
    void compatibleFixIsOneUndoStep();
    void undoRestoresBinding();
    void twinctlValidateReportsBrokenBinding();

private:
    QComboBox *twinCombo(int row) { return qobject_cast<QComboBox *>(m_table->cellWidget(row, 3)); }
    void click(const char *button)
    {
        QTest::mouseClick(m_editor->findChild<QPushButton *>(button), Qt::LeftButton);
    }

    ui::ProjectDocument *m_document = nullptr;
    ui::MainWindow *m_window = nullptr;
    ui::BindingEditor *m_editor = nullptr;
    QTableWidget *m_table = nullptr;
    std::string m_demoBinding;
};

void TestBindingEditor::initTestCase()
{
    qputenv("TWIN_NO_PROMPTS", "1");
    QCoreApplication::setOrganizationName("TwinworksBindingEditorTest");
    m_document = new ui::ProjectDocument;
    m_window = new ui::MainWindow(*m_document);
    auto project = std::make_unique<model::Project>();
    QVERIFY(model::buildDemoTwin(*project).ok());
    m_demoBinding = storedBinding(*project);
    QVERIFY(!m_demoBinding.empty());
    m_document->adopt(std::move(project), {}, false);
    m_editor = m_window->findChild<ui::BindingEditor *>();
    QVERIFY(m_editor);
    m_editor->setPluginDirectory(TWIN_BINARY_DIR "/plugins");
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    auto *dock = m_window->findChild<QDockWidget *>("simulationDock");
    QVERIFY(dock);
    QCOMPARE(m_window->dockWidgetArea(dock), Qt::BottomDockWidgetArea);
    if (auto *rules = m_window->findChild<QDockWidget *>("rulesDock"))
        QVERIFY(m_window->tabifiedDockWidgets(rules).contains(dock));
    dock->raise();
    m_table = m_editor->findChild<QTableWidget *>("bindingVariables");
    QVERIFY(m_table);
}

void TestBindingEditor::cleanupTestCase()
{
    delete m_window;
    delete m_document;
}

void TestBindingEditor::showsSelectedPumpBinding()
{
    const model::AssetId pump = byName(m_document->project(), "Pump P-101");
    QVERIFY(pump != model::kNoAsset);
    m_document->selection().setSelection({pump});
    QCOMPARE(m_editor->typeId(), QString::fromStdString(kPumpType));
    QCOMPARE(m_editor->findChild<QComboBox *>("bindingBackend")->currentData().toString(),
             QStringLiteral("twin.sim-ode"));
    QCOMPARE(m_editor->findChild<QComboBox *>("bindingModel")->currentText(), QStringLiteral("pumpstation"));
    QVERIFY(m_editor->findChild<QComboBox *>("bindingBackend")->count() >= 1);
    const auto edited = m_editor->editedBinding();
    QVERIFY(edited);
    QCOMPARE(model::scenario::bindingToJson(*edited), m_demoBinding); // round trip: nothing changed
    QVERIFY(!m_editor->isModified());
    // The table lists the model's variables from the plugin: bound ones first, then the unbound ones.
    QVERIFY(m_table->rowCount() > int(edited->variables.size()));
    const int q = m_editor->rowOf("pump.Q", Direction::Out);
    QVERIFY(q >= 0);
    QCOMPARE(m_table->item(q, 1)->text(), QStringLiteral("output"));
    QCOMPARE(twinCombo(q)->currentData().toString(), QStringLiteral("flow"));
    QVERIFY(m_editor->rowOf("pump.P") >= 0); // unbound model output offered
    QVERIFY(twinCombo(q)->findData("feeds/level") >= 0);
    QVERIFY(twinCombo(q)->findData("^drives/current") >= 0);
    QVERIFY(m_editor->errorText().isEmpty());
    if (qEnvironmentVariableIsSet("TWIN_BINDING_SCREENSHOT"))
        QVERIFY(m_window->saveScreenshot(qEnvironmentVariable("TWIN_BINDING_SCREENSHOT")).isEmpty());
}

// The demo's Motor binds the FMU by a path relative to the share folder ("fmus/motor-cooling.fmu"): the
// editor asks the backend with the path resolved, as runs do, so the model is offered and its variables
// have their causality (not "(not offered)" and "missing").
void TestBindingEditor::fmuBindingWithRelativePathListsTheModel()
{
    const model::AssetId motor = byName(m_document->project(), "Motor M-103");
    QVERIFY(motor != model::kNoAsset);
    m_document->selection().setSelection({motor});
    QCOMPARE(m_editor->findChild<QComboBox *>("bindingBackend")->currentData().toString(),
             QStringLiteral("twin.sim-fmi"));
    auto *model = m_editor->findChild<QComboBox *>("bindingModel");
    QCOMPARE(model->currentText(), QStringLiteral("motor_cooling"));
    const int t = m_editor->rowOf("T", Direction::Out);
    QVERIFY(t >= 0);
    QCOMPARE(m_table->item(t, 1)->text(), QStringLiteral("output"));
    const int i = m_editor->rowOf("I");
    QVERIFY(i >= 0);
    QCOMPARE(m_table->item(i, 1)->text(), QStringLiteral("input"));
    QVERIFY2(m_editor->errorText().isEmpty(), qPrintable(m_editor->errorText()));
    m_document->selection().setSelection({byName(m_document->project(), "Pump P-101")}); // for what follows
}

void TestBindingEditor::incompatibleUnitIsRefused()
{
    const int steps = m_document->undoStack().count();
    const int q = m_editor->rowOf("pump.Q", Direction::Out);
    m_editor->setTwin(q, "dischargePressure"); // m3/s -> bar
    QVERIFY(m_editor->isModified());
    click("bindingApply");
    QVERIFY2(m_editor->errorText().contains("bar"), qPrintable(m_editor->errorText()));
    QVERIFY(!m_table->item(q, 5)->text().isEmpty()); // the row says why
    QCOMPARE(m_document->undoStack().count(), steps);
    QCOMPARE(storedBinding(m_document->project()), m_demoBinding);
    QVERIFY(m_editor->isModified());
    if (qEnvironmentVariableIsSet("TWIN_BINDING_ERROR_SCREENSHOT")) { // the dock alone, wide enough to read
        auto *dock = m_window->findChild<QDockWidget *>("simulationDock");
        dock->setFloating(true);
        dock->resize(1150, 460);
        QTest::qWait(100);
        QVERIFY(dock->grab().save(qEnvironmentVariable("TWIN_BINDING_ERROR_SCREENSHOT")));
        dock->setFloating(false);
    }
}

void TestBindingEditor::compatibleFixIsOneUndoStep()
{
    const int steps = m_document->undoStack().count();
    const int q = m_editor->rowOf("pump.Q", Direction::Out);
    m_editor->setTwin(q, "^observes/flow"); // the flow sensor observing the pump: m3/h
    click("bindingApply");
    QVERIFY2(m_editor->errorText().isEmpty() || !m_editor->errorText().contains("Error"),
             qPrintable(m_editor->errorText()));
    QCOMPARE(m_document->undoStack().count(), steps + 1);
    QVERIFY(!m_editor->isModified());
    const auto b = model::scenario::findBinding(m_document->project(), kPumpType);
    QVERIFY(b);
    QVERIFY(b->findTwin("^observes/flow"));
    QVERIFY(!b->findTwin("flow"));
    QCOMPARE(b->variables.size(), size_t(6));
    // The editor shows what the project holds now.
    QCOMPARE(twinCombo(m_editor->rowOf("pump.Q", Direction::Out))->currentData().toString(),
             QStringLiteral("^observes/flow"));
}

void TestBindingEditor::undoRestoresBinding()
{
    m_document->undo();
    QCOMPARE(storedBinding(m_document->project()), m_demoBinding);
    QCOMPARE(twinCombo(m_editor->rowOf("pump.Q", Direction::Out))->currentData().toString(),
             QStringLiteral("flow"));
    QVERIFY(!m_editor->isModified());
    m_document->redo();
    QVERIFY(model::scenario::findBinding(m_document->project(), kPumpType)->findTwin("^observes/flow"));
    m_document->undo();

    // Remove binding: one step, undone as well.
    const int steps = m_document->undoStack().index();
    click("bindingRemove");
    QVERIFY(!model::scenario::findBinding(m_document->project(), kPumpType));
    QCOMPARE(m_document->undoStack().index(), steps + 1);
    QCOMPARE(m_editor->findChild<QComboBox *>("bindingBackend")->currentIndex(), 0); // nothing bound now
    m_document->undo();
    QCOMPARE(storedBinding(m_document->project()), m_demoBinding);
}

void TestBindingEditor::twinctlValidateReportsBrokenBinding()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    model::Project copy;
    QVERIFY(model::buildDemoTwin(copy).ok());
    auto b = *model::scenario::findBinding(copy, kPumpType);
    for (auto &v : b.variables)
        if (v.model == "pump.Q")
            v.twin = "dischargePressure";
    b.variables.push_back({"pump.noSuchVariable", "speed", Direction::In, ""});
    model::scenario::setBinding(copy, b);
    const QString path = dir.filePath("broken.twin");
    QVERIFY(model::saveProject(model::captureProject(copy), path.toStdString()).ok());

    QProcess twinctl;
    twinctl.start(TWIN_BINARY_DIR "/bin/twinctl", {"validate", path});
    QVERIFY(twinctl.waitForFinished(60000));
    const QString out = QString::fromUtf8(twinctl.readAllStandardOutput() + twinctl.readAllStandardError());
    QVERIFY2(twinctl.exitCode() != 0, qPrintable(out));
    QVERIFY2(out.contains("binding-unit-mismatch"), qPrintable(out));
    QVERIFY2(out.contains("binding-missing-model-variable"), qPrintable(out));
    QVERIFY2(out.contains("noSuchVariable"), qPrintable(out));
}

QTEST_MAIN(TestBindingEditor)
#include "tst_binding_editor.moc"
