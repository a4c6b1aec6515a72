#include "twin/ui/calibration/ObjectiveChart.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace twin::ui {

ObjectiveChart::ObjectiveChart(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(60);
    setToolTip(tr("Objective (half the weighted sum of squared residuals) per iteration, log scale"));
}

void ObjectiveChart::clear()
{
    m_points.clear();
    update();
}

void ObjectiveChart::add(int iteration, double cost)
{
    if (std::isfinite(cost) && cost > 0)
        m_points.emplace_back(iteration, cost);
    update();
}

void ObjectiveChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(4, 14, -4, -4);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setPen(palette().color(QPalette::Text));
    QFont font = p.font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    p.setFont(font);
    if (m_points.empty()) {
        p.drawText(rect().adjusted(4, 0, 0, 0), Qt::AlignLeft | Qt::AlignTop, tr("objective: —"));
        return;
    }
    double lo = m_points.front().second, hi = lo;
    for (const auto &[i, c] : m_points) {
        lo = std::min(lo, c);
        hi = std::max(hi, c);
    }
    const double l0 = std::log10(lo), l1 = std::max(std::log10(hi), l0 + 1e-9);
    const int last = std::max(1, m_points.back().first);
    QPainterPath path;
    for (std::size_t k = 0; k < m_points.size(); ++k) {
        const auto &[i, c] = m_points[k];
        const QPointF pt(area.left() + area.width() * i / last,
                         area.bottom() - area.height() * (std::log10(c) - l0) / (l1 - l0));
        k == 0 ? path.moveTo(pt) : path.lineTo(pt);
    }
    p.setPen(QPen(QColor(26, 79, 139), 1.8));
    p.drawPath(path);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(rect().adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignTop,
               tr("objective %1 → %2 (%3 iterations)")
                   .arg(m_points.front().second, 0, 'g', 4)
                   .arg(m_points.back().second, 0, 'g', 4)
                   .arg(m_points.back().first));
}

} // namespace twin::ui
