// conn-file through the plugin host: the demo recording replayed at full speed into LiveIngest drives the
// fault episode; paced replay, pause, a SKAB file and malformed files.
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/state/StateEngine.h"
#include "twin/model/telemetry/LiveIngest.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include "SharedData.h"
#include <QTemporaryDir>

#include <QtTest>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

using namespace twin;
using namespace twin::model;

namespace {

// Counts records and keeps problems; thread-safe reads from the test thread.
class CollectSink final : public sdk::SampleSink
{
public:
    void onRecords(std::vector<sdk::RawRecord> &&batch) override
    {
        std::lock_guard lock(mutex);
        for (const auto &r : batch) {
            ++records;
            fields.insert(r.field);
            if (r.sourceTime)
                times.insert(*r.sourceTime);
        }
    }
    void onLinkEvent(const sdk::LinkEvent &) override {}
    void onProblem(const sdk::Problem &p) override
    {
        std::lock_guard lock(mutex);
        problems.push_back(p.source + ": " + p.reason);
    }
    std::size_t count()
    {
        std::lock_guard lock(mutex);
        return records;
    }
    std::string allProblems()
    {
        std::lock_guard lock(mutex);
        std::string out;
        for (const auto &p : problems)
            out += p + "\n";
        return out;
    }
    std::mutex mutex;
    std::size_t records = 0;
    std::set<std::string> fields;
    std::set<TimeNs> times;
    std::vector<std::string> problems;
};

AssetId byPath(const Project &p, const std::string &path)
{
    for (AssetId id : p.graph.allIds())
        if (p.graph.path(id) == path)
            return id;
    return kNoAsset;
}

bool waitForEnd(sdk::Connector &c, int seconds = 120)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
        const auto s = c.state();
        if (s == sdk::ConnectorState::Stopped || s == sdk::ConnectorState::Failed)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

std::string writeText(const QTemporaryDir &dir, const char *name, const std::string &text)
{
    const std::string path = dir.filePath(name).toStdString();
    std::ofstream(path) << text;
    return path;
}

std::string q(const std::string &s)
{
    return "\"" + s + "\"";
}

} // namespace

class TestConnFile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void metadataAndLifecycle();
    void demoRecordingDrivesTheFaultEpisode();
    void pacedReplayAndPause();
    void skabFileRowCount();
    void malformedFilesNameFileAndLine();

private:
    sdk::Connector &create();
    PluginHost m_host;
    std::vector<ConnectorPtr> m_connectors;
    QTemporaryDir m_dir;
};

void TestConnFile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_host.scan(TWIN_PLUGIN_DIR).ok());
}

sdk::Connector &TestConnFile::create()
{
    auto c = m_host.createConnector("twin.conn-file");
    if (!c.ok())
        qFatal("%s", c.error().c_str());
    m_connectors.push_back(std::move(c.value()));
    return *m_connectors.back();
}

void TestConnFile::metadataAndLifecycle()
{
    const PluginInfo *info = m_host.find("twin.conn-file");
    QVERIFY2(info, "twin-conn-file.so not found in " TWIN_PLUGIN_DIR);
    QVERIFY2(info->usable(), info->problem.c_str());
    using C = sdk::Capability;
    QVERIFY(sdk::hasCapability(info->capabilities, C::Recorded | C::Seekable | C::Pausable));
    QVERIFY(!sdk::hasCapability(info->capabilities, C::Live));
    sdk::Connector &c = create();
    CollectSink sink;
    QVERIFY(!c.start(&sink)); // not configured
    QVERIFY(!c.pause());
    auto missing = c.configure(R"({"file": "/nonexistent/x.csv"})");
    QVERIFY(!missing);
    QVERIFY2(missing.message().find("'file'") != std::string::npos, missing.message().c_str());
    const std::string path = writeText(m_dir, "tiny.csv", "timestamp,a\n2026-01-01T00:00:00Z,1\n");
    auto speed = c.configure(R"({"file": ")" + path + R"(", "speed": 20000})");
    QVERIFY(!speed);
    QVERIFY2(speed.message().find("'speed'") != std::string::npos, speed.message().c_str());
    QVERIFY(c.configure(R"({"file": ")" + path + R"(", "speed": 0})"));
    c.stop(); // idempotent, also before start
    QVERIFY(c.start(&sink));
    QVERIFY(waitForEnd(c));
    c.stop();
    c.stop();
    QCOMPARE(c.state(), sdk::ConnectorState::Stopped);
    QCOMPARE(sink.count(), size_t(1));
}

