// ScenarioPanel: running scenarios on the worker thread and storing the results (see ScenarioPanel.h).
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/simulation/ScenarioCompareView.h"
#include "twin/ui/simulation/ScenarioPanel.h"
#include "twin/ui/widgets/QtStrings.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <algorithm>
#include <iterator>

namespace twin::ui {

namespace {
using namespace model::scenario;
} // namespace

QStringList ScenarioPanel::selectedScenarios() const
{
    QStringList names;
    for (const QModelIndex &index : m_list->selectionModel()->selectedRows())
        names << m_list->item(index.row(), 0)->text();
    return names;
}

QString ScenarioPanel::runScenarios(const QStringList &names)
{
    if (isRunning())
        return tr("A run is already in progress.");
    joinWorker();
    std::vector<ScenarioPlan> plans;
    QStringList errors;
    for (const QString &name : names) {
        const auto def = findScenario(m_document.project(), ss(name));
        if (!def) {
            errors << tr("No scenario '%1'.").arg(name);
            continue;
        }
        // Relative resource paths (the demo's "fmus/motor-cooling.fmu"): the project's folder first.
        const QString file = m_document.filePath();
        const std::string projectDir = file.isEmpty() ? std::string() : ss(QFileInfo(file).absolutePath());
        ScenarioPlans planned =
            planScenarioTargets(m_document.project(), *def, m_options.pluginDir, projectDir);
        std::move(planned.plans.begin(), planned.plans.end(), std::back_inserter(plans));
        for (const std::string &e : planned.errors)
            errors << qs(e);
    }
    m_lastMessages = errors;
    m_lastOk = errors.isEmpty();
    m_completed.clear();
    if (plans.empty()) {
        const QString error = errors.isEmpty() ? tr("Nothing to run.") : errors.join('\n');
        setStatus(error, true);
        return error;
    }
    m_plans = plans;
    m_executor = std::make_shared<ScenarioExecutor>(m_options);
    m_progress->setValue(0);
    m_cancel->setEnabled(true);
    m_run->setEnabled(false);
    m_runSelected->setEnabled(false);
    setStatus(tr("Running %1 (%2 runs)…").arg(names.join(QStringLiteral(", "))).arg(plans.size()), false);
    const std::uint64_t generation = m_generation;
    m_worker = std::thread([this, plans = std::move(plans), executor = m_executor, generation] {
        int lastPermille = -1;
        for (std::size_t i = 0; i < plans.size(); ++i) {
            const auto &job = plans[i].job;
            auto progress = [&](double t) {
                const double span = job.stop > job.start ? job.stop - job.start : 1;
                const int permille = int(1000 * (double(i) + std::clamp((t - job.start) / span, 0.0, 1.0)) /
                                         double(plans.size()));
                if (permille == lastPermille)
                    return;
                lastPermille = permille;
                QMetaObject::invokeMethod(
                    this, [this, permille] { m_progress->setValue(permille); }, Qt::QueuedConnection);
            };
            CompletedRun run = executePlan(*executor, plans[i], progress);
            QMetaObject::invokeMethod(
                this,
                [this, i, generation, run = std::move(run)] {
                    if (generation == m_generation)
                        onPlanFinished(i, run);
                },
                Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(
            this, [this] { onBatchFinished(); }, Qt::QueuedConnection);
    });
    return {};
}

void ScenarioPanel::onPlanFinished(std::size_t index, const CompletedRun &run)
{
    const ScenarioRunResult &result = run.result;
    if (index >= m_plans.size())
        return;
    const ScenarioPlan &plan = m_plans[index];
    const QString name = qs(plan.definition.name);
    QString line =
        tr("%1 on %2: %3").arg(name, qs(result.assetPath), model::sim::outcomeName(result.outcome));
    if (!result.message.empty())
        line += QStringLiteral(" (%1)").arg(qs(result.message));
    m_lastMessages << line;
    if (result.hasResult()) { // completed, or stopped early on the model's own terms
        if (auto s = storeScenarioRun(m_document.project(), plan, run); !s) {
            m_lastOk = false;
            m_lastMessages << tr("%1: not stored: %2").arg(name, qs(s.error()));
        } else {
            m_failures.erase(name);
            m_completed << name;
        }
    } else {
        m_lastOk = false;
        m_failures[name] = QStringLiteral("%1%2").arg(
            model::sim::outcomeName(result.outcome),
            result.message.empty() ? QString() : QStringLiteral(": ") + qs(result.message));
    }
}

void ScenarioPanel::onBatchFinished()
{
    joinWorker();
    m_executor.reset();
    m_plans.clear();
    m_cancel->setEnabled(false);
    m_run->setEnabled(true);
    m_runSelected->setEnabled(true);
    m_progress->setValue(m_lastOk ? 1000 : m_progress->value());
    setStatus(m_lastMessages.join('\n'), !m_lastOk);
    if (!m_completed.isEmpty())
        m_document.markHistoryChanged(); // modified; plots and the compare view re-read the store
    refreshList();
    emit runFinished(m_completed);
}

void ScenarioPanel::cancel()
{
    if (m_executor)
        m_executor->cancel(); // the worker reports the runs as Cancelled and finishes the batch
}

void ScenarioPanel::joinWorker()
{
    if (m_worker.joinable())
        m_worker.join();
}

ScenarioPanel *installScenarioDocks(MainWindow &window)
{
    auto *panel = new ScenarioPanel(window.document(), window.telemetrySession(), &window);
    auto *compare = new ScenarioCompareView(window.document(), &window);
    auto *plots = window.findChild<QDockWidget *>(QStringLiteral("plotDock"));
    QDockWidget *previous = plots;
    for (auto [title, name, content] :
         {std::tuple<QString, const char *, QWidget *>{QObject::tr("Scenarios"), "scenarioDock", panel},
          {QObject::tr("Compare"), "compareDock", compare}}) {
        auto *dock = new QDockWidget(title, &window);
        dock->setObjectName(name);
        dock->setWidget(content);
        window.addDockWidget(Qt::BottomDockWidgetArea, dock);
        if (previous)
            window.tabifyDockWidget(previous, dock);
        previous = dock;
    }
    if (plots)
        plots->raise();
    QObject::connect(panel, &ScenarioPanel::runFinished, compare, [compare](const QStringList &completed) {
        compare->refresh();
        if (completed.size() >= 2)
            compare->setSelectedScenarios(completed);
    });
    return panel;
}

} // namespace twin::ui
