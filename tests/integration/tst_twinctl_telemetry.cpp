// twinctl's telemetry verbs end to end, on real files and a real broker:
// demo recording -> ingest (twice: duplicates are not stored again) -> replay report; bad mappings and bad
// files leave the project untouched; `twinctl mqtt` ingests live messages into the project.
#include "MqttTestBroker.h"

#include "SharedData.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <QtTest>

#include <cmath>

namespace {
const QString kTwinctl = TWIN_BINARY_DIR "/bin/twinctl";

struct Run
{
    int code = -1;
    QByteArray out, err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

Run twinctl(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(kTwinctl, args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestTwinctlTelemetry : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void ingestThenReplay();
    void reingestStoresNothingTwice();
    void badMappingOrFileLeavesProjectUntouched_data();
    void badMappingOrFileLeavesProjectUntouched();
    void ingestsRealSkabFileWithUnits();
    void mqttIngestsLiveMessages();
    void detectOverCsv();
    void healthOfTheDemo();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.path() + "/" + name; }
};

void TestTwinctlTelemetry::initTestCase()
{
    QVERIFY(QFileInfo::exists(kTwinctl));
    const Run demo = twinctl({"demo", "--out", path("p.twin"), "--no-history", "--telemetry", path("rec.csv"),
                              "--mapping", path("mapping.json")});
    QVERIFY2(demo.code == 0, demo.err.constData());
}

void TestTwinctlTelemetry::ingestThenReplay()
{
    const Run ingest = twinctl({"--json", "ingest", path("p.twin"), path("rec.csv"), "--mapping",
                                path("mapping.json"), "--save-mapping", "default"});
    QVERIFY2(ingest.code == 0, ingest.err.constData());
    const QJsonObject j = ingest.json();
    QCOMPARE(j["rows"].toInt(), 7200);
    QCOMPARE(j["stored"].toInt(), 7200 * 18);
    QCOMPARE(j["signals"].toArray().size(), 18);
    QVERIFY(ingest.err.contains("100%")); // progress on stderr

    const Run replay =
        twinctl({"--json", "replay", path("p.twin"), "--speed", "max", "--report", path("r.json")});
    QVERIFY2(replay.code == 0, replay.err.constData());
    const QJsonObject report = QJsonDocument::fromJson(fileBytes(path("r.json"))).object();
    QCOMPARE(report["samples"].toInt(), 7200 * 18);
    QStringList p102;
    for (const auto &t : report["transitions"].toArray())
        if (t.toObject()["asset"].toString().endsWith("Pump P-102"))
            p102 << t.toObject()["to"].toString();
    QVERIFY2(p102.join(",").startsWith("Running,Degraded,Fault,Off,Running"), qPrintable(p102.join(",")));
    QCOMPARE(report["alarms"].toArray().size(), 2);
    QCOMPARE(report["dataQuality"].toArray().size(), 18);
    QCOMPARE(report["dataQuality"].toArray()[0].toObject()["samples"].toInt(), 7200);
}

void TestTwinctlTelemetry::reingestStoresNothingTwice()
{
    // Uses the saved mapping 'default' from the previous test.
    const Run again = twinctl({"--json", "ingest", path("p.twin"), path("rec.csv")});
    QVERIFY2(again.code == 0, again.err.constData());
    QCOMPARE(again.json()["stored"].toInt(), 0);
    QCOMPARE(again.json()["alreadyStored"].toInt(), 7200 * 18);
    const Run replay = twinctl({"--json", "replay", path("p.twin")});
    QCOMPARE(replay.json()["samples"].toInt(), 7200 * 18);
}

void TestTwinctlTelemetry::badMappingOrFileLeavesProjectUntouched_data()
{
    QTest::addColumn<QString>("csv");
    QTest::addColumn<QString>("mapping");
    QTest::addColumn<QString>("expected");
    const QString good = R"({"timestamp":{"column":"timestamp"},"columns":[{"column":"P101_flow_m3h",
        "asset":"Riverside site/Pump station PS-1/Skid 1/Pump P-101","telemetry":"flow","unit":"cubicMetrePerHour"}]})";
    QTest::newRow("unknown asset") << "timestamp,P101_flow_m3h\n2026-01-01T00:00:00Z,1\n"
                                   << QString(good).replace("Skid 1/Pump", "Skid 9/Pump")
                                   << "no asset at path";
    QTest::newRow("unknown telemetry")
        << "timestamp,P101_flow_m3h\n2026-01-01T00:00:00Z,1\n"
        << QString(good).replace("\"flow\"", "\"speed\"") << "has no telemetry 'speed'";
    QTest::newRow("incompatible unit")
        << "timestamp,P101_flow_m3h\n2026-01-01T00:00:00Z,1\n"
        << QString(good).replace("cubicMetrePerHour", "kelvin") << "cannot convert";
    QTest::newRow("bad number")
        << "timestamp,P101_flow_m3h\n2026-01-01T00:00:00Z,1\n2026-01-01T00:00:01Z,abc\n"
        << good << "bad.csv:3";
    QTest::newRow("missing column") << "timestamp,other\n2026-01-01T00:00:00Z,1\n" << good << "P101_flow_m3h";
    QTest::newRow("bad mapping json") << "timestamp,P101_flow_m3h\n"
                                      << "{nope"
                                      << "mapping";
}