void TestConnFile::demoRecordingDrivesTheFaultEpisode()
{
    Project p;
    QVERIFY(buildDemoTwin(p).ok());
    const std::string csv = m_dir.filePath("demo.csv").toStdString();
    QVERIFY(writeDemoTelemetryCsv(csv).ok());
    p.history = std::make_shared<TimeSeriesStore>(); // the demo ships with history; start empty
    auto engine = StateEngine::create(p, projectRuleSets(p));
    QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().c_str());
    LiveIngest ingest(p, engine->get());
    std::string mappings;
    const auto columns = demoTelemetryColumns();
    for (const auto &col : columns) {
        const std::string signal = col.assetPath + "." + col.telemetry;
        QVERIFY(ingest.setSourceUnit(signal, col.unit).ok());
        mappings += (mappings.empty() ? "" : ", ") + std::string("{\"field\": ") + q(col.column) +
                    ", \"signal\": " + q(signal) + "}";
    }
    sdk::Connector &c = create();
    auto configured =
        c.configure(R"({"file": ")" + csv + R"(", "speed": 0, "mappings": [)" + mappings + "]}");
    QVERIFY2(configured, configured.message().c_str());
    QVERIFY(c.start(&ingest));
    QVERIFY(waitForEnd(c));
    QCOMPARE(c.state(), sdk::ConnectorState::Stopped);
    c.stop();
    ingest.flush();
    const LiveIngestStats stats = ingest.stats();
    QCOMPARE(stats.records, std::uint64_t(kDemoTelemetrySeconds) * columns.size());
    QCOMPARE(stats.unmapped, std::uint64_t(0));
    QCOMPARE(stats.stored, stats.records);
    QVERIFY(p.history);
    for (const auto &col : columns) {
        auto id = p.history->findSignal({byPath(p, col.assetPath), col.telemetry});
        QVERIFY2(id, col.column.c_str());
        const auto samples = p.history->range(
            *id, kDemoTelemetryStart, kDemoTelemetryStart + TimeNs(kDemoTelemetrySeconds) * kNsPerSecond);
        QCOMPARE(int(samples.size()), kDemoTelemetrySeconds);
    }
    const AssetId p102 = byPath(p, "Riverside site/Pump station PS-1/Skid 2/Pump P-102");
    QStringList path;
    for (const auto &change : (*engine)->changes())
        if (change.asset == p102)
            path << QString::fromStdString(change.to);
    QVERIFY2(path.join(",").startsWith("Running,Degraded,Fault,Off,Running"), qPrintable(path.join(",")));
}

void TestConnFile::pacedReplayAndPause()
{
    // 1000 rows one second apart at speed 1000: about one second of wall time.
    std::string text = "ts,value\n";
    for (int i = 0; i < 1000; ++i)
        text += std::to_string(1767592800 + i) + "," + std::to_string(i) + "\n";
    const std::string path = writeText(m_dir, "paced.csv", text);
    sdk::Connector &c = create();
    QVERIFY(c.configure(R"({"file": ")" + path +
                        R"(", "speed": 1000, "timestampField": "ts", )"
                        R"("timestampFormat": "epoch-s", "batchSize": 1})"));
    CollectSink sink;
    const auto started = std::chrono::steady_clock::now();
    QVERIFY(c.start(&sink));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    QVERIFY(c.pause());
    QVERIFY(c.pause()); // idempotent
    QCOMPARE(c.state(), sdk::ConnectorState::Paused);
    const size_t atPause = sink.count();
    QVERIFY(atPause > 0 && atPause < 1000);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    QCOMPARE(sink.count(), atPause); // nothing arrives while paused
    QVERIFY(c.resume());
    QVERIFY(c.resume()); // idempotent
    QVERIFY(waitForEnd(c, 30));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    QCOMPARE(sink.count(), size_t(1000));
    QVERIFY2(seconds > 0.5, qPrintable(QString::number(seconds))); // paced, not as fast as possible
    qInfo("paced replay of 999 s at 1000x took %.2f s wall (0.4 s paused)", seconds);

    // startAt skips earlier rows.
    sdk::Connector &late = create();
    QVERIFY(late.configure(R"({"file": ")" + path +
                           R"(", "speed": 0, "timestampField": "ts", )"
                           R"("timestampFormat": "epoch-s", "startAt": "2026-01-05T06:15:00Z"})"));
    CollectSink rest;
    QVERIFY(late.start(&rest));
    QVERIFY(waitForEnd(late));
    QCOMPARE(rest.count(), size_t(1000 - 900));
}

