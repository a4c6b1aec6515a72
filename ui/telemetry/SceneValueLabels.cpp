#include "twin/ui/telemetry/SceneValueLabels.h"

#include "twin/model/project/Project.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/plot/PlotAxes.h"
#include "twin/ui/telemetry/DataQualityPanel.h"
#include "twin/ui/telemetry/TelemetrySession.h"
#include "twin/ui/widgets/Throttle.h"
#include "twin/viz/SceneController.h"
#include "twin/viz/StateColors.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace twin::ui {

namespace {
const QColor kGood(90, 200, 120);
const QColor kProblem(255, 190, 0);

QString formatValue(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("–");
    const double a = std::abs(v);
    return QString::number(v, 'f', a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3);
}
} // namespace

SceneValueLabels::SceneValueLabels(ProjectDocument &document, TelemetrySession &session,
                                   DataQualityPanel &quality, viz::SceneController &scene, QObject *parent)
    : QObject(parent), m_document(document), m_session(session), m_quality(quality), m_scene(scene)
{
    // Values written on labels are read, not watched: a few times a second is enough, and each change
    // re-creates the view's label items.
    auto *throttle = new Throttle(
        250, [this] { update(); }, this);
    connect(&session, &TelemetrySession::snapshotChanged, throttle, &Throttle::request);
    connect(&quality, &DataQualityPanel::assetProblemsChanged, this, &SceneValueLabels::update);
    connect(&document, &ProjectDocument::projectReplaced, this, [this] {
        m_forecasts.clear();
        m_scene.setLabels({}); // asset ids of the old project; the session publishes for the new one
    });
}

void SceneValueLabels::setEnabled(bool on)
{
    if (on == m_enabled)
        return;
    m_enabled = on;
    update();
}

void SceneValueLabels::setForecastLines(qulonglong asset, const QString &lines)
{
    if (lines.isEmpty())
        m_forecasts.erase(asset);
    else
        m_forecasts[asset] = lines;
    update();
}

void SceneValueLabels::update()
{
    const auto snapshot = m_session.snapshot();
    const auto &store = m_document.project().history;
    if (!m_enabled || !snapshot) {
        m_scene.setLabels({});
        return;
    }
    // Each asset's signals in the order they were recorded.
    std::map<model::AssetId, std::vector<std::size_t>> signalsOf;
    const std::vector<model::SignalInfo> infos =
        store ? store->allSignals() : std::vector<model::SignalInfo>{};
    for (std::size_t id = 0; id < infos.size(); ++id)
        signalsOf[infos[id].key.asset].push_back(id);
    std::unordered_map<model::AssetId, int> severity; // of the most severe active alarm
    for (const model::AlarmRecord &alarm : snapshot->alarms)
        if (alarm.active())
            severity[alarm.asset] = std::max(severity[alarm.asset], int(alarm.severity));
    std::unordered_map<model::AssetId, bool> problem;
    for (const auto &[id, text] : m_quality.assetProblems())
        problem[id] = true;

    std::unordered_map<model::AssetId, viz::AssetLabel> labels;
    auto labelFor = [&](model::AssetId id) -> viz::AssetLabel * {
        const model::Asset *asset = m_document.project().graph.find(id);
        if (!asset)
            return nullptr;
        viz::AssetLabel &label = labels[id];
        if (label.text.isEmpty()) {
            label.text = QString::fromStdString(asset->name);
            if (const auto s = severity.find(id); s != severity.end()) {
                label.color = viz::alarmColor(s->second);
                label.priority = 2 + s->second;
            } else if (problem.count(id)) {
                label.color = kProblem;
                label.priority = 2;
            } else {
                label.color = kGood;
            }
        }
        return &label;
    };
    for (const auto &[id, signalIds] : signalsOf) {
        viz::AssetLabel *label = labelFor(id);
        if (!label)
            continue;
        int written = 0;
        for (std::size_t s : signalIds) {
            if (written == kMaxSignals)
                break;
            const double v = s < snapshot->latestValues.size() ? snapshot->latestValues[s] : NAN;
            const QString unit = unitSymbol(infos[s].unit);
            label->text += QStringLiteral("\n%1  %2%3")
                               .arg(QString::fromStdString(infos[s].key.telemetry), formatValue(v),
                                    unit.isEmpty() ? QString() : QStringLiteral(" ") + unit);
            ++written;
        }
        if (signalIds.size() > std::size_t(kMaxSignals))
            label->text += tr("\n+%1 more").arg(signalIds.size() - std::size_t(kMaxSignals));
    }
    for (const auto &[id, lines] : m_forecasts)
        if (viz::AssetLabel *label = labelFor(id)) {
            label->text += QStringLiteral("\n") + lines;
            label->priority = std::max(label->priority, 1);
        }
    if (labels.size() > std::size_t(kMaxLabels)) {
        std::vector<std::pair<int, model::AssetId>> order;
        for (const auto &[id, label] : labels)
            order.emplace_back(-label.priority, id);
        std::nth_element(order.begin(), order.begin() + kMaxLabels, order.end());
        for (auto it = order.begin() + kMaxLabels; it != order.end(); ++it)
            labels.erase(it->second);
    }
    m_scene.setLabels(std::move(labels));
}

} // namespace twin::ui
