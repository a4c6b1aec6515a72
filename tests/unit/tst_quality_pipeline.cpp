// The data-quality pipeline: each rule on small data-driven cases. Samples are written "time:value" and the
// expected output "time:value:FLAGS" with one letter per flag: L late, O out of order, D duplicate,
// R out of range, C converted, G after gap, B bad value.
#include "twin/model/telemetry/QualityPipeline.h"

#include <QtTest>

#include <cmath>

using namespace twin::model;

namespace {
struct VectorSink : SampleSink
{
    std::vector<Sample> out;
    void write(std::size_t, const SignalKey &, const Sample &s) override { out.push_back(s); }
};

std::vector<Sample> parseSamples(const QString &text)
{
    std::vector<Sample> out;
    for (const QString &item : text.split(',', Qt::SkipEmptyParts)) {
        const auto parts = item.split(':');
        Sample s;
        s.sourceTime = parts[0].toLongLong();
        s.value = parts[1] == "nan" ? std::nan("") : parts[1].toDouble();
        out.push_back(s);
    }
    return out;
}

QString flagLetters(std::uint16_t q)
{
    QString f;
    const std::pair<std::uint16_t, char> letters[] = {
        {QualityLate, 'L'},      {QualityOutOfOrder, 'O'}, {QualityDuplicate, 'D'}, {QualityOutOfRange, 'R'},
        {QualityConverted, 'C'}, {QualityAfterGap, 'G'},   {QualityBadValue, 'B'}};
    for (auto [bit, letter] : letters)
        if (q & bit)
            f += QChar(letter);
    return f;
}

QString formatSamples(const std::vector<Sample> &samples)
{
    QStringList items;
    for (const Sample &s : samples)
        items << QString("%1:%2:%3")
                     .arg(s.sourceTime)
                     .arg(std::isnan(s.value) ? QString("nan") : QString::number(s.value))
                     .arg(flagLetters(s.quality));
    return items.join(',');
}

// Runs samples through one signal and flushes; returns the sink's output and the report.
std::pair<QString, QualityReport> run(const SignalQualityConfig &config, const QString &input, TimeNs now = 0)
{
    VectorSink sink;
    QualityPipeline pipeline(&sink);
    const auto signal = pipeline.addSignal(SignalKey{1, "x"}, config);
    for (const Sample &s : parseSamples(input))
        pipeline.push(signal, s);
    pipeline.flush();
    return {formatSamples(sink.out), pipeline.report(signal, now)};
}
} // namespace

class TestQualityPipeline : public QObject
{
    Q_OBJECT
private slots:
    void valueChecks_data();
    void valueChecks();
    void unitConversion();
    void duplicates_data();
    void duplicates();
    void reorderWatermark_data();
    void reorderWatermark();
    void gaps_data();
    void gaps();
    void freshnessPerSignalAndAsset_data();
    void freshnessPerSignalAndAsset();
    void rate();
    void schemaChanges_data();
    void schemaChanges();
    void storeSinkWritesReleasedSamples();
};

void TestQualityPipeline::valueChecks_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("outOfRange");
    QTest::addColumn<int>("bad");
    QTest::newRow("in range") << "1:5,2:10" << 0.0 << 10.0 << "1:5:,2:10:" << 0 << 0;
    QTest::newRow("above max") << "1:11" << 0.0 << 10.0 << "1:11:R" << 1 << 0;
    QTest::newRow("below min") << "1:-0.5,2:3" << 0.0 << 10.0 << "1:-0.5:R,2:3:" << 1 << 0;
    QTest::newRow("NaN is bad, not out of range") << "1:nan,2:4" << 0.0 << 10.0 << "1:nan:B,2:4:" << 0 << 1;
}

void TestQualityPipeline::valueChecks()
{
    QFETCH(QString, input);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(QString, expected);
    QFETCH(int, outOfRange);
    QFETCH(int, bad);
    SignalQualityConfig config;
    config.min = min;
    config.max = max;
    auto [out, report] = run(config, input);
    QCOMPARE(out, expected);
    QCOMPARE(int(report.outOfRange), outOfRange);
    QCOMPARE(int(report.badValues), bad);
}

