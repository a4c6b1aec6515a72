#include "twin/ui/assets/AssetTreeModel.h"

#include "twin/model/commands/AssetCommands.h"
#include "twin/ui/document/ProjectDocument.h"

#include <QDataStream>
#include <QIODevice>
#include <QMimeData>

namespace twin::ui {
using model::AssetId;
using model::kNoAsset;

AssetTreeModel::AssetTreeModel(ProjectDocument &document, QObject *parent)
    : QAbstractItemModel(parent), m_document(document), m_alive(&document)
{
    attach();
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        beginResetModel();
        attach();
        for (BadgeMap &badges : m_badges)
            badges.clear(); // ids of the old project
        endResetModel();
    });
}

AssetTreeModel::~AssetTreeModel()
{
    if (m_alive && m_observed)
        m_observed->removeObserver(this);
}

void AssetTreeModel::attach()
{
    // The previous graph may already be gone (document swap); only the new one is observed.
    m_observed = &m_document.project().graph;
    m_observed->addObserver(this);
}

const model::TwinGraph &AssetTreeModel::graph() const
{
    return m_document.project().graph;
}

AssetId AssetTreeModel::idOf(const QModelIndex &index) const
{
    return index.isValid() ? AssetId(index.internalId()) : kNoAsset;
}

QModelIndex AssetTreeModel::indexOf(AssetId id, int column) const
{
    const int row = graph().rowOf(id);
    return row < 0 ? QModelIndex() : createIndex(row, column, quintptr(id));
}

QModelIndex AssetTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const auto &children = graph().children(idOf(parent));
    if (row < 0 || row >= int(children.size()) || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column, quintptr(children[size_t(row)]));
}

QModelIndex AssetTreeModel::parent(const QModelIndex &child) const
{
    const model::Asset *asset = graph().find(idOf(child));
    if (!asset || asset->parent == kNoAsset)
        return {};
    return indexOf(asset->parent);
}

int AssetTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(graph().children(idOf(parent)).size());
}

int AssetTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant AssetTreeModel::data(const QModelIndex &index, int role) const
{
    const model::Asset *asset = graph().find(idOf(index));
    if (!asset)
        return {};
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        if (index.column() == NameColumn)
            return QString::fromStdString(asset->name);
        const model::AssetType *type = m_document.project().types.find(asset->typeId);
        return type ? QString::fromStdString(type->label()) : QString::fromStdString(asset->typeId);
    }
    if (role == Qt::ToolTipRole || role == Qt::DecorationRole || role == BadgeColorRole ||
        role == WarningRole || role == CalibrationRole)
        return index.column() == NameColumn || role == Qt::ToolTipRole ? badgeData(asset->id, role)
                                                                       : QVariant();
    if (role == Qt::UserRole)
        return QVariant::fromValue<qulonglong>(asset->id);
    return {};
}

QVariant AssetTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Name") : tr("Type");
}

Qt::ItemFlags AssetTreeModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = Qt::ItemIsDropEnabled;
    if (!index.isValid())
        return f;
    f |= Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool AssetTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != NameColumn)
        return false;
    const QString name = value.toString().trimmed();
    const AssetId id = idOf(index);
    if (name.isEmpty() || !graph().find(id) || graph().find(id)->name == name.toStdString())
        return false;
    return m_document.execute(std::make_unique<model::RenameCommand>(id, name.toStdString())).isEmpty();
}

QMimeData *AssetTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    QList<qulonglong> ids;
    for (const QModelIndex &index : indexes)
        if (index.column() == NameColumn)
            ids.append(idOf(index));
    out << ids;
    auto *mime = new QMimeData;
    mime->setData(kMimeType, bytes);
    return mime;
}

std::vector<AssetId> AssetTreeModel::decodeIds(const QMimeData *data) const
{
    QList<qulonglong> ids;
    QDataStream in(data->data(kMimeType));
    in >> ids;
    return std::vector<AssetId>(ids.begin(), ids.end());
}

bool AssetTreeModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                     const QModelIndex &parent) const
{
    if (action != Qt::MoveAction || !data->hasFormat(kMimeType))
        return false;
    const AssetId target = idOf(parent);
    for (AssetId id : decodeIds(data))
        if (id == target || graph().isAncestor(id, target))
            return false;
    return true;
}

bool AssetTreeModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                  const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const auto ids = decodeIds(data);
    const AssetId target = idOf(parent.sibling(parent.row(), 0));
    m_document.execute(std::make_unique<model::MoveAssetsCommand>(ids, target, row), ids);
    return false; // the move is done; the view must not remove the source rows itself
}

void AssetTreeModel::aboutToInsert(AssetId parent, int row)
{
    beginInsertRows(parent == kNoAsset ? QModelIndex() : indexOf(parent), row, row);
}

void AssetTreeModel::inserted(AssetId)
{
    endInsertRows();
}

void AssetTreeModel::aboutToRemove(AssetId id)
{
    const QModelIndex index = indexOf(id);
    beginRemoveRows(index.parent(), index.row(), index.row());
}

void AssetTreeModel::removed(AssetId, AssetId)
{
    endRemoveRows();
}

void AssetTreeModel::aboutToMove(AssetId id, AssetId newParent, int newRow)
{
    const QModelIndex index = indexOf(id);
    const QModelIndex destination = newParent == kNoAsset ? QModelIndex() : indexOf(newParent);
    m_moveOpen = beginMoveRows(index.parent(), index.row(), index.row(), destination, newRow);
    if (!m_moveOpen)
        beginResetModel(); // a no-op move (same place): refresh instead
}

void AssetTreeModel::moved(AssetId)
{
    if (m_moveOpen)
        endMoveRows();
    else
        endResetModel();
}

void AssetTreeModel::changed(AssetId id)
{
    const QModelIndex first = indexOf(id, NameColumn);
    emit dataChanged(first, first.siblingAtColumn(TypeColumn));
}

void AssetTreeModel::reset()
{
    beginResetModel();
    endResetModel();
}

} // namespace twin::ui
