#pragma once
// A tornado chart: one horizontal bar per parameter, largest magnitude at the top, positive to the right and
// negative to the left of zero; Sobol's first-order index drawn as a darker inner bar in its total-order bar.
#include "twin/model/calibration/EvidenceReview.h"

#include <QWidget>

namespace twin::ui {

class TornadoChart : public QWidget
{
    Q_OBJECT
public:
    explicit TornadoChart(QWidget *parent = nullptr);
    void setSensitivity(const model::calibration::ReviewSensitivity &sensitivity);
    const model::calibration::ReviewSensitivity &sensitivity() const { return m_data; }
    // Bar order top to bottom (indices into sensitivity().bars): largest |value| first, unknown last.
    const std::vector<std::size_t> &order() const { return m_order; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    model::calibration::ReviewSensitivity m_data;
    std::vector<std::size_t> m_order;
};

} // namespace twin::ui
