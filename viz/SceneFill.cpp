// SceneController: fill levels: the filled part of each asset's box (a tank up to its level) drawn as a
// cylinder just outside its walls, from the bottom of the box up, in water blue (an instanced layer after
// the assets').
#include "twin/viz/SceneLayer_p.h"

#include "twin/model/project/Project.h"

#include <algorithm>
#include <cmath>

namespace twin::viz {
namespace {
const QColor kFillColor(40, 120, 215);
constexpr float kOutside = 1.03f; // the fill's radius over the asset's: drawn on its walls
constexpr float kTopGap = 0.995f; // a full asset's fill stays just under its top (no z-fighting)
} // namespace

void SceneController::setFillLevels(const std::unordered_map<model::AssetId, float> &fractions)
{
    if (fractions == m_fills)
        return;
    m_fills = fractions;
    if (m_dirty)
        return; // the coming rebuild fills them
    fillFills();
    if (!layerListMatches())
        publishLayerList();
}

int SceneController::fillCount()
{
    ensureBuilt();
    return int(m_fillIds.size());
}

bool SceneController::fillBox(model::AssetId id, QVector3D &centre, QVector3D &size)
{
    ensureBuilt();
    const auto at = std::find(m_fillIds.begin(), m_fillIds.end(), id);
    if (at == m_fillIds.end())
        return false;
    const int index = int(at - m_fillIds.begin());
    centre = m_fill->table->positionAt(index);
    size = m_fill->table->scaleAt(index) * 100.f; // the built-in cylinder is 100 units across
    return true;
}

void SceneController::fillFills()
{
    m_fillIds.clear();
    std::vector<InstanceSpec> specs;
    for (const auto &[id, fraction] : m_fills) {
        const auto slot = m_slots.find(id);
        const model::Asset *asset = m_project ? m_project->graph.find(id) : nullptr;
        if (slot == m_slots.end() || !asset || !(fraction > 0))
            continue;
        const OrientedBox &box = m_layers[size_t(slot->second.layer)]->boxes[size_t(slot->second.index)];
        const float f = std::min(fraction, 1.f) * kTopGap;
        InstanceSpec spec;
        // From the bottom of the box (along its up axis) to f of its height.
        spec.position = box.center + box.axis[1] * (box.half[1] * (f - 1.f));
        const model::Placement &p = asset->placement;
        spec.eulerDegrees = QVector3D(p.rotation[0], p.rotation[1], p.rotation[2]);
        spec.scale =
            QVector3D(2 * box.half[0] * kOutside, 2 * box.half[1] * f, 2 * box.half[2] * kOutside) * 0.01f;
        spec.color = kFillColor;
        spec.data = float(m_fillIds.size());
        specs.push_back(spec);
        m_fillIds.push_back(id);
    }
    if (specs.empty() && !m_fill)
        return;
    if (!m_fill)
        m_fill.reset(createLayer("cylinder"));
    m_fill->ids = m_fillIds;
    m_fill->table->setAll(specs);
}

} // namespace twin::viz
