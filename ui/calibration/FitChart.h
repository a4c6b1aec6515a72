#pragma once
// One fitted output as an expert reviews it: the observations (dots), the calibrated model (line), the model
// before calibration (dashed), the 95 % prediction band (shaded), the calibration and hold-out windows as
// background bands, and below, on the same time axis, the residuals (observed - calibrated) with zero and
// +-2 sigma of the residuals marked. Excluded observations (bad quality) are drawn hollow.
//
// Interaction: the wheel zooms time around the mouse, dragging pans, a double click shows everything; the
// tooltip gives the values at the nearest observation.
#include "twin/model/calibration/EvidenceReview.h"

#include <QWidget>

namespace twin::ui {

class FitChart : public QWidget
{
    Q_OBJECT
public:
    explicit FitChart(QWidget *parent = nullptr);
    // `start`: UTC of t = 0 (axis labels).
    void setSeries(const model::calibration::ReviewSeries &series, model::TimeNs start);
    const model::calibration::ReviewSeries &series() const { return m_series; }

    // The time range shown, in seconds from the start.
    double viewStart() const { return m_t0; }
    double viewEnd() const { return m_t1; }
    void setView(double t0, double t1);
    void showAll();
    // Areas of the two panels (tests: where to point).
    QRectF overlayArea() const;
    QRectF residualArea() const;
    // The tooltip text at a widget position ("" outside the panels).
    QString valuesAt(QPointF pos) const;
    QSize sizeHint() const override { return {560, 300}; }
    QSize minimumSizeHint() const override { return {260, 200}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    void valueRange(bool residuals, double &lo, double &hi) const;
    double xOf(double t, const QRectF &area) const;
    double tAt(double x, const QRectF &area) const;
    void drawWindows(QPainter &p, const QRectF &area) const;
    void drawOverlay(QPainter &p, const QRectF &area, double lo, double hi) const;
    void drawResiduals(QPainter &p, const QRectF &area, double lo, double hi) const;
    void drawValueAxis(QPainter &p, const QRectF &area, double lo, double hi, const QString &label) const;
    void drawTimeAxis(QPainter &p, const QRectF &area) const;
    void drawLegend(QPainter &p, const QRectF &area) const;

    model::calibration::ReviewSeries m_series;
    model::TimeNs m_start = 0;
    double m_first = 0, m_last = 1; // the data's time range
    double m_t0 = 0, m_t1 = 1;
    QPointF m_pressPos;
    double m_pressT0 = 0, m_pressT1 = 1;
};

} // namespace twin::ui
