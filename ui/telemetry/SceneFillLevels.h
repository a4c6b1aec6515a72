#pragma once
// Fill levels in the 3D view: every asset whose type has a fill level (model/project/FillLevel.h: a tank's
// "level" telemetry with its declared range) is drawn filled up to its latest value at the telemetry clock.
// GUI thread only.
#include <QObject>

namespace twin::viz {
class SceneController;
}

namespace twin::ui {

class ProjectDocument;
class TelemetrySession;

class SceneFillLevels : public QObject
{
    Q_OBJECT
public:
    SceneFillLevels(ProjectDocument &document, TelemetrySession &session, viz::SceneController &scene,
                    QObject *parent = nullptr);

private:
    void update();

    ProjectDocument &m_document;
    TelemetrySession &m_session;
    viz::SceneController &m_scene;
};

} // namespace twin::ui
