// SceneController: the data-quality marker layer (an amber sphere above each problem asset).
#include "twin/viz/SceneLayer_p.h"

#include "twin/model/project/Project.h"

namespace twin::viz {
namespace {
const QColor kMarkerColor(255, 170, 0);
constexpr float kMarkerSize = 0.5f; // metres
constexpr float kMarkerGap = 0.4f;  // metres above the asset's top
} // namespace

void SceneController::setProblemAssets(const std::unordered_set<model::AssetId> &ids)
{
    if (ids == m_problems)
        return;
    m_problems = ids;
    if (m_dirty)
        return; // the coming rebuild fills the markers
    fillMarkers();
    if (!layerListMatches())
        publishLayerList();
}

int SceneController::markerCount()
{
    ensureBuilt();
    return int(m_markerIds.size());
}

QVector3D SceneController::markerPosition(qulonglong id)
{
    ensureBuilt();
    for (size_t i = 0; i < m_markerIds.size(); ++i)
        if (m_markerIds[i] == id)
            return m_markers->table->positionAt(int(i));
    return {};
}

void SceneController::fillMarkers()
{
    m_markerIds.clear();
    std::vector<InstanceSpec> specs;
    if (m_project)
        for (model::AssetId id : m_problems) {
            const auto slot = m_slots.find(id);
            const model::Asset *asset = m_project->graph.find(id);
            if (slot == m_slots.end() || !asset)
                continue;
            const Layer &layer = *m_layers[size_t(slot->second.layer)];
            const model::Placement &p = asset->placement;
            const float top = p.position[1] + p.scale[1] * layer.meshScale * layer.localMax.y();
            const float size = kMarkerSize * 0.01f; // the built-in sphere is 100 units across
            InstanceSpec spec;
            spec.position = QVector3D(p.position[0], top + kMarkerGap + kMarkerSize / 2, p.position[2]);
            spec.scale = QVector3D(size, size, size);
            spec.color = kMarkerColor;
            spec.data = float(m_markerIds.size());
            specs.push_back(spec);
            m_markerIds.push_back(id);
        }
    if (specs.empty() && !m_markers)
        return;
    if (!m_markers)
        m_markers.reset(createLayer("sphere"));
    m_markers->ids = m_markerIds;
    m_markers->table->setAll(specs);
}

bool SceneController::layerListMatches() const
{
    const bool markers = m_markers && !m_markerIds.empty();
    if (m_layerList.size() != qsizetype(m_layers.size() + (markers ? 1 : 0)))
        return false;
    auto tableAt = [this](size_t i) {
        return m_layerList[qsizetype(i)].toMap().value(QStringLiteral("instancing")).value<QObject *>();
    };
    for (size_t i = 0; i < m_layers.size(); ++i)
        if (tableAt(i) != m_layers[i]->table.data())
            return false;
    return !markers || tableAt(m_layers.size()) == m_markers->table.data();
}

void SceneController::publishLayerList()
{
    m_layerList.clear();
    auto append = [this](const Layer &layer) {
        QVariantMap map;
        map.insert(QStringLiteral("source"), layer.source);
        map.insert(QStringLiteral("geometry"), QVariant::fromValue<QObject *>(layer.geometry.data()));
        map.insert(QStringLiteral("instancing"), QVariant::fromValue<QObject *>(layer.table.data()));
        m_layerList.append(map);
    };
    for (const auto &layer : m_layers)
        append(*layer);
    if (m_markers && !m_markerIds.empty())
        append(*m_markers);
    emit layersChanged();
}

} // namespace twin::viz
