// The .twin project file: round trip, atomic saves, damaged and foreign files, autosave detection.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/project/FillLevel.h"
#include "twin/model/project/ProjectFile.h"
#include "twin/model/project/StartAsset.h"
#include "twin/model/scenario/Scenario.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <QtTest>

#include <fstream>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace twin::model;

namespace {
std::string snapshotText(const Project &p)
{
    std::string out;
    for (AssetId id : p.graph.allIds()) {
        const Asset &a = *p.graph.find(id);
        out += p.graph.path(id) + "|" + a.typeId + "|" + std::to_string(a.placement.position[0]) + "|";
        for (const auto &[k, v] : a.properties)
            out += k + "=" + valueToJson(v) + ",";
        out += "\n";
    }
    for (const auto &r : p.graph.relationships())
        out += r.name + ":" + std::to_string(r.source) + "->" + std::to_string(r.target) + "\n";
    for (const auto &[k, v] : p.meta)
        out += k + "=" + v + "\n";
    return out;
}

void writeFile(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
} // namespace

class TestProject : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void demoRoundTrip();
    void startAssetIsNamedOrTheFirstWithData();
    void fillLevelOfATank();
    void typesRoundTripLosslessly();
    void damagedFilesGiveClearErrors_data();
    void damagedFilesGiveClearErrors();
    void cancelledSaveKeepsOldFile();
    void crashDuringSaveKeepsOldFile();
    void autosaveNewerIsDetected();

private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const { return (m_dir.path() + "/" + name).toStdString(); }
};

void TestProject::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestProject::demoRoundTrip()
{
    Project demo;
    QVERIFY2(buildDemoTwin(demo).ok(), "demo builds");
    QVERIFY(demo.graph.assetCount() >= 40);
    const auto file = path("demo.twin");
    auto saved = saveProject(captureProject(demo), file);
    QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().c_str());
    Project reopened;
    auto loaded = loadProject(file, reopened);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
    QCOMPARE(QString::fromStdString(snapshotText(reopened)), QString::fromStdString(snapshotText(demo)));
    QCOMPARE(reopened.types.size(), demo.types.size());
}

void TestProject::startAssetIsNamedOrTheFirstWithData()
{
    Project p;
    QVERIFY(buildDemoTwin(p).ok());
    const std::string motor = "Riverside site/Pump station PS-1/Skid 3/Motor M-103";
    QCOMPARE(QString::fromStdString(p.graph.path(startAsset(p))), QString::fromStdString(motor));
    p.meta[kStartAssetMeta] = "Riverside site/no such asset"; // unknown: as if none were named
    p.history = std::make_shared<TimeSeriesStore>();
    QCOMPARE(startAsset(p), p.graph.roots().front()); // nothing recorded
    const AssetId pump = scenario::findAssetByPath(p, "Riverside site/Pump station PS-1/Skid 2/Pump P-102");
    const AssetId site = p.graph.roots().front();
    QVERIFY(pump != kNoAsset);
    p.history->addSignal({site, "empty"}); // a signal without samples does not count
    const SignalId flow = p.history->addSignal({pump, "flow"}, "cubicMetrePerHour");
    p.history->append(flow, std::vector<Sample>{{1, 0, 12.5, QualityGood}});
    QCOMPARE(startAsset(p), pump);
    p.meta.erase(kStartAssetMeta);
    QCOMPARE(startAsset(p), pump);
    QCOMPARE(startAsset(Project{}), kNoAsset);
}

// A tank's fill: its "level" telemetry with the declared range (0 to 6.5 m in the demo), unless the project
// names another telemetry for the type (or an ancestor) or turns it off; fractions clamp to [0, 1].
void TestProject::fillLevelOfATank()
{
    Project p;
    QVERIFY(buildDemoTwin(p).ok());
    const std::string tank = "dtmi:twinworks:demo:Tank;1", pump = "dtmi:twinworks:demo:Pump;1";
    const auto source = fillSource(p, tank);
    QVERIFY(source);
    QCOMPARE(QString::fromStdString(source->telemetry), QString("level"));
    QCOMPARE(source->empty, 0.0);
    QCOMPARE(source->full, 6.5);
    QCOMPARE(fillFraction(*source, 3.25), 0.5);
    QCOMPARE(fillFraction(*source, -1), 0.0);
    QCOMPARE(fillFraction(*source, 9), 1.0);
    QVERIFY(std::isnan(fillFraction(*source, std::nan(""))));
    QVERIFY(!fillSource(p, pump));                        // no level
    p.meta[std::string(kFillMetaPrefix) + pump] = "flow"; // 0 to 600 m3/h: a pump drawn as full as it runs
    QCOMPARE(QString::fromStdString(fillSource(p, pump)->telemetry), QString("flow"));
    QCOMPARE(fillSource(p, pump)->full, 600.0);
    p.meta[std::string(kFillMetaPrefix) + pump] = "speed"; // a property, not telemetry
    QVERIFY(!fillSource(p, pump));
    p.meta[std::string(kFillMetaPrefix) + tank] = "";
    QVERIFY(!fillSource(p, tank));
}

