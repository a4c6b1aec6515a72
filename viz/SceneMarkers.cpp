// SceneController: the marker layer: a sphere above each asset with a data-quality problem (amber) or an
// active alarm (its severity's colour).
#include "twin/viz/SceneLayer_p.h"

#include "twin/viz/LayerListModel.h"

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

std::vector<const SceneController::Layer *> SceneController::extraLayers() const
{
    std::vector<const Layer *> extra;
    if (m_fill && !m_fillIds.empty())
        extra.push_back(m_fill.get());
    if (m_markers && !m_markerIds.empty())
        extra.push_back(m_markers.get());
    if (m_outline && m_outlineCount > 0)
        extra.push_back(m_outline.get());
    return extra;
}

bool SceneController::layerListMatches() const
{
    std::vector<const Layer *> all;
    for (const auto &layer : m_layers)
        all.push_back(layer.get());
    for (const Layer *layer : extraLayers())
        all.push_back(layer);
    if (m_layerList.size() != qsizetype(all.size()))
        return false;
    for (size_t i = 0; i < all.size(); ++i)
        if (m_layerList[qsizetype(i)].toMap().value(QStringLiteral("instancing")).value<QObject *>() !=
            all[i]->table.data())
            return false;
    return true;
}

void SceneController::publishLayerList()
{
    m_layerList.clear();
    std::vector<LayerListModel::Entry> entries;
    auto append = [&](const Layer &layer) {
        QVariantMap map;
        map.insert(QStringLiteral("source"), layer.source);
        map.insert(QStringLiteral("geometry"), QVariant::fromValue<QObject *>(layer.geometry.data()));
        map.insert(QStringLiteral("instancing"), QVariant::fromValue<QObject *>(layer.table.data()));
        m_layerList.append(map);
        entries.push_back({layer.source, layer.geometry.data(), layer.table.data()});
    };
    for (const auto &layer : m_layers)
        append(*layer);
    for (const Layer *layer : extraLayers())
        append(*layer);
    m_layerModel->setEntries(std::move(entries));
    emit layersChanged();
}

} // namespace twin::viz
