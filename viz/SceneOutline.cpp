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

void SceneController::fillOutline()
{
    std::vector<InstanceSpec> specs;
    if (m_project)
        for (model::AssetId id : m_selection) {
            const auto slot = m_slots.find(id);
            const model::Asset *asset = m_project->graph.find(id);
            if (slot == m_slots.end() || !asset)
                continue;
            const OrientedBox &box = m_layers[size_t(slot->second.layer)]->boxes[size_t(slot->second.index)];
            const float t = edgeWidth(box, m_outlinePixel);
            for (int k = 0; k < 3; ++k) { // edges along box axis k, at the four corners of the other two
                const int i = (k + 1) % 3, j = (k + 2) % 3;
                for (float si : {-1.f, 1.f})
                    for (float sj : {-1.f, 1.f}) {
                        InstanceSpec spec;
                        spec.position = box.center + box.axis[i] * (box.half[i] + t / 2) * si +
                                        box.axis[j] * (box.half[j] + t / 2) * sj;
                        spec.eulerDegrees =
                            QVector3D(asset->placement.rotation[0], asset->placement.rotation[1],
                                      asset->placement.rotation[2]);
                        QVector3D scale(t, t, t);
                        scale[k] = 2 * box.half[k] + 2 * t;
                        spec.scale = scale * 0.01f; // the built-in cube is 100 units across
                        spec.color = kOutlineColor;
                        specs.push_back(spec);
                    }
            }
        }
    if (specs.empty() && !m_outline)
        return;
    if (!m_outline)
        m_outline.reset(createLayer("cube"));
    m_outline->table->setAll(specs);
    m_outlineCount = specs.size();
}

int SceneController::outlineEdgeCount()
{
    ensureBuilt();
    return int(m_outlineCount);
}

} // namespace twin::viz