void TestQualityPipeline::unitConversion()
{
    SignalQualityConfig config;
    config.conversion =
        SampleConversion::linear(5.0 / 9.0, -32.0 * 5.0 / 9.0, "degreeFahrenheit -> degreeCelsius");
    config.max = 100; // in model units: 212 F = 100 C is in range, 230 F is not
    auto [out, report] = run(config, "1:50,2:212,3:230,4:nan");
    QCOMPARE(out, QString("1:10:C,2:100:C,3:110:RC,4:nan:B"));
    QCOMPARE(int(report.converted), 3);
    QCOMPARE(report.conversions, std::vector<std::string>{"degreeFahrenheit -> degreeCelsius"});

    SignalQualityConfig custom;
    custom.conversion = SampleConversion{[](double v) { return v * 1000; }, ""};
    auto [out2, report2] = run(custom, "1:1.5");
    QCOMPARE(out2, QString("1:1500:C"));
    QCOMPARE(report2.conversions, std::vector<std::string>{"custom conversion"});
}

void TestQualityPipeline::duplicates_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<qint64>("watermark");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("dropped");
    QTest::addColumn<int>("flagged");
    QTest::newRow("same time same value dropped") << "1:1,2:2,2:2,3:3" << 0ll << "1:1:,2:2:,3:3:" << 1 << 0;
    QTest::newRow("same time other value kept")
        << "1:1,2:2,2:7,3:3" << 0ll << "1:1:,2:2:,2:7:D,3:3:" << 0 << 1;
    QTest::newRow("redelivered later (QoS 1)")
        << "1:1,2:2,3:3,4:4,2:2" << 0ll << "1:1:,2:2:,3:3:,4:4:" << 1 << 0;
    QTest::newRow("duplicate inside reorder buffer")
        << "1:1,3:3,2:2,2:2,4:4" << 5ll << "1:1:,2:2:L,3:3:,4:4:" << 1 << 0;
    QTest::newRow("NaN twice is one") << "1:nan,1:nan,2:1" << 0ll << "1:nan:B,2:1:" << 1 << 0;
}

void TestQualityPipeline::duplicates()
{
    QFETCH(QString, input);
    QFETCH(qint64, watermark);
    QFETCH(QString, expected);
    QFETCH(int, dropped);
    QFETCH(int, flagged);
    SignalQualityConfig config;
    config.reorderWatermark = watermark;
    auto [out, report] = run(config, input);
    QCOMPARE(out, expected);
    QCOMPARE(int(report.duplicatesDropped), dropped);
    QCOMPARE(int(report.duplicatesFlagged), flagged);
}

void TestQualityPipeline::reorderWatermark_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<qint64>("watermark");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("late");
    QTest::addColumn<int>("outOfOrder");
    QTest::newRow("in order") << "1:1,2:2,3:3" << 10ll << "1:1:,2:2:,3:3:" << 0 << 0;
    QTest::newRow("late within watermark reordered")
        << "10:1,30:3,20:2,40:4" << 15ll << "10:1:,20:2:L,30:3:,40:4:" << 1 << 0;
    QTest::newRow("older than watermark kept, flagged")
        << "10:1,20:2,30:3,40:4,15:9" << 15ll << "10:1:,20:2:,15:9:O,30:3:,40:4:" << 0 << 1;
    QTest::newRow("exactly the watermark is out of order")
        << "10:1,40:4,25:9" << 15ll << "10:1:,25:9:O,40:4:" << 0 << 1;
    QTest::newRow("watermark 0: every older sample out of order")
        << "10:1,30:3,20:2" << 0ll << "10:1:,30:3:,20:2:O" << 0 << 1;
}

