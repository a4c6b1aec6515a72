// SceneController: the selection outline: the twelve edges of each selected asset's box, drawn as thin
// instanced cubes just outside it (an instanced layer after the markers; not pickable).
#include "twin/viz/SceneLayer_p.h"

#include "twin/model/project/Project.h"

#include <algorithm>

namespace twin::viz {
namespace {
const QColor kOutlineColor(255, 255, 255);

// Edge width: three pixels of the view when it says how big a pixel is, else 2 % of the asset, within
// 1.5 and 8 cm; never more than half the asset's largest extent.
float edgeWidth(const OrientedBox &box, float pixel)
{
    const float largest = 2.f * std::max({box.half.x(), box.half.y(), box.half.z()});
    const float width = pixel > 0 ? 3.f * pixel : std::clamp(0.02f * largest, 0.015f, 0.08f);
    return std::min(width, std::max(0.5f * largest, 0.015f));
}
} // namespace

void SceneController::setOutlinePixelSize(float metres)
{
    if (!(metres >= 0) || metres == m_outlinePixel)
        return;
    m_outlinePixel = metres;
    if (!m_dirty && !m_selection.empty())
        fillOutline();
}

float SceneController::outlineWidth(model::AssetId id) const
{
    const auto slot = m_slots.find(id);
    if (!m_selection.count(id) || slot == m_slots.end())
        return 0.f;
    return edgeWidth(m_layers[size_t(slot->second.layer)]->boxes[size_t(slot->second.index)], m_outlinePixel);
}

namespace {
constexpr int kEdges = 12;

// The twelve edges of `box` (rotated by the asset's Euler angles), `width` thick, appended to `out`.
void appendEdges(const OrientedBox &box, const QVector3D &eulerDegrees, float width,
                 std::vector<InstanceSpec> &out)
{
    for (int k = 0; k < 3; ++k) { // edges along box axis k, at the four corners of the other two
        const int i = (k + 1) % 3, j = (k + 2) % 3;
        for (float si : {-1.f, 1.f})
            for (float sj : {-1.f, 1.f}) {
                InstanceSpec spec;
                spec.position = box.center + box.axis[i] * (box.half[i] + width / 2) * si +
                                box.axis[j] * (box.half[j] + width / 2) * sj;
                spec.eulerDegrees = eulerDegrees;
                QVector3D scale(width, width, width);
                scale[k] = 2 * box.half[k] + 2 * width;
                spec.scale = scale * 0.01f; // the built-in cube is 100 units across
                spec.color = kOutlineColor;
                out.push_back(spec);
            }
    }
}
} // namespace

bool SceneController::outlineEdges(model::AssetId id, std::vector<InstanceSpec> &out) const
{
    const auto slot = m_slots.find(id);
    const model::Asset *asset = m_project ? m_project->graph.find(id) : nullptr;
    if (slot == m_slots.end() || !asset)
        return false;
    const OrientedBox &box = m_layers[size_t(slot->second.layer)]->boxes[size_t(slot->second.index)];
    const auto &r = asset->placement.rotation;
    appendEdges(box, QVector3D(r[0], r[1], r[2]), edgeWidth(box, m_outlinePixel), out);
    return true;
}

void SceneController::fillOutline()
{
    std::vector<InstanceSpec> specs;
    m_outlineGroups.clear();
    for (model::AssetId id : m_selection) {
        const int group = int(specs.size()) / kEdges;
        if (outlineEdges(id, specs))
            m_outlineGroups[id] = group;
    }
    if (specs.empty() && !m_outline)
        return;
    if (!m_outline)
        m_outline.reset(createLayer("cube"));
    m_outline->table->setAll(specs);
    m_outlineCount = specs.size();
}

void SceneController::moveOutline(model::AssetId id)
{
    // Only this asset's edges: a drag of many selected assets moves each once, not the whole outline each
    // time.
    const auto group = m_outlineGroups.find(id);
    std::vector<InstanceSpec> specs;
    if (group == m_outlineGroups.end() || !m_outline || !outlineEdges(id, specs))
        return fillOutline();
    for (int e = 0; e < kEdges; ++e)
        m_outline->table->set(group->second * kEdges + e, specs[size_t(e)]);
}

int SceneController::outlineEdgeCount()
{
    ensureBuilt();
    return int(m_outlineCount);
}

} // namespace twin::viz
