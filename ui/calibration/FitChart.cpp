#include "twin/ui/calibration/FitChart.h"

#include "twin/ui/plot/PlotAxes.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace twin::ui {

namespace {

constexpr double kLeft = 62, kRight = 10, kTop = 22, kGap = 10, kBottom = 20;
const QColor kObserved(40, 40, 40), kCalibrated(26, 95, 180), kBefore(190, 40, 40), kBand(26, 95, 180, 45),
    kFitWindow(26, 95, 180, 18), kHoldoutWindow(230, 140, 30, 30);

bool finite(double v)
{
    return std::isfinite(v);
}

} // namespace

FitChart::FitChart(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void FitChart::setSeries(const model::calibration::ReviewSeries &series, model::TimeNs start)
{
    m_series = series;
    m_start = start;
    m_first = series.t.empty() ? 0 : series.t.front();
    m_last = series.t.empty() ? 1 : std::max(series.t.back(), m_first + 1e-9);
    showAll();
}

void FitChart::setView(double t0, double t1)
{
    if (!(t1 > t0))
        return;
    m_t0 = t0;
    m_t1 = t1;
    update();
}

void FitChart::showAll()
{
    setView(m_first, m_last);
}

QRectF FitChart::overlayArea() const
{
    const double h = height() - kTop - kBottom - kGap;
    return {kLeft, kTop, std::max(10.0, width() - kLeft - kRight), std::max(10.0, h * 0.7)};
}

QRectF FitChart::residualArea() const
{
    const QRectF o = overlayArea();
    const double h = height() - kTop - kBottom - kGap;
    return {o.left(), o.bottom() + kGap, o.width(), std::max(10.0, h * 0.3)};
}

double FitChart::xOf(double t, const QRectF &area) const
{
    return area.left() + area.width() * (t - m_t0) / (m_t1 - m_t0);
}

double FitChart::tAt(double x, const QRectF &area) const
{
    return m_t0 + (x - area.left()) / area.width() * (m_t1 - m_t0);
}

// The values in view: the overlay's curves and band, or the residuals (symmetric around zero).
void FitChart::valueRange(bool residuals, double &lo, double &hi) const
{
    const auto &s = m_series;
    lo = INFINITY;
    hi = -INFINITY;
    auto take = [&](double v) {
        if (finite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    };
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        if (s.t[i] < m_t0 || s.t[i] > m_t1)
            continue;
        if (residuals) {
            const double r = s.observed[i] - s.simulated[i];
            take(r);
            take(-r);
            continue;
        }
        take(s.observed[i]);
        take(s.simulated[i]);
        for (const auto *v : {&s.before, &s.lower, &s.upper})
            if (!v->empty())
                take((*v)[i]);
    }
    if (!(hi >= lo)) {
        lo = -1;
        hi = 1;
    }
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi)))
        hi = lo + 1;
    niceValueRange(lo, hi);
}

void FitChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (m_series.t.empty()) {
        p.drawText(rect(), Qt::AlignCenter, tr("No series in this record"));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF overlay = overlayArea(), residual = residualArea();
    double lo, hi, rlo, rhi;
    valueRange(false, lo, hi);
    valueRange(true, rlo, rhi);
    const QString unit = unitSymbol(m_series.unit);
    drawWindows(p, overlay);
    drawWindows(p, residual);
    drawValueAxis(p, overlay, lo, hi,
                  QString::fromStdString(m_series.column) + (unit.isEmpty() ? "" : " [" + unit + "]"));
    drawValueAxis(p, residual, rlo, rhi, tr("residual"));
    p.save();
    p.setClipRect(overlay);
    drawOverlay(p, overlay, lo, hi);
    p.restore();
    p.save();
    p.setClipRect(residual);
    drawResiduals(p, residual, rlo, rhi);
    p.restore();
    drawTimeAxis(p, residual);
    drawLegend(p, overlay);
}

// Calibration (blue) and hold-out (orange) stretches of the observations as background bands.
void FitChart::drawWindows(QPainter &p, const QRectF &area) const
{
    const auto &s = m_series;
    std::size_t i = 0;
    while (i < s.t.size()) {
        const char kind = s.use[i];
        std::size_t j = i;
        while (j + 1 < s.t.size() && s.use[j + 1] == kind)
            ++j;
        if (kind == 'F' || kind == 'H') {
            const double x0 = std::max(area.left(), xOf(s.t[i], area)),
                         x1 = std::min(area.right(), xOf(s.t[j], area));
            if (x1 > x0)
                p.fillRect(QRectF(x0, area.top(), x1 - x0, area.height()),
                           kind == 'F' ? kFitWindow : kHoldoutWindow);
        }
        i = j + 1;
    }
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(Qt::NoBrush);
    p.drawRect(area);
}

