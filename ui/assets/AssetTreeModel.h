#pragma once
// Qt item model over the twin graph: one row per asset, internal id = AssetId.
// Drops reparent through undoable commands; renames go through RenameCommand.
#include "twin/model/graph/TwinGraph.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QPointer>
#include <array>
#include <unordered_map>

namespace twin::ui {

class ProjectDocument;

class AssetTreeModel : public QAbstractItemModel, private model::GraphObserver
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        TypeColumn,
        ColumnCount
    };
    static constexpr const char *kMimeType = "application/x-twinworks-asset-ids";
    enum Role
    {
        BadgeColorRole = Qt::UserRole + 1, // QColor of the state badge (invalid: none)
        WarningRole,                       // QString: data-quality problems of the asset (empty: none)
        CalibrationRole,                   // QString: calibration status of the asset and below (empty: none)
    };
    // Badges drawn before an asset's name (a state dot, a data-quality warning) with their tooltip lines.
    // Fed by whoever knows (the telemetry session, the data-quality panel): the model knows neither.
    enum class BadgeKind
    {
        State,       // colour = state colour, text = state and active alarms
        DataQuality, // colour = warning colour, text = the problems
        Calibration  // colour = approved / pending / failing, text = the status (rolled up the hierarchy)
    };
    struct Badge
    {
        QColor color;
        QString text;
        bool operator==(const Badge &o) const = default;
    };
    using BadgeMap = std::unordered_map<model::AssetId, Badge>;

    explicit AssetTreeModel(ProjectDocument &document, QObject *parent = nullptr);
    ~AssetTreeModel() override;

    QModelIndex indexOf(model::AssetId id, int column = 0) const;
    model::AssetId idOf(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

    // Replaces the badges of one kind; only rows whose badge changed are refreshed (AssetTreeBadges.cpp).
    void setBadges(BadgeKind kind, BadgeMap badges);
    const Badge *badge(BadgeKind kind, model::AssetId id) const;

    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    QStringList mimeTypes() const override { return {kMimeType}; }
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

private:
    void attach();
    // GraphObserver
    void aboutToInsert(model::AssetId parent, int row) override;
    void inserted(model::AssetId id) override;
    void aboutToRemove(model::AssetId id) override;
    void removed(model::AssetId id, model::AssetId parent) override;
    void aboutToMove(model::AssetId id, model::AssetId newParent, int newRow) override;
    void moved(model::AssetId id) override;
    void changed(model::AssetId id) override;
    void reset() override;

    const model::TwinGraph &graph() const;
    QVariant badgeData(model::AssetId id, int role) const; // AssetTreeBadges.cpp
    std::vector<model::AssetId> decodeIds(const QMimeData *data) const;

    ProjectDocument &m_document;
    QPointer<ProjectDocument> m_alive;      // null once the document (and its graph) is gone
    model::TwinGraph *m_observed = nullptr; // Not owned.
    bool m_moveOpen = false;
    std::array<BadgeMap, 3> m_badges; // index = BadgeKind
};

} // namespace twin::ui