void TestQualityPipeline::reorderWatermark()
{
    QFETCH(QString, input);
    QFETCH(qint64, watermark);
    QFETCH(QString, expected);
    QFETCH(int, late);
    QFETCH(int, outOfOrder);
    SignalQualityConfig config;
    config.reorderWatermark = watermark;
    auto [out, report] = run(config, input);
    QCOMPARE(out, expected);
    QCOMPARE(int(report.late), late);
    QCOMPARE(int(report.outOfOrder), outOfOrder);
    QCOMPARE(report.released, report.received - report.duplicatesDropped);
}

void TestQualityPipeline::gaps_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<qint64>("period"); // 0: estimated
    QTest::addColumn<int>("periodSamples");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("gapList");
    QTest::newRow("configured period")
        << "0:0,10:0,20:0,50:0,60:0" << 10ll << 16 << "0:0:,10:0:,20:0:,50:0:G,60:0:"
        << "20-50";
    QTest::newRow("twice the period is not a gap") << "0:0,10:0,30:0" << 10ll << 16 << "0:0:,10:0:,30:0:"
                                                   << "";
    QTest::newRow("estimated from the median")
        << "0:0,10:0,20:0,30:0,40:0,100:0,110:0" << 0ll << 3 << "0:0:,10:0:,20:0:,30:0:,40:0:,100:0:G,110:0:"
        << "40-100";
    QTest::newRow("gap among the estimate's intervals listed, not flagged")
        << "0:0,10:0,50:0,60:0,70:0" << 0ll << 3 << "0:0:,10:0:,50:0:,60:0:,70:0:"
        << "10-50";
    QTest::newRow("late sample fills the gap")
        << "0:0,10:0,30:0,20:0" << 10ll << 16 << "0:0:,10:0:,30:0:,20:0:O"
        << "";
}

void TestQualityPipeline::gaps()
{
    QFETCH(QString, input);
    QFETCH(qint64, period);
    QFETCH(int, periodSamples);
    QFETCH(QString, expected);
    QFETCH(QString, gapList);
    SignalQualityConfig config;
    if (period)
        config.expectedPeriod = period;
    config.periodSamples = std::size_t(periodSamples);
    auto [out, report] = run(config, input);
    QCOMPARE(out, expected);
    QStringList listed;
    for (const Gap &g : report.gapList)
        listed << QString("%1-%2").arg(g.start).arg(g.end);
    QCOMPARE(listed.join(','), gapList);
    QCOMPARE(int(report.gaps), int(report.gapList.size()));
}

void TestQualityPipeline::freshnessPerSignalAndAsset_data()
{
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("freshA");
    QTest::addColumn<bool>("staleA");
    QTest::addColumn<qint64>("assetFreshness");
    QTest::addColumn<bool>("assetStale");
    // Signal a (asset 7): period 10, last sample at 100 -> stale after 20. Signal b (asset 7): last at 60,
    // staleAfter 100. Signal c (asset 8): last at 200.
    QTest::newRow("all fresh") << 105ll << 5ll << false << 45ll << false;
    QTest::newRow("a stale") << 125ll << 25ll << true << 65ll << true;
    QTest::newRow("b is the stalest") << 170ll << 70ll << true << 110ll << true;
}

void TestQualityPipeline::freshnessPerSignalAndAsset()
{
    QFETCH(qint64, now);
    QFETCH(qint64, freshA);
    QFETCH(bool, staleA);
    QFETCH(qint64, assetFreshness);
    QFETCH(bool, assetStale);
    QualityPipeline pipeline(nullptr);
    SignalQualityConfig a, b;
    a.expectedPeriod = 10;
    b.staleAfter = 100;
    const auto ia = pipeline.addSignal(SignalKey{7, "a"}, a);
    pipeline.addSignal(SignalKey{7, "b"}, b);
    for (TimeNs t = 0; t <= 100; t += 10)
        pipeline.push(ia, Sample{t, 0, 1.0});
    pipeline.push(SignalKey{7, "b"}, Sample{60, 0, 1.0});
    pipeline.push(SignalKey{8, "c"}, Sample{200, 0, 1.0});
    const QualityReport r = pipeline.report(ia, now);
    QCOMPARE(qint64(r.freshness), freshA);
    QCOMPARE(r.stale, staleA);
    QCOMPARE(qint64(pipeline.assetFreshness(7, now).value_or(-1)), assetFreshness);
    QCOMPARE(pipeline.assetStale(7, now), assetStale);
    QVERIFY(!pipeline.assetFreshness(9, now).has_value());
    QCOMPARE(qint64(pipeline.assetFreshness(8, now).value_or(-1)), qint64(now - 200));
}

