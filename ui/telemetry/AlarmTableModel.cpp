#include "twin/ui/telemetry/AlarmTableModel.h"

#include "twin/model/graph/TwinGraph.h"
#include "twin/ui/telemetry/ReplayTimeline.h"

#include <QColor>
#include <QFont>

namespace twin::ui {

namespace {
bool sameRecord(const model::AlarmRecord &a, const model::AlarmRecord &b)
{
    return a.id == b.id && a.cleared == b.cleared && a.acknowledged == b.acknowledged;
}
} // namespace

AlarmTableModel::AlarmTableModel(const model::TwinGraph *graph, QObject *parent)
    : QAbstractTableModel(parent), m_graph(graph)
{
}

void AlarmTableModel::setGraph(const model::TwinGraph *graph)
{
    beginResetModel();
    m_graph = graph;
    m_alarms.clear();
    endResetModel();
}

void AlarmTableModel::setAlarms(std::vector<model::AlarmRecord> alarms)
{
    // Alarms only get appended and updated in place, except when a seek restarts the engine.
    size_t prefix = 0;
    while (prefix < m_alarms.size() && prefix < alarms.size() && m_alarms[prefix].id == alarms[prefix].id)
        ++prefix;
    if (prefix < m_alarms.size()) {
        beginResetModel();
        m_alarms = std::move(alarms);
        endResetModel();
        return;
    }
    for (size_t i = 0; i < m_alarms.size(); ++i)
        if (!sameRecord(m_alarms[i], alarms[i])) {
            m_alarms[i] = alarms[i];
            emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        }
    if (alarms.size() > m_alarms.size()) {
        beginInsertRows({}, int(m_alarms.size()), int(alarms.size()) - 1);
        m_alarms.insert(m_alarms.end(), alarms.begin() + qsizetype(m_alarms.size()), alarms.end());
        endInsertRows();
    }
}

const model::AlarmRecord *AlarmTableModel::alarmAt(int row) const
{
    return row >= 0 && size_t(row) < m_alarms.size() ? &m_alarms[size_t(row)] : nullptr;
}

int AlarmTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alarms.size());
}

int AlarmTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor AlarmTableModel::severityColor(model::AlarmSeverity severity)
{
    switch (severity) {
    case model::AlarmSeverity::Info:
        return QColor(70, 130, 200);
    case model::AlarmSeverity::Warning:
        return QColor(235, 170, 30);
    case model::AlarmSeverity::Major:
        return QColor(235, 110, 30);
    case model::AlarmSeverity::Critical:
        return QColor(215, 40, 40);
    }
    return {};
}

QString AlarmTableModel::assetPath(model::AssetId id) const
{
    if (!m_graph || !m_graph->find(id))
        return QString("#%1").arg(id);
    return QString::fromStdString(m_graph->path(id));
}

QVariant AlarmTableModel::data(const QModelIndex &index, int role) const
{
    const model::AlarmRecord *a = alarmAt(index.row());
    if (!a)
        return {};
    switch (role) {
    case AlarmIdRole:
        return QVariant::fromValue<qulonglong>(a->id);
    case AssetIdRole:
        return QVariant::fromValue<qulonglong>(a->asset);
    case ActiveRole:
        return a->active() ? QStringLiteral("1") : QStringLiteral("0");
    case Qt::FontRole:
        if (a->active()) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::DecorationRole:
        return index.column() == SeverityColumn ? severityColor(a->severity) : QVariant();
    case Qt::ForegroundRole:
        return a->active() ? QVariant() : QVariant(QColor(Qt::darkGray));
    case Qt::ToolTipRole:
        return QString::fromStdString(a->message);
    case SortRole:
        switch (index.column()) {
        case RaisedColumn:
            return qlonglong(a->raised);
        case ClearedColumn:
            return qlonglong(a->cleared);
        case SeverityColumn:
            return int(a->severity);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case RaisedColumn:
            return ReplayTimeline::formatTime(a->raised);
        case ClearedColumn:
            return a->active() ? tr("active") : ReplayTimeline::formatTime(a->cleared);
        case AssetColumn:
            return assetPath(a->asset);
        case NameColumn:
            return QString::fromStdString(a->name);
        case SeverityColumn:
            return QString::fromUtf8(model::severityName(a->severity));
        case MessageColumn:
            return QString::fromStdString(a->message);
        case AcknowledgedColumn:
            return a->acknowledged ? tr("yes") : tr("no");
        }
        return {};
    default:
        return {};
    }
}

QVariant AlarmTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *titles[] = {"Raised", "Cleared", "Asset", "Alarm", "Severity", "Message", "Ack"};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

} // namespace twin::ui
