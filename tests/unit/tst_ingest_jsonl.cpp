// JSON lines through TelemetryIngest: nested fields, a field that appears halfway, a retyped field, an
// out-of-order line and a malformed line; stored samples, flags, schema changes and file:line errors.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/telemetry/TelemetryIngest.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace twin::model;

namespace {
const std::string kSkid = "Riverside site/Pump station PS-1/Skid 1/";
constexpr TimeNs kT0 = 1767592800LL * kNsPerSecond; // 2026-01-05T06:00:00Z

AssetId byPath(const Project &p, const std::string &path)
{
    for (AssetId id : p.graph.allIds())
        if (p.graph.path(id) == path)
            return id;
    return kNoAsset;
}

std::vector<Sample> samples(const Project &p, const std::string &asset, const std::string &telemetry)
{
    auto id = p.history->findSignal({byPath(p, kSkid + asset), telemetry});
    return id ? p.history->range(*id, kT0, kT0 + 60 * kNsPerSecond) : std::vector<Sample>{};
}

bool contains(const std::vector<std::string> &lines, const std::string &text)
{
    for (const auto &l : lines)
        if (l.find(text) != std::string::npos)
            return true;
    return false;
}

QByteArray dump(const std::vector<std::string> &lines)
{
    std::string out;
    for (const auto &l : lines)
        out += l + "\n";
    return QByteArray::fromStdString(out);
}
} // namespace

class TestIngestJsonl : public QObject
{
    Q_OBJECT
private slots:
    void nestedFieldsSchemaChangesAndErrors();
    void missingTimestampFieldNamesFile();
};

void TestIngestJsonl::nestedFieldsSchemaChangesAndErrors()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("feed.jsonl").toStdString();
    std::ofstream(path) << R"({"time": "2026-01-05T06:00:00Z", "p1": {"flow": 100.0, "pressure": 4.0}}
{"time": "2026-01-05T06:00:01Z", "p1": {"flow": 101.0, "pressure": 4.1}}
{"time": "2026-01-05T06:00:02Z", "p1": {"flow": 102.0, "pressure": 4.2}, "m1": {"current": 30}}
{"time": "2026-01-05T06:00:04Z", "p1": {"flow": 104.0, "pressure": 4.4}, "m1": {"current": 31}}
{"time": "2026-01-05T06:00:03Z", "p1": {"flow": 103.0, "pressure": 4.3}, "m1": {"current": 32}}
{"time": "2026-01-05T06:00:05Z", "p1": {"flow": "broken", "pressure": 4.5}, "m1": {"current": 33}}
{"time": "2026-01-05T06:00:06Z", "p1": {
{"time": "2026-01-05T06:00:07Z", "p1": {"flow": 107.0, "pressure": 4.7}, "m1": {"current": 34}}
)";
    Project p;
    QVERIFY(buildDemoTwin(p).ok());
    p.history = std::make_shared<TimeSeriesStore>(); // the demo ships with history; start empty
    IngestMapping m;
    m.timestampColumn = "time";
    m.columns = {{"p1.flow", kSkid + "Pump P-101", "flow", "", {}, {}},
                 {"/p1/pressure", kSkid + "Pump P-101", "dischargePressure", "", {}, {}},
                 {"m1.current", kSkid + "Motor M-101", "current", "", {}, {}}};
    auto result = ingestCsv(p, path, m); // dispatches on the .jsonl extension
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
    QCOMPARE(int(result->rows), 7); // the malformed line is not a row
    QCOMPARE(int(result->stored), 7 + 7 + 5);

    // Stored samples and flags.
    const auto flow = samples(p, "Pump P-101", "flow");
    QCOMPARE(int(flow.size()), 7);
    const auto pressure = samples(p, "Pump P-101", "dischargePressure");
    QCOMPARE(int(pressure.size()), 7);
    QCOMPARE(pressure.front().value, 4.0);
    const auto current = samples(p, "Motor M-101", "current");
    QCOMPARE(int(current.size()), 5);
    QCOMPARE(current.front().sourceTime, kT0 + 2 * kNsPerSecond);
    bool outOfOrderFlagged = false, badValueFlagged = false;
    for (const Sample &s : flow) {
        if (s.sourceTime == kT0 + 3 * kNsPerSecond) {
            QCOMPARE(s.value, 103.0);
            outOfOrderFlagged = s.quality & (QualityOutOfOrder | QualityLate);
        }
        if (s.sourceTime == kT0 + 5 * kNsPerSecond) {
            QVERIFY(std::isnan(s.value));
            badValueFlagged = s.quality & QualityBadValue;
        }
    }
    QVERIFY(outOfOrderFlagged);
    QVERIFY(badValueFlagged);
    QVERIFY(result->reports[0].outOfOrder + result->reports[0].late >= 1);
    QVERIFY(result->reports[0].badValues >= 1);

    // Schema changes: m1.current appears on line 3, p1.flow turns into a string on line 6.
    QVERIFY2(contains(result->schemaChanges, "feed.jsonl:3: added '/m1/current'"),
             dump(result->schemaChanges));
    QVERIFY2(contains(result->schemaChanges, "feed.jsonl:6: retyped '/p1/flow'"),
             dump(result->schemaChanges));
    // Errors with file:line.
    QVERIFY2(contains(result->lineErrors, "feed.jsonl:7: not valid JSON"), dump(result->lineErrors));
    QVERIFY2(contains(result->lineErrors, "feed.jsonl:6: field 'p1.flow': 'broken' is not a number"),
             dump(result->lineErrors));
    QCOMPARE(int(result->lineErrors.size()), 2);

    // Importing the same file again stores nothing new.
    auto again = ingestJsonLines(p, path, m);
    QVERIFY(again.ok());
    QCOMPARE(int(samples(p, "Pump P-101", "flow").size()), 7);
    QVERIFY(again->alreadyStored >= 18);
}

void TestIngestJsonl::missingTimestampFieldNamesFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("nots.jsonl").toStdString();
    std::ofstream(path) << "{\"value\": 1}\n";
    Project p;
    QVERIFY(buildDemoTwin(p).ok());
    p.history = std::make_shared<TimeSeriesStore>();
    IngestMapping m;
    m.columns = {{"value", kSkid + "Pump P-101", "flow", "", {}, {}}};
    auto result = ingestJsonLines(p, path, m);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().find("nots.jsonl:1") != std::string::npos, result.error().c_str());
    // Epoch milliseconds with a named timestamp path.
    std::ofstream(path) << "{\"t\": 1767592800000, \"value\": 1}\n{\"t\": 1767592801000, \"value\": 2}\n";
    m.timestampColumn = "/t";
    m.timestampFormat = "epoch-ms";
    auto ok = ingestJsonLines(p, path, m);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().c_str());
    QCOMPARE(int(ok->stored), 2);
    QCOMPARE(samples(p, "Pump P-101", "flow").front().sourceTime, kT0);
}

QTEST_GUILESS_MAIN(TestIngestJsonl)
#include "tst_ingest_jsonl.moc"
