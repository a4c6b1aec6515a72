// The plot dock: draws 10 million points per series through decimation (one bucket per pixel column),
// zooms and pans, shows quality flags and the shared time cursor; and a screenshot of the workbench with the
// demo's pump pressures around the fault episode (written to $TWIN_PLOT_SCREENSHOT when set).
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/telemetry/TelemetryIngest.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/assets/AssetTreePanel.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/document/SelectionModel.h"
#include "twin/ui/plot/PlotAxes.h"
#include "twin/ui/plot/PlotPanel.h"
#include "twin/ui/plot/PlotWidget.h"
#include "twin/ui/shell/MainWindow.h"
#include "twin/ui/telemetry/TelemetrySession.h"

#include <QDockWidget>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace twin;
using model::kNsPerSecond;
using model::TimeNs;

namespace {
constexpr TimeNs kStart = 1767592800LL * kNsPerSecond; // 2026-01-05T06:00:00Z
constexpr TimeNs kStep = 1'000'000;                    // 1 ms
constexpr std::size_t kPoints = 10'000'000;

// A signal of n samples every kStep; value(i) gives the value, quality(i) the flags.
template <typename V, typename Q>
model::SignalId fill(model::TimeSeriesStore &store, const std::string &name, std::size_t n, V value,
                     Q quality)
{
    const model::SignalId id = store.addSignal({1, name}, "bar");
    std::vector<model::Sample> batch;
    batch.reserve(1 << 20);
    for (std::size_t i = 0; i < n; ++i) {
        batch.push_back({kStart + TimeNs(i) * kStep, 0, value(i), quality(i)});
        if (batch.size() == batch.capacity() || i + 1 == n) {
            store.append(id, batch);
            batch.clear();
        }
    }
    return id;
}

bool near(QColor a, QColor b, int tolerance = 40)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <=
           tolerance;
}

// Columns of the plot area (inside the frame) in which row y has colour c.
int columnsWithColor(const QImage &image, const QRect &area, int y, QColor c)
{
    int n = 0;
    for (int x = area.left() + 2; x < area.right() - 1; ++x)
        for (int dy = -1; dy <= 1; ++dy)
            if (near(image.pixelColor(x, y + dy), c)) {
                ++n;
                break;
            }
    return n;
}

void sendMouse(QWidget *w, QEvent::Type type, QPoint pos, Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}
} // namespace

class TestPlot : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void niceTicks_data();
    void niceTicks();
    void timeTicksAreRoundUtc();
    void tenMillionPointsDrawTheLineWhereExpected();
    void unitsGetLanesOfTheirOwn();
    void paintQueriesOneBucketPerPixelColumn();
    void wheelZoomsAndDragPans();
    void rightDragSelectsARange();
    void qualityFlagsAreMarked();
    void cursorAndClickToSeek();
    void workbenchScreenshot();

private:
    std::shared_ptr<model::TimeSeriesStore> m_store;
    model::SignalId m_constant = 0, m_flagged = 0;
};

void TestPlot::initTestCase()
{
    qputenv("TWIN_NO_PROMPTS", "1");
    QCoreApplication::setOrganizationName("TwinworksPlotTest");
    m_store = std::make_shared<model::TimeSeriesStore>();
    m_constant = fill(
        *m_store, "constant", kPoints, [](std::size_t) { return 5.0; },
        [](std::size_t) { return std::uint16_t(0); });
    // A sine with late samples around 25 % and out-of-range ones around 75 % of the range.
    m_flagged = fill(
        *m_store, "flagged", kPoints, [](std::size_t i) { return 5.0 + 3.0 * std::sin(double(i) * 1e-6); },
        [](std::size_t i) -> std::uint16_t {
            if (i >= kPoints / 4 && i < kPoints / 4 + 5)
                return model::QualityLate;
            if (i >= kPoints * 3 / 4 && i < kPoints * 3 / 4 + 5)
                return model::QualityOutOfRange;
            return 0;
        });
    QCOMPARE(m_store->sampleCount(), std::uint64_t(2 * kPoints));
}

void TestPlot::niceTicks_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<QList<double>>("ticks");
    QTest::newRow("0..10") << 0.0 << 10.0 << QList<double>{0, 2, 4, 6, 8, 10};
    QTest::newRow("-1..1") << -1.0 << 1.0 << QList<double>{-1, -0.5, 0, 0.5, 1};
    QTest::newRow("3.2..4.7") << 3.2 << 4.7 << QList<double>{3.25, 3.5, 3.75, 4.0, 4.25, 4.5};
}

