#pragma once
// Side-by-side 3D views of two scenario runs on one synchronized timeline.
// Each side: a run combo (runs with result series in the store, see model::scenario::scenarioRunsInStore),
// KPI badges and a SceneWidget whose state overlay shows the run's asset states (ScenarioStates) at the
// shared time. The timeline (play/pause, speed, slider) spans the runs' common time range. Orbiting one
// view turns the other. presentation() shows the same comparison full screen (ScenarioPresentation).
// Child object names (tests): compareRunLeft/Right, compareKpisLeft/Right, compareSceneLeft/Right,
// comparePlay, compareSpeed, compareSlider, compareTime.
#include "twin/model/scenario/ScenarioStates.h"

#include <QWidget>

#include <array>
#include <optional>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace twin::ui {

class MainWindow;
class ProjectDocument;
class SceneWidget;
class ScenarioPresentation;

// Copies the orbit camera (yaw, pitch, distance, target) of one SceneView to the other once the user
// moved it. GUI thread only.
class CameraLink : public QObject
{
    Q_OBJECT
public:
    CameraLink(QObject *a, QObject *b, QObject *parent);
private slots:
    void sync();

private:
    QObject *m_a, *m_b;
    bool m_busy = false;
};

class ScenarioCompare3D : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioCompare3D(ProjectDocument &document, QWidget *parent = nullptr);
    ~ScenarioCompare3D() override;

    ProjectDocument &document() { return m_document; }
    SceneWidget *view(int side) const { return m_views[side]; }
    QComboBox *runCombo(int side) const { return m_runs[side]; }
    QSlider *slider() const { return m_slider; }
    QLabel *timeLabel() const { return m_time; }

    QString run(int side) const;
    void setRuns(const QString &left, const QString &right);
    // The derived states of a side (null when no run or the derivation failed; see runError).
    const model::scenario::ScenarioStateTrack *track(int side) const;
    QString runError(int side) const { return m_errors[side]; }
    // Badges as rich text ("" when the run has no KPIs).
    QString kpiHtml(int side, int pointSize) const;
    std::unordered_map<model::AssetId, std::string> statesAt(int side, model::TimeNs t) const;

    model::TimeNs begin() const { return m_begin; }
    model::TimeNs end() const { return m_end; }
    model::TimeNs time() const { return m_timeNow; }
    void setTime(model::TimeNs t); // clamped to [begin, end]
    void step(double seconds);
    bool isPlaying() const;
    void setPlaying(bool playing);
    double speed() const;
    // "2026-01-05 08:00:10 UTC · T+00:10"
    QString clockText() const;

    ScenarioPresentation *presentation();

public slots:
    void reload(); // re-reads the runs from the store and re-derives the states
    void showPresentation();

signals:
    void timeChanged(model::TimeNs time);
    void runsChanged();
    void playingChanged(bool playing);

private:
    void derive(int side);
    void updateRange();
    void applyTime();
    void tick();

    ProjectDocument &m_document;
    std::array<QComboBox *, 2> m_runs{};
    std::array<QLabel *, 2> m_kpis{};
    std::array<SceneWidget *, 2> m_views{};
    std::array<std::optional<model::scenario::ScenarioStateTrack>, 2> m_tracks;
    std::array<QString, 2> m_errors;
    QToolButton *m_play;
    QComboBox *m_speed;
    QSlider *m_slider;
    QLabel *m_time;
    QTimer *m_timer;
    ScenarioPresentation *m_presentation = nullptr; // Owned (child window), created on first use
    model::TimeNs m_begin = 0, m_end = 0, m_timeNow = 0;
    bool m_updating = false;
};

// View menu: "Compare in 3D…" (a separate window) and "Presentation mode" (F11).
ScenarioCompare3D *installScenarioCompare3D(MainWindow &window);

} // namespace twin::ui
