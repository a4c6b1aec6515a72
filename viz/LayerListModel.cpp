#include "twin/viz/LayerListModel.h"

#include <algorithm>

namespace twin::viz {

int LayerListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant LayerListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_entries.size()))
        return {};
    const Entry &e = m_entries[size_t(index.row())];
    switch (role) {
    case SourceRole:
        return e.source;
    case GeometryRole:
        return QVariant::fromValue<QObject *>(e.geometry.data());
    case InstancingRole:
        return QVariant::fromValue<QObject *>(e.instancing.data());
    default:
        return {};
    }
}

QHash<int, QByteArray> LayerListModel::roleNames() const
{
    // Not "source", "geometry", "instancing": those are the delegate Model's own properties.
    return {{SourceRole, "meshSource"}, {GeometryRole, "meshGeometry"}, {InstancingRole, "meshInstancing"}};
}

void LayerListModel::setEntries(std::vector<Entry> next)
{
    auto same = [](const Entry &a, const Entry &b) {
        return a.instancing == b.instancing && a.geometry == b.geometry && a.source == b.source;
    };
    auto contains = [&](const std::vector<Entry> &list, const Entry &e) {
        return std::any_of(list.begin(), list.end(), [&](const Entry &x) { return same(x, e); });
    };
    for (int i = int(m_entries.size()) - 1; i >= 0; --i)
        if (!contains(next, m_entries[size_t(i)])) {
            beginRemoveRows({}, i, i);
            m_entries.erase(m_entries.begin() + i);
            endRemoveRows();
        }
    // What stays must be in the same order in `next`; else start over.
    std::size_t k = 0;
    for (const Entry &e : next)
        if (k < m_entries.size() && same(m_entries[k], e))
            ++k;
    if (k != m_entries.size()) {
        beginResetModel();
        m_entries = std::move(next);
        endResetModel();
        return;
    }
    for (std::size_t j = 0; j < next.size(); ++j)
        if (j >= m_entries.size() || !same(m_entries[j], next[j])) {
            beginInsertRows({}, int(j), int(j));
            m_entries.insert(m_entries.begin() + std::ptrdiff_t(j), next[j]);
            endInsertRows();
        }
}

} // namespace twin::viz
