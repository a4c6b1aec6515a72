#include "twin/ui/calibration/TornadoChart.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace twin::ui {

namespace {
constexpr int kRow = 26, kTop = 24, kBottom = 8;
const QColor kPositive(178, 24, 43), kNegative(33, 102, 172), kFirst(90, 10, 20);

QString measureText(const std::string &method)
{
    return method == "local"    ? QObject::tr("normalized sensitivity (d mean / d θ · θ / mean)")
           : method == "morris" ? QObject::tr("Morris μ* (mean |elementary effect|)")
                                : QObject::tr("Sobol total order (inner bar: first order)");
}
} // namespace

TornadoChart::TornadoChart(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void TornadoChart::setSensitivity(const model::calibration::ReviewSensitivity &sensitivity)
{
    m_data = sensitivity;
    m_order.resize(m_data.bars.size());
    std::iota(m_order.begin(), m_order.end(), std::size_t(0));
    auto magnitude = [&](std::size_t i) {
        const double v = m_data.bars[i].second;
        return std::isfinite(v) ? std::abs(v) : -1.0;
    };
    std::stable_sort(m_order.begin(), m_order.end(),
                     [&](std::size_t a, std::size_t b) { return magnitude(a) > magnitude(b); });
    updateGeometry();
    update();
}

QSize TornadoChart::sizeHint() const
{
    return {420, kTop + kBottom + kRow * int(std::max<std::size_t>(1, m_data.bars.size()))};
}

void TornadoChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = p.fontMetrics();
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(4, 2, width() - 8, kTop - 4), Qt::AlignLeft | Qt::AlignVCenter,
               QString::fromStdString(m_data.method + " · " + m_data.output) + " — " +
                   measureText(m_data.method));
    double extent = 0;
    bool negative = false;
    for (const auto &[name, v] : m_data.bars)
        if (std::isfinite(v)) {
            extent = std::max(extent, std::abs(v));
            negative = negative || v < 0;
        }
    if (extent <= 0)
        extent = 1;
    int labelWidth = 0;
    for (const auto &[name, v] : m_data.bars)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(QString::fromStdString(name)));
    const int left = std::min(labelWidth + 10, width() / 3), valueWidth = fm.horizontalAdvance("-0.0000e+00");
    const double plotWidth = std::max(40, width() - left - valueWidth - 12);
    const double zero = left + (negative ? plotWidth / 2 : 0);
    const double scale = (negative ? plotWidth / 2 : plotWidth) / extent;
    for (std::size_t row = 0; row < m_order.size(); ++row) {
        const std::size_t i = m_order[row];
        const auto &[name, v] = m_data.bars[i];
        const int y = kTop + int(row) * kRow;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(0, y, left - 6, kRow), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(QString::fromStdString(name), Qt::ElideMiddle, left - 6));
        if (!std::isfinite(v)) {
            p.drawText(QRectF(zero + 4, y, plotWidth, kRow), Qt::AlignLeft | Qt::AlignVCenter, tr("—"));
            continue;
        }
        const QRectF bar(v < 0 ? zero + v * scale : zero, y + 4, std::abs(v) * scale, kRow - 8);
        p.fillRect(bar, v < 0 ? kNegative : kPositive);
        if (i < m_data.second.size() && std::isfinite(m_data.second[i])) {
            const double first = m_data.second[i];
            p.fillRect(
                QRectF(first < 0 ? zero + first * scale : zero, y + 9, std::abs(first) * scale, kRow - 18),
                kFirst);
        }
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(bar.right() + 4, y, valueWidth + 8, kRow), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::number(v, 'g', 3));
    }
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawLine(QPointF(zero, kTop), QPointF(zero, kTop + kRow * int(m_order.size())));
}

} // namespace twin::ui
