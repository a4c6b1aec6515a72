// twinctl end to end: runs the real binary on the demo, RealEstateCore and broken inputs; checks exit codes,
// text and --json output, and that failed imports leave the project file untouched.
#include "twin/model/project/ProjectFile.h"

#include <QtTest>

#ifdef TWIN_TEST_HAS_GUI
#include <QImage>
#endif
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <set>

using namespace twin::model;

namespace {
// From model/demo/DemoTwin.cpp and resources/demo/pump-station.dtdl.json.
constexpr int kDemoTypes = 15;
constexpr int kDemoAssets = 47;
constexpr int kDemoRelationships = 40; // 4 skids x 9 + 2 level sensors + 2 "contains"
// RealEstateCore v3 ontology in shared/data.
constexpr int kRecInterfaces = 767;

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QString all() const { return out + err; }
};

QByteArray readBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}
} // namespace

class TestTwinctl : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void demoWritesProject();
    void infoText();
    void infoJson();
    void validateDemoIsClean();
    void validateReportsBrokenProject();
    void importRealEstateCore();
    void importMalformedDtdlFails_data();
    void importMalformedDtdlFails();
    void importOverTheParserLimitsWarnsUnlessStrict();
    void exportThenReimportRoundTrips();
    void unknownVerbIsUsageError();
    void everyVerbAnswersHelp_data();
    void everyVerbAnswersHelp();
    void manPageAndCompletion();
    void badProjectFile_data();
    void badProjectFile();
    void screenshotWithoutDisplayFails();
    void screenshot();
    void releaseDiffRollbackAudit();

private:
    Run twinctl(const QStringList &args,
                const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                int timeoutMs = 15000) const;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QJsonObject jsonInfo(const QString &project) const;

    QTemporaryDir m_dir;
    QString m_binary;
    QString m_demo; // the demo project, written once by initTestCase for the tests that read it
    QString m_rec;  // RealEstateCore project path; each test that needs it imports it itself
    // Imports the shared RealEstateCore ontology into m_rec (skips when the shared data is absent).
    bool importRec(QString &why);
};

Run TestTwinctl::twinctl(const QStringList &args, const QProcessEnvironment &env, int timeoutMs) const
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.path());
    p.start(m_binary, args);
    Run r;
    if (!p.waitForStarted(5000)) {
        r.err = "cannot start " + m_binary;
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        r.err = "timed out: twinctl " + args.join(' ');
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QJsonObject TestTwinctl::jsonInfo(const QString &project) const
{
    const Run r = twinctl({"--json", "info", project});
    if (r.exitCode != 0)
        qWarning().noquote() << r.all();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qWarning().noquote() << "bad JSON:" << error.errorString() << r.out;
    return doc.object();
}

void TestTwinctl::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_binary = QStringLiteral(TWIN_BINARY_DIR "/bin/twinctl");
    QVERIFY2(QFileInfo(m_binary).isExecutable(), qPrintable(m_binary + " is not built"));
    m_demo = path("demo.twin");
    m_rec = path("rec.twin");
    const Run demo = twinctl({"demo", "--out", m_demo});
    QVERIFY2(demo.exitCode == 0, qPrintable(demo.all()));
}

bool TestTwinctl::importRec(QString &why)
{
    const QString ontology = QStringLiteral(TWIN_SHARED_DATA "/dtdl/realestatecore-v3/Ontology");
    if (!QFileInfo(ontology).isDir()) {
        why = "RealEstateCore v3 ontology not in shared/data";
        return false;
    }
    QFile::remove(m_rec);
    const Run r = twinctl({"--json", "import-dtdl", ontology, "--project", m_rec});
    why = r.all();
    return r.exitCode == 0;
}

