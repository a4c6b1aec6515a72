// SceneController: the marker layer: a sphere above each asset with a data-quality problem (amber) or an
// active alarm (its severity's colour).
#include "twin/viz/SceneLayer_p.h"

#include "twin/model/project/Project.h"

#include <algorithm>

namespace twin::viz {
namespace {
const QColor kMarkerColor(255, 170, 0);
constexpr float kMarkerSize = 0.5f;      // metres
constexpr float kAlarmMarkerSize = 0.9f; // an alarm stands out more than a data-quality note
constexpr float kMarkerGap = 0.4f;       // metres above the asset's top
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

void SceneController::setAlarmAssets(const std::unordered_map<model::AssetId, QColor> &colors)
{
    if (colors == m_alarms)
        return;
    m_alarms = colors;
    if (m_dirty)
        return;
    fillMarkers();
    if (!layerListMatches())
        publishLayerList();
}

QColor SceneController::markerColor(model::AssetId id)
{
    ensureBuilt();
    if (std::find(m_markerIds.begin(), m_markerIds.end(), id) == m_markerIds.end())
        return {};
    const auto alarm = m_alarms.find(id);
    return alarm != m_alarms.end() ? alarm->second : kMarkerColor;
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
    std::vector<model::AssetId> marked(m_problems.begin(), m_problems.end());
    for (const auto &[id, color] : m_alarms)
        if (!m_problems.count(id))
            marked.push_back(id);
    if (m_project)
        for (model::AssetId id : marked) {
            const auto slot = m_slots.find(id);
            const model::Asset *asset = m_project->graph.find(id);
            if (slot == m_slots.end() || !asset)
                continue;
            const Layer &layer = *m_layers[size_t(slot->second.layer)];
            const model::Placement &p = asset->placement;
            const float top = p.position[1] + p.scale[1] * layer.meshScale * layer.localMax.y();
            const auto alarm = m_alarms.find(id);
            const float diameter = alarm != m_alarms.end() ? kAlarmMarkerSize : kMarkerSize;
            const float size = diameter * 0.01f; // the built-in sphere is 100 units across
            InstanceSpec spec;
            spec.position = QVector3D(p.position[0], top + kMarkerGap + diameter / 2, p.position[2]);
            spec.scale = QVector3D(size, size, size);
            spec.color = alarm != m_alarms.end() ? alarm->second : kMarkerColor;
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
    const bool outline = m_outline && m_outlineCount > 0;
    if (m_layerList.size() != qsizetype(m_layers.size() + (markers ? 1 : 0) + (outline ? 1 : 0)))
        return false;
    auto tableAt = [this](size_t i) {
        return m_layerList[qsizetype(i)].toMap().value(QStringLiteral("instancing")).value<QObject *>();
    };
    for (size_t i = 0; i < m_layers.size(); ++i)
        if (tableAt(i) != m_layers[i]->table.data())
            return false;
    if (markers && tableAt(m_layers.size()) != m_markers->table.data())
        return false;
    return !outline || tableAt(m_layers.size() + (markers ? 1 : 0)) == m_outline->table.data();
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
    if (m_outline && m_outlineCount > 0)
        append(*m_outline);
    emit layersChanged();
}

} // namespace twin::viz
