// SceneController: building the instanced layers from the graph.
#include "twin/viz/SceneLayer_p.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/Project.h"
#include "twin/viz/StateColors.h"

#include <QDebug>

namespace twin::viz {
namespace {

QVector3D vec(const std::array<float, 3> &a)
{
    return QVector3D(a[0], a[1], a[2]);
}

} // namespace

SceneController::Layer *SceneController::createLayer(const std::string &meshKey)
{
    auto layer = std::make_unique<Layer>();
    layer->meshKey = meshKey;
    layer->table = new InstanceTable();
    layer->table->setParent(this);
    if (meshKey.rfind("file:", 0) == 0) {
        const QString path = QString::fromStdString(meshKey.substr(5));
        auto *geometry = new MeshGeometry();
        geometry->setParent(this);
        if (geometry->load(path)) {
            layer->geometry = geometry;
            layer->localMin = geometry->boundsMin();
            layer->localMax = geometry->boundsMax();
            return layer.release();
        }
        layer->error = geometry->errorString();
        qWarning().noquote() << "twin_viz: mesh" << geometry->errorString() << "- drawn as a cube";
        delete geometry;
        layer->source = QStringLiteral("#Cube");
        layer->meshScale = 0.01f;
        return layer.release();
    }
    layer->meshScale = 0.01f;
    if (meshKey == "cylinder")
        layer->source = QStringLiteral("#Cylinder");
    else if (meshKey == "sphere")
        layer->source = QStringLiteral("#Sphere");
    else
        layer->source = QStringLiteral("#Cube");
    return layer.release();
}

// Layer index for a type (-1: not drawn); reuses a previous layer with the same mesh.
int SceneController::layerFor(const std::string &typeId, std::unordered_map<std::string, int> &cache,
                              std::vector<std::unique_ptr<Layer>> &reuse)
{
    if (auto it = cache.find(typeId); it != cache.end())
        return it->second;
    const std::string mesh = layerKey(model::meshForType(*m_project, typeId));
    if (mesh.empty())
        return cache[typeId] = -1;
    for (size_t i = 0; i < m_layers.size(); ++i)
        if (m_layers[i]->meshKey == mesh)
            return cache[typeId] = int(i);
    std::unique_ptr<Layer> layer;
    for (auto &old : reuse)
        if (old && old->meshKey == mesh) {
            layer = std::move(old);
            layer->ids.clear();
            layer->boxes.clear();
            break;
        }
    if (!layer)
        layer.reset(createLayer(mesh));
    m_layers.push_back(std::move(layer));
    return cache[typeId] = int(m_layers.size() - 1);
}

void SceneController::rebuild()
{
    m_dirty = false;
    std::vector<std::unique_ptr<Layer>> previous = std::move(m_layers);
    m_layers.clear();
    m_slots.clear();
    m_meshErrors.clear();
    if (m_project) {
        std::unordered_map<std::string, int> cache;
        const model::TwinGraph &graph = m_project->graph;
        m_slots.reserve(graph.assetCount());
        for (model::AssetId id : graph.allIds()) {
            const model::Asset *asset = graph.find(id);
            const int layerIndex = layerFor(asset->typeId, cache, previous);
            if (layerIndex < 0)
                continue;
            Layer &layer = *m_layers[size_t(layerIndex)];
            m_slots[id] = Slot{layerIndex, int(layer.ids.size())};
            layer.ids.push_back(id);
        }
    }
    for (const auto &layer : m_layers)
        if (!layer->error.isEmpty())
            m_meshErrors.append(layer->error);
    std::vector<InstanceSpec> specs;
    for (auto &layerPtr : m_layers) {
        Layer &layer = *layerPtr;
        specs.resize(layer.ids.size());
        layer.boxes.resize(layer.ids.size());
        for (size_t i = 0; i < layer.ids.size(); ++i) {
            const model::Asset &asset = *m_project->graph.find(layer.ids[i]);
            const model::Placement &p = asset.placement;
            const QVector3D scale = vec(p.scale) * layer.meshScale;
            specs[i] = InstanceSpec{vec(p.position), vec(p.rotation), scale, displayColor(asset), float(i)};
            layer.boxes[i] = OrientedBox::fromPlacement(vec(p.position), vec(p.rotation), scale,
                                                        layer.localMin, layer.localMax);
        }
        layer.table->setAll(specs);
    }
    fillFills();
    fillMarkers();
    fillOutline();
    labelsMoved();
    // Only tell QML when the set of layers changed; otherwise the tables updated themselves.
    if (!layerListMatches())
        publishLayerList();
    previous.clear(); // unused layers: their QML objects go with deleteLater, after QML dropped them
}

void SceneController::updateInstance(model::AssetId id, bool transform)
{
    const auto it = m_slots.find(id);
    const model::Asset *asset = m_project ? m_project->graph.find(id) : nullptr;
    if (it == m_slots.end() || !asset)
        return;
    Layer &layer = *m_layers[size_t(it->second.layer)];
    const int index = it->second.index;
    if (!transform) {
        layer.table->setColor(index, displayColor(*asset));
        return;
    }
    const model::Placement &p = asset->placement;
    const QVector3D scale = vec(p.scale) * layer.meshScale;
    layer.table->set(
        index, InstanceSpec{vec(p.position), vec(p.rotation), scale, displayColor(*asset), float(index)});
    layer.boxes[size_t(index)] =
        OrientedBox::fromPlacement(vec(p.position), vec(p.rotation), scale, layer.localMin, layer.localMax);
    if (m_problems.count(id) || m_alarms.count(id))
        fillMarkers();
    if (m_fills.count(id))
        fillFills();
    if (m_selection.count(id))
        moveOutline(id); // follows a selected asset that moves
    if (m_labels.count(id))
        labelsMoved();
}

QColor SceneController::displayColor(const model::Asset &asset) const
{
    QColor base;
    if (!m_colorOverlay.empty()) {
        const auto it = m_colorOverlay.find(asset.id);
        base = it != m_colorOverlay.end() ? it->second : m_overlayOthers;
    } else if (auto it = m_overlay.find(asset.id); it != m_overlay.end()) {
        base = viz::stateColor(it->second);
    }
    if (!base.isValid())
        base = viz::assetColor(asset, m_colorPropertyStd);
    return m_selection.count(asset.id) ? selectedColor(base) : base;
}

} // namespace twin::viz
