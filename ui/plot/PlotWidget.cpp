#include "twin/ui/plot/PlotWidget.h"

#include "twin/ui/plot/PlotAxes.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace twin::ui {
using model::DecimatedBucket;
using model::TimeNs;

namespace {
constexpr int kLeft = 64, kRight = 14, kTop = 10, kBottom = 46;
constexpr int kLaneGap = 12;      // pixels between the lanes of different units
constexpr TimeNs kMinSpan = 1000; // 1 µs
constexpr TimeNs kMaxSpan = TimeNs(200) * 365 * 86400 * 1'000'000'000; // 200 years

bool hasValue(const DecimatedBucket &b)
{
    return b.count > 0 && !std::isnan(b.min) && !std::isnan(b.max);
}

std::uint16_t allQualityFlags()
{
    std::uint16_t mask = 0;
    for (const auto &s : qualityStyles())
        mask |= s.flag;
    return mask;
}
} // namespace

PlotWidget::PlotWidget(QWidget *parent) : QWidget(parent), m_qualityMask(allQualityFlags())
{
    setMinimumSize(320, 180);
    setMouseTracking(true);
    setFocusPolicy(Qt::WheelFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::CrossCursor);
}

PlotWidget::~PlotWidget() = default;

void PlotWidget::setStore(std::shared_ptr<const model::TimeSeriesStore> store)
{
    m_store = std::move(store);
    invalidate();
}

void PlotWidget::setSeries(std::vector<PlotSeries> series)
{
    const bool wasEmpty = m_series.empty();
    m_series = std::move(series);
    assignLanes();
    if (wasEmpty || !m_userView)
        fitAll();
    else
        invalidate();
}

void PlotWidget::setTimeRange(TimeNs t0, TimeNs t1)
{
    if (t1 - t0 < kMinSpan) {
        const TimeNs mid = t0 + (t1 - t0) / 2;
        t0 = mid - kMinSpan / 2;
        t1 = t0 + kMinSpan;
    }
    if (t1 - t0 > kMaxSpan)
        t1 = t0 + kMaxSpan;
    m_t0 = t0;
    m_t1 = t1;
    m_userView = true;
    invalidate();
    emit viewChanged();
}

void PlotWidget::setValueRange(double lo, double hi)
{
    setLaneValueRange(0, lo, hi);
}

void PlotWidget::setLaneValueRange(int lane, double lo, double hi)
{
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || lane < 0 || lane >= laneCount())
        return;
    Lane &l = m_lanes[std::size_t(lane)];
    l.y0 = lo;
    l.y1 = hi;
    l.autoY = false;
    update();
    emit viewChanged();
}

void PlotWidget::assignLanes()
{
    std::vector<Lane> lanes;
    // The lane of `unit`, created (keeping a range the user set on that unit's lane before) when asked.
    auto laneOf = [&](const std::string &unit, bool create) -> std::size_t {
        for (std::size_t i = 0; i < lanes.size(); ++i)
            if (lanes[i].unit == unit)
                return i;
        if (!create)
            return 0;
        Lane lane;
        lane.unit = unit;
        for (const Lane &old : m_lanes)
            if (old.unit == unit)
                lane = old;
        lanes.push_back(lane);
        return lanes.size() - 1;
    };
    m_seriesLane.clear();
    for (const PlotSeries &s : m_series)
        m_seriesLane.push_back(laneOf(s.unit, true));
    m_bandLane.clear();
    for (const PlotBand &b : m_bands)
        m_bandLane.push_back(laneOf(b.unit, m_series.empty()));
    if (lanes.empty())
        lanes.push_back(m_lanes.front().unit.empty() ? m_lanes.front() : Lane{});
    m_lanes = std::move(lanes);
}

void PlotWidget::dataTimeRange(TimeNs &first, TimeNs &last) const
{
    first = last = 0;
    bool any = false;
    if (!m_store)
        return;
    std::vector<model::SignalId> ids;
    for (const auto &s : m_series)
        ids.push_back(s.id);
    if (ids.empty()) // nothing plotted yet: frame the whole recording, not 1970
        for (model::SignalId id = 0; id < model::SignalId(m_store->signalCount()); ++id)
            ids.push_back(id);
    for (model::SignalId id : ids) {
        const auto stats = m_store->stats(id);
        if (stats.count == 0)
            continue;
        first = any ? std::min(first, stats.first) : stats.first;
        last = any ? std::max(last, stats.last) : stats.last;
        any = true;
    }
    for (const PlotBand &band : m_bands)
        if (!band.time.empty()) {
            first = any ? std::min(first, band.time.front()) : band.time.front();
            last = any ? std::max(last, band.time.back()) : band.time.back();
            any = true;
        }
}

