#pragma once
// The selected assets of one document, shared by the tree, the 3D view and the editors.
#include "twin/model/graph/Asset.h"

#include <QObject>
#include <vector>

namespace twin::ui {

class SelectionModel : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    const std::vector<model::AssetId> &selection() const { return m_selection; }
    model::AssetId current() const { return m_selection.empty() ? model::kNoAsset : m_selection.back(); }
    bool contains(model::AssetId id) const;
    void setSelection(std::vector<model::AssetId> ids);
    void toggle(model::AssetId id);
    void clear() { setSelection({}); }

signals:
    void selectionChanged();

private:
    std::vector<model::AssetId> m_selection;
};

} // namespace twin::ui
