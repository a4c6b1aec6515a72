// The embedded time-series store: append / out-of-order insert / range / decimate against brute force on
// seeded random data, retention, the chunk codec, persistence through a real SQLite file and through the
// project file, and damaged chunk data.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/telemetry/ChunkCodec.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <sqlite3.h>

using namespace twin::model;

namespace {
struct Ref
{
    TimeNs t;
    double v;
    std::uint16_t q;
};

bool sameValue(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

// Random series: non-decreasing times with repeats, a few NaN; `shuffled` of the samples arrive late.
std::vector<Ref> randomArrivals(std::uint32_t seed, int n, double shuffled)
{
    std::mt19937_64 rng(seed);
    std::vector<Ref> in;
    TimeNs t = -5000;
    for (int i = 0; i < n; ++i) {
        t += TimeNs(rng() % 4); // 0 = same time as the previous sample
        const double v =
            (rng() % 100 == 0) ? std::nan("") : double(std::int64_t(rng() % 20001) - 10000) / 7.0;
        in.push_back(Ref{t, v, std::uint16_t(rng() % 50 == 0 ? (1u << (rng() % 9)) : 0)});
    }
    // Move some samples later in the arrival order (late arrivals, possibly by far).
    std::uniform_real_distribution<double> coin(0, 1);
    for (int i = 0; i < n; ++i)
        if (coin(rng) < shuffled) {
            const int j = std::min(n - 1, i + int(rng() % 3000));
            std::rotate(in.begin() + i, in.begin() + i + 1, in.begin() + j + 1);
        }
    return in;
}

std::vector<Ref> sortedReference(const std::vector<Ref> &arrivals)
{
    auto ref = arrivals;
    std::stable_sort(ref.begin(), ref.end(), [](const Ref &a, const Ref &b) { return a.t < b.t; });
    return ref;
}

std::string sqliteError(sqlite3 *db)
{
    return db ? sqlite3_errmsg(db) : "no db";
}
} // namespace

class TestTimeSeriesStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void matchesBruteForce_data();
    void matchesBruteForce();
    void outOfOrderInserts_data();
    void outOfOrderInserts();
    void retention_data();
    void retention();
    void codecRoundTrip_data();
    void codecRoundTrip();
    void persistRoundTripThroughSqlite();
    void projectFileKeepsHistory();
    void oldProjectWithoutHistoryLoadsEmpty();
    void damagedChunkNamesSignalAndChunk_data();
    void damagedChunkNamesSignalAndChunk();

private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const { return (m_dir.path() + "/" + name).toStdString(); }
};

void TestTimeSeriesStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestTimeSeriesStore::matchesBruteForce_data()
{
    QTest::addColumn<uint>("seed");
    QTest::addColumn<int>("count");
    QTest::addColumn<uint>("capacity");
    QTest::addColumn<double>("shuffled");
    QTest::addColumn<int>("buckets");
    QTest::newRow("in order, small chunks") << 1u << 20000 << 64u << 0.0 << 100;
    QTest::newRow("in order, default chunks, wide buckets") << 2u << 60000 << 8192u << 0.0 << 3;
    QTest::newRow("5% late, small chunks") << 3u << 20000 << 64u << 0.05 << 257;
    QTest::newRow("30% late, odd capacity") << 4u << 15000 << 300u << 0.3 << 1000;
    QTest::newRow("10% late, block summaries") << 6u << 30000 << 1000u << 0.1 << 37;
    QTest::newRow("more buckets than samples") << 5u << 500 << 16u << 0.1 << 4000;
}

