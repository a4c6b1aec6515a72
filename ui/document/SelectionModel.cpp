#include "twin/ui/document/SelectionModel.h"

#include <algorithm>

namespace twin::ui {

bool SelectionModel::contains(model::AssetId id) const
{
    return std::find(m_selection.begin(), m_selection.end(), id) != m_selection.end();
}

void SelectionModel::setSelection(std::vector<model::AssetId> ids)
{
    std::erase(ids, model::kNoAsset);
    if (ids == m_selection)
        return;
    m_selection = std::move(ids);
    emit selectionChanged();
}

void SelectionModel::toggle(model::AssetId id)
{
    auto ids = m_selection;
    if (contains(id))
        std::erase(ids, id);
    else
        ids.push_back(id);
    setSelection(std::move(ids));
}

} // namespace twin::ui