void TestProject::typesRoundTripLosslessly()
{
    Project demo;
    QVERIFY(buildDemoTwin(demo).ok());
    const auto file = path("types.twin");
    QVERIFY(saveProject(captureProject(demo), file).ok());
    Project reopened;
    QVERIFY(loadProject(file, reopened).ok());
    const std::string pump = "dtmi:twinworks:demo:Pump;1";
    const auto *speed = reopened.types.property(pump, "speed");
    QVERIFY(speed);
    QCOMPARE(speed->unit, std::string("revolutionPerMinute"));
    QVERIFY(speed->maximum && *speed->maximum == 3600.0);
    QVERIFY(reopened.types.isA(pump, "dtmi:twinworks:demo:Asset;1"));
    const auto *state = reopened.types.property(pump, "state");
    QVERIFY(state && state->schema && state->schema->kind == SchemaKind::Enum);
    QCOMPARE(int(state->schema->enumValues.size()), 4);
    const auto *feeds = reopened.types.relationship(pump, "feeds");
    QVERIFY(feeds);
    QCOMPARE(feeds->target, std::string("dtmi:twinworks:demo:Tank;1"));
    QCOMPARE(int(feeds->properties.size()), 1);
}

void TestProject::damagedFilesGiveClearErrors_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing") << 0 << "file not found";
    QTest::newRow("text file") << 1 << "not a Twinworks project";
    QTest::newRow("foreign sqlite") << 2 << "another application";
    QTest::newRow("truncated") << 3 << "";
    QTest::newRow("garbage in assets") << 4 << "assets row";
}

void TestProject::damagedFilesGiveClearErrors()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    const auto file = path(("bad" + std::to_string(kind) + ".twin").c_str());
    Project demo;
    QVERIFY(buildDemoTwin(demo).ok());
    switch (kind) {
    case 1:
        writeFile(file, "hello, I am not a database\n");
        break;
    case 2: {
        sqlite3 *db = nullptr;
        sqlite3_open(file.c_str(), &db);
        sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES(1);", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        break;
    }
    case 3: {
        QVERIFY(saveProject(captureProject(demo), file).ok());
        auto bytes = readFile(file);
        writeFile(file, bytes.substr(0, bytes.size() / 3));
        break;
    }
    case 4: {
        QVERIFY(saveProject(captureProject(demo), file).ok());
        sqlite3 *db = nullptr;
        sqlite3_open(file.c_str(), &db);
        sqlite3_exec(db, "UPDATE assets SET properties='{broken' WHERE id=3", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        break;
    }
    default:
        break;
    }
    auto result = loadProjectData(file);
    QVERIFY(!result.ok());
    const QString message = QString::fromStdString(result.error());
    QVERIFY2(message.contains(QString::fromStdString(file)), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TestProject::cancelledSaveKeepsOldFile()
{
    const auto file = path("cancel.twin");
    Project demo;
    QVERIFY(buildDemoTwin(demo).ok());
    writeFile(file, "previous contents");
    ProjectData big = captureProject(demo);
    big.history = nullptr; // progress then covers the asset rows only (history persistence has its own tests)
    for (int i = 0; i < 2000; ++i) {
        Asset a = big.assets.back();
        a.id = 100000 + i;
        a.parent = kNoAsset;
        big.assets.push_back(a);
    }
    SaveOptions options;
    options.progress = [](double fraction) { return fraction < 0.3; };
    QVERIFY(!saveProject(big, file, options).ok());
    QCOMPARE(readFile(file), std::string("previous contents"));
    QCOMPARE(QDir(m_dir.path()).entryList({"*.saving-*"}).size(), 0);
}

void TestProject::crashDuringSaveKeepsOldFile()
{
    const auto file = path("crash.twin");
    Project demo;
    QVERIFY(buildDemoTwin(demo).ok());
    QVERIFY(saveProject(captureProject(demo), file).ok());
    const std::string before = readFile(file);
    ProjectData big = captureProject(demo);
    big.history = nullptr;
    for (int i = 0; i < 4000; ++i) {
        Asset a = big.assets.back();
        a.id = 200000 + i;
        a.parent = kNoAsset;
        big.assets.push_back(a);
    }
    const pid_t child = fork();
    if (child == 0) {
        SaveOptions options;
        options.progress = [](double fraction) {
            if (fraction > 0.5)
                _exit(3); // the process dies in the middle of writing
            return true;
        };
        [[maybe_unused]] const twin::Status saved = saveProject(big, file, options); // exits inside: _exit(3)
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    QCOMPARE(WEXITSTATUS(status), 3);
    QCOMPARE(readFile(file), before);
    Project reopened;
    QVERIFY(loadProject(file, reopened).ok());
    QCOMPARE(reopened.graph.assetCount(), demo.graph.assetCount());
}

void TestProject::autosaveNewerIsDetected()
{
    const auto file = path("auto.twin");
    Project demo;
    QVERIFY(buildDemoTwin(demo).ok());
    QVERIFY(saveProject(captureProject(demo), file).ok());
    QVERIFY(!hasNewerAutosave(file));
    QTest::qWait(20);
    QVERIFY(saveProject(captureProject(demo), autosavePath(file)).ok());
    QVERIFY(hasNewerAutosave(file));
}

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