void TestTwinctlTelemetry::badMappingOrFileLeavesProjectUntouched()
{
    QFETCH(QString, csv);
    QFETCH(QString, mapping);
    QFETCH(QString, expected);
    QFile c(path("bad.csv")), m(path("bad.json"));
    QVERIFY(c.open(QIODevice::WriteOnly) && m.open(QIODevice::WriteOnly));
    c.write(csv.toUtf8());
    m.write(mapping.toUtf8());
    c.close();
    m.close();
    const QByteArray before = fileBytes(path("p.twin"));
    const Run r = twinctl({"ingest", path("p.twin"), path("bad.csv"), "--mapping", path("bad.json")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
    QCOMPARE(fileBytes(path("p.twin")), before);
}

void TestTwinctlTelemetry::ingestsRealSkabFileWithUnits()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    QVERIFY(twinctl({"demo", "--out", path("skab.twin"), "--no-history"}).code == 0);
    const QString mapping =
        R"({"delimiter":";","timestamp":{"column":"datetime","format":"iso8601","zone":"UTC"},
      "columns":[
       {"column":"Pressure","asset":"Riverside site/Pump station PS-1/Skid 1/Pump P-101","telemetry":"dischargePressure","unit":"bar"},
       {"column":"Volume Flow RateRMS","asset":"Riverside site/Pump station PS-1/Skid 1/Pump P-101","telemetry":"flow","unit":"litrePerMinute"},
       {"column":"Temperature","asset":"Riverside site/Pump station PS-1/Skid 1/Motor M-101","telemetry":"windingTemperature","unit":"degreeCelsius"},
       {"column":"Current","asset":"Riverside site/Pump station PS-1/Skid 1/Motor M-101","telemetry":"current","unit":"ampere"}]})";
    QFile m(path("skab.json"));
    QVERIFY(m.open(QIODevice::WriteOnly));
    m.write(mapping.toUtf8());
    m.close();
    const Run r = twinctl({"--json", "ingest", path("skab.twin"),
                           TWIN_SHARED_DATA "/telemetry/skab/anomaly-free/anomaly-free.csv", "--mapping",
                           path("skab.json")});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.json()["rows"].toInt(), 9405);
    const QJsonArray perSignal = r.json()["signals"].toArray();
    QCOMPARE(perSignal.size(), 4);
    // l/min -> m3/h is a real conversion and is reported; SKAB's negative pressures are out of range (0..16
    // bar).
    QJsonObject flow, pressure;
    for (const auto &s : perSignal) {
        if (s.toObject()["signal"].toString().endsWith(".flow"))
            flow = s.toObject();
        if (s.toObject()["signal"].toString().endsWith(".dischargePressure"))
            pressure = s.toObject();
    }
    QCOMPARE(flow["converted"].toInt(), flow["stored"].toInt());
    QVERIFY(flow["conversions"].toArray().size() == 1);
    QVERIFY2(pressure["outOfRange"].toInt() > 0, qPrintable(QJsonDocument(pressure).toJson()));
    // SKAB samples at 1 Hz with ~6 % two-second steps: the rate is a little under 1/s, and a 2 s step is no
    // gap.
    QVERIFY2(pressure["rate"].toDouble() > 0.9 && pressure["rate"].toDouble() < 1.0,
             qPrintable(QString::number(pressure["rate"].toDouble())));
    QCOMPARE(pressure["gaps"].toInt(), 0);
}