void PlotWidget::fitAll()
{
    TimeNs first = 0, last = 0;
    dataTimeRange(first, last);
    if (last > first || first != 0) {
        const TimeNs span = std::max<TimeNs>(last - first, model::kNsPerSecond);
        m_t0 = first - span / 100;
        m_t1 = last + span / 100 + 1;
    }
    for (Lane &lane : m_lanes)
        lane.autoY = true;
    m_userView = false;
    invalidate();
    emit viewChanged();
}

void PlotWidget::setCursorTime(std::optional<TimeNs> time)
{
    if (time == m_cursor)
        return;
    m_cursor = time;
    update();
}

void PlotWidget::setQualityMask(std::uint16_t mask)
{
    m_qualityMask = mask;
    update();
}

void PlotWidget::refreshData()
{
    if (!m_userView) {
        std::vector<bool> autoY;
        for (const Lane &lane : m_lanes)
            autoY.push_back(lane.autoY);
        fitAll();
        for (std::size_t i = 0; i < m_lanes.size(); ++i)
            m_lanes[i].autoY = autoY[i];
    }
    invalidate();
}

void PlotWidget::invalidate()
{
    m_dirty = true;
    update();
}

QRect PlotWidget::plotArea() const
{
    return QRect(kLeft, kTop, std::max(10, width() - kLeft - kRight),
                 std::max(10, height() - kTop - kBottom));
}

TimeNs PlotWidget::timeAt(double x) const
{
    const QRect a = plotArea();
    return m_t0 + TimeNs(std::llround((x - a.left()) / a.width() * double(m_t1 - m_t0)));
}

double PlotWidget::xOf(TimeNs time) const
{
    const QRect a = plotArea();
    return a.left() + double(time - m_t0) / double(m_t1 - m_t0) * a.width();
}

QRect PlotWidget::laneArea(int lane) const
{
    const QRect a = plotArea();
    const int n = laneCount();
    if (n <= 1)
        return a;
    const int height = std::max(10, (a.height() - kLaneGap * (n - 1)) / n);
    const int top = a.top() + lane * (height + kLaneGap);
    return QRect(a.left(), top, a.width(), lane == n - 1 ? std::max(10, a.bottom() + 1 - top) : height);
}

int PlotWidget::laneAt(double y) const
{
    for (int lane = 0; lane < laneCount(); ++lane)
        if (y < laneArea(lane).bottom() + kLaneGap / 2.0)
            return lane;
    return laneCount() - 1;
}

double PlotWidget::yOf(double value, int lane) const
{
    const QRect a = laneArea(lane);
    const Lane &l = m_lanes[std::size_t(lane)];
    return a.top() + (l.y1 - value) / (l.y1 - l.y0) * a.height();
}

double PlotWidget::valueAt(double y) const
{
    const QRect a = laneArea(0);
    const Lane &l = m_lanes.front();
    return l.y1 - (y - a.top()) / a.height() * (l.y1 - l.y0);
}