void TestTwinctl::demoWritesProject()
{
    const QString out = path("written-demo.twin");
    const Run r = twinctl({"demo", "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QVERIFY(QFileInfo(out).size() > 0);
    QVERIFY2(r.out.contains(QString::number(kDemoAssets) + " assets"), qPrintable(r.out));

    const Run usage = twinctl({"demo"});
    QCOMPARE(usage.exitCode, 2); // a wrong call, not a failed one
    QVERIFY(usage.err.contains("usage"));
}

void TestTwinctl::infoText()
{
    const Run r = twinctl({"info", m_demo});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QVERIFY2(r.out.contains(QStringLiteral("%1 types, %2 assets").arg(kDemoTypes).arg(kDemoAssets)),
             qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("%1 relationships").arg(kDemoRelationships)), qPrintable(r.out));
}

void TestTwinctl::infoJson()
{
    const QJsonObject info = jsonInfo(m_demo);
    QCOMPARE(info.value("ok").toBool(), true);
    QCOMPARE(info.value("verb").toString(), QStringLiteral("info"));
    QCOMPARE(info.value("types").toInt(), kDemoTypes);
    QCOMPARE(info.value("assets").toInt(), kDemoAssets);
    QCOMPARE(info.value("roots").toInt(), 1);
    QCOMPARE(info.value("relationships").toInt(), kDemoRelationships);
    QCOMPARE(info.value("name").toString(), QStringLiteral("Riverside pump station (demo)"));
}

void TestTwinctl::validateDemoIsClean()
{
    const Run r = twinctl({"validate", m_demo});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QVERIFY2(r.out.contains("0 errors"), qPrintable(r.out));

    const Run j = twinctl({"--json", "validate", m_demo});
    QCOMPARE(j.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QCOMPARE(o.value("errors").toInt(), 0);
    QCOMPARE(o.value("findings").toArray().size(), 0);
}

void TestTwinctl::validateReportsBrokenProject()
{
    Project project;
    auto loaded = loadProject(m_demo.toStdString(), project);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().c_str());
    AssetId motor = kNoAsset, tank = kNoAsset;
    for (AssetId id : project.graph.allIds()) {
        const Asset &a = *project.graph.find(id);
        if (a.name == "Motor M-101")
            motor = id;
        if (a.name == "Storage tank T-1")
            tank = id;
    }
    QVERIFY(motor != kNoAsset && tank != kNoAsset);
    Asset rogue;
    rogue.id = project.graph.newId();
    rogue.parent = project.graph.roots().front();
    rogue.name = "Rogue asset";
    rogue.typeId = "dtmi:example:NoSuchType;1";
    QVERIFY(project.graph.insertAsset(rogue).ok());
    // Motor "drives" targets a Pump; a tank is the wrong type.
    QVERIFY(project.graph.addRelationship({0, "drives", motor, tank, {}}).ok());
    const QString broken = path("broken.twin");
    auto saved = saveProject(captureProject(project), broken.toStdString());
    QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().c_str());

    const Run r = twinctl({"validate", broken});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("Rogue asset") && r.out.contains("unknown-type"), qPrintable(r.out));
    QVERIFY2(r.out.contains("'drives'") && r.out.contains("target-type-mismatch"), qPrintable(r.out));
    QVERIFY2(r.err.contains("2 validation errors"), qPrintable(r.err));

    const Run j = twinctl({"--json", "validate", broken});
    QCOMPARE(j.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QCOMPARE(o.value("ok").toBool(true), false);
    QCOMPARE(o.value("errors").toInt(), 2);
    std::set<QString> rules;
    for (const auto &f : o.value("findings").toArray()) {
        const QJsonObject finding = f.toObject();
        QCOMPARE(finding.value("severity").toString(), QStringLiteral("error"));
        rules.insert(finding.value("rule").toString());
        if (finding.value("rule").toString() == "unknown-type")
            QVERIFY(finding.value("where").toString().endsWith("Rogue asset"));
    }
    QCOMPARE(rules, (std::set<QString>{"unknown-type", "target-type-mismatch"}));
}

