// The demo's generated recording and rules must produce a living station with one fault episode.
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/state/StateEngine.h"

#include <QtTest>

using namespace twin::model;

namespace {
AssetId byPath(const Project &p, const std::string &path)
{
    for (AssetId id : p.graph.allIds())
        if (p.graph.path(id) == path)
            return id;
    return kNoAsset;
}

QStringList visited(const StateEngine &e, AssetId asset)
{
    QStringList out;
    for (const auto &c : e.changes())
        if (c.asset == asset)
            out << QString::fromStdString(c.to);
    return out;
}
} // namespace

class TestDemoTelemetry : public QObject
{
    Q_OBJECT
private slots:
    void mappingNamesRealAssetsAndTelemetry();
    void recordingDrivesAFaultEpisode();
    void csvHasOneRowPerSecond();
};

void TestDemoTelemetry::mappingNamesRealAssetsAndTelemetry()
{
    Project p;
    QVERIFY(buildDemoTwin(p).ok());
    for (const auto &c : demoTelemetryColumns()) {
        const AssetId id = byPath(p, c.assetPath);
        QVERIFY2(id != kNoAsset, c.assetPath.c_str());
        bool found = false;
        for (const auto *t : p.types.telemetry(p.graph.find(id)->typeId))
            found |= t->name == c.telemetry;
        QVERIFY2(found, (c.assetPath + " has no telemetry " + c.telemetry).c_str());
    }
    QCOMPARE(int(projectRuleSets(p).size()), 2);
}

void TestDemoTelemetry::recordingDrivesAFaultEpisode()
{
    Project p;
    QVERIFY(buildDemoTwin(p).ok());
    auto engine = StateEngine::create(p, projectRuleSets(p));
    QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().c_str());
    const auto columns = demoTelemetryColumns();
    std::vector<AssetId> assets;
    for (const auto &c : columns)
        assets.push_back(byPath(p, c.assetPath));
    for (int second = 0; second < kDemoTelemetrySeconds; ++second) {
        const TimeNs t = kDemoTelemetryStart + TimeNs(second) * kNsPerSecond;
        for (size_t c = 0; c < columns.size(); ++c)
            (*engine)->setInput(assets[c], columns[c].telemetry, t, demoTelemetryValue(c, second));
    }
    const std::string skid = "Riverside site/Pump station PS-1/Skid ";
    const AssetId p102 = byPath(p, skid + "2/Pump P-102");
    const AssetId m102 = byPath(p, skid + "2/Motor M-102");
    const QStringList pumpPath = visited(**engine, p102);
    QVERIFY2(pumpPath.join(",").startsWith("Running,Degraded,Fault,Off,Running"),
             qPrintable(pumpPath.join(",")));
    QVERIFY2(visited(**engine, m102).contains("Fault"), qPrintable(visited(**engine, m102).join(",")));
    QCOMPARE(QString::fromStdString((*engine)->stateOf(byPath(p, skid + "1/Pump P-101"))),
             QString("Running"));
    QCOMPARE(QString::fromStdString((*engine)->stateOf(byPath(p, skid + "3/Pump P-103"))),
             QString("Running"));
    QCOMPARE(QString::fromStdString((*engine)->stateOf(byPath(p, skid + "4/Pump P-104"))), QString("Off"));
    QStringList alarms;
    for (const auto &a : (*engine)->alarms())
        alarms << QString::fromStdString(a.name);
    QVERIFY2(alarms.contains("Low discharge pressure") && alarms.contains("Winding over temperature"),
             qPrintable(alarms.join(",")));
    QVERIFY((*engine)->activeAlarms().empty()); // the episode is over by the end
}

void TestDemoTelemetry::csvHasOneRowPerSecond()
{
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/demo.csv").toStdString();
    QVERIFY(writeDemoTelemetryCsv(path, 600).ok());
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 601);
    QVERIFY(lines[0].startsWith("timestamp,P101_flow_m3h"));
    QVERIFY(lines[1].startsWith("2026-01-05T06:00:00Z,"));
    QCOMPARE(lines[1].split(',').size(), int(demoTelemetryColumns().size()) + 1);
}

QTEST_GUILESS_MAIN(TestDemoTelemetry)
#include "tst_demo_telemetry.moc"
