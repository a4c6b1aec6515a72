// The demo's calibration story in the workbench: Motor M-103 runs hot (a fouled cooler); its calibration is
// defined in the project; select it, Calibrate (real FMU in worker processes), the review shows the default
// model missing and the fit passing on the hold-out hour, sign off (one undo step that applies the fitted
// parameters), export the report; tree badges follow; bad editor input and Cancel lose nothing.
#include "twin/model/calibration/Evidence.h"
#include "twin/model/commands/MetaEntryCommand.h"
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/lifecycle/AuditLog.h"
#include "twin/model/scenario/AssetParameters.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/ui/assets/AssetTreeModel.h"
#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/calibration/CalibrationPanel.h"
#include "twin/ui/calibration/CorrelationMap.h"
#include "twin/ui/calibration/FitChart.h"
#include "twin/ui/calibration/ObjectiveChart.h"
#include "twin/ui/calibration/ReviewView.h"
#include "twin/ui/calibration/TornadoChart.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/plot/PlotForecast.h"
#include "twin/ui/plot/PlotPanel.h"
#include "twin/ui/plot/PlotWidget.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/simulation/ShadowRunner.h"
#include "twin/ui/telemetry/AlarmPanel.h"
#include "twin/ui/telemetry/AlarmTableModel.h"
#include "twin/ui/telemetry/HealthPanel.h"
#include "twin/viz/SceneController.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>

#include <QtTest>

using namespace twin;
namespace cal = model::calibration;