void PlotWidget::ensureData()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    m_stats = {};
    m_qualityInView = 0;
    m_data.assign(m_series.size(), {});
    const std::size_t buckets = std::size_t(plotArea().width()); // one per pixel column
    std::vector<double> lo(m_lanes.size(), INFINITY), hi(m_lanes.size(), -INFINITY);
    for (std::size_t i = 0; i < m_series.size() && m_store; ++i) {
        const std::size_t lane = m_seriesLane[i];
        m_data[i].buckets = m_store->decimate(m_series[i].id, m_t0, m_t1, buckets);
        ++m_stats.decimateCalls;
        m_stats.maxBuckets = std::max(m_stats.maxBuckets, buckets);
        m_stats.totalBuckets += buckets;
        for (const auto &b : m_data[i].buckets) {
            m_stats.samplesCovered += b.count;
            m_qualityInView |= b.quality;
            if (hasValue(b)) {
                lo[lane] = std::min(lo[lane], b.min);
                hi[lane] = std::max(hi[lane], b.max);
            }
        }
    }
    for (std::size_t k = 0; k < m_bands.size(); ++k) {
        const PlotBand &band = m_bands[k];
        const std::size_t lane = m_bandLane[k];
        for (std::size_t i = 0; i < band.time.size(); ++i)
            if (band.time[i] >= m_t0 && band.time[i] < m_t1 && i < band.lower.size() &&
                i < band.upper.size()) {
                lo[lane] = std::min(lo[lane], band.lower[i]);
                hi[lane] = std::max(hi[lane], band.upper[i]);
            }
    }
    const int rowHeight = QFontMetrics(font()).height() + 2;
    for (std::size_t lane = 0; lane < m_lanes.size(); ++lane) {
        Lane &l = m_lanes[lane];
        if (!l.autoY || !(lo[lane] <= hi[lane]))
            continue;
        niceValueRange(lo[lane], hi[lane]);
        // Headroom for the lane's legend box in its top-left corner, so that it never hides data.
        const QRect area = laneArea(int(lane));
        const auto rows = std::count(m_seriesLane.begin(), m_seriesLane.end(), lane) +
                          std::count(m_bandLane.begin(), m_bandLane.end(), lane);
        const int legend = m_series.empty() ? 0 : 16 + int(rows) * rowHeight;
        if (legend < area.height() / 2)
            hi[lane] += (hi[lane] - lo[lane]) * double(legend) / double(area.height() - legend);
        l.y0 = lo[lane];
        l.y1 = hi[lane];
    }
}

void PlotWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    invalidate();
}

void PlotWidget::paintEvent(QPaintEvent *)
{
    ensureData();
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base).lightness() > 128 ? QColor(250, 250, 251)
                                                                         : QColor(30, 32, 36));
    const QRect area = plotArea();
    for (int lane = 0; lane < laneCount(); ++lane)
        p.fillRect(laneArea(lane), palette().color(QPalette::Base));
    drawAxes(p, area);
    p.save();
    p.setClipRect(area.adjusted(0, 0, 1, 1));
    for (const auto &h : m_highlights) {
        const double x0 = std::max<double>(area.left(), xOf(h.from)),
                     x1 = std::min<double>(area.right(), xOf(h.to));
        for (int lane = 0; lane < laneCount() && x1 > x0; ++lane) {
            const QRect a = laneArea(lane);
            p.fillRect(QRectF(x0, a.top(), x1 - x0, a.height()), h.color);
        }
    }
    drawBands(p, area);
    drawSeries(p, area);
    drawQuality(p, area);
    drawCursorAndSelection(p, area);
    p.restore();
    p.setPen(palette().color(QPalette::Mid));
    p.setBrush(Qt::NoBrush);
    for (int lane = 0; lane < laneCount(); ++lane)
        p.drawRect(laneArea(lane));
    drawLegend(p, area);
    drawQualityLegend(p, area);
}

QString PlotWidget::toolTipAt(QPoint pos)
{
    ensureData();
    const QRect area = plotArea();
    if (!area.contains(pos) || m_data.empty())
        return {};
    const int column = pos.x() - area.left();
    const int lane = laneAt(pos.y());
    // The series of the lane under the mouse whose value at this column is nearest to it (look one pixel
    // either side).
    const DecimatedBucket *best = nullptr;
    std::size_t bestSeries = 0;
    double bestDistance = 24;
    for (std::size_t i = 0; i < m_data.size(); ++i) {
        if (int(m_seriesLane[i]) != lane)
            continue;
        for (int k : {column, column - 1, column + 1}) {
            if (k < 0 || std::size_t(k) >= m_data[i].buckets.size() ||
                !hasValue(m_data[i].buckets[size_t(k)]))
                continue;
            const auto &b = m_data[i].buckets[std::size_t(k)];
            const double d = std::max(0.0, std::max(yOf(b.max, lane) - pos.y(), pos.y() - yOf(b.min, lane)));
            if (d < bestDistance) {
                bestDistance = d;
                best = &b;
                bestSeries = i;
            }
        }
    }
    if (!best)
        return {};
    const auto &s = m_series[bestSeries];
    const QString unit = s.unit.empty() ? QString() : QStringLiteral(" ") + unitSymbol(s.unit);
    QString text = QStringLiteral("<b>%1</b><br>").arg(s.label.toHtmlEscaped());
    const TimeNs span = m_t1 - m_t0;
    if (best->count == 1)
        text += formatTimeUtc(best->firstTime, span) + QStringLiteral("<br>%1%2").arg(best->last).arg(unit);
    else
        text += tr("%1 … %2<br>%3 samples, min %4, max %5, last %6%7")
                    .arg(formatTimeUtc(best->firstTime, span), formatTimeUtc(best->lastTime, span))
                    .arg(best->count)
                    .arg(best->min)
                    .arg(best->max)
                    .arg(best->last)
                    .arg(unit);
    QStringList flags;
    for (const auto &q : qualityStyles())
        if (best->quality & q.flag)
            flags << tr(q.name);
    if (!flags.isEmpty())
        text += QStringLiteral("<br><i>%1</i>").arg(flags.join(QStringLiteral(", ")));
    return text;
}

