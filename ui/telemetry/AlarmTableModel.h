#pragma once
// Table of the session's alarms (active and past), one row per alarm record, oldest first. Fed with
// snapshots: rows that changed (cleared, acknowledged) are refreshed, new alarms appended; a replay seek that
// rewrites history resets the table.
#include "twin/model/state/StateEngine.h"

#include <QAbstractTableModel>
#include <vector>

namespace twin::model {
class TwinGraph;
}

namespace twin::ui {

class AlarmTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        RaisedColumn,
        ClearedColumn,
        AssetColumn,
        NameColumn,
        SeverityColumn,
        MessageColumn,
        AcknowledgedColumn,
        ColumnCount
    };
    enum Role
    {
        AlarmIdRole = Qt::UserRole + 1, // qulonglong
        AssetIdRole,                    // qulonglong
        ActiveRole,                     // "1" active, "0" cleared (for a filter proxy)
        SortRole,                       // raw value for sorting
    };

    explicit AlarmTableModel(const model::TwinGraph *graph, QObject *parent = nullptr);
    void setGraph(const model::TwinGraph *graph); // Not owned; for asset paths. Resets.
    void setAlarms(std::vector<model::AlarmRecord> alarms);
    const model::AlarmRecord *alarmAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QColor severityColor(model::AlarmSeverity severity);

private:
    QString assetPath(model::AssetId id) const;

    const model::TwinGraph *m_graph; // Not owned.
    std::vector<model::AlarmRecord> m_alarms;
};

} // namespace twin::ui
