// SceneController: labels above assets. The controller says what to write and where (a point above the
// asset's top, clear of its marker); qml/SceneView.qml projects the points to the screen and keeps the labels
// of higher priority where they overlap.
#include "twin/viz/SceneLayer_p.h"

#include "twin/model/project/Project.h"

namespace twin::viz {
namespace {
constexpr float kLabelGap = 1.5f; // metres above the asset's top: clear of a marker (0.4 m gap + 0.9 m)
} // namespace

void SceneController::setLabels(std::unordered_map<model::AssetId, AssetLabel> labels)
{
    if (labels == m_labels)
        return;
    m_labels = std::move(labels);
    labelsMoved();
}

void SceneController::labelsMoved()
{
    if (m_labels.empty() && m_labelList.isEmpty() && !m_labelsDirty)
        return;
    m_labelsDirty = true;
    emit labelsChanged();
}

QVector3D SceneController::labelAnchor(qulonglong id)
{
    ensureBuilt();
    const auto slot = m_slots.find(id);
    const model::Asset *asset = m_project ? m_project->graph.find(id) : nullptr;
    if (slot == m_slots.end() || !asset)
        return {};
    const Layer &layer = *m_layers[size_t(slot->second.layer)];
    const model::Placement &p = asset->placement;
    const float top = p.position[1] + p.scale[1] * layer.meshScale * layer.localMax.y();
    return {float(p.position[0]), top + kLabelGap, float(p.position[2])};
}

QVariantList SceneController::labels()
{
    if (!m_labelsDirty || m_dirty) // a queued rebuild tells the view again when it is done
        return m_labelList;
    m_labelsDirty = false;
    m_labelList.clear();
    for (const auto &[id, label] : m_labels) {
        if (!m_slots.count(id) || label.text.isEmpty())
            continue;
        QVariantMap map;
        map.insert(QStringLiteral("id"), qulonglong(id));
        map.insert(QStringLiteral("text"), label.text);
        map.insert(QStringLiteral("color"), label.color);
        // A selected asset's label stays above every other where they overlap.
        map.insert(QStringLiteral("priority"), label.priority + (m_selection.count(id) ? 1000 : 0));
        map.insert(QStringLiteral("position"), labelAnchor(id));
        m_labelList.append(map);
    }
    return m_labelList;
}

} // namespace twin::viz