void TestTimeSeriesStore::matchesBruteForce()
{
    QFETCH(uint, seed);
    QFETCH(int, count);
    QFETCH(uint, capacity);
    QFETCH(double, shuffled);
    QFETCH(int, buckets);
    const auto arrivals = randomArrivals(seed, count, shuffled);
    const auto ref = sortedReference(arrivals);
    TimeSeriesStore store(capacity);
    const SignalId id = store.addSignal(SignalKey{1, "x"}, "bar");
    for (const Ref &r : arrivals)
        QVERIFY(store.append(id, r.t, r.v, r.q));
    QCOMPARE(store.stats(id).count, std::uint64_t(count));
    QCOMPARE(store.stats(id).first, ref.front().t);
    QCOMPARE(store.stats(id).last, ref.back().t);

    std::mt19937_64 rng(seed * 7 + 1);
    const TimeNs lo = ref.front().t - 10, hi = ref.back().t + 10;
    for (int query = 0; query < 20; ++query) {
        TimeNs t0 = lo + TimeNs(rng() % std::uint64_t(hi - lo)),
               t1 = lo + TimeNs(rng() % std::uint64_t(hi - lo));
        if (query == 0) {
            t0 = lo;
            t1 = hi;
        }
        if (t1 < t0)
            std::swap(t0, t1);
        // Range: exactly the reference samples in [t0, t1), equal times in arrival order.
        const auto got = store.range(id, t0, t1);
        std::vector<Ref> want;
        for (const Ref &r : ref)
            if (r.t >= t0 && r.t < t1)
                want.push_back(r);
        QCOMPARE(got.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(got[i].sourceTime, want[i].t);
            QVERIFY(sameValue(got[i].value, want[i].v));
            QCOMPARE(got[i].quality, want[i].q);
        }
        // Decimation: per bucket count, min, max, first, last, times and quality, by brute force.
        const auto dec = store.decimate(id, t0, t1, std::size_t(buckets));
        if (t1 <= t0) {
            QVERIFY(dec.empty());
            continue;
        }
        QCOMPARE(int(dec.size()), buckets);
        std::size_t k = 0;
        for (const DecimatedBucket &b : dec) {
            std::uint64_t n = 0;
            double mn = INFINITY, mx = -INFINITY, first = NAN, last = NAN;
            TimeNs ft = 0, lt = 0;
            std::uint16_t q = 0;
            for (; k < want.size() && want[k].t < b.end; ++k) {
                QVERIFY(want[k].t >= b.start);
                if (n++ == 0) {
                    first = want[k].v;
                    ft = want[k].t;
                }
                last = want[k].v;
                lt = want[k].t;
                if (want[k].v < mn)
                    mn = want[k].v;
                if (want[k].v > mx)
                    mx = want[k].v;
                q |= want[k].q;
            }
            QCOMPARE(b.count, n);
            QCOMPARE(b.quality, q);
            if (n == 0) {
                QVERIFY(std::isnan(b.min) && std::isnan(b.first));
                continue;
            }
            QVERIFY(sameValue(b.first, first) && sameValue(b.last, last));
            QCOMPARE(b.firstTime, ft);
            QCOMPARE(b.lastTime, lt);
            QVERIFY2(sameValue(b.min, mn > mx ? NAN : mn),
                     qPrintable(QString("min %1 vs %2").arg(b.min).arg(mn)));
            QVERIFY2(sameValue(b.max, mn > mx ? NAN : mx),
                     qPrintable(QString("max %1 vs %2").arg(b.max).arg(mx)));
        }
        QCOMPARE(k, want.size());
        QCOMPARE(dec.front().start, t0);
        QCOMPARE(dec.back().end, t1);
    }
}

void TestTimeSeriesStore::outOfOrderInserts_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<int>("chunks"); // capacity 4
    QTest::newRow("in order fills chunks") << QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9} << 3;
    QTest::newRow("late into a sealed chunk splits it") << QList<qint64>{10, 20, 30, 40, 50, 25} << 3;
    QTest::newRow("before everything") << QList<qint64>{10, 20, 30, 5, 1} << 2;
    QTest::newRow("between chunks goes to the next one") << QList<qint64>{10, 20, 30, 40, 60, 70, 50} << 2;
    QTest::newRow("between full chunks splits") << QList<qint64>{10, 20, 30, 40, 60, 70, 80, 90, 50} << 3;
    QTest::newRow("reverse order") << QList<qint64>{9, 8, 7, 6, 5, 4, 3, 2, 1} << 4;
    QTest::newRow("repeated times") << QList<qint64>{5, 5, 5, 5, 5, 3, 5, 4} << 3;
}

void TestTimeSeriesStore::outOfOrderInserts()
{
    QFETCH(QList<qint64>, times);
    QFETCH(int, chunks);
    TimeSeriesStore store(4);
    const SignalId id = store.addSignal(SignalKey{2, "p"});
    for (int i = 0; i < times.size(); ++i)
        store.append(id, times[i], double(i));
    const auto got = store.range(id, INT64_MIN, INT64_MAX);
    QCOMPARE(int(got.size()), times.size());
    for (std::size_t i = 1; i < got.size(); ++i)
        QVERIFY(got[i - 1].sourceTime <= got[i].sourceTime);
    for (const Sample &s : got) // each value is the index it arrived with: it kept its own time
        QCOMPARE(qint64(s.sourceTime), times[int(s.value)]);
    QCOMPARE(int(store.stats(id).chunks), chunks);
}

void TestTimeSeriesStore::retention_data()
{
    QTest::addColumn<qint64>("retention");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("dropped");
    QTest::addColumn<qint64>("firstLeft");
    // Times 0..19, capacity 4: chunks [0-3] [4-7] [8-11] [12-15] [16-19].
    QTest::newRow("off") << 0ll << 100ll << 0 << 0ll;
    QTest::newRow("drops whole old chunks") << 10ll << 20ll << 8 << 8ll;
    QTest::newRow("straddling chunk kept") << 10ll << 17ll << 4 << 4ll; // cutoff 7: [4-7] stays
    QTest::newRow("everything old") << 5ll << 100ll << 20 << -1ll;
}