void TestTwinctl::importRealEstateCore()
{
    const QString ontology = QStringLiteral(TWIN_SHARED_DATA "/dtdl/realestatecore-v3/Ontology");
    if (!QFileInfo(ontology).isDir())
        QSKIP("RealEstateCore v3 ontology not in shared/data");
    const Run r = twinctl({"--json", "import-dtdl", ontology, "--project", m_rec});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value("imported").toInt(), kRecInterfaces);
    QCOMPARE(o.value("types").toInt(), kRecInterfaces);

    const QJsonObject info = jsonInfo(m_rec);
    QCOMPARE(info.value("types").toInt(), kRecInterfaces);
    QCOMPARE(info.value("assets").toInt(), 0);
}

void TestTwinctl::importMalformedDtdlFails_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("jsonPath");
    QTest::addColumn<QString>("rule");
    QTest::newRow("bad JSON") << QByteArray("{ \"@context\": \"dtmi:dtdl:context;3\", \"@id\": ") << "$"
                              << "JsonSyntax";
    QTest::newRow("invalid DTMI") << QByteArray(R"({"@context": "dtmi:dtdl:context;3",
                                                    "@id": "dtmi:example:bad id;1", "@type": "Interface"})")
                                  << "$.@id"
                                  << "IdIsDtmi";
    QTest::newRow("invalid schema DTMI")
        << QByteArray(
               R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:example:Thing;1", "@type": "Interface",
                          "contents": [{"@type": "Property", "name": "p", "schema": "dtmi:no version"}]})")
        << "$.contents[0].schema"
        << "InvalidDtmi";
}

void TestTwinctl::importMalformedDtdlFails()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, jsonPath);
    QFETCH(QString, rule);
    QTemporaryDir input;
    QVERIFY(input.isValid());
    const QString file = input.filePath("malformed.json");
    QVERIFY(writeBytes(file, content));
    // The project exists beforehand: a failed import must not touch it.
    const QString project = path("keep.twin");
    if (!QFileInfo::exists(project))
        QCOMPARE(twinctl({"demo", "--out", project}).exitCode, 0);
    const QByteArray before = readBytes(project);
    QVERIFY(!before.isEmpty());

    const Run r = twinctl({"import-dtdl", file, "--project", project});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(file + ": " + jsonPath + ": " + rule), qPrintable(r.all()));
    QVERIFY2(r.err.contains("project not changed"), qPrintable(r.err));
    QCOMPARE(readBytes(project), before);

    // The same through a directory and --json.
    const Run j = twinctl({"--json", "import-dtdl", input.path(), "--project", project});
    QCOMPARE(j.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QCOMPARE(o.value("ok").toBool(true), false);
    const QJsonArray errors = o.value("errors").toArray();
    QVERIFY2(!errors.isEmpty(), qPrintable(j.out));
    QVERIFY2(errors.first().toString().contains("malformed.json: " + jsonPath + ": " + rule),
             qPrintable(j.out));
    QCOMPARE(readBytes(project), before);

    // A new project is not created either.
    const QString fresh = path("never.twin");
    QCOMPARE(twinctl({"import-dtdl", file, "--project", fresh}).exitCode, 1);
    QVERIFY(!QFileInfo::exists(fresh));
}

void TestTwinctl::importOverTheParserLimitsWarnsUnlessStrict()
{
    QTemporaryDir input;
    const QString file = input.filePath("grid.json");
    const QByteArray comment(600, 'c');
    QVERIFY(writeBytes(
        file, R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:example:Grid;1", "@type": "Interface",
        "comment": ")" +
                  comment + R"("})"));
    const QString project = path("limits.twin");
    const Run lenient = twinctl({"import-dtdl", file, "--project", project});
    QVERIFY2(lenient.exitCode == 0, qPrintable(lenient.all()));
    QVERIFY2(lenient.out.contains("warning: " + file + ": $.comment: StringLength"),
             qPrintable(lenient.all()));
    const Run strict = twinctl({"import-dtdl", file, "--project", path("strict.twin"), "--strict"});
    QCOMPARE(strict.exitCode, 1);
    QVERIFY(strict.out.contains("StringLength"));
}

