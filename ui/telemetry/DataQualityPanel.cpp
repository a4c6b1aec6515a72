#include "twin/ui/telemetry/DataQualityPanel.h"

#include "twin/model/telemetry/HistoryRetention.h"
#include "twin/model/telemetry/SignalQualityScan.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/telemetry/DataQualityModel.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>
#include <atomic>
#include <mutex>

namespace twin::ui {

// One scan on a pool thread. `target` is cleared (under the mutex) when the panel goes away, so the pool
// thread never posts to a deleted panel.
struct DataQualityPanel::ScanJob
{
    std::shared_ptr<const model::TimeSeriesStore> store;
    std::uint64_t key = 0;
    std::atomic<bool> cancel{false};
    std::vector<model::SignalQuality> result;
    std::mutex mutex;
    DataQualityPanel *target = nullptr;
};

DataQualityPanel::DataQualityPanel(ProjectDocument &document, TelemetrySession &session, QWidget *parent)
    : QWidget(parent), m_document(document), m_session(session),
      m_model(new DataQualityModel(&document.project().graph, this)),
      m_proxy(new QSortFilterProxyModel(this)), m_view(new QTableView(this)), m_summary(new QLabel(this)),
      m_retention(new QComboBox(this)), m_poll(new QTimer(this))
{
    setObjectName("dataQualityPanel");
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(DataQualityModel::SortRole);
    m_view->setObjectName("dataQualityTable");
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // store order (asset by asset) until the user sorts
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_summary->setObjectName("dataQualitySummary");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_retention->setObjectName("retentionCombo");
    m_retention->setToolTip(tr("History retention: older chunks are dropped on load and while live"));
    m_retention->addItem(tr("Keep everything"), 0);
    for (int days : {1, 7, 30, 90, 365})
        m_retention->addItem(tr("Keep the last %n day(s)", nullptr, days), days);
    connect(m_retention, &QComboBox::activated, this,
            [this](int index) { setRetentionDays(m_retention->itemData(index).toInt()); });
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(new QLabel(tr("History:"), this));
    top->addWidget(m_retention);
    layout->addLayout(top);
    layout->addWidget(m_view);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DataQualityPanel::selectionToAssets);
    connect(&session, &TelemetrySession::snapshotChanged, this, &DataQualityPanel::showSnapshot);
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        m_model->setGraph(&m_document.project().graph);
        m_scannedOnce = false;
        showRetention();
        updateProblems();
        rescan();
    });
    // Ingest appends without telling anyone: look at the store's content key once a second (cheap).
    m_poll->setInterval(1000);
    connect(m_poll, &QTimer::timeout, this, &DataQualityPanel::checkStore);
    m_poll->start();
    showRetention();
    rescan();
}

void DataQualityPanel::showRetention()
{
    const model::TimeNs retention = model::historyRetention(m_document.project());
    const int days = int(retention / (86400 * model::kNsPerSecond));
    int index = m_retention->findData(days);
    if (index < 0) { // a custom value from the file: show it as its own entry
        m_retention->addItem(tr("Keep %1").arg(QString::fromStdString(model::formatRetention(retention))),
                             days);
        index = m_retention->count() - 1;
    }
    m_retention->setCurrentIndex(index);
}

void DataQualityPanel::setRetentionDays(int days)
{
    auto &project = m_document.project();
    const model::TimeNs retention = model::TimeNs(days) * 86400 * model::kNsPerSecond;
    if (retention == model::historyRetention(project))
        return;
    model::setHistoryRetention(project, retention);
    showRetention();
    if (!project.history)
        return;
    project.history->setRetention(retention);
    const auto live = m_session.snapshot();
    // Live: measured from the wall clock, the session keeps running (it re-applies periodically).
    // Replay: from the newest sample; the reload re-reads the store and marks the project modified.
    model::applyHistoryRetention(*project.history, live->live ? live->position : 0);
    if (!live->live)
        m_document.markHistoryChanged();
}

DataQualityPanel::~DataQualityPanel()
{
    if (m_job) {
        m_job->cancel = true;
        std::lock_guard lock(m_job->mutex);
        m_job->target = nullptr;
    }
}

void DataQualityPanel::checkStore()
{
    const auto store = m_document.project().history;
    const std::uint64_t key = store ? model::storeContentKey(*store) : 0;
    if (!m_scannedOnce || key != m_scannedKey)
        rescan();
}

void DataQualityPanel::rescan()
{
    if (m_job) {
        m_rescanAfter = true;
        return;
    }
    auto job = std::make_shared<ScanJob>();
    job->store = m_document.project().history;
    job->target = this;
    m_job = job;
    m_summary->setText(tr("Scanning the stored telemetry…"));
    QThreadPool::globalInstance()->start([job] {
        if (job->store) {
            job->key = model::storeContentKey(*job->store);
            job->result = model::scanSignalQuality(*job->store, &job->cancel);
        }
        std::lock_guard lock(job->mutex);
        if (job->target)
            QMetaObject::invokeMethod(
                job->target, [job] { job->target->scanDone(job); }, Qt::QueuedConnection);
    });
}

void DataQualityPanel::scanDone(std::shared_ptr<ScanJob> job)
{
    if (job != m_job)
        return;
    m_job.reset();
    // A project swapped while scanning: the result belongs to the old store; scan again.
    if (m_rescanAfter || job->store != m_document.project().history) {
        m_rescanAfter = false;
        rescan();
        return;
    }
    m_scannedKey = job->key;
    m_scannedOnce = true;
    m_model->setScan(std::move(job->result));
    showSnapshot();
    updateProblems();
    emit scanFinished();
}

void DataQualityPanel::showSnapshot()
{
    const auto s = m_session.snapshot();
    m_model->setClock(s->position, s->hasHistory, s->latestTimes);
    updateProblems();
}

void DataQualityPanel::updateProblems()
{
    auto problems = m_model->assetProblems();
    int problemRows = 0;
    std::uint64_t samples = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        problemRows += m_model->problemText(row).isEmpty() ? 0 : 1;
        samples += m_model->rowAt(row)->count;
    }
    if (!m_job)
        m_summary->setText(m_model->rowCount() == 0 ? tr("No stored telemetry.")
                                                    : tr("%L1 signals, %L2 samples stored; %3 with problems.")
                                                          .arg(m_model->rowCount())
                                                          .arg(samples)
                                                          .arg(problemRows));
    if (problems != m_problems) {
        m_problems = std::move(problems);
        emit assetProblemsChanged();
    }
}

void DataQualityPanel::selectionToAssets()
{
    std::vector<model::AssetId> assets;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows()) {
        const model::AssetId id = row.data(DataQualityModel::AssetIdRole).toULongLong();
        if (std::find(assets.begin(), assets.end(), id) == assets.end() &&
            m_document.project().graph.find(id))
            assets.push_back(id);
    }
    if (!assets.empty())
        m_document.selection().setSelection(assets);
}

} // namespace twin::ui