void FitChart::drawOverlay(QPainter &p, const QRectF &area, double lo, double hi) const
{
    const auto &s = m_series;
    auto y = [&](double v) { return area.bottom() - area.height() * (v - lo) / (hi - lo); };
    // The band as one polygon per stretch of finite bounds.
    if (!s.lower.empty()) {
        QPainterPath band;
        std::vector<QPointF> upper;
        auto close = [&] {
            for (auto it = upper.rbegin(); it != upper.rend(); ++it)
                band.lineTo(*it);
            band.closeSubpath();
            upper.clear();
        };
        for (std::size_t i = 0; i < s.t.size(); ++i) {
            if (!finite(s.lower[i]) || !finite(s.upper[i])) {
                if (!upper.empty())
                    close();
                continue;
            }
            const double x = xOf(s.t[i], area);
            upper.empty() ? band.moveTo(x, y(s.lower[i])) : band.lineTo(x, y(s.lower[i]));
            upper.emplace_back(x, y(s.upper[i]));
        }
        if (!upper.empty())
            close();
        p.fillPath(band, kBand);
    }
    auto line = [&](const std::vector<double> &v, const QPen &pen) {
        QPainterPath path;
        bool open = false;
        for (std::size_t i = 0; i < s.t.size(); ++i) {
            if (!finite(v[i])) {
                open = false;
                continue;
            }
            const QPointF pt(xOf(s.t[i], area), y(v[i]));
            open ? path.lineTo(pt) : path.moveTo(pt);
            open = true;
        }
        p.strokePath(path, pen);
    };
    if (!s.before.empty())
        line(s.before, QPen(kBefore, 1.4, Qt::DashLine));
    // Observations as dots (lighter where many share a pixel, so the model line stays visible); excluded
    // ones hollow.
    std::size_t inView = 0;
    for (double t : s.t)
        inView += t >= m_t0 && t <= m_t1;
    const double perPixel = double(inView) / std::max(1.0, area.width());
    const double r = perPixel > 2 ? 1.1 : 1.8;
    const QColor dot(kObserved.red(), kObserved.green(), kObserved.blue(), perPixel > 2 ? 70 : 255);
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        if (!finite(s.observed[i]) || s.t[i] < m_t0 || s.t[i] > m_t1)
            continue;
        const QPointF c(xOf(s.t[i], area), y(s.observed[i]));
        if (s.use[i] == 'X') {
            p.setPen(QPen(kObserved, 0.8));
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(c, r + 1, r + 1);
        } else {
            p.setPen(Qt::NoPen);
            p.setBrush(dot);
            p.drawEllipse(c, r, r);
        }
    }
    line(s.simulated, QPen(kCalibrated, 2));
}

void FitChart::drawResiduals(QPainter &p, const QRectF &area, double lo, double hi) const
{
    const auto &s = m_series;
    auto y = [&](double v) { return area.bottom() - area.height() * (v - lo) / (hi - lo); };
    // +-2 standard deviations of the fitted residuals: most points inside, structure visible.
    double sum = 0, sq = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.t.size(); ++i)
        if (s.use[i] == 'F' && finite(s.observed[i] - s.simulated[i])) {
            const double r = s.observed[i] - s.simulated[i];
            sum += r;
            sq += r * r;
            ++n;
        }
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.drawLine(QPointF(area.left(), y(0)), QPointF(area.right(), y(0)));
    if (n > 1) {
        const double mean = sum / double(n), sd = std::sqrt(std::max(0.0, sq / double(n) - mean * mean));
        p.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DotLine));
        for (double v : {2 * sd, -2 * sd})
            p.drawLine(QPointF(area.left(), y(v)), QPointF(area.right(), y(v)));
    }
    p.setPen(Qt::NoPen);
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        const double r = s.observed[i] - s.simulated[i];
        if (!finite(r) || s.t[i] < m_t0 || s.t[i] > m_t1)
            continue;
        p.setBrush(s.use[i] == 'H'   ? QColor(200, 110, 20)
                   : s.use[i] == 'X' ? QColor(150, 150, 150)
                                     : kCalibrated);
        p.drawEllipse(QPointF(xOf(s.t[i], area), y(r)), 1.3, 1.3);
    }
}

void FitChart::drawValueAxis(QPainter &p, const QRectF &area, double lo, double hi,
                             const QString &label) const
{
    QFont font = p.font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    p.setFont(font);
    const auto ticks = niceValueTicks(lo, hi, std::max(2, int(area.height() / 28)));
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : hi - lo;
    for (double v : ticks) {
        const double y = area.bottom() - area.height() * (v - lo) / (hi - lo);
        p.setPen(QPen(palette().color(QPalette::Midlight), 1));
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(0, y - 8, area.left() - 4, 16), Qt::AlignRight | Qt::AlignVCenter,
                   formatValue(v, step));
    }
    p.save();
    p.translate(10, area.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-area.height() / 2, -9, area.height(), 14), Qt::AlignCenter,
               p.fontMetrics().elidedText(label, Qt::ElideRight, int(area.height())));
    p.restore();
}

