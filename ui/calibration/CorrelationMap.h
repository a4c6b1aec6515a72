#pragma once
// The parameters' correlation matrix as a heat map: blue for negative, red for positive, the value in each
// cell, and a frame around pairs beyond |rho| > 0.95 (the data cannot tell them apart).
#include <QWidget>

#include <string>
#include <vector>

namespace twin::ui {

class CorrelationMap : public QWidget
{
    Q_OBJECT
public:
    explicit CorrelationMap(QWidget *parent = nullptr);
    // `values`: row-major, names.size() squared (NaN where unknown).
    void setMatrix(std::vector<std::string> names, std::vector<double> values);
    // The colour of a correlation (tests, legend).
    static QColor colorOf(double rho);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::vector<std::string> m_names;
    std::vector<double> m_values;
};

} // namespace twin::ui