void TestTwinctlTelemetry::mqttIngestsLiveMessages()
{
    if (MqttTestBroker::executable().isEmpty())
        QSKIP("mosquitto is not installed");
    MqttTestBroker broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QVERIFY(twinctl({"demo", "--out", path("live.twin"), "--no-history"}).code == 0);
    QFile config(path("conn.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"topics":["plant/#"],"qos":1,"protocol":"5",
      "mappings":[{"topic":"plant/p101","field":"/flow","signal":"P-101.flow"},
                  {"topic":"plant/p101","field":"/pressure","signal":"P-101.dischargePressure"}]})");
    config.close();
    QProcess live;
    live.start(kTwinctl,
               {"--json", "mqtt", path("live.twin"), "--broker", QString("127.0.0.1:%1").arg(broker.port()),
                "--duration", "4s", "--config", path("conn.json")});
    QVERIFY(live.waitForStarted());
    QTest::qWait(1500); // connected and subscribed
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 10; ++i) {
        const QByteArray payload = QString(R"({"timestamp": %1, "flow": %2, "pressure": 4.2})")
                                       .arg(now + i * 1000)
                                       .arg(250 + i)
                                       .toUtf8();
        QProcess pub;
        pub.start("mosquitto_pub", {"-h", "127.0.0.1", "-p", QString::number(broker.port()), "-q", "1", "-t",
                                    "plant/p101", "-m", QString::fromUtf8(payload)});
        QVERIFY(pub.waitForFinished(5000) && pub.exitCode() == 0);
    }
    {
        QProcess pub; // malformed: reported, not stored, not fatal
        pub.start("mosquitto_pub", {"-h", "127.0.0.1", "-p", QString::number(broker.port()), "-t",
                                    "plant/p101", "-m", "{not json"});
        QVERIFY(pub.waitForFinished(5000));
    }
    QVERIFY(live.waitForFinished(20000));
    const QJsonObject j = QJsonDocument::fromJson(live.readAllStandardOutput()).object();
    QVERIFY2(live.exitCode() == 0, live.readAllStandardError().constData());
    QCOMPARE(j["stored"].toInt(), 20);
    QCOMPARE(j["problems"].toInt(), 1);
    QCOMPARE(j["states"].toObject()["Riverside site/Pump station PS-1/Skid 1/Pump P-101"].toString(),
             QString("Running"));
    // The samples are in the project now.
    const Run replay = twinctl({"--json", "replay", path("live.twin")});
    QCOMPARE(replay.json()["samples"].toInt(), 20);
}