void TestTwinctl::exportThenReimportRoundTrips()
{
    QString why;
    if (!importRec(why)) {
        if (why.contains("not in shared/data"))
            QSKIP(qPrintable(why));
        QFAIL(qPrintable(why));
    }
    const QString out = path("export");
    const Run r = twinctl({"--json", "export-dtdl", m_rec, out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("interfaces").toInt(), kRecInterfaces);
    const QStringList files = QDir(out).entryList({"*.json"}, QDir::Files);
    QCOMPARE(files.size(), kRecInterfaces);

    const QString again = path("reimported.twin");
    const Run i = twinctl({"--json", "import-dtdl", out, "--project", again});
    QVERIFY2(i.exitCode == 0, qPrintable(i.all()));
    QCOMPARE(QJsonDocument::fromJson(i.out.toUtf8()).object().value("imported").toInt(), kRecInterfaces);
    QCOMPARE(jsonInfo(again).value("types").toInt(), kRecInterfaces);
}

void TestTwinctl::unknownVerbIsUsageError()
{
    const Run r = twinctl({"frobnicate", m_demo});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("unknown verb 'frobnicate'"));
    QVERIFY(r.err.contains("usage:"));
    QCOMPARE(twinctl({}).exitCode, 2);
    QCOMPARE(twinctl({"--help"}).exitCode, 0);
    QCOMPARE(twinctl({"help"}).exitCode, 0);
    QCOMPARE(twinctl({"help", "frobnicate"}).exitCode, 2);
}

void TestTwinctl::everyVerbAnswersHelp_data()
{
    QTest::addColumn<QString>("verb");
    for (const char *verb :
         {"demo",     "info",      "validate",    "import-dtdl", "export-dtdl", "ingest",    "replay",
          "mqtt",     "fmu-info",  "fmu-run",     "ssp-info",    "ssp-run",     "scenarios", "simulate",
          "sweep",    "calibrate", "sensitivity", "detect",      "health",      "forecast",  "release",
          "releases", "diff",      "rollback",    "audit"})
        QTest::newRow(verb) << verb;
}

// VERB --help and help VERB: exit 0 with the verb's usage on stdout; the verb without its arguments: exit 2
// with the usage as the reason.
void TestTwinctl::everyVerbAnswersHelp()
{
    QFETCH(QString, verb);
    const QString usage = "usage: twinctl " + verb;
    const Run help = twinctl({verb, "--help"});
    QVERIFY2(help.exitCode == 0 && help.out.contains(usage), qPrintable(help.all()));
    const Run helpVerb = twinctl({"help", verb});
    QVERIFY2(helpVerb.exitCode == 0 && helpVerb.out == help.out, qPrintable(helpVerb.all()));
    const Run bare = twinctl({verb});
    QVERIFY2(bare.exitCode == 2 && bare.all().contains("usage:"), qPrintable(bare.all()));
}

// The man page and the bash completion come from the verbs' own help: every verb is in both, with the
// options its help names; the build writes them where the install takes them from.
void TestTwinctl::manPageAndCompletion()
{
    const Run man = twinctl({"man"});
    QCOMPARE(man.exitCode, 0);
    QVERIFY(man.out.startsWith(".TH TWINCTL 1"));
    const Run completion = twinctl({"completion"});
    QCOMPARE(completion.exitCode, 0);
    QVERIFY(completion.out.contains("complete -o filenames -F _twinctl twinctl"));
    for (const char *verb :
         {"demo",  "info",      "validate",    "import-dtdl", "export-dtdl", "ingest",    "replay",
          "mqtt",  "fmu-info",  "fmu-run",     "ssp-info",    "ssp-run",     "scenarios", "simulate",
          "sweep", "calibrate", "sensitivity", "detect",      "health",      "forecast",  "shadow"}) {
        QVERIFY2(man.out.contains(QStringLiteral(".SS ") + QString(verb).replace("-", "\\-")), verb);
        QVERIFY2(completion.out.contains(QStringLiteral("        %1) opts=\"").arg(verb)), verb);
    }
    QVERIFY(man.out.contains("\\-\\-window FROM/TO")); // shadow's options, escaped for troff
    const int shadow = int(completion.out.indexOf("        shadow) opts=\""));
    const QString shadowLine = completion.out.mid(shadow, completion.out.indexOf('\n', shadow) - shadow);
    QVERIFY2(shadowLine.contains("--window") && shadowLine.contains("--chunk") &&
                 shadowLine.contains("--save"),
             qPrintable(shadowLine));
    QFile built(QStringLiteral(TWIN_BINARY_DIR "/share/man/man1/twinctl.1"));
    QVERIFY(built.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(built.readAll()), man.out);
}