void TestPlot::niceTicks()
{
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(QList<double>, ticks);
    const auto got = ui::niceValueTicks(lo, hi, 6);
    QCOMPARE(int(got.size()), int(ticks.size()));
    for (int i = 0; i < ticks.size(); ++i)
        QVERIFY2(std::abs(got[size_t(i)] - ticks[i]) < 1e-9, qPrintable(QString::number(got[size_t(i)])));
}

void TestPlot::timeTicksAreRoundUtc()
{
    QString context;
    const auto ticks =
        ui::timeTicks(kStart + 7 * kNsPerSecond, kStart + 2 * 3600 * kNsPerSecond, 8, &context);
    QVERIFY(!ticks.empty());
    QCOMPARE(ticks.front().label, QString("06:15"));
    QCOMPARE(context, QString("2026-01-05 UTC"));
    for (const auto &t : ticks)
        QCOMPARE(t.time % (15 * 60 * kNsPerSecond), TimeNs(0));
    const auto fine = ui::timeTicks(kStart, kStart + 2 * kNsPerSecond, 8);
    QCOMPARE(fine[1].label, QString("06:00:00.500"));
    QCOMPARE(ui::formatValue(3.25, 0.25), QString("3.25"));
    QCOMPARE(ui::formatValue(4, 0.5), QString("4.0"));
    QCOMPARE(ui::formatValue(120, 20), QString("120"));
}

void TestPlot::tenMillionPointsDrawTheLineWhereExpected()
{
    ui::PlotWidget plot;
    plot.resize(800, 400);
    plot.setStore(m_store);
    plot.setSeries({{m_constant, "constant", "bar", QColor(200, 0, 0)}});
    plot.setValueRange(0, 10);
    const QImage image = plot.grab().toImage();
    const QRect area = plot.plotArea();
    const int row = int(std::lround(plot.yOf(5.0)));
    QCOMPARE(row, area.top() + area.height() / 2);
    // The constant line covers (almost) the whole width at its row, and nowhere else.
    QVERIFY2(columnsWithColor(image, area, row, QColor(200, 0, 0)) > area.width() * 9 / 10,
             qPrintable(QString::number(columnsWithColor(image, area, row, QColor(200, 0, 0)))));
    QCOMPARE(columnsWithColor(image, area, int(plot.yOf(8.0)), QColor(200, 0, 0)), 0);
    QCOMPARE(columnsWithColor(image, area, int(plot.yOf(2.0)), QColor(200, 0, 0)), 0);
}

// Count of pixels of colour c inside rect r.
int pixelsWithColor(const QImage &image, const QRect &r, QColor c)
{
    int n = 0;
    for (int y = r.top() + 1; y < r.bottom(); ++y)
        for (int x = r.left() + 1; x < r.right(); ++x)
            n += near(image.pixelColor(x, y), c, 20);
    return n;
}