bool PlotWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void PlotWidget::zoomTime(double factor, double anchorX)
{
    const TimeNs anchor = timeAt(anchorX);
    const double span = double(m_t1 - m_t0) * factor;
    const double left = double(anchor - m_t0) * factor;
    const TimeNs t0 = anchor - TimeNs(std::llround(left));
    setTimeRange(t0, t0 + std::max<TimeNs>(kMinSpan, TimeNs(std::llround(span))));
}

void PlotWidget::zoomValue(double factor, double anchorY)
{
    const int lane = laneAt(anchorY);
    const Lane &l = m_lanes[std::size_t(lane)];
    const QRect a = laneArea(lane);
    const double anchor = l.y1 - (anchorY - a.top()) / a.height() * (l.y1 - l.y0);
    setLaneValueRange(lane, anchor - (anchor - l.y0) * factor, anchor + (l.y1 - anchor) * factor);
}

void PlotWidget::panTime(double dx)
{
    const TimeNs shift = TimeNs(std::llround(dx / plotArea().width() * double(m_pressT1 - m_pressT0)));
    setTimeRange(m_pressT0 - shift, m_pressT1 - shift);
}

void PlotWidget::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    const double steps = (delta.y() != 0 ? delta.y() : delta.x()) / 120.0;
    if (steps == 0)
        return;
    const double factor = std::pow(0.8, steps);
    const QPointF pos = event->position();
    if (event->modifiers() & Qt::ControlModifier) {
        zoomValue(factor, pos.y());
    } else if ((event->modifiers() & Qt::ShiftModifier) || delta.y() == 0) {
        const TimeNs shift = TimeNs(double(m_t1 - m_t0) * 0.1 * steps);
        setTimeRange(m_t0 - shift, m_t1 - shift);
    } else {
        zoomTime(factor, pos.x());
    }
    event->accept();
}

void PlotWidget::mousePressEvent(QMouseEvent *event)
{
    if (!plotArea().contains(event->pos()))
        return;
    m_pressPos = m_dragPos = event->pos();
    m_pressT0 = m_t0;
    m_pressT1 = m_t1;
    const bool select = event->button() == Qt::RightButton ||
                        (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    m_drag = select ? Drag::Select : event->button() == Qt::LeftButton ? Drag::PanOrClick : Drag::None;
}

void PlotWidget::mouseMoveEvent(QMouseEvent *event)
{
    m_dragPos = event->pos();
    if (m_drag == Drag::PanOrClick && (event->pos() - m_pressPos).manhattanLength() > 3) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    }
    if (m_drag == Drag::Pan)
        panTime(event->pos().x() - m_pressPos.x());
    else if (m_drag == Drag::Select)
        update();
}

void PlotWidget::mouseReleaseEvent(QMouseEvent *event)
{
    const Drag drag = m_drag;
    m_drag = Drag::None;
    setCursor(Qt::CrossCursor);
    if (drag == Drag::PanOrClick) {
        emit seekRequested(timeAt(event->pos().x()));
    } else if (drag == Drag::Select) {
        const int a = std::min(m_pressPos.x(), event->pos().x()),
                  b = std::max(m_pressPos.x(), event->pos().x());
        if (b - a >= 4 && m_pickRange) {
            m_pickRange = false;
            emit rangePicked(timeAt(a), timeAt(b));
        } else if (b - a >= 4) {
            setTimeRange(timeAt(a), timeAt(b));
        }
        update();
    }
}

void PlotWidget::setHighlights(std::vector<PlotHighlight> highlights)
{
    m_highlights = std::move(highlights);
    update();
}

void PlotWidget::setBands(std::vector<PlotBand> bands)
{
    m_bands = std::move(bands);
    assignLanes();
    invalidate();
}

void PlotWidget::mouseDoubleClickEvent(QMouseEvent *)
{
    m_drag = Drag::None;
    fitAll();
}

} // namespace twin::ui
