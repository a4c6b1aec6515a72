// In the real workbench window: a scenario created from the twin's current state
// through the Scenarios dock (speed 1200 rpm on Pump P-101), run with the baseline in worker processes
// without blocking the GUI, compared in the Compare dock (overlay series and legend, KPI table with the
// difference to the first column), exported as CSV/PNG/SVG; a huge run is cancelled while the GUI ticks.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/plot/PlotWidget.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/simulation/ScenarioCompareView.h"
#include "twin/ui/simulation/ScenarioPanel.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace twin;

namespace {
const char *kP101 = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";

int rowOf(const QTableWidget *table, const QString &text, int column = 0, int role = Qt::DisplayRole)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, column) && table->item(r, column)->data(role).toString() == text)
            return r;
    return -1;
}
} // namespace

class TestScenariosGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void createsScenarioFromCurrentState();
    void badOverrideIsShown();
    void runsWithoutBlockingAndStores();
    void compareViewShowsBothScenarios();
    void exportsComparison();
    void screenshot();
    void cancelLeavesGuiResponsive();

private:
    ui::ProjectDocument *m_document = nullptr;
    ui::MainWindow *m_window = nullptr;
    ui::ScenarioPanel *m_panel = nullptr;
    ui::ScenarioCompareView *m_compare = nullptr;
    QTemporaryDir m_dir;
};

void TestScenariosGui::initTestCase()
{
    qputenv("TWIN_NO_PROMPTS", "1");
    QCoreApplication::setOrganizationName("TwinworksScenariosTest");
    m_document = new ui::ProjectDocument;
    m_window = new ui::MainWindow(*m_document);
    auto project = std::make_unique<model::Project>();
    QVERIFY(model::buildDemoTwin(*project).ok());
    m_document->adopt(std::move(project), {}, false);
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QVERIFY(m_window->telemetrySession());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->telemetrySession()->snapshot()->hasHistory, 10000);
    m_panel = m_window->findChild<ui::ScenarioPanel *>();
    m_compare = m_window->findChild<ui::ScenarioCompareView *>();
    QVERIFY(m_panel && m_compare);
    model::scenario::ExecutorOptions options;
    options.pluginDir = TWIN_PLUGIN_DIR;
    options.workerPath = TWIN_SIMWORKER;
    m_panel->setExecutorOptions(options);
    QVERIFY(m_dir.isValid());
}

void TestScenariosGui::cleanupTestCase()
{
    delete m_window;
    delete m_document;
}

void TestScenariosGui::createsScenarioFromCurrentState()
{
    QTableWidget *list = m_panel->scenarioTable();
    const int baseline = rowOf(list, "baseline");
    QVERIFY2(baseline >= 0, "the demo's baseline scenario is listed");
    QCOMPARE(list->item(baseline, 3)->text(), QStringLiteral("never run"));
    list->selectRow(baseline);
    m_panel->newFromCurrentState();
    m_panel->nameEdit()->setText("slow");
    QCOMPARE(m_panel->targetCombo()->currentText(), QString(kP101));
    QVERIFY2(rowOf(m_panel->kpiTable(), "meanFlow") >= 0, "KPIs come from the selected scenario");
    QCOMPARE(m_panel->overrideTable()->rowCount(), 0);
    const int row = m_panel->addOverrideRow("speed", "constant", "1200", "rpm");
    QVERIFY2(m_panel->overrideTable()->item(row, 4)->text().startsWith("OK"),
             qPrintable(m_panel->overrideTable()->item(row, 4)->text()));
    QCOMPARE(m_panel->saveEditor(), QString());

    const auto def = model::scenario::findScenario(m_document->project(), "slow");
    QVERIFY(def);
    QCOMPARE(def->targets, std::vector<std::string>{kP101});
    QCOMPARE(def->overrides.size(), std::size_t(1));
    QCOMPARE(def->overrides[0].value, 1200.0);
    QCOMPARE(def->overrides[0].unit, std::string("rpm"));
    const model::TimeNs clock = m_window->telemetrySession()->snapshot()->position;
    if (clock > 0)
        QCOMPARE(def->startAt.value_or(0), clock); // "from the current state": the session clock
    QVERIFY(rowOf(list, "slow") >= 0);
    QVERIFY(m_document->isModified());
}

void TestScenariosGui::badOverrideIsShown()
{
    m_panel->editScenario("slow");
    const int row = m_panel->addOverrideRow("speed", "ramp", "1480, 1200");
    QVERIFY(m_panel->overrideTable()->item(row, 4)->text().contains("ramp"));
    const QString error = m_panel->saveEditor();
    QVERIFY2(error.contains("Override row 2"), qPrintable(error));
    QCOMPARE(m_panel->statusLabel()->text(), error);
    m_panel->overrideTable()->removeRow(row);
    QCOMPARE(m_panel->saveEditor(), QString());
}