void TestPlot::unitsGetLanesOfTheirOwn()
{
    // Two units: two lanes stacked over one time axis, each series drawn in its own lane only, each lane
    // with its own value range; one unit: one lane.
    ui::PlotWidget plot;
    plot.resize(800, 500);
    plot.setStore(m_store);
    const QColor red(200, 0, 0), blue(0, 0, 200);
    plot.setSeries({{m_constant, "constant", "bar", red}, {m_flagged, "flagged", "degreeCelsius", blue}});
    QCOMPARE(plot.laneCount(), 2);
    QCOMPARE(plot.laneUnit(0), std::string("bar"));
    QCOMPARE(plot.laneUnit(1), std::string("degreeCelsius"));
    QCOMPARE(plot.laneOfSeries(0), 0);
    QCOMPARE(plot.laneOfSeries(1), 1);
    const QRect top = plot.laneArea(0), bottom = plot.laneArea(1);
    QVERIFY(top.bottom() < bottom.top());
    QVERIFY(plot.plotArea().contains(top) && plot.plotArea().contains(bottom));
    const QImage image = plot.grab().toImage();
    QVERIFY(pixelsWithColor(image, top, red) > top.width() / 2);
    QCOMPARE(pixelsWithColor(image, top, blue), 0);
    QVERIFY(pixelsWithColor(image, bottom, blue) > bottom.width() / 2);
    QCOMPARE(pixelsWithColor(image, bottom, red), 0);
    // the constant 5 bar sits inside the top lane's range, the sine's 2..8 inside the bottom one's
    QVERIFY(plot.valueMin(0) <= 5 && plot.valueMax(0) >= 5);
    QVERIFY(plot.valueMin(1) <= 2.1 && plot.valueMax(1) >= 7.9);
    // Ctrl+wheel over the bottom lane zooms its values only.
    const double top0 = plot.valueMin(0), top1 = plot.valueMax(0);
    const double span = plot.valueMax(1) - plot.valueMin(1);
    QWheelEvent wheel(QPointF(bottom.center()), plot.mapToGlobal(bottom.center()), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&plot, &wheel);
    QVERIFY(plot.valueMax(1) - plot.valueMin(1) < span * 0.9);
    QCOMPARE(plot.valueMin(0), top0);
    QCOMPARE(plot.valueMax(0), top1);
    QVERIFY(plot.autoValueRange()); // the first lane's
    // The tooltip names the series of the lane under the mouse.
    QVERIFY(plot.toolTipAt(QPoint(top.center().x(), int(plot.yOf(5.0, 0)))).contains("constant"));
    // One unit: one lane, the whole plot area.
    plot.setSeries({{m_constant, "constant", "bar", red}, {m_flagged, "flagged", "bar", blue}});
    QCOMPARE(plot.laneCount(), 1);
    QCOMPARE(plot.laneArea(0), plot.plotArea());
}

void TestPlot::paintQueriesOneBucketPerPixelColumn()
{
    // Evidence that a paint never walks the samples: the widget asks decimate() for exactly one bucket per
    // pixel column per series, whether the store holds 10 M samples or 1 000.
    ui::PlotWidget plot;
    plot.resize(900, 300);
    plot.setStore(m_store);
    plot.setSeries({{m_constant, "a", "bar", Qt::red}, {m_flagged, "b", "bar", Qt::blue}});
    plot.grab();
    const auto big = plot.lastQueryStats();
    QCOMPARE(big.decimateCalls, 2);
    QCOMPARE(big.maxBuckets, std::size_t(plot.plotArea().width()));
    QCOMPARE(big.totalBuckets, std::size_t(2 * plot.plotArea().width()));
    QCOMPARE(big.samplesCovered, std::uint64_t(2 * kPoints)); // everything summarised by those buckets

    auto small = std::make_shared<model::TimeSeriesStore>();
    const auto id = fill(
        *small, "small", 1000, [](std::size_t) { return 1.0; }, [](std::size_t) { return std::uint16_t(0); });
    plot.setStore(small);
    plot.setSeries({{id, "a", "bar", Qt::red}, {id, "b", "bar", Qt::blue}});
    plot.grab();
    QCOMPARE(plot.lastQueryStats().totalBuckets, big.totalBuckets);
    // A repaint without a view change does not query again (hover, cursor moves).
    plot.setCursorTime(kStart);
    plot.repaint();
    QCOMPARE(plot.lastQueryStats().samplesCovered, std::uint64_t(2000));
}