namespace {
const std::string kM103 = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";
const std::string kSkid3 = "Riverside site/Pump station PS-1/Skid 3";

bool nonBlank(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    return colours.size() > 20;
}
// The native review: one interactive chart per fitted output over the calibration and hold-out hours, the
// parameters before -> after, the metrics per window kind next to the criteria, the correlation map.
void checkReviewView(ui::ReviewView *review)
{
    QVERIFY(review->verdict()->text().contains("passed"));
    QCOMPARE(review->fitCharts().size(), std::size_t(1)); // the winding temperature
    ui::FitChart *chart = review->fitCharts().front();
    const auto &series = chart->series();
    QVERIFY(series.t.size() > 3000);
    QVERIFY(series.use.find('F') != std::string::npos && series.use.find('H') != std::string::npos);
    QVERIFY(!series.before.empty() && !series.lower.empty());
    review->tabs()->setCurrentIndex(0);
    QTRY_VERIFY(chart->isVisible() && chart->overlayArea().width() > 100);
    const QRectF area = chart->overlayArea();
    const QString values = chart->valuesAt(area.center());
    QVERIFY2(values.contains("observed") && values.contains("calibrated") && values.contains("95 % band"),
             qPrintable(values));
    QVERIFY(chart->valuesAt(QPointF(2, 2)).isEmpty());
    // The wheel zooms time around the mouse; a double click shows everything again.
    const double span = chart->viewEnd() - chart->viewStart();
    QWheelEvent wheel(area.center(), chart->mapToGlobal(area.center()), {}, {0, 240}, Qt::NoButton, {},
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(chart, &wheel);
    QVERIFY(chart->viewEnd() - chart->viewStart() < 0.8 * span);
    QTest::mouseDClick(chart, Qt::LeftButton, {}, area.center().toPoint());
    QCOMPARE(chart->viewEnd() - chart->viewStart(), span);

    QTableWidget *parameters = review->parameterTable();
    QCOMPARE(parameters->rowCount(), 3); // R_th, tau and the starting temperature
    QCOMPARE(parameters->item(0, 0)->text(), QString("R_th"));
    QVERIFY(parameters->item(0, 2)->text().startsWith("0.04")); // fouled cooler: 0.03 -> 0.045
    QVERIFY(parameters->item(0, 6)->text().contains("…"));
    QTableWidget *metrics = review->metricsTable();
    QCOMPARE(metrics->rowCount(), 2); // calibration and hold-out
    QCOMPARE(metrics->item(1, 1)->text(), QString("hold-out"));
    QVERIFY(metrics->item(1, 4)->toolTip().contains("before calibration")); // NRMSE before
    QTableWidget *criteria = review->criteriaTable();
    QVERIFY(criteria->rowCount() >= 1);
    for (int row = 0; row < criteria->rowCount(); ++row)
        QCOMPARE(criteria->item(row, 3)->text(), QString("PASS"));
    QCOMPARE(ui::CorrelationMap::colorOf(0.0), QColor(247, 247, 247));
    QVERIFY(ui::CorrelationMap::colorOf(0.99).red() > ui::CorrelationMap::colorOf(0.99).blue());
    QVERIFY(ui::CorrelationMap::colorOf(-0.99).blue() > ui::CorrelationMap::colorOf(-0.99).red());
    const QString shots = QDir::temp().filePath("twinworks-calibration");
    QDir().mkpath(shots);
    QVERIFY(review->grab().save(shots + "/review-fit.png"));
    review->tabs()->setCurrentIndex(1);
    QVERIFY(review->grab().save(shots + "/review-parameters.png"));
    review->tabs()->setCurrentIndex(2);
    QVERIFY(review->grab().save(shots + "/review-metrics.png"));
    review->tabs()->setCurrentIndex(3);
    QVERIFY(review->grab().save(shots + "/review-correlation.png"));
    review->tabs()->setCurrentIndex(0);
}

} // namespace

class TestCalibrationGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("TWIN_NO_PROMPTS", "1");
        QCoreApplication::setOrganizationName("TwinworksTest");
        m_document = new ui::ProjectDocument;
        m_window = new ui::MainWindow(*m_document);
        auto project = std::make_unique<model::Project>();
        QVERIFY(model::buildDemoTwin(*project).ok());
        m_document->adopt(std::move(project), {}, false);
        m_panel = m_window->findChild<ui::CalibrationPanel *>();
        QVERIFY(m_panel);
        m_panel->setPluginDir(TWIN_PLUGIN_DIR);
        m_panel->setWorkerPath(TWIN_SIMWORKER);
        m_window->resize(1500, 950);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        m_motor = model::scenario::findAssetByPath(m_document->project(), kM103);
        QVERIFY(m_motor != model::kNoAsset);
    }
    void cleanupTestCase()
    {
        delete m_window;
        delete m_document;
    }

    void selectingTheMotorShowsItsDefinition()
    {
        // The demo opens with its motor selected (the project's start asset).
        QCOMPARE(m_document->selection().selection(), std::vector<model::AssetId>{m_motor});
        QCOMPARE(m_panel->asset(), m_motor);
        m_document->selection().clear();
        QVERIFY(m_panel->parameterTable()->isEnabled() == false); // nothing selected
        m_document->selection().setSelection({m_motor});
        QCOMPARE(m_panel->asset(), m_motor);
        QCOMPARE(m_panel->parameterTable()->rowCount(), 3);
        QCOMPARE(m_panel->parameterTable()->item(0, 0)->text(), QString("R_th"));
        QCOMPARE(m_panel->windowTable()->rowCount(), 2);
        QCOMPARE(m_panel->criteriaTable()->rowCount(), 2);
        QCOMPARE(m_panel->evidenceCombo()->count(), 0);
        QVERIFY(m_panel->reviewView()->toPlainText().contains("No calibration run yet"));
        QVERIFY(badge(kM103).contains("not run"));
        QVERIFY(badge(kSkid3).contains("1 not run"));
    }

    void dataPlotShowsTheSignalsAndPicksWindowsByDragging()
    {
        ui::PlotWidget *plot = m_panel->dataPlot();
        QCOMPARE(plot->series().size(), std::size_t(2));     // the fitted winding temperature and the current
        QCOMPARE(plot->highlights().size(), std::size_t(2)); // the stored calibration and hold-out windows
        m_panel->tabs()->setCurrentIndex(0);
        QTRY_VERIFY(plot->isVisible() && plot->plotArea().width() > 100);
        const int rows = m_panel->windowTable()->rowCount();
        m_panel->pickWindow("hold-out");
        const QRect area = plot->plotArea();
        const QPoint from(area.left() + area.width() / 10, area.center().y()),
            to(area.left() + area.width() / 5, area.center().y());
        QTest::mousePress(plot, Qt::RightButton, {}, from);
        QTest::mouseMove(plot, to);
        QTest::mouseRelease(plot, Qt::RightButton, {}, to);
        QCOMPARE(m_panel->windowTable()->rowCount(), rows + 1);
        QCOMPARE(m_panel->windowTable()->item(rows, 0)->text(), QString("hold-out"));
        QCOMPARE(plot->highlights().size(), std::size_t(3));
        QVERIFY(!plot->rangePickMode()); // one window per pick
        QVERIFY(m_panel->windowTable()->item(rows, 1)->text().startsWith("2026-01-05T06:"));
        const QString shots = QDir::temp().filePath("twinworks-calibration");
        QDir().mkpath(shots);
        QVERIFY(m_panel->grab().save(shots + "/calibration-data.png"));
        m_panel->windowTable()->removeRow(rows); // the run below uses the stored windows
        QCOMPARE(plot->highlights().size(), std::size_t(2));
    }

    void badEditorInputIsNamedAndNothingRuns()
    {
        QTableWidgetItem *from = m_panel->windowTable()->item(0, 1);
        const QString kept = from->text();
        from->setText("yesterday");
        const QString error = m_panel->calibrate();
        QVERIFY2(error.contains("Window row 1"), qPrintable(error));
        QVERIFY(!m_panel->isRunning());
        from->setText(kept);
    }

    void outputAndPriorErrorsAreNamed()
    {
        QCOMPARE(m_panel->outputTable()->rowCount(), 1);
        QTableWidgetItem *loss = m_panel->outputTable()->item(0, 3);
        loss->setText("l1");
        QVERIFY(m_panel->calibrate().contains("Output row 1"));
        loss->setText("huber");
        cal::CalibrationDefinition d;
        QCOMPARE(m_panel->editorDefinition(d), QString());
        QCOMPARE(d.outputs[0].loss, cal::Loss::Huber);
        loss->setText("squared");
        m_panel->parameterTable()->setItem(0, 4, new QTableWidgetItem("0.04"));
        QVERIFY(m_panel->editorDefinition(d).contains("prior needs"));
        m_panel->parameterTable()->setItem(0, 5, new QTableWidgetItem("0.01"));
        QCOMPARE(m_panel->editorDefinition(d), QString());
        QCOMPARE(*d.parameters[0].priorSd, 0.01);
        m_panel->parameterTable()->setItem(0, 4, new QTableWidgetItem(""));
        m_panel->parameterTable()->setItem(0, 5, new QTableWidgetItem(""));
    }

    void unrelatedEditsKeepWhatIsBeingTyped()
    {
        QTableWidgetItem *upper = m_panel->parameterTable()->item(0, 2);
        const QString kept = upper->text();
        upper->setText("0.3"); // typed, not saved
        QVERIFY(m_document
                    ->execute(std::make_unique<model::MetaEntryCommand>(m_document->project(), "note:x",
                                                                        std::string("y"), "note", "no key"))
                    .isEmpty());
        QCOMPARE(m_panel->parameterTable()->item(0, 2)->text(), QString("0.3"));
        m_document->undo();
        QCOMPARE(m_panel->parameterTable()->item(0, 2)->text(), QString("0.3"));
        m_panel->parameterTable()->item(0, 2)->setText(kept);
    }

    void cancelStopsWithoutARecord()
    {
        QSignalSpy finished(m_panel, &ui::CalibrationPanel::runFinished);
        QCOMPARE(m_panel->calibrate(), QString());
        m_panel->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        if (finished.front().front().toBool())
            QSKIP("the fit finished before Cancel took effect");
        QVERIFY(m_panel->statusLabel()->text().contains("stopped"));
        QCOMPARE(cal::evidenceKeys(m_document->project(), kM103).size(), std::size_t(0));
        QCOMPARE(m_panel->keptWorkers(), std::size_t(0)); // a cancelled run's workers were stopped
    }

    // Right-click the motor, "Shadow simulation": its model runs alongside the two recorded hours on a
    // background thread; the residuals join the history, the Plots list offers them, and they say what the
    // calibration is about to fix: the fouled motor runs hotter than its default model. Stop keeps nothing.
    void shadowSimulationFromTheTree()
    {
        auto *runner = m_window->findChild<ui::ShadowRunner *>();
        QVERIFY(runner);
        runner->setPluginDir(TWIN_PLUGIN_DIR);
        runner->setWorkerPath(TWIN_SIMWORKER);
        m_document->selection().setSelection({m_motor});
        QAction *run = m_window->treePanel()->view()->findChild<QAction *>("actionShadowSimulation");
        QAction *stop = m_window->treePanel()->view()->findChild<QAction *>("actionStopShadowSimulation");
        QVERIFY(run && stop && !stop->isEnabled());
        auto *store = m_document->project().history.get();
        const std::size_t before = store->signalCount();
        QSignalSpy finished(runner, &ui::ShadowRunner::finished);

        run->trigger();
        QVERIFY(runner->running() && stop->isEnabled());
        stop->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY(!finished.takeFirst().front().toBool());
        QVERIFY2(runner->lastMessage().contains("nothing was kept"), qPrintable(runner->lastMessage()));
        QCOMPARE(store->signalCount(), before);

        QSignalSpy history(m_document, &ui::ProjectDocument::historyChanged);
        run->trigger();
        QVERIFY(!runner->start(m_motor)); // one at a time
        QVERIFY(runner->lastMessage().contains("running already"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY2(finished.front().front().toBool(), qPrintable(runner->lastMessage()));
        QVERIFY2(runner->lastMessage().contains("windingTemperature RMSE"),
                 qPrintable(runner->lastMessage()));
        QCOMPARE(history.size(), 1);
        const auto residual = store->findSignal({m_motor, "windingTemperature_residual"});
        QVERIFY(residual.has_value());
        QCOMPARE(store->stats(*residual).count, std::uint64_t(7200));
        double mean = 0;
        for (const auto &sample : store->range(*residual, 0, std::numeric_limits<model::TimeNs>::max()))
            mean += sample.value / 7200;
        QVERIFY2(mean > 10, qPrintable(QString("mean residual %1 K").arg(mean))); // the fouled cooler

        // The Twin health dock judges the model by those residuals: M-103 is a warning, and says why.
        auto *health = m_window->findChild<ui::HealthPanel *>();
        QVERIFY(health);
        QTRY_VERIFY_WITH_TIMEOUT(!health->tree()->findItems("Motor M-103", Qt::MatchRecursive).isEmpty() &&
                                     health->tree()
                                         ->findItems("Motor M-103", Qt::MatchRecursive)
                                         .front()
                                         ->text(6)
                                         .contains("windingTemperature: residual RMSE"),
                                 5000);
        QTreeWidgetItem *row = health->tree()->findItems("Motor M-103", Qt::MatchRecursive).front();
        QCOMPARE(row->text(1), QStringLiteral("warning"));
        QVERIFY2(row->toolTip(0).contains("no longer within its calibration's acceptance"),
                 qPrintable(row->toolTip(0)));
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("healthDock"))) {
            dock->show();
            dock->raise();
        }
        QTRY_VERIFY(health->isVisible());
        QDir().mkpath(QDir::temp().filePath("twinworks-calibration"));
        QVERIFY(health->grab().save(QDir::temp().filePath("twinworks-calibration") + "/twin-health.png"));

        auto *plots = m_window->findChild<ui::PlotPanel *>();
        QVERIFY(plots);
        QListWidgetItem *found = nullptr;
        for (int i = 0; i < plots->signalList()->count(); ++i)
            if (plots->signalList()->item(i)->text().contains("M-103 · windingTemperature_residual"))
                found = plots->signalList()->item(i);
        QVERIFY2(found, "the residual is not in the Plots list");
        for (int i = 0; i < plots->signalList()->count(); ++i) {
            const QString text = plots->signalList()->item(i)->text();
            const bool show = text.contains("M-103 · windingTemperature");
            plots->signalList()->item(i)->setCheckState(show ? Qt::Checked : Qt::Unchecked);
        }
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("plotDock"))) {
            dock->show();
            dock->raise();
        }
        QTRY_VERIFY(plots->plot()->isVisible());
        const QString shots = QDir::temp().filePath("twinworks-calibration");
        QDir().mkpath(shots);
        QVERIFY(plots->grab().save(shots + "/shadow-residual.png"));
    }

    void calibrateReviewAndSignOff()
    {
        QSignalSpy finished(m_panel, &ui::CalibrationPanel::runFinished);
        QCOMPARE(m_panel->calibrate(), QString());
        QVERIFY(m_panel->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QVERIFY2(finished.front().front().toBool(), qPrintable(m_panel->statusLabel()->text()));
        QVERIFY2(m_panel->statusLabel()->text().contains("passes acceptance"),
                 qPrintable(m_panel->statusLabel()->text()));
        QCOMPARE(m_panel->evidenceCombo()->count(), 1);
        QVERIFY(m_panel->keptWorkers() >= 1); // warm for the next calibration
        // The objective per iteration was drawn live and went down.
        const auto &objective = m_panel->objectiveChart()->points();
        QVERIFY(objective.size() >= 2);
        QVERIFY(objective.back().second < objective.front().second);
        const QString review = m_panel->reviewView()->toPlainText();
        for (const char *part : {"Acceptance: passed", "pending sign-off", "R_th", "before", "after", "PASS"})
            QVERIFY2(review.contains(part), part);
        QVERIFY(badge(kM103).contains("waiting for sign-off"));
        QVERIFY(badge(kSkid3).contains("1 pending"));
        checkReviewView(m_panel->review());
        if (QTest::currentTestFailed())
            return;
        const QString shots = QDir::temp().filePath("twinworks-calibration");
        QDir().mkpath(shots);
        const QImage panel = m_panel->grab().toImage();
        QVERIFY(nonBlank(panel));
        QVERIFY(panel.save(shots + "/calibration-review.png"));
        QVERIFY(m_window->saveScreenshot(shots + "/workbench-calibration.png").isEmpty());

        // Sign-off needs a name and a reason; approving applies the fitted values in one undo step.
        QVERIFY(!m_panel->signOff(true, "", "fits").isEmpty());
        QCOMPARE(m_panel->signOff(true, "A. Expert", "fits the hold-out hour"), QString());
        // The decision is in the audit trail, after the undoable step that applied it.
        const auto trail = model::lifecycle::auditEntries(m_document->project().meta);
        QVERIFY(trail.size() >= 2);
        QCOMPARE(QString::fromStdString(trail.back().kind), QString("calibration"));
        QVERIFY2(trail.back().summary.find("approved calibration-evidence:") == 0 &&
                     trail.back().summary.find("by A. Expert: fits the hold-out hour") != std::string::npos,
                 trail.back().summary.c_str());
        QCOMPARE(QString::fromStdString(trail[trail.size() - 2].kind), QString("edit"));
        const auto applied = model::scenario::assetParameters(m_document->project(), kM103);
        QVERIFY(std::abs(applied.values.at("R_th") - model::kDemoFouledRth) < 0.01 * model::kDemoFouledRth);
        QVERIFY(badge(kM103).contains("approved by A. Expert"));
        QVERIFY(m_panel->reviewView()->toPlainText().contains("A. Expert"));
        QVERIFY(!m_panel->signOff(false, "B", "again").isEmpty()); // decided once
        m_document->undo();
        QVERIFY(model::scenario::assetParameters(m_document->project(), kM103).values.empty());
        QVERIFY(badge(kM103).contains("waiting for sign-off"));
        QCOMPARE(m_document->selection().current(), m_motor);
        m_document->redo();
        QCOMPARE(model::scenario::assetParameters(m_document->project(), kM103).values.size(),
                 std::size_t(3));
    }

    // View > Colour scene by calibration: the motor green once approved, amber while waiting, the assets
    // without a calibration light grey; off again, the scene's own colours come back.
    void sceneColoursByCalibration()
    {
        auto *action = m_window->findChild<QAction *>("actionColourByCalibration");
        QVERIFY(action);
        viz::SceneController *scene = m_window->sceneWidget()->controller();
        const model::AssetId pump =
            model::scenario::findAssetByPath(m_document->project(), kSkid3 + "/Pump P-103");
        QVERIFY(pump != model::kNoAsset);
        m_document->selection().clear(); // no selection tint
        const QColor motorBefore = scene->assetColor(m_motor), pumpBefore = scene->assetColor(pump);
        QVERIFY(motorBefore.isValid() && pumpBefore.isValid());
        action->setChecked(true);
        QCOMPARE(scene->assetColor(m_motor), QColor("#2f9e44")); // approved in the test before
        QCOMPARE(scene->assetColor(pump), QColor(214, 214, 214));
        const QString shots = QDir::temp().filePath("twinworks-calibration");
        QVERIFY(m_window->saveScreenshot(shots + "/scene-by-calibration.png").isEmpty());
        m_document->undo(); // the sign-off: waiting again (the undo selects the motor: clear the tint)
        m_document->selection().clear();
        QCOMPARE(scene->assetColor(m_motor), QColor("#f2a900"));
        m_document->redo();
        m_document->selection().clear();
        QCOMPARE(scene->assetColor(m_motor), QColor("#2f9e44"));
        action->setChecked(false);
        QCOMPARE(scene->assetColor(m_motor), motorBefore);
        QCOMPARE(scene->assetColor(pump), pumpBefore);
        m_document->selection().setSelection({m_motor});
    }

    // The review is reachable from the tree: the asset's context menu raises the dock on its review.
    void reviewFromTheTree()
    {
        QTreeView *tree = m_window->treePanel()->view();
        auto *review = tree->findChild<QAction *>("actionReviewCalibration");
        QVERIFY(review && tree->actions().contains(review));
        QCOMPARE(tree->contextMenuPolicy(), Qt::ActionsContextMenu);
        auto *plots = m_window->findChild<QDockWidget *>("plotDock");
        QVERIFY(plots);
        plots->raise();
        m_panel->tabs()->setCurrentIndex(0);
        m_document->selection().setSelection({m_motor});
        review->trigger();
        QCOMPARE(m_panel->asset(), m_motor);
        QCOMPARE(m_panel->tabs()->currentIndex(), 1);
        QTRY_VERIFY(m_panel->isVisible());
        QVERIFY(!m_panel->review()->fitCharts().empty());
    }

    void saveForTheTypeCoversTheOtherMotors()
    {
        const auto m101 = model::scenario::findAssetByPath(
            m_document->project(), "Riverside site/Pump station PS-1/Skid 1/Motor M-101");
        m_document->selection().setSelection({m101});
        QCOMPARE(m_panel->parameterTable()->rowCount(), 0);
        m_document->selection().setSelection({m_motor});
        QCOMPARE(m_panel->saveDefinition(true), QString());
        m_document->selection().setSelection({m101});
        QCOMPARE(m_panel->parameterTable()->rowCount(), 3);
        QVERIFY(m_panel->findChild<QLabel *>()->text().contains("every"));
        QVERIFY(badge("Riverside site/Pump station PS-1/Skid 1/Motor M-101").contains("not run"));
        m_document->undo();
        m_document->selection().setSelection({m101});
        QCOMPARE(m_panel->parameterTable()->rowCount(), 0);
        m_document->selection().setSelection({m_motor});
    }

    // Sensitivity from the workbench, off the GUI thread: local at the calibrated values and Morris screening
    // over the bounds; each kept for the asset as one undo step and drawn as a tornado with its table.
    void sensitivityInTheReview()
    {
        m_document->selection().setSelection({m_motor});
        ui::ReviewView *review = m_panel->review();
        QSignalSpy finished(m_panel, &ui::CalibrationPanel::sensitivityFinished);
        QCOMPARE(m_panel->runSensitivity("local"), QString());
        QVERIFY(m_panel->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QVERIFY2(finished.back().front().toBool(), qPrintable(m_panel->statusLabel()->text()));
        QCOMPARE(review->tornadoCharts().size(), std::size_t(1)); // one fitted output
        const auto &local = review->tornadoCharts().front()->sensitivity();
        QCOMPARE(local.method, std::string("local"));
        QCOMPARE(local.bars.size(), std::size_t(3)); // R_th, tau, T0
        for (const auto &[name, value] : local.bars)
            QVERIFY2(std::isfinite(value), name.c_str());
        QCOMPARE(review->tabs()->currentIndex(), 4); // the Sensitivity tab
        QCOMPARE(review->sensitivityTable()->rowCount(), 3);

        QCOMPARE(m_panel->runSensitivity("morris", 4), QString());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 120000);
        QVERIFY2(finished.back().front().toBool(), qPrintable(m_panel->statusLabel()->text()));
        QCOMPARE(review->tornadoCharts().size(), std::size_t(2)); // local and morris
        const auto &order = review->tornadoCharts().back()->order();
        const auto &morris = review->tornadoCharts().back()->sensitivity();
        QCOMPARE(morris.method, std::string("morris"));
        QVERIFY(std::abs(morris.bars[order[0]].second) >= std::abs(morris.bars[order[1]].second)); // sorted
        QTRY_VERIFY(review->tornadoCharts().back()->isVisible() &&
                    review->tornadoCharts().back()->height() > 60);
        const QString shots = QDir::temp().filePath("twinworks-calibration");
        QVERIFY(review->grab().save(shots + "/review-sensitivity.png"));
        m_document->undo(); // the Morris result
        QCOMPARE(review->tornadoCharts().size(), std::size_t(1));
        m_document->redo();
        QCOMPARE(review->tornadoCharts().size(), std::size_t(2));
        // An unknown method is said in the status line and keeps what was there.
        QCOMPARE(m_panel->runSensitivity("fourier"), QString());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 60000);
        QVERIFY(!finished.back().front().toBool());
        QVERIFY(m_panel->statusLabel()->text().contains("not local, morris or sobol"));
        QCOMPARE(review->tornadoCharts().size(), std::size_t(2));
    }

    void exportReports()
    {
        QTemporaryDir dir;
        QCOMPARE(m_panel->exportReport(dir.filePath("r.html")), QString());
        QFile html(dir.filePath("r.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("Calibration of Riverside site"));
        QCOMPARE(m_panel->exportReport(dir.filePath("r.pdf")), QString());
        QFile pdf(dir.filePath("r.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QVERIFY(!m_panel->exportReport("/nonexistent/dir/r.html").isEmpty());
    }

    // A model-mismatch alarm on the motor (as a residual rule raises it): select it in the Alarms dock,
    // Recalibrate on recent data. The calibration opens on the motor with a calibration window from the
    // alarm over 70 % of the data since it and a hold-out window over the rest; the next calibration's record
    // keeps the alarm ("started from"), and the review says it.
    void recalibrateFromAnAlarm()
    {
        auto *alarms = m_window->findChild<ui::AlarmPanel *>();
        QVERIFY(alarms);
        const model::TimeNs raised = 1767596400LL * model::kNsPerSecond; // 07:00
        model::AlarmRecord alarm;
        alarm.id = 99;
        alarm.asset = m_motor;
        alarm.name = "Model mismatch";
        alarm.message = "hotter than the model";
        alarm.raised = raised;
        alarms->model()->setAlarms({alarm});
        auto *button = alarms->findChild<QPushButton *>("alarmRecalibrate");
        QVERIFY(button && !button->isEnabled());
        alarms->view()->selectRow(0);
        QVERIFY(button->isEnabled());
        m_document->selection().setSelection(
            {model::scenario::findAssetByPath(m_document->project(), kSkid3)});
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(m_panel->asset(), m_motor);
        QCOMPARE(m_document->selection().current(), m_motor);
        QTableWidget *windows = m_panel->windowTable();
        QCOMPARE(windows->rowCount(), 2);
        QCOMPARE(windows->item(0, 0)->text(), QStringLiteral("calibration"));
        QCOMPARE(windows->item(0, 1)->text(), QStringLiteral("2026-01-05T07:00:00Z"));
        QCOMPARE(windows->item(0, 2)->text(), QStringLiteral("2026-01-05T07:41:59Z")); // 70 % of 59:59
        QCOMPARE(windows->item(1, 0)->text(), QStringLiteral("hold-out"));
        QCOMPARE(windows->item(1, 1)->text(), QStringLiteral("2026-01-05T07:42:00Z"));
        QCOMPARE(windows->item(1, 2)->text(), QStringLiteral("2026-01-05T07:59:59Z"));
        QVERIFY(m_panel->trigger().contains("Model mismatch"));

        QSignalSpy finished(m_panel, &ui::CalibrationPanel::runFinished);
        const std::size_t records = cal::evidenceKeys(m_document->project(), kM103).size();
        QCOMPARE(m_panel->calibrate(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QVERIFY2(finished.front().front().toBool(), qPrintable(m_panel->statusLabel()->text()));
        const auto keys = cal::evidenceKeys(m_document->project(), kM103);
        QCOMPARE(keys.size(), records + 1);
        const std::string record = m_document->project().meta.at(keys.back());
        QVERIFY(record.find("\"trigger\":\"alarm \\\"Model mismatch\\\" on " + kM103 +
                            " raised 2026-01-05T07:00:00Z") != std::string::npos);
        QVERIFY2(m_panel->review()->verdict()->text().contains("Started from alarm"),
                 qPrintable(m_panel->review()->verdict()->text()));
        QVERIFY(m_panel->trigger().isEmpty()); // kept by the record; the next calibration is the user's own

        // Too little data since an alarm: said, nothing changes.
        alarm.raised = 1767599700LL * model::kNsPerSecond; // 07:55
        QVERIFY(m_panel->recalibrateFrom(m_motor, "late", alarm.raised, {}).contains("at least 10 minutes"));
        QCOMPARE(windows->item(0, 1)->text(), QStringLiteral("2026-01-05T07:00:00Z"));
    }

    // Forecast 30 min under the Plots list: the approved calibration's uncertainty run forward from the
    // newest data on a background thread, drawn as a 5-95 % band with its median after the measured signal.
    void forecastInThePlot()
    {
        auto *plots = m_window->findChild<ui::PlotPanel *>();
        auto *forecast = plots ? plots->findChild<ui::PlotForecast *>() : nullptr;
        QVERIFY(forecast);
        forecast->setPluginDir(TWIN_PLUGIN_DIR);
        forecast->setWorkerPath(TWIN_SIMWORKER);
        m_document->selection().setSelection({m_motor});
        QSignalSpy finished(forecast, &ui::PlotForecast::finished);
        QSignalSpy thresholds(forecast, &ui::PlotForecast::thresholdsForecast);
        QVERIFY(forecast->start());
        QVERIFY(!forecast->button()->isEnabled());
        QVERIFY(!forecast->start()); // one at a time
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QVERIFY2(finished.front().front().toBool(), qPrintable(forecast->text()->text()));
        const auto &bands = plots->plot()->bands();
        QCOMPARE(bands.size(), std::size_t(1));
        const ui::PlotBand &band = bands.front();
        QVERIFY(band.label.contains("windingTemperature"));
        QVERIFY(band.time.size() > 10);
        QCOMPARE(band.time.back() - band.time.front(), 1800 * model::kNsPerSecond);
        double widest = 0;
        for (std::size_t i = 0; i < band.time.size(); ++i) {
            QVERIFY(band.lower[i] <= band.middle[i] && band.middle[i] <= band.upper[i]);
            widest = std::max(widest, band.upper[i] - band.lower[i]);
        }
        QVERIFY2(widest > 0.01, "no spread: the calibration's covariance was not used");
        QVERIFY2(forecast->text()->text().contains("Parameters: "), qPrintable(forecast->text()->text()));
        // The time to each alarm limit the runs cross joins the motor's value label in the 3D view.
        QCOMPARE(thresholds.size(), 1);
        QCOMPARE(thresholds.front()[0].toULongLong(), qulonglong(m_motor));
        const QString brief = thresholds.front()[1].toString();
        const auto &labels = m_window->sceneWidget()->controller()->assetLabels();
        QVERIFY(labels.count(m_motor));
        const QString label = labels.at(m_motor).text;
        QVERIFY2(label.startsWith("Motor M-103\n") && label.contains("windingTemperature  "),
                 qPrintable(label));
        QVERIFY2(brief.isEmpty() || label.endsWith("\n" + brief), qPrintable(label + " | " + brief));
        QCOMPARE(brief.isEmpty(), !forecast->text()->text().contains(" runs)"));
        QVERIFY(plots->plot()->viewEnd() >= band.time.back());
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("plotDock"))) {
            dock->show();
            dock->raise();
        }
        QTRY_VERIFY(plots->plot()->isVisible());
        QVERIFY(plots->grab().save(QDir::temp().filePath("twinworks-calibration") + "/forecast.png"));
    }

private:
    QString badge(const std::string &path)
    {
        const auto id = model::scenario::findAssetByPath(m_document->project(), path);
        const QModelIndex index = m_window->treePanel()->model()->indexOf(id);
        return index.data(ui::AssetTreeModel::CalibrationRole).toString();
    }

    ui::ProjectDocument *m_document = nullptr;
    ui::MainWindow *m_window = nullptr;
    ui::CalibrationPanel *m_panel = nullptr;
    model::AssetId m_motor = model::kNoAsset;
};

QTEST_MAIN(TestCalibrationGui)
#include "tst_calibration_gui.moc"