void TestQualityPipeline::rate()
{
    SignalQualityConfig config;
    QString input;
    for (int i = 0; i <= 100; ++i) // 101 samples every 0.5 s
        input += QString("%1:1,").arg(qint64(i) * kNsPerSecond / 2);
    auto [out, report] = run(config, input, 60 * kNsPerSecond);
    QCOMPARE(report.rate, 2.0);
    QCOMPARE(report.expectedPeriod, kNsPerSecond / 2);
    QCOMPARE(report.freshness, 10 * kNsPerSecond);
    QVERIFY(report.stale);
}

void TestQualityPipeline::schemaChanges_data()
{
    QTest::addColumn<QStringList>("messages"); // "name=type;name=type" with n b s o a z(null)
    QTest::addColumn<QStringList>("expected"); // "time|description"
    QTest::newRow("stable") << QStringList{"t=n;v=n", "t=n;v=n"} << QStringList{};
    QTest::newRow("new field") << QStringList{"t=n", "t=n;rpm=n"}
                               << QStringList{"1|new field 'rpm' (number)"};
    QTest::newRow("missing field, reported once")
        << QStringList{"t=n;v=n", "t=n", "t=n"} << QStringList{"1|field 'v' (number) is missing"};
    QTest::newRow("retyped") << QStringList{"v=n", "v=s"}
                             << QStringList{"1|field 'v' retyped from number to string"};
    QTest::newRow("null is not a retype") << QStringList{"v=n", "v=z", "v=n"} << QStringList{};
}

void TestQualityPipeline::schemaChanges()
{
    QFETCH(QStringList, messages);
    QFETCH(QStringList, expected);
    QualityPipeline pipeline(nullptr);
    const QMap<QString, FieldType> types{{"n", FieldType::Number}, {"b", FieldType::Bool},
                                         {"s", FieldType::String}, {"o", FieldType::Object},
                                         {"a", FieldType::Array},  {"z", FieldType::Null}};
    for (int i = 0; i < messages.size(); ++i) {
        FieldSet fields;
        for (const QString &f : messages[i].split(';', Qt::SkipEmptyParts))
            fields[f.section('=', 0, 0).toStdString()] = types.value(f.section('=', 1));
        pipeline.observeSchema("feed", i, fields);
    }
    QStringList got;
    for (const SchemaChange &c : pipeline.schemaChanges("feed"))
        got << QString("%1|%2").arg(c.time).arg(QString::fromStdString(c.describe()));
    QCOMPARE(got, expected);
    QVERIFY(pipeline.schemaChanges("other").empty());
}

void TestQualityPipeline::storeSinkWritesReleasedSamples()
{
    TimeSeriesStore store(4);
    StoreSink sink(store);
    QualityPipeline pipeline(&sink);
    SignalQualityConfig config;
    config.reorderWatermark = 15;
    pipeline.addSignal(SignalKey{3, "flow"}, config);
    for (const Sample &s : parseSamples("10:1,30:3,20:2,30:3,40:4,5:0,50:5"))
        pipeline.push(SignalKey{3, "flow"}, s);
    pipeline.push(SignalKey{4, "temp"}, Sample{1, 0, 20.0});
    pipeline.flush();
    const auto id = store.findSignal(SignalKey{3, "flow"});
    QVERIFY(id.has_value());
    QCOMPARE(formatSamples(store.range(*id, 0, 100)), QString("5:0:O,10:1:,20:2:L,30:3:,40:4:,50:5:"));
    QVERIFY(store.findSignal(SignalKey{4, "temp"}).has_value());
}

QTEST_GUILESS_MAIN(TestQualityPipeline)
#include "tst_quality_pipeline.moc"