// twinctl detect on a file the test writes: one output row per input row, the fault found after the
// training rows, --help and bad input (exit 2, the file named).
void TestTwinctlTelemetry::detectOverCsv()
{
    QFile csv(path("plant.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("time,a,b,label\n");
    for (int r = 0; r < 800; ++r) {
        const double a = std::sin(r * 0.37) + 0.2 * std::cos(r * 1.3), b = 2 * a + 0.1 * std::sin(r * 2.9);
        csv.write(QString("2026-02-01T00:%1:%2,%3,%4,%5\n")
                      .arg(r / 60, 2, 10, QChar('0'))
                      .arg(r % 60, 2, 10, QChar('0'))
                      .arg(a)
                      .arg(r >= 600 ? b + 1.5 : b)
                      .arg(r >= 600)
                      .toUtf8());
    }
    csv.close();
    const Run help = twinctl({"detect", "--help"});
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.contains("--train-rows") || help.err.contains("--train-rows"));
    const Run r = twinctl({"--json", "detect", path("plant.csv"), "--train-rows", "400", "--ignore", "label",
                           "--out", path("alarms.csv")});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.json()["rows"].toInt(), 800);
    QCOMPARE(r.json()["signals"].toArray().size(), 2);
    QVERIFY2(r.json()["firstAlarm"].toString().startsWith("2026-02-01T00:10:0"),
             r.out.constData()); // row 600
    const QList<QByteArray> lines = fileBytes(path("alarms.csv")).trimmed().split('\n');
    QCOMPARE(lines.size(), 801);
    QCOMPARE(lines[0], QByteArray("timestamp,score,threshold,alarm,top_signal"));
    const Run tooMany = twinctl({"detect", path("plant.csv"), "--train-rows", "900", "--out", path("x.csv")});
    QCOMPARE(tooMany.code, 2);
    QVERIFY2(tooMany.err.contains("plant.csv") && tooMany.err.contains("800 data rows"),
             tooMany.err.constData());
    const Run badMethod = twinctl(
        {"detect", path("plant.csv"), "--train-rows", "400", "--method", "magic", "--out", path("x.csv")});
    QCOMPARE(badMethod.code, 2);
}

// twinctl health: fresh at the end of the demo's recording (exit 0), stale an hour later (exit 1, the reason
// in the JSON details), a bad --now (exit 2).
void TestTwinctlTelemetry::healthOfTheDemo()
{
    QVERIFY(twinctl({"demo", "--out", path("health.twin")}).code == 0);
    const Run fresh = twinctl({"--json", "health", path("health.twin")});
    QVERIFY2(fresh.code == 0, fresh.err.constData());
    QCOMPARE(fresh.json()["now"].toString(), QString("2026-01-05T07:59:59Z"));
    const Run stale = twinctl({"--json", "health", path("health.twin"), "--now", "2026-01-05T09:00:00Z"});
    QCOMPARE(stale.code, 1);
    const QJsonArray assets = stale.json()["details"].toObject()["assets"].toArray();
    QVERIFY(!assets.isEmpty());
    QCOMPARE(assets[0].toObject()["path"].toString(), QString("Riverside site"));
    QCOMPARE(assets[0].toObject()["level"].toString(), QString("bad"));
    const Run bad = twinctl({"health", path("health.twin"), "--now", "yesterday"});
    QCOMPARE(bad.code, 2);

    // a detector kept for Skid 2 (--save): used again without --train, and the health view reports its drift
    const QString skid = "Riverside site/Pump station PS-1/Skid 2";
    const Run saved = twinctl({"--json", "detect", path("health.twin"), "--asset", skid, "--train",
                               "2026-01-05T06:00:00Z/2026-01-05T06:30:00Z", "--save"});
    QVERIFY2(saved.code == 0, saved.err.constData());
    QCOMPARE(saved.json()["detectorKey"].toString(), "detector:" + skid + " (saved)");
    const Run again = twinctl({"--json", "detect", path("health.twin"), "--asset", skid});
    QVERIFY2(again.code == 0, again.err.constData());
    QCOMPARE(again.json()["detectorKey"].toString(), "detector:" + skid);
    QCOMPARE(again.json()["episodes"].toArray(), saved.json()["episodes"].toArray());
    const Run drift = twinctl({"--json", "health", path("health.twin")});
    QCOMPARE(drift.code, 1);
    bool found = false;
    for (const auto &a : drift.json()["details"].toObject()["assets"].toArray())
        if (a.toObject()["path"].toString() == skid) {
            found = true;
            QVERIFY(a.toObject()["drift"].toString().startsWith("alarm since 2026-01-05T06:40:09Z"));
        }
    QVERIFY(found);
    const Run none = twinctl({"detect", path("health.twin"), "--asset", "Riverside site"});
    QCOMPARE(none.code, 2);
    QVERIFY(none.err.contains("no --train window"));
}

QTEST_GUILESS_MAIN(TestTwinctlTelemetry)
#include "tst_twinctl_telemetry.moc"
