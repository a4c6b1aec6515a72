#include "twin/ui/telemetry/SceneFillLevels.h"

#include "twin/model/project/FillLevel.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/telemetry/TelemetrySession.h"
#include "twin/ui/widgets/Throttle.h"
#include "twin/viz/SceneController.h"

#include <cmath>
#include <optional>
#include <unordered_map>

namespace twin::ui {

SceneFillLevels::SceneFillLevels(ProjectDocument &document, TelemetrySession &session,
                                 viz::SceneController &scene, QObject *parent)
    : QObject(parent), m_document(document), m_session(session), m_scene(scene)
{
    // Levels change slowly: ten times a second keeps the fill smooth without redrawing at the clock's rate.
    auto *throttle = new Throttle(
        100, [this] { update(); }, this);
    connect(&session, &TelemetrySession::snapshotChanged, throttle, &Throttle::request);
    connect(&document, &ProjectDocument::projectReplaced, this, [this] { m_scene.setFillLevels({}); });
}

void SceneFillLevels::update()
{
    const auto snapshot = m_session.snapshot();
    const model::Project &project = m_document.project();
    std::unordered_map<model::AssetId, float> fills;
    if (!snapshot || !project.history) {
        m_scene.setFillLevels(fills);
        return;
    }
    std::unordered_map<std::string, std::optional<model::FillSource>> byType;
    const std::vector<model::SignalInfo> infos = project.history->allSignals();
    for (std::size_t id = 0; id < infos.size() && id < snapshot->latestValues.size(); ++id) {
        const model::Asset *asset = project.graph.find(infos[id].key.asset);
        if (!asset)
            continue;
        auto [it, added] = byType.try_emplace(asset->typeId);
        if (added)
            it->second = model::fillSource(project, asset->typeId);
        if (!it->second || it->second->telemetry != infos[id].key.telemetry)
            continue;
        const double fraction = model::fillFraction(*it->second, snapshot->latestValues[id]);
        if (!std::isnan(fraction))
            fills[asset->id] = float(fraction);
    }
    m_scene.setFillLevels(fills);
}

} // namespace twin::ui