void FitChart::drawTimeAxis(QPainter &p, const QRectF &area) const
{
    const auto toNs = [&](double t) { return m_start + model::TimeNs(std::llround(t * 1e9)); };
    QString context;
    const auto ticks = timeTicks(toNs(m_t0), toNs(m_t1), std::max(2, int(area.width() / 90)), &context);
    p.setPen(palette().color(QPalette::Text));
    for (const auto &tick : ticks) {
        const double x = xOf(double(tick.time - m_start) / 1e9, area);
        p.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + 3));
        p.drawText(QRectF(x - 45, area.bottom() + 3, 90, 14), Qt::AlignCenter, tick.label);
    }
    p.setPen(palette().color(QPalette::PlaceholderText));
    const QRectF overlay = overlayArea();
    p.drawText(QRectF(overlay.left(), overlay.top() - 20, overlay.width(), 16),
               Qt::AlignRight | Qt::AlignVCenter, context);
}

void FitChart::drawLegend(QPainter &p, const QRectF &area) const
{
    struct Item
    {
        QString text;
        QColor color;
        int kind; // 0 dot, 1 line, 2 dashed, 3 box
    };
    std::vector<Item> items = {{tr("observed"), kObserved, 0}, {tr("calibrated"), kCalibrated, 1}};
    if (!m_series.before.empty())
        items.push_back({tr("before"), kBefore, 2});
    if (!m_series.lower.empty())
        items.push_back({tr("95 % band"), QColor(26, 95, 180, 90), 3});
    items.push_back({tr("calibration"), QColor(26, 95, 180, 60), 3});
    items.push_back({tr("hold-out"), QColor(230, 140, 30, 90), 3});
    double x = area.left();
    const double y = area.top() - 11;
    p.setPen(palette().color(QPalette::Text));
    for (const Item &item : items) {
        if (x + 18 + p.fontMetrics().horizontalAdvance(item.text) > area.right() - 110)
            break; // the right end holds the date
        switch (item.kind) {
        case 0:
            p.setPen(Qt::NoPen);
            p.setBrush(item.color);
            p.drawEllipse(QPointF(x + 7, y), 2, 2);
            break;
        case 1:
        case 2:
            p.setPen(
                QPen(item.color, item.kind == 1 ? 2 : 1.4, item.kind == 1 ? Qt::SolidLine : Qt::DashLine));
            p.drawLine(QPointF(x, y), QPointF(x + 14, y));
            break;
        default:
            p.setPen(Qt::NoPen);
            p.setBrush(item.color);
            p.drawRect(QRectF(x + 1, y - 5, 12, 10));
        }
        p.setPen(palette().color(QPalette::Text));
        const int w = p.fontMetrics().horizontalAdvance(item.text);
        p.drawText(QRectF(x + 18, y - 8, w + 4, 16), Qt::AlignLeft | Qt::AlignVCenter, item.text);
        x += 18 + w + 14;
    }
}

QString FitChart::valuesAt(QPointF pos) const
{
    const QRectF overlay = overlayArea(), residual = residualArea();
    if (m_series.t.empty() || pos.x() < overlay.left() || pos.x() > overlay.right() ||
        !(overlay.contains(pos) || residual.contains(pos)))
        return {};
    const auto &s = m_series;
    const double t = tAt(pos.x(), overlay);
    const auto it = std::lower_bound(s.t.begin(), s.t.end(), t);
    std::size_t i = std::size_t(it - s.t.begin());
    if (i == s.t.size() || (i > 0 && t - s.t[i - 1] < s.t[i] - t))
        i = i == 0 ? 0 : i - 1;
    const auto value = [](double v) { return std::isfinite(v) ? QString::number(v, 'g', 6) : QString("—"); };
    const QString use = s.use[i] == 'F'   ? tr("calibration")
                        : s.use[i] == 'H' ? tr("hold-out")
                                          : tr("excluded");
    QString text =
        formatTimeUtc(m_start + model::TimeNs(std::llround(s.t[i] * 1e9)), 0) + " (" + use + ")\n" +
        tr("observed %1\ncalibrated %2\nresidual %3")
            .arg(value(s.observed[i]), value(s.simulated[i]), value(s.observed[i] - s.simulated[i]));
    if (!s.before.empty())
        text += "\n" + tr("before calibration %1").arg(value(s.before[i]));
    if (!s.lower.empty())
        text += "\n" + tr("95 % band %1 … %2").arg(value(s.lower[i]), value(s.upper[i]));
    return text;
}

bool FitChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = valuesAt(help->pos());
        text.isEmpty() ? QToolTip::hideText() : QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void FitChart::wheelEvent(QWheelEvent *event)
{
    const QRectF area = overlayArea();
    const double anchor = tAt(event->position().x(), area);
    const double factor = std::pow(0.85, event->angleDelta().y() / 120.0);
    const double span =
        std::clamp((m_t1 - m_t0) * factor, (m_last - m_first) * 1e-4, (m_last - m_first) * 1.5);
    const double share = (anchor - m_t0) / (m_t1 - m_t0);
    setView(anchor - share * span, anchor - share * span + span);
    event->accept();
}

void FitChart::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position();
    m_pressT0 = m_t0;
    m_pressT1 = m_t1;
}

void FitChart::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    const double dt =
        (event->position().x() - m_pressPos.x()) / overlayArea().width() * (m_pressT1 - m_pressT0);
    setView(m_pressT0 - dt, m_pressT1 - dt);
}

void FitChart::mouseDoubleClickEvent(QMouseEvent *)
{
    showAll();
}

} // namespace twin::ui