void TestScenariosGui::runsWithoutBlockingAndStores()
{
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start(10);
    QCOMPARE(m_panel->runScenarios({"slow", "baseline"}), QString());
    QVERIFY(m_panel->isRunning());
    QVERIFY(m_panel->cancelButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isRunning(), 60000);
    QVERIFY2(m_panel->lastRunOk(), qPrintable(m_panel->lastRunMessages().join('\n')));
    QCOMPARE(m_panel->lastRunMessages().size(), 2);
    QCOMPARE(m_panel->progressBar()->value(), 1000);
    QVERIFY(!m_panel->cancelButton()->isEnabled());
    QVERIFY2(ticks > 0, "the GUI thread kept running during the runs");
    for (const char *name : {"slow", "baseline"}) {
        QVERIFY(!model::scenario::scenarioRunRecord(m_document->project(), name).empty());
        const int row = rowOf(m_panel->scenarioTable(), name);
        QCOMPARE(m_panel->scenarioTable()->item(row, 3)->text(), QStringLiteral("completed"));
        QVERIFY(m_panel->scenarioTable()->item(row, 4)->text().contains("meanFlow"));
    }
    const auto asset = model::scenario::findAssetByPath(m_document->project(), kP101);
    const auto id = m_document->project().history->findSignal({asset, "scenario:slow/flow"});
    QVERIFY(id);
    QVERIFY(m_document->project().history->stats(*id).count > 100);
    QVERIFY(m_document->isModified());
}

void TestScenariosGui::compareViewShowsBothScenarios()
{
    m_compare->setSelectedScenarios({"baseline", "slow"});
    m_compare->setOutput("flow");
    QCOMPARE(m_compare->outputCombo()->currentText(), QStringLiteral("flow"));
    const auto &series = m_compare->plot()->series();
    QCOMPARE(series.size(), std::size_t(2));
    QCOMPARE(series[0].label, QStringLiteral("baseline"));
    QCOMPARE(series[1].label, QStringLiteral("slow"));
    QVERIFY(series[0].color != series[1].color);
    m_compare->observedCheck()->setChecked(true);
    QVERIFY(m_compare->plot()->series().size() >= 2);
    m_compare->observedCheck()->setChecked(false);

    QTableWidget *kpis = m_compare->kpiTable();
    QCOMPARE(kpis->columnCount(), 3);
    QCOMPARE(kpis->horizontalHeaderItem(1)->text(), QStringLiteral("baseline"));
    QCOMPARE(kpis->horizontalHeaderItem(2)->text(), QStringLiteral("slow"));
    const int row = rowOf(kpis, "meanFlow", 0, Qt::UserRole);
    QVERIFY2(row >= 0, "the mean-flow KPI is a row");
    const double base = kpis->item(row, 1)->data(Qt::UserRole).toDouble();
    const double slow = kpis->item(row, 2)->data(Qt::UserRole).toDouble();
    QVERIFY2(base > 0 && slow < base, qPrintable(QString("baseline %1, slow %2").arg(base).arg(slow)));
    QVERIFY2(kpis->item(row, 2)->text().contains("Δ -"), qPrintable(kpis->item(row, 2)->text()));
}

void TestScenariosGui::exportsComparison()
{
    const QString csv = m_dir.filePath("kpis.csv"), png = m_dir.filePath("plot.png"),
                  svg = m_dir.filePath("plot.svg");
    QCOMPARE(m_compare->exportKpiCsv(csv), QString());
    QCOMPARE(m_compare->exportPng(png), QString());
    QCOMPARE(m_compare->exportSvg(svg), QString());
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(csvFile.readAll());
    QVERIFY2(text.startsWith("kpi,baseline,slow,slow - baseline\n"), qPrintable(text));
    QVERIFY(text.contains("meanFlow"));
    QVERIFY(text.count('\n') >= 4);
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 100 && image.height() > 100);
    QVERIFY(QFileInfo(png).size() > 2000);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.size() > 2000);
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("baseline"));
}

void TestScenariosGui::screenshot()
{
    const QString path = qEnvironmentVariable("TWIN_SCENARIOS_SCREENSHOT");
    if (path.isEmpty())
        QSKIP("set TWIN_SCENARIOS_SCREENSHOT=path.png to write the screenshot");
    auto *dock = m_window->findChild<QDockWidget *>("compareDock");
    QVERIFY(dock);
    dock->raise();
    QTest::qWait(300);
    QCOMPARE(m_window->saveScreenshot(path), QString());
}

void TestScenariosGui::cancelLeavesGuiResponsive()
{
    m_panel->newFromCurrentState();
    m_panel->nameEdit()->setText("long");
    m_panel->horizonSpin()->setValue(1e8);
    QCOMPARE(m_panel->saveEditor(), QString());
    QCOMPARE(m_panel->runScenarios({"long"}), QString());
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start(10);
    QTest::qWait(1500);
    QVERIFY(m_panel->isRunning());
    QVERIFY2(ticks > 20, qPrintable(QString("only %1 ticks in 1.5 s").arg(ticks)));
    QTest::mouseClick(m_panel->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isRunning(), 15000);
    QVERIFY(!m_panel->lastRunOk());
    QVERIFY2(m_panel->lastRunMessages().join('\n').contains("cancelled"),
             qPrintable(m_panel->lastRunMessages().join('\n')));
    const int row = rowOf(m_panel->scenarioTable(), "long");
    QVERIFY(m_panel->scenarioTable()->item(row, 3)->text().startsWith("failed: cancelled"));
    QVERIFY(m_panel->statusLabel()->text().contains("cancelled"));
    QVERIFY(m_panel->progressBar()->value() < 1000);
}

QTEST_MAIN(TestScenariosGui)
#include "tst_scenarios_gui.moc"