void TestConnFile::skabFileRowCount()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    const std::string path = TWIN_SHARED_DATA "/telemetry/skab/anomaly-free/anomaly-free.csv";
    if (!QFileInfo::exists(QString::fromStdString(path)))
        QSKIP("shared SKAB data not present");
    sdk::Connector &c = create();
    auto configured = c.configure(R"({"file": ")" + path +
                                  R"(", "speed": 0, "emitUnmapped": false, )"
                                  R"("mappings": [{"field": "Current", "signal": "P1.current"}]})");
    QVERIFY2(configured, configured.message().c_str());
    CollectSink sink;
    QVERIFY(c.start(&sink));
    QVERIFY(waitForEnd(c));
    QCOMPARE(c.state(), sdk::ConnectorState::Stopped);
    QCOMPARE(sink.count(), size_t(9405));
    QVERIFY(sink.fields == std::set<std::string>{"Current"});
    QVERIFY2(sink.problems.empty(), sink.allProblems().c_str());
}

void TestConnFile::malformedFilesNameFileAndLine()
{
    // A wrong field count stops the replay: Failed, with file:line.
    const std::string csv =
        writeText(m_dir, "broken.csv", "timestamp,a,b\n2026-01-01T00:00:00Z,1,2\n2026-01-01T00:00:01Z,3\n");
    sdk::Connector &c = create();
    QVERIFY(c.configure(R"({"file": ")" + csv + R"(", "speed": 0})"));
    CollectSink sink;
    QVERIFY(c.start(&sink));
    QVERIFY(waitForEnd(c));
    QCOMPARE(c.state(), sdk::ConnectorState::Failed);
    QVERIFY2(c.failureMessage().find("broken.csv:3") != std::string::npos, c.failureMessage().c_str());
    QVERIFY2(sink.allProblems().find("broken.csv:3") != std::string::npos, sink.allProblems().c_str());
    c.stop();
    QCOMPARE(c.state(), sdk::ConnectorState::Failed);

    // A bad timestamp cell and a malformed JSON line are reported and skipped; the rest is replayed.
    const std::string badTime = writeText(
        m_dir, "badtime.csv", "timestamp,a\n2026-01-01T00:00:00Z,1\nyesterday,2\n2026-01-01T00:00:02Z,3\n");
    sdk::Connector &t = create();
    QVERIFY(t.configure(R"({"file": ")" + badTime + R"(", "speed": 0, "timestampFormat": "iso8601"})"));
    CollectSink timeSink;
    QVERIFY(t.start(&timeSink));
    QVERIFY(waitForEnd(t));
    QVERIFY2(t.state() == sdk::ConnectorState::Stopped, t.failureMessage().c_str());
    QCOMPARE(timeSink.count(), size_t(2));
    QVERIFY2(timeSink.allProblems().find("badtime.csv:3: column 1 'timestamp'") != std::string::npos,
             timeSink.allProblems().c_str());

    const std::string jsonl =
        writeText(m_dir, "feed.jsonl",
                  "{\"ts\": 1767592800000, \"pump\": {\"flow\": 1.5}}\n"
                  "{\"ts\": 1767592801000, \"pump\": {\"flow\": \n"
                  "{\"ts\": 1767592802000, \"pump\": {\"flow\": 2.5}, \"state\": \"on\"}\n");
    sdk::Connector &j = create();
    QVERIFY(j.configure(R"({"file": ")" + jsonl +
                        R"(", "speed": 0, "timestampFormat": "epoch-ms", )"
                        R"("mappings": [{"field": "pump.flow", "signal": "P-101.flow"}]})"));
    CollectSink jsonSink;
    QVERIFY(j.start(&jsonSink));
    QVERIFY(waitForEnd(j));
    QCOMPARE(j.state(), sdk::ConnectorState::Stopped);
    QCOMPARE(jsonSink.count(), size_t(2));
    QVERIFY(jsonSink.fields == std::set<std::string>{"/pump/flow"});
    QCOMPARE(*jsonSink.times.begin(), TimeNs(1767592800) * kNsPerSecond);
    QVERIFY2(jsonSink.allProblems().find("feed.jsonl:2: not valid JSON") != std::string::npos,
             jsonSink.allProblems().c_str());
}

QTEST_GUILESS_MAIN(TestConnFile)
#include "tst_conn_file.moc"
