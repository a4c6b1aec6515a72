// CalibrationPanel: running a calibration on the worker thread, storing its evidence, sign-off, export, and
// the dock with the tree's calibration badges (see CalibrationPanel.h).
#include "twin/model/calibration/CalibrationStatus.h"
#include "twin/model/calibration/Evidence.h"
#include "twin/model/calibration/ProjectSensitivity.h"
#include "twin/model/calibration/Report.h"
#include "twin/model/scenario/AssetParameters.h"
#include "twin/ui/assets/AssetTreeModel.h"
#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/assets/SceneWidget.h"
#include "twin/ui/calibration/CalibrationPanel.h"
#include "twin/ui/calibration/ObjectiveChart.h"
#include "twin/ui/calibration/ReportPdf.h"
#include "twin/ui/calibration/ReviewView.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/AlarmPanel.h"
#include "twin/ui/widgets/QtStrings.h"
#include "twin/viz/SceneController.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTreeView>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

namespace twin::ui {

namespace {
namespace cal = model::calibration;

model::TimeNs now()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

QString exportPathDialog(QWidget *parent)
{
    return QFileDialog::getSaveFileName(parent, QObject::tr("Export calibration report"), QString(),
                                        QObject::tr("HTML report (*.html);;PDF report (*.pdf)"));
}

void CalibrationPanel::joinWorker()
{
    if (m_worker.joinable())
        m_worker.join();
}

void CalibrationPanel::cancel()
{
    if (m_evaluator && isRunning()) {
        m_evaluator->cancel();
        setStatus(tr("Cancelling…"), false);
    }
}

std::shared_ptr<const cal::CalibrationPlan> CalibrationPanel::planFromEditor(QString &error)
{
    cal::CalibrationDefinition d;
    if (error = editorDefinition(d); !error.isEmpty()) {
        setStatus(error, true);
        return {};
    }
    const QString file = m_document.filePath();
    const std::string projectDir = file.isEmpty() ? std::string() : ss(QFileInfo(file).absolutePath());
    auto planned = cal::planCalibration(m_document.project(), d, m_pluginDir, projectDir);
    if (!planned) {
        error = qs(planned.error());
        setStatus(error, true);
        return {};
    }
    if (!m_trigger.empty() && m_triggerAsset == m_asset)
        planned->trigger = m_trigger;
    return std::make_shared<const cal::CalibrationPlan>(std::move(planned.value()));
}

QString CalibrationPanel::calibrate()
{
    if (isRunning())
        return tr("A calibration is already running.");
    joinWorker();
    // The worker process of the last run, or a new one started now that loads while the history is read and
    // the fit planned.
    if (m_keptRunners.empty())
        m_keptRunners.push_back(cal::WorkerEvaluator::startAhead({}, m_workerPath));
    QString error;
    const auto plan = planFromEditor(error);
    if (!plan)
        return error;
    const int workers = int(std::max(1u, std::thread::hardware_concurrency()));
    m_evaluator = std::make_shared<cal::WorkerEvaluator>(plan->problem, workers, model::sim::RunLimits{},
                                                         m_workerPath, std::exchange(m_keptRunners, {}));
    std::size_t samples = 0;
    for (const auto &[twin, c] : plan->counts)
        samples += c.fitted;
    setStatus(tr("Calibrating %1 parameters on %2 samples (%3 excluded for bad quality)…")
                  .arg(plan->problem.parameters.size())
                  .arg(samples)
                  .arg([&] {
                      std::size_t bad = 0;
                      for (const auto &[twin, c] : plan->counts)
                          bad += c.badQuality;
                      return bad;
                  }()),
              false);
    m_progress->setRange(0, 0); // busy until the first iteration
    m_objective->clear();
    m_cancel->setEnabled(true);
    m_run->setEnabled(false);
    m_done = false;
    reload();
    const std::uint64_t generation = m_generation;
    m_worker = std::thread([this, plan, evaluator = m_evaluator, generation] {
        cal::CalibrationOptions options;
        options.progress = [this](const cal::CalibrationProgress &p) {
            QMetaObject::invokeMethod(this, [this, p] { emit progressed(p.iteration, p.cost); });
            return true;
        };
        auto run = cal::runCalibration(*plan, *evaluator, options, {200});
        auto result = std::make_shared<Result<cal::CalibrationRun>>(std::move(run));
        QMetaObject::invokeMethod(
            this, [this, plan, result, generation] { finishRun(*plan, *result, generation); });
    });
    return {};
}

bool CalibrationPanel::endWorkerRun(bool ok, std::uint64_t generation)
{
    m_done = true;
    joinWorker();
    if (ok && m_evaluator && !m_evaluator->cancelled())
        m_keptRunners = m_evaluator->takeRunners(); // a cancelled run's workers were stopped
    m_evaluator.reset();
    m_cancel->setEnabled(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(ok ? 1 : 0);
    if (generation == m_generation)
        return true;
    m_asset = m_plotted =
        model::kNoAsset; // the project was replaced meanwhile: its asset ids mean nothing now
    reload();
    return false;
}

void CalibrationPanel::finishRun(const cal::CalibrationPlan &plan, const Result<cal::CalibrationRun> &run,
                                 std::uint64_t generation)
{
    if (!endWorkerRun(run.ok(), generation)) {
        emit runFinished(false);
        return;
    }
    if (!run) {
        setStatus(tr("Calibration stopped: %1").arg(qs(run.error())), true);
        reload();
        emit runFinished(false);
        return;
    }
    const cal::MetaChange record =
        cal::newEvidence(m_document.project(), plan.definition.asset, cal::evidenceJson(plan, *run, now()));
    const model::AssetId asset =
        model::scenario::findAssetByPath(m_document.project(), plan.definition.asset);
    if (!plan.trigger.empty())
        m_trigger.clear(); // the record keeps it; a next calibration is the user's own
    if (Status s = cal::pushChanges(m_document.undoStack(), m_document.project(), {record},
                                    "Calibrate " + plan.definition.asset, {asset});
        !s) {
        setStatus(qs(s.error()), true);
        emit runFinished(false);
        return;
    }
    const auto &r = run->result;
    QString text = tr("%1 after %2 model runs (%3 s); %4. Review it on the right, then sign off.")
                       .arg(r.converged ? tr("Converged") : tr("Not converged"))
                       .arg(r.evaluations)
                       .arg(r.seconds, 0, 'f', 1)
                       .arg(!r.identifiable ? tr("NOT identifiable")
                            : run->acceptance.defined()
                                ? (run->acceptance.passed ? tr("passes acceptance") : tr("FAILS acceptance"))
                                : tr("no acceptance criteria"));
    setStatus(text, !run->passed());
    reload();
    if (const int i = m_evidence->findData(qs(record.key)); i >= 0)
        m_evidence->setCurrentIndex(i);
    m_tabs->setCurrentIndex(1); // the review
    emit runFinished(true);
}

QString CalibrationPanel::runSensitivity(const QString &method, int samples)
{
    if (isRunning())
        return tr("A calibration is already running.");
    joinWorker();
    QString error;
    const auto plan = planFromEditor(error);
    if (!plan)
        return error;
    cal::SensitivityRequest request;
    request.method = ss(method);
    request.samples = samples;
    request.seed = plan->definition.seed;
    // Local sensitivities at the asset's calibrated values (the start values where there are none).
    std::vector<double> point;
    const auto calibrated =
        model::scenario::assetParameters(m_document.project(), plan->definition.asset).values;
    for (const auto &p : plan->problem.parameters) {
        const auto it = calibrated.find(p.name);
        point.push_back(it != calibrated.end() ? std::clamp(it->second, p.lower, p.upper) : p.start);
    }
    const int workers = int(std::max(1u, std::thread::hardware_concurrency()));
    m_evaluator = std::make_shared<cal::WorkerEvaluator>(plan->problem, workers, model::sim::RunLimits{},
                                                         m_workerPath, std::exchange(m_keptRunners, {}));
    setStatus(tr("%1 sensitivity of %2 parameters on %3 worker processes…")
                  .arg(method)
                  .arg(plan->problem.parameters.size())
                  .arg(workers),
              false);
    m_progress->setRange(0, 0);
    m_cancel->setEnabled(true);
    m_run->setEnabled(false);
    m_sensitivity->setEnabled(false);
    m_done = false;
    const std::uint64_t generation = m_generation;
    m_worker = std::thread([this, plan, request, point, evaluator = m_evaluator, generation] {
        auto result =
            std::make_shared<Result<std::string>>(cal::projectSensitivity(*plan, *evaluator, request, point));
        const std::string asset = plan->definition.asset;
        QMetaObject::invokeMethod(
            this, [this, asset, result, generation] { finishSensitivity(asset, *result, generation); });
    });
    return {};
}

void CalibrationPanel::finishSensitivity(const std::string &asset, const Result<std::string> &result,
                                         std::uint64_t generation)
{
    if (!endWorkerRun(result.ok(), generation)) {
        emit sensitivityFinished(false);
        return;
    }
    if (!result) {
        setStatus(tr("Sensitivity stopped: %1").arg(qs(result.error())), true);
        reload();
        emit sensitivityFinished(false);
        return;
    }
    const cal::MetaChange change = cal::storeSensitivity(m_document.project(), asset, *result);
    const model::AssetId id = model::scenario::findAssetByPath(m_document.project(), asset);
    if (Status s = cal::pushChanges(m_document.undoStack(), m_document.project(), {change},
                                    "Sensitivity of " + asset, {id});
        !s) {
        setStatus(qs(s.error()), true);
        emit sensitivityFinished(false);
        return;
    }
    setStatus(tr("Sensitivity done; see the review's Sensitivity tab (kept for the report)."), false);
    reload();
    m_tabs->setCurrentIndex(1);
    m_reviewView->tabs()->setCurrentWidget(m_reviewView->tabs()->widget(4));
    emit sensitivityFinished(true);
}

QString CalibrationPanel::signOff(bool approve, const QString &reviewer, const QString &reason)
{
    const std::string key = ss(shownEvidence());
    auto changes = cal::signOffChanges(
        m_document.project(), key,
        {approve ? cal::Decision::Approved : cal::Decision::Rejected, ss(reviewer), ss(reason), now()});
    if (!changes) {
        setStatus(qs(changes.error()), true);
        return qs(changes.error());
    }
    const std::string text = (approve ? "Approve calibration of " : "Reject calibration of ") + assetPath();
    if (Status s = cal::pushChanges(m_document.undoStack(), m_document.project(), *changes, text, {m_asset});
        !s) {
        setStatus(qs(s.error()), true);
        return qs(s.error());
    }
    m_document.audit("calibration", (approve ? "approved " : "rejected ") + key + " by " + ss(reviewer) +
                                        (reason.isEmpty() ? std::string() : ": " + ss(reason)));
    setStatus(
        approve ? tr("Approved: the fitted parameters now drive what-ifs of this asset (undo to take back).")
                : tr("Rejected."),
        false);
    return {};
}

QString CalibrationPanel::exportReport(const QString &path)
{
    const auto it = m_document.project().meta.find(ss(shownEvidence()));
    if (it == m_document.project().meta.end())
        return tr("No calibration record to export.");
    auto html =
        cal::reportHtml(cal::withSensitivity(m_document.project(), assetPath(), it->second), it->first);
    Status written = html ? okStatus() : Status(Error{html.error()});
    if (written && path.endsWith(".pdf", Qt::CaseInsensitive)) {
        written = writeReportPdf(*html, ss(path));
    } else if (written) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::fromStdString(*html)) < 0)
            written = Error{ss(path) + ": cannot write"};
    }
    setStatus(written ? tr("Report written to %1").arg(path) : qs(written.error()), !written);
    return written ? QString() : qs(written.error());
}

