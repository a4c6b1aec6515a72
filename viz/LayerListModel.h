#pragma once
// The scene's instanced layers as a list model for the view's Repeater3D (qml/SceneView.qml). Changing the
// list inserts and removes only the rows that changed, so the view keeps the Models of layers that stay:
// Qt Quick 3D 6.4 gives a Model that takes over another's instance table or geometry a renderer node it
// leaves empty, so re-creating every Model on each change (as a plain list would) drew nothing for them.
#include <QAbstractListModel>
#include <QPointer>
#include <QString>

#include <vector>

namespace twin::viz {

class LayerListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    struct Entry
    {
        QString source;             // "#Cube"... for primitives, empty for file meshes
        QPointer<QObject> geometry; // a MeshGeometry, or null
        QPointer<QObject> instancing;
    };
    enum Role
    {
        SourceRole = Qt::UserRole + 1,
        GeometryRole,
        InstancingRole
    };

    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Rows whose instance table is not in `next` are removed, then the new ones inserted where they go; when
    // the layers that stay changed their order, the model is reset.
    void setEntries(std::vector<Entry> next);
    const std::vector<Entry> &entries() const { return m_entries; }

private:
    std::vector<Entry> m_entries;
};

} // namespace twin::viz
