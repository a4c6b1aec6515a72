#pragma once
// Value labels above assets in the 3D view: for every asset with recorded signals, its name and the values
// of its first signals at the telemetry clock (value and unit), framed in the colour of its condition — its
// most severe active alarm, else amber for a data-quality problem, else green — and, after a forecast of the
// asset, the time to its alarm limits ("windingTemperature > 110 in 37 min (31-44)"). Alarms and problems
// win where labels overlap. Switched on and off by the View menu's "Value labels" (on by default).
// GUI thread only.
#include "twin/model/graph/Asset.h"

#include <QObject>
#include <QString>

#include <unordered_map>

namespace twin::viz {
class SceneController;
}

namespace twin::ui {

class DataQualityPanel;
class ProjectDocument;
class TelemetrySession;

class SceneValueLabels : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxSignals = 3;  // values written per label; more are counted
    static constexpr int kMaxLabels = 200; // labels at most (those of higher priority first): a readable view

    SceneValueLabels(ProjectDocument &document, TelemetrySession &session, DataQualityPanel &quality,
                     viz::SceneController &scene, QObject *parent = nullptr);

    void setEnabled(bool on);
    bool enabled() const { return m_enabled; }

public slots:
    // A forecast's time to the asset's alarm limits, one line per limit (empty: none), kept until the next
    // forecast of the asset or another project.
    void setForecastLines(qulonglong asset, const QString &lines);

private:
    void update();

    ProjectDocument &m_document;
    TelemetrySession &m_session;
    DataQualityPanel &m_quality;
    viz::SceneController &m_scene;
    std::unordered_map<model::AssetId, QString> m_forecasts;
    bool m_enabled = true;
};

} // namespace twin::ui
