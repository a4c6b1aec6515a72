#pragma once
// Table of per-signal data quality: what the store holds (from a scan, see
// model/telemetry/SignalQualityScan.h) plus freshness against the telemetry clock (from the session's
// snapshots). GUI thread only.
#include "twin/model/graph/Asset.h"
#include "twin/model/telemetry/SignalQualityScan.h"

#include <QAbstractTableModel>
#include <QString>
#include <vector>

namespace twin::model {
class TwinGraph;
}

namespace twin::ui {

class DataQualityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        AssetColumn,
        TelemetryColumn,
        UnitColumn,
        CountColumn,
        FirstColumn,
        LastColumn,
        RateColumn,
        FreshnessColumn,
        FirstFlagColumn, // one column per model::kScannedQualityFlags entry
        ColumnCount = FirstFlagColumn + int(model::kScannedQualityFlags.size())
    };
    enum Role
    {
        AssetIdRole = Qt::UserRole + 1, // qulonglong
        ProblemRole,                    // bool: the row is highlighted
        SortRole,
    };

    explicit DataQualityModel(const model::TwinGraph *graph, QObject *parent = nullptr);
    void setGraph(const model::TwinGraph *graph); // Not owned. Clears the rows.
    void setScan(std::vector<model::SignalQuality> rows);
    // Clock position and, per SignalId, the source time of the latest sample fed (0: none yet).
    void setClock(model::TimeNs position, bool replayRunning, const std::vector<model::TimeNs> &latestTimes);

    const model::SignalQuality *rowAt(int row) const;
    bool isStale(int row) const;
    QString problemText(int row) const; // empty: no problem
    // Problem text per asset (all of its signals), for the tree's warning badges.
    std::vector<std::pair<model::AssetId, QString>> assetProblems() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString freshnessText(int row) const;

    const model::TwinGraph *m_graph; // Not owned.
    std::vector<model::SignalQuality> m_rows;
    std::vector<model::TimeNs> m_latest; // index = SignalId
    model::TimeNs m_position = 0;
    bool m_clockKnown = false;
};

} // namespace twin::ui
