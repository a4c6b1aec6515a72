// PlotWidget's drawing: axes, series, quality strips and markers, cursor, legends (split from PlotWidget.cpp
// to keep files small; the class is one).
#include "twin/ui/plot/PlotWidget.h"

#include "twin/ui/plot/PlotAxes.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace twin::ui {
using model::DecimatedBucket;
using model::TimeNs;

namespace {
constexpr int kLeft = 64;
constexpr int kStripHeight = 4; // quality strip per series

bool hasValue(const DecimatedBucket &b)
{
    return b.count > 0 && !std::isnan(b.min) && !std::isnan(b.max);
}
} // namespace

void PlotWidget::drawValueAxis(QPainter &p, int lane)
{
    const QRect area = laneArea(lane);
    const Lane &l = m_lanes[std::size_t(lane)];
    const QColor grid = palette().color(QPalette::Midlight);
    const QColor text = palette().color(QPalette::Text);
    const QFontMetrics fm(font());
    const auto vticks = niceValueTicks(l.y0, l.y1, std::max(2, area.height() / 40));
    const double vstep = vticks.size() > 1 ? vticks[1] - vticks[0] : (l.y1 - l.y0);
    for (double v : vticks) {
        const int y = int(std::lround(yOf(v, lane)));
        p.setPen(QPen(grid, 1, Qt::DotLine));
        p.drawLine(area.left(), y, area.right(), y);
        p.setPen(text);
        p.drawText(QRect(0, y - fm.height() / 2, kLeft - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   formatValue(v, vstep));
    }
    // The lane's unit beside its value labels.
    if (!l.unit.empty()) {
        p.save();
        p.translate(12, area.center().y());
        p.rotate(-90);
        p.setPen(text);
        p.drawText(QRect(-area.height() / 2, -fm.height() / 2 - 2, area.height(), fm.height() + 4),
                   Qt::AlignCenter, unitSymbol(l.unit));
        p.restore();
    }
}

void PlotWidget::drawAxes(QPainter &p, const QRect &area)
{
    const QColor grid = palette().color(QPalette::Midlight);
    const QColor text = palette().color(QPalette::Text);
    const QFontMetrics fm(font());
    for (int lane = 0; lane < laneCount(); ++lane)
        drawValueAxis(p, lane);
    // Time axis.
    QString context;
    const int maxTicks = std::max(2, area.width() / std::max(70, fm.horizontalAdvance("00:00:00.000") + 16));
    const auto tticks = timeTicks(m_t0, m_t1, maxTicks, &context);
    for (const auto &t : tticks) {
        const int x = int(std::lround(xOf(t.time)));
        p.setPen(QPen(grid, 1, Qt::DotLine));
        for (int lane = 0; lane < laneCount(); ++lane)
            p.drawLine(x, laneArea(lane).top(), x, laneArea(lane).bottom());
        p.setPen(text);
        p.drawLine(x, area.bottom(), x, area.bottom() + 4);
        const int w = fm.horizontalAdvance(t.label) + 8;
        p.drawText(QRect(x - w / 2, area.bottom() + 5, w, fm.height()), Qt::AlignCenter, t.label);
    }
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(QRect(area.left(), area.bottom() + 6 + fm.height(), area.width() / 2, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, context);
}

void PlotWidget::drawSeries(QPainter &p, const QRect &area)
{
    for (std::size_t i = 0; i < m_series.size() && i < m_data.size(); ++i) {
        const auto &buckets = m_data[i].buckets;
        const int lane = int(m_seriesLane[i]);
        const auto yOf = [&](double v) { return this->yOf(v, lane); };
        const double x0 = area.left() + 0.5;
        QVector<QLineF> lines;
        lines.reserve(int(buckets.size()) * 2);
        std::size_t nonEmpty = 0;
        int prev = -1;
        for (std::size_t k = 0; k < buckets.size(); ++k) {
            const auto &b = buckets[k];
            if (!hasValue(b))
                continue;
            ++nonEmpty;
            const double x = x0 + double(k);
            const bool gapBreak = (b.quality & model::QualityAfterGap) && prev >= 0 && int(k) - prev > 1;
            if (prev >= 0 && !gapBreak)
                lines.append(QLineF(x0 + prev, yOf(buckets[std::size_t(prev)].last), x, yOf(b.first)));
            lines.append(QLineF(x, yOf(b.min), x, yOf(b.max)));
            prev = int(k);
        }
        p.setPen(QPen(m_series[i].color, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setRenderHint(QPainter::Antialiasing, true);
        p.drawLines(lines);
        // Sparse data (zoomed in far): show the samples themselves.
        if (nonEmpty > 0 && double(area.width()) / double(nonEmpty) >= 6.0) {
            p.setBrush(m_series[i].color);
            for (std::size_t k = 0; k < buckets.size(); ++k)
                if (hasValue(buckets[k]))
                    p.drawEllipse(QPointF(x0 + double(k), yOf(buckets[k].last)), 2.2, 2.2);
            p.setBrush(Qt::NoBrush);
        }
    }
}

void PlotWidget::drawQuality(QPainter &p, const QRect &area)
{
    // A strip per series along the bottom edge (every flag, converted included) and markers on the line
    // for the flags that need attention; markers closer than 5 px merge.
    p.setRenderHint(QPainter::Antialiasing, true);
    for (std::size_t i = 0; i < m_series.size() && i < m_data.size(); ++i) {
        const auto &buckets = m_data[i].buckets;
        const int lane = int(m_seriesLane[i]);
        const QRect laneRect = laneArea(lane);
        // Strips along the bottom of the series' lane, the lane's first series topmost.
        const auto below =
            std::count(m_seriesLane.begin() + std::ptrdiff_t(i), m_seriesLane.end(), m_seriesLane[i]);
        const int stripY = laneRect.bottom() - int(below) * (kStripHeight + 1);
        double lastMarkerX = -1e9;
        const QualityStyle *lastStyle = nullptr;
        for (std::size_t k = 0; k < buckets.size(); ++k) {
            const QualityStyle *style = dominantQuality(buckets[k].quality, m_qualityMask);
            if (!style || buckets[k].count == 0)
                continue;
            const double x = area.left() + 0.5 + double(k);
            p.fillRect(QRectF(x - 0.5, stripY, 1.0, kStripHeight), style->color);
            if (!style->marker || (x - lastMarkerX < 5 && style == lastStyle))
                continue;
            lastMarkerX = x;
            lastStyle = style;
            const double y = hasValue(buckets[k]) ? yOf(buckets[k].max, lane) - 4 : laneRect.bottom() - 14;
            QPainterPath tri;
            tri.moveTo(x, y);
            tri.lineTo(x - 4, y - 7);
            tri.lineTo(x + 4, y - 7);
            tri.closeSubpath();
            p.fillPath(tri, style->color);
        }
    }
}

void PlotWidget::drawCursorAndSelection(QPainter &p, const QRect &area)
{
    if (m_cursor && *m_cursor >= m_t0 && *m_cursor <= m_t1) {
        const double x = std::floor(xOf(*m_cursor)) + 0.5; // crisp on the pixel grid
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(QColor(220, 38, 38), 1));
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        QPainterPath head;
        head.moveTo(x - 5, area.top());
        head.lineTo(x + 5, area.top());
        head.lineTo(x, area.top() + 7);
        head.closeSubpath();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.fillPath(head, QColor(220, 38, 38));
    }
    if (m_drag == Drag::Select) {
        const int xa = std::clamp(m_pressPos.x(), area.left(), area.right());
        const int xb = std::clamp(m_dragPos.x(), area.left(), area.right());
        const QRect band(QPoint(std::min(xa, xb), area.top()), QPoint(std::max(xa, xb), area.bottom()));
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(50);
        p.fillRect(band, fill);
        p.setPen(palette().color(QPalette::Highlight));
        p.drawRect(band);
    }
}

void PlotWidget::drawLegend(QPainter &p, const QRect &area)
{
    if (m_series.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("Tick signals in the list to plot them"));
        return;
    }
    for (int lane = 0; lane < laneCount(); ++lane)
        drawLaneLegend(p, lane);
}

void PlotWidget::drawLaneLegend(QPainter &p, int lane)
{
    // The lane's series and bands in a box in its top-left corner (ensureData leaves headroom for it).
    const QRect area = laneArea(lane);
    std::vector<std::size_t> series, bands;
    for (std::size_t i = 0; i < m_series.size(); ++i)
        if (int(m_seriesLane[i]) == lane)
            series.push_back(i);
    for (std::size_t i = 0; i < m_bands.size(); ++i)
        if (int(m_bandLane[i]) == lane)
            bands.push_back(i);
    if (series.empty() && bands.empty())
        return;
    const QFontMetrics fm(font());
    auto seriesText = [&](const PlotSeries &s) {
        return s.label + (s.unit.empty() ? QString() : QStringLiteral(" [%1]").arg(unitSymbol(s.unit)));
    };
    int w = 0;
    for (std::size_t i : series)
        w = std::max(w, fm.horizontalAdvance(seriesText(m_series[i])));
    for (std::size_t i : bands)
        w = std::max(w, fm.horizontalAdvance(m_bands[i].label));
    const int rowH = fm.height() + 2;
    const QRect box(area.left() + 8, area.top() + 8, w + 34, int(series.size() + bands.size()) * rowH + 8);
    QColor bg = palette().color(QPalette::Base);
    bg.setAlpha(225);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(palette().color(QPalette::Midlight));
    p.setBrush(bg);
    p.drawRoundedRect(box, 4, 4);
    int row = 0;
    for (std::size_t i : series) {
        const auto &s = m_series[i];
        const int y = box.top() + 4 + row++ * rowH;
        p.setPen(QPen(s.color, 3));
        p.drawLine(box.left() + 8, y + rowH / 2, box.left() + 24, y + rowH / 2);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(box.left() + 30, y, w + 4, rowH), Qt::AlignLeft | Qt::AlignVCenter, seriesText(s));
    }
    for (std::size_t i : bands) {
        const auto &band = m_bands[i];
        const int y = box.top() + 4 + row++ * rowH;
        QColor fill = band.color;
        fill.setAlpha(70);
        p.fillRect(QRect(box.left() + 8, y + 3, 16, rowH - 6), fill);
        p.setPen(QPen(band.color, 1.5, Qt::DashLine));
        p.drawLine(box.left() + 8, y + rowH / 2, box.left() + 24, y + rowH / 2);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(box.left() + 30, y, w + 4, rowH), Qt::AlignLeft | Qt::AlignVCenter, band.label);
    }
    p.setBrush(Qt::NoBrush);
}

