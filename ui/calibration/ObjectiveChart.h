#pragma once
// The fit's objective per iteration while a calibration runs (log scale): flat means converged, a wall of
// iterations without progress means a badly posed problem.
#include <QWidget>

#include <vector>

namespace twin::ui {

class ObjectiveChart : public QWidget
{
    Q_OBJECT
public:
    explicit ObjectiveChart(QWidget *parent = nullptr);
    void clear();
    void add(int iteration, double cost);
    const std::vector<std::pair<int, double>> &points() const { return m_points; }
    QSize sizeHint() const override { return {240, 70}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::vector<std::pair<int, double>> m_points;
};

} // namespace twin::ui
