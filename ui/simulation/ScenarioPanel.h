#pragma once
// The "Scenarios" dock: the project's what-if scenarios with their last run (outcome,
// KPIs), an editor (name, target asset, start, horizon, step, seed, overrides, KPI expressions) and Run / Run
// selected. Runs are planned on the GUI thread (planScenario reads the project), executed on one worker
// thread (ScenarioExecutor, isolated worker processes) with a progress bar and Cancel, and stored back on the
// GUI thread (storeScenarioRun + ProjectDocument::markHistoryChanged). The GUI thread never waits on a run.
//
// Threads: GUI thread, except the private worker (std::thread) that only touches its copies of the plans.
#include "twin/model/scenario/ScenarioRun.h"

#include <QStringList>
#include <QWidget>
#include <map>
#include <memory>
#include <optional>
#include <thread>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace twin::ui {

class MainWindow;
class ProjectDocument;
class ScenarioCompareView;
class TelemetrySession;

class ScenarioPanel : public QWidget
{
    Q_OBJECT
public:
    ScenarioPanel(ProjectDocument &document, TelemetrySession *session, QWidget *parent = nullptr);
    ~ScenarioPanel() override; // cancels a run and joins the worker

    // Default: plugins next to the executable (../plugins), twin-simworker beside it.
    void setExecutorOptions(model::scenario::ExecutorOptions options) { m_options = std::move(options); }
    const model::scenario::ExecutorOptions &executorOptions() const { return m_options; }

    // Widgets, for tests that fill the editor programmatically.
    QTableWidget *scenarioTable() const { return m_list; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *targetCombo() const { return m_target; }
    QDoubleSpinBox *horizonSpin() const { return m_horizon; }
    QDoubleSpinBox *stepSpin() const { return m_step; }
    QSpinBox *seedSpin() const { return m_seed; }
    QTableWidget *overrideTable() const { return m_overrides; }
    QTableWidget *kpiTable() const { return m_kpis; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLabel *statusLabel() const { return m_status; }

    // Fills the editor with a new scenario starting from the twin's state at the session clock (target, step,
    // horizon and KPIs from the selected scenario; no overrides).
    void newFromCurrentState();
    // Loads a stored scenario into the editor.
    void editScenario(const QString &name);
    // Appends an override row; kind "constant", "step" (values "at, value") or "ramp" ("from, to, t0, t1").
    int addOverrideRow(const QString &target = {}, const QString &kind = QStringLiteral("constant"),
                       const QString &values = {}, const QString &unit = {});
    int addKpiRow(const QString &name = {}, const QString &expression = {}, const QString &unit = {});
    // Validates the editor (overrides through parseOverride, KPI rows complete) and stores the scenario.
    // Returns the error text (also shown) or empty.
    QString saveEditor();
    // Starts running these scenarios (every target of each) on the worker thread. Error text when not
    // started.
    QString runScenarios(const QStringList &names);
    QStringList selectedScenarios() const;
    void cancel();
    bool isRunning() const { return m_worker.joinable(); }
    // The last finished batch: one line per run ("name on target: Completed"), and whether all completed.
    QStringList lastRunMessages() const { return m_lastMessages; }
    bool lastRunOk() const { return m_lastOk; }

    void refreshList();

signals:
    void runFinished(const QStringList &completedScenarios); // after storing; empty when none completed

private:
    struct Pending;
    void buildUi();
    void setStatus(const QString &text, bool error);
    QString editorDefinition(model::scenario::ScenarioDefinition &out) const;
    void updateOverrideHints();
    void onPlanFinished(std::size_t index, const model::scenario::CompletedRun &run);
    void onBatchFinished();
    void joinWorker();

    ProjectDocument &m_document;
    TelemetrySession *m_session; // Not owned; may be null.
    model::scenario::ExecutorOptions m_options;
    std::optional<model::TimeNs> m_editStart;

    QTableWidget *m_list; // Owned (child), as every widget below.
    QLineEdit *m_name;
    QComboBox *m_target;
    QLabel *m_start;
    QDoubleSpinBox *m_horizon, *m_step;
    QSpinBox *m_seed;
    QTableWidget *m_overrides, *m_kpis;
    QPushButton *m_run, *m_runSelected, *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;

    std::thread m_worker;
    std::shared_ptr<model::scenario::ScenarioExecutor> m_executor;
    std::vector<model::scenario::ScenarioPlan> m_plans; // of the running batch
    std::uint64_t m_generation = 0;                     // bumped on projectReplaced: late results are dropped
    std::map<QString, QString> m_failures;              // scenario -> last failed run's message (not stored)
    QStringList m_lastMessages, m_completed;
    bool m_lastOk = true;
    bool m_loading = false;
};

// Adds the "Scenarios" and "Compare" docks (tabbed with the plots) and returns the panel.
ScenarioPanel *installScenarioDocks(MainWindow &window);

} // namespace twin::ui