void TestTimeSeriesStore::retention()
{
    QFETCH(qint64, retention);
    QFETCH(qint64, now);
    QFETCH(int, dropped);
    QFETCH(qint64, firstLeft);
    TimeSeriesStore store(4);
    const SignalId id = store.addSignal(SignalKey{1, "r"});
    for (TimeNs t = 0; t < 20; ++t)
        store.append(id, t, 1.0);
    store.setRetention(retention);
    QCOMPARE(int(store.applyRetention(now)), dropped);
    QCOMPARE(int(store.stats(id).count), 20 - dropped);
    QCOMPARE(int(store.range(id, INT64_MIN, INT64_MAX).size()), 20 - dropped);
    if (firstLeft >= 0)
        QCOMPARE(qint64(store.stats(id).first), firstLeft);
    store.append(id, 50, 2.0); // still usable afterwards
    QCOMPARE(store.stats(id).last, TimeNs(50));
}

void TestTimeSeriesStore::codecRoundTrip_data()
{
    QTest::addColumn<QList<qint64>>("times");
    QTest::newRow("empty") << QList<qint64>{};
    QTest::newRow("one") << QList<qint64>{-42};
    QTest::newRow("regular ns") << QList<qint64>{1'700'000'000'000'000'000, 1'700'000'001'000'000'000,
                                                 1'700'000'002'000'000'000};
    QTest::newRow("huge deltas") << QList<qint64>{INT64_MIN + 1, 0, INT64_MAX};
    QTest::newRow("repeats") << QList<qint64>{3, 3, 3, 4};
}

void TestTimeSeriesStore::codecRoundTrip()
{
    QFETCH(QList<qint64>, times);
    std::vector<TimeNs> t(times.begin(), times.end());
    std::vector<double> v;
    std::vector<std::uint16_t> q;
    for (std::size_t i = 0; i < t.size(); ++i) {
        v.push_back(i == 1 ? NAN : double(i) * 1.5);
        q.push_back(std::uint16_t(i));
    }
    const auto blob = encodeChunk(t, v, q);
    ChunkColumns out;
    auto st = decodeChunk(blob, out);
    QVERIFY2(st.ok(), st.ok() ? "" : st.error().c_str());
    QCOMPARE(out.time, t);
    QCOMPARE(out.quality, q);
    for (std::size_t i = 0; i < v.size(); ++i)
        QVERIFY(sameValue(out.value[i], v[i]));
}

void TestTimeSeriesStore::persistRoundTripThroughSqlite()
{
    const auto file = path("store.db");
    TimeSeriesStore store(100);
    const SignalId a = store.addSignal(SignalKey{5, "flow"}, "cubicMetrePerHour");
    const SignalId b = store.addSignal(SignalKey{6, "temp"}, "degreeCelsius");
    store.addSignal(SignalKey{7, "empty"});
    for (int i = 0; i < 1050; ++i)
        store.append(a, TimeNs(i) * 1'000'000'007, i % 97 == 0 ? NAN : std::sin(i * 0.01),
                     std::uint16_t(i % 3));
    store.append(b, 5, -1.25, QualityLate);
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    auto st = store.persist(db);
    QVERIFY2(st.ok(), st.ok() ? "" : st.error().c_str());
    st = store.persist(db); // persisting again replaces, does not add
    QVERIFY2(st.ok(), st.ok() ? "" : st.error().c_str());
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM ts_chunks", -1, &s, nullptr);
    QCOMPARE(sqlite3_step(s), SQLITE_ROW);
    QCOMPARE(sqlite3_column_int(s, 0), 11 + 1); // one row per chunk, never per sample
    sqlite3_finalize(s);
    sqlite3_close(db);

    db = nullptr;
    QCOMPARE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    TimeSeriesStore loaded;
    st = loaded.load(db);
    sqlite3_close(db);
    QVERIFY2(st.ok(), st.ok() ? "" : st.error().c_str());
    QCOMPARE(loaded.signalCount(), std::size_t(3));
    QCOMPARE(loaded.signalInfo(*loaded.findSignal(SignalKey{6, "temp"}))->unit, std::string("degreeCelsius"));
    for (SignalId id : {a, b}) {
        const auto info = *store.signalInfo(id);
        const auto other = loaded.findSignal(info.key);
        QVERIFY(other.has_value());
        const auto x = store.range(id, INT64_MIN, INT64_MAX), y = loaded.range(*other, INT64_MIN, INT64_MAX);
        QCOMPARE(x.size(), y.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
            QCOMPARE(y[i].sourceTime, x[i].sourceTime);
            QVERIFY(sameValue(y[i].value, x[i].value));
            QCOMPARE(y[i].quality, x[i].quality);
        }
        const auto dx = store.decimate(id, 0, 2'000'000'000'000, 50),
                   dy = loaded.decimate(*other, 0, 2'000'000'000'000, 50);
        for (std::size_t i = 0; i < dx.size(); ++i)
            QVERIFY(sameValue(dx[i].min, dy[i].min) && sameValue(dx[i].max, dy[i].max) &&
                    dx[i].count == dy[i].count);
    }
}