void PlotWidget::drawBands(QPainter &p, const QRect &area)
{
    (void)area;
    p.setRenderHint(QPainter::Antialiasing, true);
    for (std::size_t k = 0; k < m_bands.size(); ++k) {
        const PlotBand &band = m_bands[k];
        const int lane = int(m_bandLane[k]);
        const auto yOf = [&](double v) { return this->yOf(v, lane); };
        const std::size_t n = std::min({band.time.size(), band.lower.size(), band.upper.size()});
        if (n < 2)
            continue;
        QPolygonF polygon;
        for (std::size_t i = 0; i < n; ++i)
            polygon << QPointF(xOf(band.time[i]), yOf(band.upper[i]));
        for (std::size_t i = n; i-- > 0;)
            polygon << QPointF(xOf(band.time[i]), yOf(band.lower[i]));
        QColor fill = band.color;
        fill.setAlpha(60);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawPolygon(polygon);
        if (band.middle.size() >= n) {
            QPolygonF median;
            for (std::size_t i = 0; i < n; ++i)
                median << QPointF(xOf(band.time[i]), yOf(band.middle[i]));
            p.setPen(QPen(band.color, 1.5, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawPolyline(median);
        }
    }
    p.setBrush(Qt::NoBrush);
}

void PlotWidget::drawQualityLegend(QPainter &p, const QRect &area)
{
    // The flags present in the view, right-aligned under the time axis.
    const QFontMetrics fm(font());
    int x = area.right();
    const int y = area.bottom() + 6 + fm.height();
    const auto &styles = qualityStyles();
    for (auto it = styles.rbegin(); it != styles.rend(); ++it) {
        if (!(m_qualityInView & m_qualityMask & it->flag))
            continue;
        const QString name = tr(it->name);
        const int w = fm.horizontalAdvance(name);
        x -= w;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(x, y, w + 2, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
        x -= 14;
        p.fillRect(QRect(x, y + fm.height() / 2 - 4, 9, 9), it->color);
        x -= 12;
    }
    if (m_qualityInView & m_qualityMask) {
        const QString title = tr("Quality:");
        x -= fm.horizontalAdvance(title);
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRect(x, y, fm.horizontalAdvance(title) + 2, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, title);
    }
}

} // namespace twin::ui
