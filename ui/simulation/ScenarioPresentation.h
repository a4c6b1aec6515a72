#pragma once
// Full-screen presentation of a ScenarioCompare3D comparison for stakeholders: the two 3D views large, the
// scenario names as titles, KPI badges and a big clock. Follows the comparison's runs and time.
// Keys: Space play/pause, Left/Right step 10 s (Shift: 60 s), Home/End, Esc leaves.
// Child object names (tests): presentationClock, presentationTitleLeft/Right, presentationKpisLeft/Right,
// presentationSceneLeft/Right.
#include <QWidget>

#include <array>

class QLabel;

namespace twin::ui {

class SceneWidget;
class ScenarioCompare3D;

class ScenarioPresentation : public QWidget
{
    Q_OBJECT
public:
    // A top-level window owned by `compare`.
    explicit ScenarioPresentation(ScenarioCompare3D &compare);
    SceneWidget *view(int side) const { return m_views[side]; }
    QLabel *clock() const { return m_clock; }
    void present(); // full screen, in front

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void showRuns();
    void showTime();

    ScenarioCompare3D &m_compare;
    std::array<QLabel *, 2> m_titles{};
    std::array<QLabel *, 2> m_kpis{};
    std::array<SceneWidget *, 2> m_views{};
    QLabel *m_clock;
    QLabel *m_state;
};

} // namespace twin::ui