void TestTimeSeriesStore::projectFileKeepsHistory()
{
    const auto file = path("history.twin");
    Project demo;
    QVERIFY(buildDemoTwin(demo).ok());
    demo.history = std::make_shared<TimeSeriesStore>();
    const AssetId asset = demo.graph.allIds().front();
    const SignalId id = demo.history->addSignal(SignalKey{asset, "flow"}, "litrePerSecond");
    for (int i = 0; i < 20000; ++i)
        demo.history->append(id, TimeNs(i) * kNsPerSecond, i * 0.5, i == 7 ? QualityConverted : QualityGood);
    auto saved = saveProject(captureProject(demo), file);
    QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().c_str());

    Project reopened;
    auto loaded = loadProject(file, reopened);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
    QVERIFY(reopened.history);
    const auto again = reopened.history->findSignal(SignalKey{asset, "flow"});
    QVERIFY(again.has_value());
    QCOMPARE(reopened.history->stats(*again).count, std::uint64_t(20000));
    QCOMPARE(reopened.history->stats(*again).last, TimeNs(19999) * kNsPerSecond);
    const auto some = reopened.history->range(*again, 5 * kNsPerSecond, 9 * kNsPerSecond);
    QCOMPARE(some.size(), std::size_t(4));
    QCOMPARE(some[2].quality, std::uint16_t(QualityConverted));
    QCOMPARE(some[3].value, 4.0);
    QCOMPARE(reopened.graph.assetCount(), demo.graph.assetCount());
}

void TestTimeSeriesStore::oldProjectWithoutHistoryLoadsEmpty()
{
    const auto file = path("old.twin");
    Project demo;
    QVERIFY(buildDemoTwin(demo).ok());
    ProjectData data = captureProject(demo);
    data.history.reset(); // as written before the store existed: no ts tables
    QVERIFY(saveProject(data, file).ok());
    auto loaded = loadProjectData(file);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
    QVERIFY(loaded->history);
    QCOMPARE(loaded->history->signalCount(), std::size_t(0));
    QCOMPARE(loaded->history->sampleCount(), std::uint64_t(0));
}

void TestTimeSeriesStore::damagedChunkNamesSignalAndChunk_data()
{
    QTest::addColumn<QString>("sql"); // applied to chunk 1 of signal 12/flow
    QTest::addColumn<QString>("expected");
    QTest::newRow("flipped value byte")
        << "UPDATE ts_chunks SET data = substr(data,1,60) || x'FF' || substr(data,62) WHERE %1"
        << "checksum";
    QTest::newRow("truncated") << "UPDATE ts_chunks SET data = substr(data,1,20) WHERE %1"
                               << "too short";
    QTest::newRow("not chunk data")
        << "UPDATE ts_chunks SET data = x'00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF' "
           "WHERE %1"
        << "bad magic";
    QTest::newRow("row count differs") << "UPDATE ts_chunks SET count = count + 1 WHERE %1"
                                       << "does not match";
}

void TestTimeSeriesStore::damagedChunkNamesSignalAndChunk()
{
    QFETCH(QString, sql);
    QFETCH(QString, expected);
    const auto file = path("damaged.twin");
    ProjectData data;
    data.history = std::make_shared<TimeSeriesStore>(10);
    const SignalId other = data.history->addSignal(SignalKey{11, "speed"});
    const SignalId id = data.history->addSignal(SignalKey{12, "flow"});
    for (int i = 0; i < 30; ++i) {
        data.history->append(other, i, 1.0);
        data.history->append(id, i, double(i));
    }
    QVERIFY(saveProject(data, file).ok());
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    const QString where = QString("signal = %1 AND t_first = 10").arg(id);
    QVERIFY2(sqlite3_exec(db, sql.arg(where).toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK,
             sqliteError(db).c_str());
    QCOMPARE(sqlite3_changes(db), 1);
    sqlite3_close(db);
    auto loaded = loadProjectData(file);
    QVERIFY(!loaded.ok());
    const QString message = QString::fromStdString(loaded.error());
    QVERIFY2(message.contains(QString::fromStdString(file)), qPrintable(message));
    QVERIFY2(message.contains("signal 12/flow"), qPrintable(message));
    QVERIFY2(message.contains("chunk 1 "), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestTimeSeriesStore)
#include "tst_timeseries_store.moc"
