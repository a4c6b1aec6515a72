#include "twin/ui/telemetry/DataQualityModel.h"

#include "twin/model/graph/TwinGraph.h"
#include "twin/ui/telemetry/ReplayTimeline.h"

#include <QColor>
#include <QStringList>
#include <algorithm>

namespace twin::ui {
using model::kNsPerSecond;
using model::TimeNs;

namespace {
// A signal is stale when its newest sample is older than this many expected periods (and at least 5 s).
constexpr double kStalePeriods = 5.0;
constexpr TimeNs kMinStaleNs = 5 * kNsPerSecond;

QString formatAge(TimeNs ns)
{
    const double s = double(ns) / double(kNsPerSecond);
    if (s < 120)
        return QString("%1 s").arg(s, 0, 'f', s < 10 ? 1 : 0);
    if (s < 7200)
        return QString("%1 min").arg(s / 60, 0, 'f', 0);
    return QString("%1 h").arg(s / 3600, 0, 'f', 1);
}
} // namespace

DataQualityModel::DataQualityModel(const model::TwinGraph *graph, QObject *parent)
    : QAbstractTableModel(parent), m_graph(graph)
{
}

void DataQualityModel::setGraph(const model::TwinGraph *graph)
{
    beginResetModel();
    m_graph = graph;
    m_rows.clear();
    endResetModel();
}

void DataQualityModel::setScan(std::vector<model::SignalQuality> rows)
{
    const bool sameRows =
        rows.size() == m_rows.size() && std::equal(rows.begin(), rows.end(), m_rows.begin(),
                                                   [](const auto &a, const auto &b) { return a.id == b.id; });
    if (!sameRows)
        beginResetModel();
    m_rows = std::move(rows);
    if (!sameRows)
        endResetModel();
    else if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void DataQualityModel::setClock(TimeNs position, bool replayRunning, const std::vector<TimeNs> &latestTimes)
{
    if (m_clockKnown == replayRunning && m_position == position && m_latest == latestTimes)
        return;
    m_clockKnown = replayRunning;
    m_position = position;
    m_latest = latestTimes;
    if (!m_rows.empty())
        emit dataChanged(index(0, FreshnessColumn), index(rowCount() - 1, FreshnessColumn));
    // Staleness changes the highlight of whole rows.
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         {Qt::BackgroundRole, ProblemRole});
}

const model::SignalQuality *DataQualityModel::rowAt(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? &m_rows[size_t(row)] : nullptr;
}

bool DataQualityModel::isStale(int row) const
{
    const model::SignalQuality *q = rowAt(row);
    if (!q || !m_clockKnown || q->count == 0 || m_position < q->first)
        return false; // nothing expected yet
    const TimeNs latest = q->id < m_latest.size() ? m_latest[q->id] : 0;
    if (latest == 0)
        return true;
    const TimeNs period = q->rateHz > 0 ? TimeNs(double(kNsPerSecond) / q->rateHz) : 0;
    return m_position - latest > std::max(kMinStaleNs, TimeNs(kStalePeriods * double(period)));
}

QString DataQualityModel::problemText(int row) const
{
    const model::SignalQuality *q = rowAt(row);
    if (!q)
        return {};
    QStringList parts;
    for (size_t i = 0; i < model::kScannedQualityFlags.size(); ++i)
        if (q->flagged[i] && model::isQualityProblem(model::kScannedQualityFlags[i]))
            parts << QString("%1 %2")
                         .arg(q->flagged[i])
                         .arg(model::qualityFlagLabel(model::kScannedQualityFlags[i]));
    if (isStale(row))
        parts << tr("stale (%1)").arg(freshnessText(row));
    if (parts.isEmpty())
        return {};
    return QString::fromStdString(q->key.telemetry) + ": " + parts.join(", ");
}

std::vector<std::pair<model::AssetId, QString>> DataQualityModel::assetProblems() const
{
    std::vector<std::pair<model::AssetId, QString>> out;
    for (int row = 0; row < rowCount(); ++row) {
        const QString text = problemText(row);
        if (text.isEmpty())
            continue;
        const model::AssetId asset = m_rows[size_t(row)].key.asset;
        auto it = std::find_if(out.begin(), out.end(), [asset](const auto &p) { return p.first == asset; });
        if (it == out.end())
            out.emplace_back(asset, tr("Data quality: ") + text);
        else
            it->second += "; " + text;
    }
    return out;
}

QString DataQualityModel::freshnessText(int row) const
{
    const model::SignalQuality *q = rowAt(row);
    if (!q || !m_clockKnown || q->count == 0)
        return {};
    const TimeNs latest = q->id < m_latest.size() ? m_latest[q->id] : 0;
    if (latest == 0)
        return m_position < q->first ? tr("not started") : tr("no data");
    return formatAge(m_position - latest);
}

int DataQualityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DataQualityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DataQualityModel::data(const QModelIndex &index, int role) const
{
    const model::SignalQuality *q = rowAt(index.row());
    if (!q)
        return {};
    const int column = index.column();
    switch (role) {
    case AssetIdRole:
        return QVariant::fromValue<qulonglong>(q->key.asset);
    case ProblemRole:
        return !problemText(index.row()).isEmpty();
    case Qt::BackgroundRole:
        return problemText(index.row()).isEmpty() ? QVariant() : QVariant(QColor(255, 226, 160));
    case Qt::ToolTipRole:
        return problemText(index.row());
    case Qt::TextAlignmentRole:
        return column >= CountColumn && column != FirstColumn && column != LastColumn
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    case SortRole:
        if (column == CountColumn)
            return qulonglong(q->count);
        if (column == FirstColumn)
            return qlonglong(q->first);
        if (column == LastColumn)
            return qlonglong(q->last);
        if (column == RateColumn)
            return q->rateHz;
        if (column >= FirstFlagColumn)
            return qulonglong(q->flagged[size_t(column - FirstFlagColumn)]);
        return data(index, Qt::DisplayRole);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case AssetColumn:
        if (m_graph && m_graph->find(q->key.asset))
            return QString::fromStdString(m_graph->path(q->key.asset));
        return QString("#%1").arg(q->key.asset);
    case TelemetryColumn:
        return QString::fromStdString(q->key.telemetry);
    case UnitColumn:
        return QString::fromStdString(q->unit);
    case CountColumn:
        return QString("%L1").arg(q->count);
    case FirstColumn:
        return q->count ? ReplayTimeline::formatTime(q->first) : QString();
    case LastColumn:
        return q->count ? ReplayTimeline::formatTime(q->last) : QString();
    case RateColumn:
        return q->rateHz > 0 ? QString("%1 Hz").arg(q->rateHz, 0, 'g', 3) : QString();
    case FreshnessColumn:
        return freshnessText(index.row());
    default:
        return QString::number(q->flagged[size_t(column - FirstFlagColumn)]);
    }
}

QVariant DataQualityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    static const char *titles[] = {"Asset", "Telemetry", "Unit", "Samples",
                                   "First", "Last",      "Rate", "Freshness"};
    if (section < FirstFlagColumn)
        return tr(titles[section]);
    if (section < ColumnCount)
        return QString::fromUtf8(
            model::qualityFlagLabel(model::kScannedQualityFlags[size_t(section - FirstFlagColumn)]));
    return {};
}

} // namespace twin::ui
