#pragma once
// The "Calibration" dock: the calibration of the selected asset. Left: its definition (free parameters with
// bounds, start and prior, fitted outputs with noise, weight and loss, calibration and hold-out windows in
// UTC, acceptance criteria, method), stored in the project as one undoable step, for the asset or its type.
// Right: the asset's signals with the windows as bands (windows picked by dragging) and the review. Middle:
// Calibrate / Cancel with progress and the objective per iteration. Review: an evidence record in ReviewView
// (interactive overlays with prediction band and residuals, parameters before -> after with intervals,
// metrics and acceptance, correlation heat map, the report) with sign-off (reviewer, reason, Approve applies
// the fitted parameters as one undo step) and export (HTML / PDF).
//
// Threads: GUI thread. The fit runs on one private worker thread over copies (the plan); planning and
// storing happen on the GUI thread, which never waits on a model run.
#include "twin/model/calibration/CalibrationRun.h"
#include "twin/model/calibration/ModelEvaluator.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <thread>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSpinBox;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QTextBrowser;

namespace twin::ui {

class MainWindow;
class ObjectiveChart;
class PlotWidget;
class ProjectDocument;
class ReviewView;

class CalibrationPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CalibrationPanel(ProjectDocument &document, QWidget *parent = nullptr);
    ~CalibrationPanel() override; // cancels a run and joins the worker

    // Defaults: plugins next to the executable (../plugins), twin-simworker beside it.
    void setPluginDir(std::string dir) { m_pluginDir = std::move(dir); }
    void setWorkerPath(std::string path) { m_workerPath = std::move(path); }
    // Shows the calibration of this asset (kNoAsset: none); the panel follows the selection by default.
    void showAsset(model::AssetId asset);
    model::AssetId asset() const { return m_asset; }

    // The editor as a definition; error text when a field is not readable.
    QString editorDefinition(model::calibration::CalibrationDefinition &out) const;
    // Stores the editor's definition for this asset, or for every asset of its type (one undo step). Error
    // text or empty.
    QString saveDefinition(bool forType = false);
    // Plans from the stored definition with the editor's changes and starts the fit. Error text or empty.
    QString calibrate();
    // Sensitivity ("local", "morris" or "sobol"; samples 0: the method's default) of the stored definition
    // with the editor's changes, off the GUI thread; the result is kept for the asset as one undo step and
    // shown in the review. Error text or empty.
    QString runSensitivity(const QString &method, int samples = 0);
    void cancel();
    bool isRunning() const { return m_worker.joinable() && !m_done; }
    // Worker processes kept warm from the last run that ended well (the next run starts none of its own).
    std::size_t keptWorkers() const { return m_keptRunners.size(); }
    // Sign-off of the record shown. Error text or empty.
    QString signOff(bool approve, const QString &reviewer, const QString &reason);
    // The shown record's report as HTML or PDF (by the extension). Error text or empty.
    QString exportReport(const QString &path);
    // The evidence key shown (empty: none).
    QString shownEvidence() const;
    // Recalibration on the data since an alarm (a drift or model-mismatch alarm on `asset`): shows the asset,
    // replaces the editor's windows by a calibration window from the alarm's start over 70 % of the data
    // since then and a hold-out window over the rest, and remembers the alarm, which the next calibration's
    // evidence keeps ("started from"). Nothing runs until Calibrate. Error text (no definition, less than 10
    // minutes of data since the alarm, a run going on) or empty.
    QString recalibrateFrom(model::AssetId asset, const QString &alarm, qint64 raised,
                            const QString &message);
    QString trigger() const { return QString::fromStdString(m_trigger); }
    // Arms the data plot: the next right-drag (or Shift+drag) over it adds a window of this kind
    // ("calibration" or "hold-out") to the editor.
    void pickWindow(const QString &kind);

    QTableWidget *parameterTable() const { return m_parameters; }
    QTableWidget *outputTable() const { return m_outputs; }
    QTableWidget *windowTable() const { return m_windows; }
    QTableWidget *criteriaTable() const { return m_criteria; }
    QComboBox *evidenceCombo() const { return m_evidence; }
    QTextBrowser *reviewView() const { return m_review; } // the report
    ReviewView *review() const { return m_reviewView; }
    PlotWidget *dataPlot() const { return m_plot; }
    QTabWidget *tabs() const { return m_tabs; }
    QLabel *statusLabel() const { return m_status; }
    QProgressBar *progressBar() const { return m_progress; }
    ObjectiveChart *objectiveChart() const { return m_objective; }

signals:
    void runFinished(bool ok); // after the record is stored (ok) or the run failed / was cancelled
    void sensitivityFinished(bool ok);
    void progressed(int iteration, double cost);

private:
    void buildUi();
    void reload(); // the asset's definition and records into the widgets
    void loadDefinition(const model::calibration::CalibrationDefinition &d);
    void showRecord();
    void showData();    // the asset's fitted outputs and measured inputs from history
    void showWindows(); // the editor's windows as bands on the data plot
    void setStatus(const QString &text, bool error);
    void finishRun(const model::calibration::CalibrationPlan &plan,
                   const Result<model::calibration::CalibrationRun> &run, std::uint64_t generation);
    // After a run on the worker thread: joins it and resets the controls; false when the project was
    // replaced meanwhile (the result is dropped).
    bool endWorkerRun(bool ok, std::uint64_t generation);
    void finishSensitivity(const std::string &asset, const Result<std::string> &result,
                           std::uint64_t generation);
    // The editor's definition planned, with the worker started ahead; the plan, or the error shown.
    std::shared_ptr<const model::calibration::CalibrationPlan> planFromEditor(QString &error);
    void joinWorker();
    std::string assetPath() const;

    ProjectDocument &m_document;
    model::AssetId m_asset = model::kNoAsset;
    std::string m_pluginDir, m_workerPath;
    QLabel *m_title, *m_status;
    QTableWidget *m_parameters, *m_outputs, *m_windows, *m_criteria;
    QComboBox *m_method, *m_evidence;
    QCheckBox *m_restart;
    QPushButton *m_save, *m_saveType, *m_run, *m_cancel, *m_approve, *m_reject, *m_export, *m_sensitivity;
    QComboBox *m_sensitivityMethod;
    QSpinBox *m_sensitivitySamples;
    QLineEdit *m_reviewer, *m_reason;
    QProgressBar *m_progress;
    ObjectiveChart *m_objective;
    ReviewView *m_reviewView;
    QTextBrowser *m_review; // the report, in the review's last tab
    QTabWidget *m_tabs;
    PlotWidget *m_plot;
    QString m_pickKind;
    model::AssetId m_plotted = model::kNoAsset;
    std::string m_loadedDefinition; // asset + definition JSON the editor shows
    std::string m_trigger;          // the alarm the editor's windows were proposed from (recalibrateFrom)
    model::AssetId m_triggerAsset = model::kNoAsset;
    bool m_proposing = false;      // recalibrateFrom is filling the windows table
    std::size_t m_shownRecord = 0; // hash of the record the review shows
    std::thread m_worker;
    std::atomic<bool> m_done{true};
    std::shared_ptr<model::calibration::WorkerEvaluator> m_evaluator; // of the running fit
    // The worker processes of the last run that ended well, warm, for the next calibration or sensitivity.
    model::calibration::WorkerEvaluator::Runners m_keptRunners;
    std::uint64_t m_generation = 0; // bumped when the project is replaced: late results are dropped
};

// Adds the dock (tabbed with the plots) and keeps calibration badges in the asset tree up to date.
CalibrationPanel *installCalibrationDock(MainWindow &window);

} // namespace twin::ui