CalibrationPanel *installCalibrationDock(MainWindow &window)
{
    auto *panel = new CalibrationPanel(window.document(), &window);
    auto *dock = new QDockWidget(QObject::tr("Calibration"), &window);
    dock->setObjectName("calibrationDock");
    dock->setWidget(panel);
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (auto *plots = window.findChild<QDockWidget *>(QStringLiteral("plotDock"))) {
        window.tabifyDockWidget(plots, dock);
        plots->raise();
    }
    // Reachable from the tree: right-click an asset, "Review calibration" (the panel follows the selection).
    auto *review = new QAction(QObject::tr("Review calibration"), window.treePanel()->view());
    review->setObjectName("actionReviewCalibration");
    window.treePanel()->view()->addAction(review);
    window.treePanel()->view()->setContextMenuPolicy(Qt::ActionsContextMenu);
    QObject::connect(review, &QAction::triggered, panel, [dock, panel] {
        dock->show();
        dock->raise();
        panel->tabs()->setCurrentIndex(1); // review and sign-off
    });
    // A drift or model-mismatch alarm: Recalibrate in the alarm dock opens this panel with windows over the
    // data since the alarm.
    if (auto *alarms = window.findChild<AlarmPanel *>())
        QObject::connect(alarms, &AlarmPanel::recalibrateRequested, panel,
                         [panel, dock, &window](quint64 asset, const QString &alarm, qint64 raised,
                                                const QString &message) {
                             const QString error =
                                 panel->recalibrateFrom(model::AssetId(asset), alarm, raised, message);
                             if (!error.isEmpty()) {
                                 window.statusBar()->showMessage(error, 15000);
                                 return;
                             }
                             dock->show();
                             dock->raise();
                         });
    QObject::connect(panel, &CalibrationPanel::progressed, panel, [panel](int iteration, double cost) {
        panel->progressBar()->setRange(0, 0);
        panel->statusLabel()->setText(
            QObject::tr("Iteration %1: objective %2").arg(iteration).arg(cost, 0, 'g', 6));
    });

    // Calibration badges in the tree: green approved, amber pending or not run, red failing; rolled up.
    // View > Colour scene by calibration paints the 3D scene the same way (only the calibrated assets
    // themselves, not their parents; the rest light grey).
    AssetTreeModel *tree = window.treePanel()->model();
    ProjectDocument *document = &window.document();
    auto *colourScene = new QAction(QObject::tr("Colour scene by &calibration"), &window);
    colourScene->setObjectName("actionColourByCalibration");
    colourScene->setCheckable(true);
    colourScene->setToolTip(
        QObject::tr("Green approved, amber waiting for sign-off, red failing, grey not run; "
                    "assets without a calibration light grey"));
    if (auto *view = window.menuBar()->findChild<QMenu *>("viewMenu")) {
        view->insertSeparator(view->actions().value(2));
        view->insertAction(view->actions().value(3), colourScene);
    }
    viz::SceneController *scene = window.sceneWidget()->controller();
    auto update = [tree, document, colourScene, scene] {
        std::unordered_map<model::AssetId, QColor> ownColours; // assets with a calibration of their own
        AssetTreeModel::BadgeMap badges;
        for (const auto &[id, s] : cal::calibrationStatus(document->project())) {
            QColor colour;
            switch (s.level) {
            case cal::CalibrationLevel::Approved:
                colour = QColor("#2f9e44");
                break;
            case cal::CalibrationLevel::NotRun:
                colour = QColor("#adb5bd");
                break;
            case cal::CalibrationLevel::Pending:
                colour = QColor("#f2a900");
                break;
            case cal::CalibrationLevel::Failed:
                colour = QColor("#d00000");
                break;
            }
            badges[id] = {colour, qs(s.text)};
            if (s.own) // calibrated itself (parents only roll up what is below them)
                ownColours[id] = colour;
        }
        tree->setBadges(AssetTreeModel::BadgeKind::Calibration, std::move(badges));
        if (scene)
            scene->setColorOverlay(colourScene->isChecked() ? std::move(ownColours)
                                                            : std::unordered_map<model::AssetId, QColor>{});
    };
    QObject::connect(colourScene, &QAction::toggled, tree, update);
    QObject::connect(document, &ProjectDocument::undoStateChanged, tree, update);
    QObject::connect(document, &ProjectDocument::projectReplaced, tree, update);
    update();
    return panel;
}

} // namespace twin::ui