void TestTwinctl::badProjectFile_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<QByteArray>("content"); // empty: the file does not exist
    for (const char *verb : {"info", "validate", "export-dtdl"}) {
        QTest::addRow("%s missing", verb) << verb << QByteArray();
        QTest::addRow("%s garbage", verb) << verb << QByteArray("this is not a database\n");
        QByteArray truncated("SQLite format 3");
        truncated.append('\0');
        truncated.append(QByteArray(200, '\x5a'));
        QTest::addRow("%s damaged sqlite", verb) << verb << truncated;
    }
}

void TestTwinctl::badProjectFile()
{
    QFETCH(QString, verb);
    QFETCH(QByteArray, content);
    const QString file = path(QStringLiteral("bad-%1.twin").arg(QTest::currentDataTag()).replace(' ', '-'));
    QFile::remove(file);
    if (!content.isEmpty())
        QVERIFY(writeBytes(file, content));
    QStringList args{verb, file};
    if (verb == "export-dtdl")
        args << path("export-bad");
    const Run r = twinctl(args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(file), qPrintable(r.err));
    if (!content.isEmpty())
        QCOMPARE(readBytes(file), content); // reading never repairs or rewrites
}

void TestTwinctl::screenshotWithoutDisplayFails()
{
#ifndef TWIN_TEST_HAS_GUI
    QSKIP("built without the GUI: no screenshot verb");
#else
    // Regression: the verb's errors used to vanish with exit 0 (Qt's empty "emit" macro ate the call).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    const QString png = path("offscreen.png");
    if (!QFileInfo::exists(m_demo))
        QCOMPARE(twinctl({"demo", "--out", m_demo}).exitCode, 0);
    const Run r = twinctl({"screenshot", m_demo, "--out", png}, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("needs a display"), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(png));
    const Run missing = twinctl({"screenshot", path("missing.twin"), "--out", png}, env);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(path("missing.twin")), qPrintable(missing.err));
    const Run usage = twinctl({"screenshot", m_demo, "--out", png, "--size", "big"}, env);
    QCOMPARE(usage.exitCode, 2);
    QVERIFY2(usage.err.contains("--size"), qPrintable(usage.err));
#endif
}

void TestTwinctl::screenshot()
{
#ifndef TWIN_TEST_HAS_GUI
    QSKIP("built without the GUI: no screenshot verb");
#else
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(
        "QT_QPA_PLATFORM"); // ctest sets offscreen for unit tests; the screenshot needs the real display
    if (env.value("DISPLAY").isEmpty())
        QSKIP("no DISPLAY: screenshot needs an X server (run under xvfb-run)");
    if (!QFileInfo::exists(m_demo))
        QCOMPARE(twinctl({"demo", "--out", m_demo}).exitCode, 0);
    const QString png = path("shot.png");
    const Run r = twinctl({"screenshot", m_demo, "--out", png, "--size", "800x600"}, env, 25000);
    if (r.exitCode == 2 && r.err.contains("unknown verb"))
        QSKIP("twinctl was built without the GUI (no screenshot verb)");
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QImage image(png);
    QVERIFY2(!image.isNull(), qPrintable(png));
    QCOMPARE(image.size(), QSize(800, 600));
    std::set<QRgb> colours;
    for (int y = 0; y < image.height() && colours.size() <= 20; y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));
