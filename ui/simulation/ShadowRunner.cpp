#include "twin/ui/simulation/ShadowRunner.h"

#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/project/Project.h"
#include "twin/model/shadow/Shadow.h"
#include "twin/model/simrunner/SimulationRunner.h"
#include "twin/model/state/RuleEditing.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/widgets/PostToGui.h"

#include <QAction>
#include <QFileInfo>
#include <QPointer>
#include <QStatusBar>
#include <QThreadPool>
#include <QTreeView>

#include <algorithm>
#include <cmath>

namespace twin::ui {

struct ShadowRunner::Job
{
    model::ProjectData data; // planned from on the pool thread: planning reads the history and the model
    model::shadow::ShadowRequest request;
    std::unique_ptr<model::shadow::ShadowSession> session;
    std::string asset;
    std::atomic<bool> cancel{false};
    std::string error;
};

ShadowRunner::ShadowRunner(MainWindow &window) : QObject(&window), m_window(window)
{
    setObjectName("shadowRunner");
    connect(&window.document(), &ProjectDocument::projectReplaced, this, &ShadowRunner::cancel);
    QTreeView *tree = window.treePanel()->view();
    m_run = new QAction(tr("Shadow simulation"), tree);
    m_run->setObjectName("actionShadowSimulation");
    m_run->setToolTip(tr("Run the asset's bound model alongside its recorded data and keep the residuals "
                         "(observed - simulated) as signals"));
    m_stop = new QAction(tr("Stop shadow simulation"), tree);
    m_stop->setObjectName("actionStopShadowSimulation");
    m_stop->setEnabled(false);
    tree->addAction(m_run);
    tree->addAction(m_stop);
    tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_run, &QAction::triggered, this, [this] { start(m_window.document().selection().current()); });
    connect(m_stop, &QAction::triggered, this, &ShadowRunner::cancel);
    connect(this, &ShadowRunner::progressed, this, [this](int percent) {
        m_window.statusBar()->showMessage(tr("%1 %2 %").arg(m_message).arg(percent));
    });
}

ShadowRunner::~ShadowRunner()
{
    cancel();
}

bool ShadowRunner::start(model::AssetId asset)
{
    const model::Project &project = m_window.document().project();
    auto fail = [this](const QString &message) {
        m_message = message;
        m_window.statusBar()->showMessage(message, 10000);
        return false;
    };
    if (m_job)
        return fail(tr("A shadow simulation is running already"));
    if (!project.graph.find(asset))
        return fail(tr("Select an asset to shadow"));
    if (!project.history || project.history->signalCount() == 0)
        return fail(tr("Shadow simulation needs recorded telemetry: the project has none"));
    // The span of the plant's recorded data: not scenario results (they reach into the future) nor earlier
    // shadow signals.
    model::TimeNs first = 0, last = 0;
    const auto infos = project.history->allSignals();
    for (std::size_t id = 0; id < infos.size(); ++id) {
        const std::string &name = infos[id].key.telemetry;
        if (!model::isPlantSignal(name))
            continue;
        const model::SignalStats s = project.history->stats(model::SignalId(id));
        if (!s.count)
            continue;
        first = first ? std::min(first, s.first) : s.first;
        last = std::max(last, s.last);
    }
    model::shadow::ShadowRequest request;
    request.asset = project.graph.path(asset);
    request.window = {first, last};
    request.pluginDir =
        m_pluginDir.isEmpty() ? model::PluginHost::defaultDirectory() : m_pluginDir.toStdString();
    request.workerPath = m_workerPath.toStdString();
    const QString file = m_window.document().filePath();
    if (!file.isEmpty())
        request.projectDir = QFileInfo(file).absolutePath().toStdString();
    auto job = std::make_shared<Job>();
    job->data = model::captureProject(project);
    job->request = request;
    job->asset = request.asset;
    m_job = job;
    m_stop->setEnabled(true);
    m_message =
        tr("Shadow simulation of %1 ...").arg(QString::fromStdString(project.graph.find(asset)->name));
    m_window.statusBar()->showMessage(m_message);
    QPointer<ShadowRunner> self(this);
    QThreadPool::globalInstance()->start([job, self] {
        model::Project copy;
        if (Status restored = model::restoreProject(job->data, copy); !restored) {
            job->error = restored.error();
        } else if (auto session = model::shadow::ShadowSession::open(copy, job->request); !session) {
            job->error = session.error();
        } else {
            job->session = std::move(*session);
        }
        if (!job->session) {
            postToGui(self, [job](ShadowRunner *runner) { runner->done(job); });
            return;
        }
        model::shadow::ShadowSession &s = *job->session;
        const model::TimeNs begin = s.position(), end = s.end();
        const model::TimeNs stride = std::max<model::TimeNs>(1, (end - begin) / 50); // progress in 2 % steps
        while (s.position() < end && !job->cancel.load()) {
            if (Status ok = s.advanceTo(std::min(end, s.position() + stride)); !ok) {
                job->error = ok.error();
                break;
            }
            const int percent =
                int(100.0 * double(s.position() - begin) / double(std::max<model::TimeNs>(1, end - begin)));
            postToGui(self, [percent](ShadowRunner *runner) { emit runner->progressed(percent); });
        }
        postToGui(self, [job](ShadowRunner *runner) { runner->done(job); });
    });
    return true;
}

void ShadowRunner::cancel()
{
    if (m_job)
        m_job->cancel.store(true);
}

void ShadowRunner::done(const std::shared_ptr<Job> &job)
{
    if (job != m_job)
        return;
    m_job.reset();
    m_stop->setEnabled(false);
    ProjectDocument &document = m_window.document();
    const QString asset = QString::fromStdString(job->asset);
    bool ok = false;
    if (!job->error.empty()) {
        m_message = tr("Shadow simulation failed: %1").arg(QString::fromStdString(job->error));
    } else if (job->cancel.load() || !document.project().history) { // Stop, or the project was replaced
        m_message = tr("Shadow simulation of %1 stopped; nothing was kept").arg(asset);
    } else {
        const std::size_t added =
            model::shadow::storeShadow(*document.project().history, job->session->outputs());
        if (added)
            document.markHistoryChanged();
        QStringList parts;
        for (const auto &o : job->session->outputs())
            parts << tr("%1 RMSE %2, bias %3")
                         .arg(QString::fromStdString(o.twin))
                         .arg(o.rmse(), 0, 'g', 3)
                         .arg(o.bias(), 0, 'g', 3);
        m_message =
            added ? tr("Shadow simulation of %1: %2 (kept as _shadow and _residual signals)")
                        .arg(asset.section('/', -1), parts.join(QStringLiteral("; ")))
                  : tr("Shadow simulation of %1: %2 (the history already holds its signals over this span: "
                       "nothing new was kept)")
                        .arg(asset.section('/', -1), parts.join(QStringLiteral("; ")));
        ok = true;
    }
    m_window.statusBar()->showMessage(m_message, 20000);
    emit finished(ok, m_message);
}

ShadowRunner *installShadowRunner(MainWindow &window)
{
    return new ShadowRunner(window);
}

} // namespace twin::ui
