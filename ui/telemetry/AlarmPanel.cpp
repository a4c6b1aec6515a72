#include "twin/ui/telemetry/AlarmPanel.h"

#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/telemetry/AlarmTableModel.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace twin::ui {

AlarmPanel::AlarmPanel(ProjectDocument &document, TelemetrySession &session, QWidget *parent)
    : QWidget(parent), m_document(document), m_session(session),
      m_model(new AlarmTableModel(&document.project().graph, this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_filter(new QComboBox(this)), m_acknowledge(new QPushButton(this)),
      m_recalibrate(new QPushButton(this))
{
    setObjectName("alarmPanel");
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(AlarmTableModel::ActiveRole);
    m_proxy->setSortRole(AlarmTableModel::SortRole);
    m_proxy->setDynamicSortFilter(true);

    m_view->setObjectName("alarmTable");
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AlarmTableModel::RaisedColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(AlarmTableModel::MessageColumn, QHeaderView::Stretch);
    for (int column :
         {AlarmTableModel::RaisedColumn, AlarmTableModel::ClearedColumn, AlarmTableModel::NameColumn,
          AlarmTableModel::SeverityColumn, AlarmTableModel::AcknowledgedColumn})
        m_view->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_view->setColumnWidth(AlarmTableModel::AssetColumn, 200);
    m_view->setTextElideMode(Qt::ElideLeft); // asset paths: the end (the asset's name) matters

    m_filter->setObjectName("alarmFilter");
    m_filter->addItem(tr("All alarms"));
    m_filter->addItem(tr("Active only"));
    connect(m_filter, &QComboBox::currentIndexChanged, this,
            [this](int index) { setActiveOnly(index == 1); });
    m_acknowledge->setObjectName("alarmAcknowledge");
    m_acknowledge->setText(tr("Acknowledge"));
    m_acknowledge->setToolTip(tr("Acknowledge the selected alarms"));
    connect(m_acknowledge, &QPushButton::clicked, this, &AlarmPanel::acknowledgeSelected);
    m_recalibrate->setObjectName("alarmRecalibrate");
    m_recalibrate->setText(tr("Recalibrate on recent data…"));
    m_recalibrate->setToolTip(
        tr("Open the calibration of the alarm's asset with windows over the data since the "
           "alarm (the evidence records the alarm)"));
    connect(m_recalibrate, &QPushButton::clicked, this, &AlarmPanel::recalibrateSelected);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), this));
    bar->addWidget(m_filter);
    bar->addStretch();
    bar->addWidget(m_recalibrate);
    bar->addWidget(m_acknowledge);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlarmPanel::selectionToAssets);
    connect(&session, &TelemetrySession::snapshotChanged, this, &AlarmPanel::showSnapshot);
    connect(&document, &ProjectDocument::projectReplaced, this,
            [this] { m_model->setGraph(&m_document.project().graph); });
    showSnapshot();
}

void AlarmPanel::setActiveOnly(bool on)
{
    m_proxy->setFilterFixedString(on ? QStringLiteral("1") : QString());
    if (m_filter->currentIndex() != int(on))
        m_filter->setCurrentIndex(int(on));
}

int AlarmPanel::acknowledgeSelected()
{
    int sent = 0;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows()) {
        const auto id = row.data(AlarmTableModel::AlarmIdRole).toULongLong();
        if (!m_session.acknowledge(id))
            continue;
        ++sent;
        const auto cell = [&](int column) {
            return row.siblingAtColumn(column).data().toString().toStdString();
        };
        m_document.audit("acknowledge", "alarm " + cell(AlarmTableModel::NameColumn) + " on " +
                                            cell(AlarmTableModel::AssetColumn) + " raised " +
                                            cell(AlarmTableModel::RaisedColumn));
    }
    return sent;
}

bool AlarmPanel::recalibrateSelected()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return false;
    const model::AlarmRecord *alarm = m_model->alarmAt(m_proxy->mapToSource(rows.front()).row());
    if (!alarm)
        return false;
    emit recalibrateRequested(alarm->asset, QString::fromStdString(alarm->name), alarm->raised,
                              QString::fromStdString(alarm->message));
    return true;
}

void AlarmPanel::showSnapshot()
{
    const auto s = m_session.snapshot();
    if (s->version == m_shownVersion)
        return;
    m_shownVersion = s->version;
    m_model->setAlarms(s->alarms);
    updateButtons();
}

void AlarmPanel::selectionToAssets()
{
    std::vector<model::AssetId> assets;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows()) {
        const model::AssetId id = row.data(AlarmTableModel::AssetIdRole).toULongLong();
        if (std::find(assets.begin(), assets.end(), id) == assets.end() &&
            m_document.project().graph.find(id))
            assets.push_back(id);
    }
    if (!assets.empty())
        m_document.selection().setSelection(assets);
    updateButtons();
}

void AlarmPanel::updateButtons()
{
    bool any = false;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows())
        if (const model::AlarmRecord *alarm = m_model->alarmAt(m_proxy->mapToSource(row).row()))
            any |= !alarm->acknowledged;
    m_acknowledge->setEnabled(any);
    m_recalibrate->setEnabled(m_view->selectionModel()->selectedRows().size() == 1);
}

} // namespace twin::ui