#endif
}

QTEST_GUILESS_MAIN(TestTwinctl)
#include "tst_twinctl.moc"

// The model's lifecycle headless: release the demo, change it (a type imported), see the change in the diff
// against the release (text and JSON), release again, roll back to the first, and find the whole story in the
// audit trail. A version not above the latest and a release that does not exist are bad input.
void TestTwinctl::releaseDiffRollbackAudit()
{
    const QString project = path("lifecycle.twin");
    QVERIFY(twinctl({"demo", "--out", project}).exitCode == 0);
    QFile notes(path("notes.md"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("First release\n\nExpected behaviour: as shipped. Rollback: none needed.\n");
    notes.close();
    Run r =
        twinctl({"release", project, "--version", "1.0.0", "--notes", notes.fileName(), "--author", "qa"});
    QVERIFY2(r.exitCode == 0 && r.out.contains("released 1.0.0 (sha256:"), qPrintable(r.all()));
    r = twinctl({"release", project, "--version", "0.9.0", "--notes", notes.fileName()});
    QVERIFY2(r.exitCode == 2 && r.err.contains("must be above the latest release, 1.0.0"),
             qPrintable(r.all()));
    r = twinctl({"diff", project, "1.0.0"});
    QVERIFY2(r.exitCode == 0 && r.out.contains("no changes"), qPrintable(r.all()));

    QFile dtdl(path("gauge.json"));
    QVERIFY(dtdl.open(QIODevice::WriteOnly));
    dtdl.write("{\"@context\": \"dtmi:dtdl:context;3\", \"@id\": \"dtmi:example:Gauge;1\", \"@type\": "
               "\"Interface\", \"contents\": [{\"@type\": \"Telemetry\", \"name\": \"reading\", "
               "\"schema\": \"double\"}]}");
    dtdl.close();
    QVERIFY(twinctl({"import-dtdl", dtdl.fileName(), "--project", project}).exitCode == 0);
    r = twinctl({"diff", project, "1.0.0"});
    QVERIFY2(r.exitCode == 0 && r.out.contains("+ type dtmi:example:Gauge;1"), qPrintable(r.all()));
    r = twinctl({"--json", "diff", project, "1.0.0"});
    const QJsonObject diff = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(diff.value("changes").toInt(), 1);
    QCOMPARE(diff.value("details").toArray().first().toObject().value("kind").toString(), QString("added"));
    QVERIFY(twinctl({"release", project, "--version", "1.1.0", "--notes", notes.fileName()}).exitCode == 0);
    r = twinctl({"diff", project, "1.0.0", "1.1.0"});
    QVERIFY2(r.out.contains("+ type dtmi:example:Gauge;1"), qPrintable(r.all()));
    r = twinctl({"releases", project});
    QVERIFY2(r.exitCode == 0 && r.out.contains("1.0.0") && r.out.contains("1.1.0") && r.out.contains("qa"),
             qPrintable(r.all()));

    r = twinctl({"rollback", project, "1.0.0"});
    QVERIFY2(r.exitCode == 0 && r.out.contains("rolled back to 1.0.0: 1 changes"), qPrintable(r.all()));
    r = twinctl({"diff", project, "1.0.0"});
    QVERIFY2(r.out.contains("no changes"), qPrintable(r.all()));
    QCOMPARE(twinctl({"rollback", project, "3.0.0"}).exitCode, 2);

    r = twinctl({"--json", "audit", project});
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    const QJsonArray trail = QJsonDocument::fromJson(r.out.toUtf8()).object().value("details").toArray();
    QStringList kinds;
    for (const auto &e : trail)
        kinds << e.toObject().value("kind").toString();
    QCOMPARE(kinds, QStringList({"release", "release", "rollback"}));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("intact").toBool(), true);
}
