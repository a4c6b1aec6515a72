#pragma once
// A fast time-series plot over the project's TimeSeriesStore. Every repaint asks the store for one decimated
// bucket per pixel column (min/max/first/last + OR of quality flags): the cost depends on the width, never
// on the number of samples, so 10 million points per series pan and zoom like ten thousand.
//
// Interaction: wheel zooms time around the mouse, Ctrl+wheel zooms values, Shift+wheel pans; drag pans;
// right-drag (or Shift+drag) selects a time range to zoom into, or in range-pick mode hands it to the caller
// (rangePicked: calibration windows); a click asks for a seek (seekRequested); double click fits everything.
// The vertical cursor shows the replay/live clock (setCursorTime); highlighted time bands (setHighlights)
// are drawn under the series; value bands (setBands: a forecast's 5-95 % range and median) over them.
//
// Series of different units never share a value axis: each unit gets a lane of its own, stacked over one
// time axis, with its own value axis, unit label, legend and value range (Ctrl+wheel zooms the lane under
// the mouse). The single-lane accessors (valueMin, yOf, setValueRange, ...) are those of the first lane.
//
// Threads: GUI thread only. The store is shared and locks internally.
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QColor>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

namespace twin::ui {

struct PlotHighlight
{
    model::TimeNs from = 0, to = 0;
    QColor color;
};

// A band of values over time (a forecast: lower and upper quantiles, and the median as a dashed line).
struct PlotBand
{
    std::vector<model::TimeNs> time;
    std::vector<double> lower, middle, upper; // per time; middle may be empty
    QColor color;
    QString label;    // in the legend
    std::string unit; // drawn in the lane of this unit (the first lane when no series has it)
};

struct PlotSeries
{
    model::SignalId id = 0;
    QString label; // e.g. "Pump P-102 · dischargePressure"
    std::string unit;
    QColor color;
};

// What the last data query did (for tests and diagnostics): calls to decimate and their bucket counts.
struct PlotQueryStats
{
    int decimateCalls = 0;
    std::size_t maxBuckets = 0;
    std::size_t totalBuckets = 0;
    std::uint64_t samplesCovered = 0; // sum of bucket counts: samples summarised, not iterated
};

class PlotWidget : public QWidget
{
    Q_OBJECT
public:
    explicit PlotWidget(QWidget *parent = nullptr);
    ~PlotWidget() override;

    void setStore(std::shared_ptr<const model::TimeSeriesStore> store); // may be null
    void setSeries(std::vector<PlotSeries> series);                     // fits the view if it was empty
    const std::vector<PlotSeries> &series() const { return m_series; }

    void setTimeRange(model::TimeNs t0, model::TimeNs t1); // the view: [t0, t1)
    model::TimeNs viewStart() const { return m_t0; }
    model::TimeNs viewEnd() const { return m_t1; }
    void setValueRange(double lo, double hi); // the first lane's; turns its automatic value scaling off
    double valueMin(int lane = 0) const { return m_lanes[std::size_t(lane)].y0; }
    double valueMax(int lane = 0) const { return m_lanes[std::size_t(lane)].y1; }
    bool autoValueRange() const { return m_lanes.front().autoY; }
    // Lanes: one per unit of the shown series, top to bottom in the order the units first appear.
    int laneCount() const { return int(m_lanes.size()); }
    const std::string &laneUnit(int lane) const { return m_lanes[std::size_t(lane)].unit; }
    QRect laneArea(int lane) const;
    int laneAt(double y) const; // the lane at (or nearest to) a widget y
    int laneOfSeries(std::size_t series) const { return int(m_seriesLane[series]); }
    void fitAll(); // whole recorded range of the shown series, automatic value scaling

    void setCursorTime(std::optional<model::TimeNs> time); // nullopt hides the cursor
    std::optional<model::TimeNs> cursorTime() const { return m_cursor; }
    void setQualityMask(std::uint16_t mask); // flags drawn (default: all in qualityStyles())
    void setHighlights(std::vector<PlotHighlight> highlights);
    const std::vector<PlotHighlight> &highlights() const { return m_highlights; }
    // Drawn over the highlights and under the series; they count in the automatic value range and in
    // fitAll's time range (a forecast reaches past the data).
    void setBands(std::vector<PlotBand> bands);
    const std::vector<PlotBand> &bands() const { return m_bands; }
    // On: a right-drag / Shift+drag emits rangePicked instead of zooming (once; then off again).
    void setRangePickMode(bool on) { m_pickRange = on; }
    bool rangePickMode() const { return m_pickRange; }
    // The store changed (an import, live data): query again. Follows new data unless the user zoomed.
    void refreshData();

    QRect plotArea() const;
    model::TimeNs timeAt(double x) const;
    double xOf(model::TimeNs time) const;
    double yOf(double value) const { return yOf(value, 0); }
    double yOf(double value, int lane) const;
    double valueAt(double y) const; // in the first lane
    const PlotQueryStats &lastQueryStats() const { return m_stats; }
    // The hover text at a widget position ("" outside the plot or over no data).
    QString toolTipAt(QPoint pos);

signals:
    void seekRequested(model::TimeNs time);
    void rangePicked(model::TimeNs from, model::TimeNs to);
    void viewChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    struct SeriesData
    {
        std::vector<model::DecimatedBucket> buckets;
    };
    struct Lane
    {
        std::string unit;
        double y0 = 0, y1 = 1;
        bool autoY = true;
    };
    void assignLanes();
    void setLaneValueRange(int lane, double lo, double hi);
    void invalidate();
    void ensureData();
    void dataTimeRange(model::TimeNs &first, model::TimeNs &last) const;
    void zoomTime(double factor, double anchorX);
    void zoomValue(double factor, double anchorY);
    void panTime(double dx);

    void drawAxes(QPainter &p, const QRect &area);
    void drawValueAxis(QPainter &p, int lane);
    void drawLaneLegend(QPainter &p, int lane);
    void drawSeries(QPainter &p, const QRect &area);
    void drawBands(QPainter &p, const QRect &area);
    void drawQuality(QPainter &p, const QRect &area);
    void drawLegend(QPainter &p, const QRect &area);
    void drawQualityLegend(QPainter &p, const QRect &area);
    void drawCursorAndSelection(QPainter &p, const QRect &area);

    std::shared_ptr<const model::TimeSeriesStore> m_store;
    std::vector<PlotSeries> m_series;
    std::vector<SeriesData> m_data; // index = series; valid when !m_dirty
    bool m_dirty = true;
    PlotQueryStats m_stats;
    std::uint16_t m_qualityInView = 0;

    model::TimeNs m_t0 = 0, m_t1 = 3600 * model::kNsPerSecond;
    std::vector<Lane> m_lanes{Lane{}};     // at least one
    std::vector<std::size_t> m_seriesLane; // index = series
    std::vector<std::size_t> m_bandLane;   // index = band
    bool m_userView = false;               // zoomed/panned by the user: new data does not move the view
    std::optional<model::TimeNs> m_cursor;
    std::vector<PlotHighlight> m_highlights;
    std::vector<PlotBand> m_bands;
    bool m_pickRange = false;
    std::uint16_t m_qualityMask;

    enum class Drag
    {
        None,
        PanOrClick,
        Pan,
        Select
    } m_drag = Drag::None;
    QPoint m_pressPos, m_dragPos;
    model::TimeNs m_pressT0 = 0, m_pressT1 = 0;
};

} // namespace twin::ui