void TestPlot::wheelZoomsAndDragPans()
{
    ui::PlotWidget plot;
    plot.resize(800, 400);
    plot.setStore(m_store);
    plot.setSeries({{m_constant, "constant", "bar", Qt::red}});
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    const TimeNs span0 = plot.viewEnd() - plot.viewStart();
    QVERIFY(plot.viewStart() <= kStart && plot.viewEnd() >= kStart + TimeNs(kPoints - 1) * kStep);
    const QPoint center = plot.plotArea().center();
    const TimeNs anchor = plot.timeAt(center.x());
    QWheelEvent wheel(center, plot.mapToGlobal(center), {}, {0, 240}, Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(&plot, &wheel);
    const TimeNs span1 = plot.viewEnd() - plot.viewStart();
    QVERIFY2(span1 < span0 * 7 / 10, "wheel up zooms in");
    QVERIFY(std::abs(plot.timeAt(center.x()) - anchor) < span1 / 100); // around the mouse
    // Ctrl+wheel zooms the values only.
    const double y0 = plot.valueMin(), y1 = plot.valueMax();
    QWheelEvent ctrlWheel(center, plot.mapToGlobal(center), {}, {0, 120}, Qt::NoButton, Qt::ControlModifier,
                          Qt::NoScrollPhase, false);
    QApplication::sendEvent(&plot, &ctrlWheel);
    QVERIFY(plot.valueMax() - plot.valueMin() < (y1 - y0) * 0.9);
    QCOMPARE(plot.viewEnd() - plot.viewStart(), span1);
    // Drag 100 px to the right: the view moves 100 px worth of time earlier.
    const TimeNs start1 = plot.viewStart();
    const TimeNs perPixel = span1 / plot.plotArea().width();
    sendMouse(&plot, QEvent::MouseButtonPress, center, Qt::LeftButton, Qt::LeftButton);
    sendMouse(&plot, QEvent::MouseMove, center + QPoint(50, 0), Qt::NoButton, Qt::LeftButton);
    sendMouse(&plot, QEvent::MouseMove, center + QPoint(100, 0), Qt::NoButton, Qt::LeftButton);
    sendMouse(&plot, QEvent::MouseButtonRelease, center + QPoint(100, 0), Qt::LeftButton, Qt::NoButton);
    QVERIFY(std::abs((start1 - plot.viewStart()) - 100 * perPixel) < 2 * perPixel);
    QCOMPARE(plot.viewEnd() - plot.viewStart(), span1);
    // Double click fits everything again.
    QTest::mouseDClick(&plot, Qt::LeftButton, {}, center);
    QCOMPARE(plot.viewEnd() - plot.viewStart(), span0);
    QVERIFY(plot.autoValueRange());
}

void TestPlot::rightDragSelectsARange()
{
    ui::PlotWidget plot;
    plot.resize(800, 400);
    plot.setStore(m_store);
    plot.setSeries({{m_constant, "constant", "bar", Qt::red}});
    const QRect area = plot.plotArea();
    const QPoint a(area.left() + 100, area.center().y()), b(area.left() + 300, area.center().y());
    const TimeNs ta = plot.timeAt(a.x()), tb = plot.timeAt(b.x());
    sendMouse(&plot, QEvent::MouseButtonPress, a, Qt::RightButton, Qt::RightButton);
    sendMouse(&plot, QEvent::MouseMove, b, Qt::NoButton, Qt::RightButton);
    sendMouse(&plot, QEvent::MouseButtonRelease, b, Qt::RightButton, Qt::NoButton);
    QCOMPARE(plot.viewStart(), ta);
    QCOMPARE(plot.viewEnd(), tb);
}

void TestPlot::qualityFlagsAreMarked()
{
    ui::PlotWidget plot;
    plot.resize(1000, 400);
    plot.setStore(m_store);
    plot.setSeries({{m_flagged, "flagged", "bar", QColor(31, 119, 180)}});
    const QImage image = plot.grab().toImage();
    const QRect area = plot.plotArea();
    const QColor late = ui::dominantQuality(model::QualityLate, 0xffff)->color;
    const QColor range = ui::dominantQuality(model::QualityOutOfRange, 0xffff)->color;
    auto colourNear = [&](TimeNs t, QColor c) {
        const int x = int(std::lround(plot.xOf(t)));
        for (int y = area.top(); y <= area.bottom(); ++y)
            for (int dx = -3; dx <= 3; ++dx)
                if (near(image.pixelColor(x + dx, y), c, 24))
                    return true;
        return false;
    };
    const TimeNs lateTime = kStart + TimeNs(kPoints / 4) * kStep;
    const TimeNs rangeTime = kStart + TimeNs(kPoints * 3 / 4) * kStep;
    QVERIFY(colourNear(lateTime, late));
    QVERIFY(colourNear(rangeTime, range));
    QVERIFY(!colourNear(rangeTime, late)); // each flag where its samples are
    QVERIFY(!colourNear(kStart + TimeNs(kPoints / 2) * kStep, late));
    // The hover text names the flag (the flagged samples sit at a bucket edge: look one column either side).
    QString tip;
    for (int x = int(plot.xOf(lateTime)) - 1; x <= int(plot.xOf(lateTime)) + 1 && !tip.contains("late"); ++x)
        for (int y = area.top(); y <= area.bottom() && !tip.contains("late"); y += 2)
            tip = plot.toolTipAt({x, y});
    QVERIFY2(tip.contains("late") && tip.contains("2026-01-05"), qPrintable(tip));
}

void TestPlot::cursorAndClickToSeek()
{
    ui::PlotWidget plot;
    plot.resize(800, 400);
    plot.setStore(m_store);
    plot.setSeries({{m_constant, "constant", "bar", QColor(31, 119, 180)}});
    const TimeNs t = kStart + TimeNs(kPoints / 3) * kStep;
    plot.setCursorTime(t);
    const QImage image = plot.grab().toImage();
    const int x = int(plot.xOf(t));
    int red = 0;
    for (int y = plot.plotArea().top() + 10; y < plot.plotArea().bottom(); ++y)
        red += near(image.pixelColor(x, y), QColor(220, 38, 38), 60) ? 1 : 0;
    QVERIFY2(red > plot.plotArea().height() / 2, qPrintable(QString::number(red)));
    QSignalSpy seek(&plot, &ui::PlotWidget::seekRequested);
    const QPoint at(plot.plotArea().left() + 200, plot.plotArea().center().y());
    sendMouse(&plot, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    sendMouse(&plot, QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
    QCOMPARE(seek.count(), 1);
    QCOMPARE(seek[0][0].value<TimeNs>(), plot.timeAt(at.x()));
}

void TestPlot::workbenchScreenshot()
{
    QTemporaryDir dir;
    const std::string csv = dir.filePath("demo.csv").toStdString();
    QVERIFY(model::writeDemoTelemetryCsv(csv).ok());
    ui::ProjectDocument document;
    ui::MainWindow window(document);
    auto project = std::make_unique<model::Project>();
    QVERIFY(model::buildDemoTwin(*project).ok());
    auto mapping = model::ingestMappingFromJson(model::demoTelemetryMappingJson());
    QVERIFY(mapping.ok());
    if (!project->history || project->history->sampleCount() == 0) { // the demo may ship its recording
        auto result = model::ingestCsv(*project, csv, *mapping);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
    }
    document.adopt(std::move(project), {}, false);
    window.resize(1600, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *panel = window.findChild<ui::PlotPanel *>();
    QVERIFY(panel);
    auto *dock = window.findChild<QDockWidget *>("plotDock");
    window.resizeDocks({dock}, {400}, Qt::Vertical);
    // The four pumps' discharge pressure; skid 2's pump selected (its signals listed first).
    const model::Project &p = document.project();
    std::vector<model::SignalKey> keys;
    model::AssetId pump2 = model::kNoAsset;
    for (model::AssetId id : p.graph.allIds())
        if (p.graph.find(id)->name.rfind("Pump P-10", 0) == 0) {
            keys.push_back({id, "dischargePressure"});
            if (p.graph.find(id)->name == "Pump P-102")
                pump2 = id;
        }
    QCOMPARE(int(keys.size()), 4);
    document.selection().setSelection({pump2});
    panel->showSignals(keys);
    QCOMPARE(int(panel->plot()->series().size()), 4);
    QVERIFY(panel->signalList()->item(0)->text().contains("P-102"));
    const TimeNs start = model::kDemoTelemetryStart;
    panel->plot()->setTimeRange(start + 30 * 60 * kNsPerSecond, start + 95 * 60 * kNsPerSecond);
    // Replay to just after the trip: the session's clock moves the plot's cursor.
    const TimeNs trip = start + 64 * 60 * kNsPerSecond;
    QVERIFY(window.telemetrySession());
    window.telemetrySession()->seek(trip);
    QTRY_VERIFY_WITH_TIMEOUT(panel->plot()->cursorTime() == std::optional<TimeNs>(trip), 20000);
    QTest::qWait(500);
    const QImage shot = panel->plot()->grab().toImage();
    QVERIFY(!shot.isNull());
    QVERIFY(panel->plot()->lastQueryStats().samplesCovered > 4 * 3000);
    const QString path = qEnvironmentVariableIsSet("TWIN_PLOT_SCREENSHOT")
                             ? qEnvironmentVariable("TWIN_PLOT_SCREENSHOT")
                             : dir.filePath("plot.png");
    QVERIFY(window.saveScreenshot(path).isEmpty());
    QVERIFY(QImage(path).width() >= 1000);
}

QTEST_MAIN(TestPlot)
#include "tst_plot.moc"
