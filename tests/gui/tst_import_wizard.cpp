// The telemetry import wizard driven programmatically on real files: SKAB's anomaly-free run mapped onto
// the demo twin, cancel midway (nothing stored), and a damaged file (error names file and line; nothing
// stored, nothing lost), and a generated JSON-lines file with nested fields mapped onto P-101.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/import/ImportPages.h"
#include "twin/ui/import/ImportWizard.h"

#include "SharedData.h"
#include <QComboBox>
#include <QFile>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>

#include <QtTest>

using namespace twin;

namespace {
const QString kSkab = QStringLiteral(TWIN_SHARED_DATA "/telemetry/skab/anomaly-free/anomaly-free.csv");
const QString kPump = QStringLiteral("Riverside site/Pump station PS-1/Skid 1/Pump P-101");
const QString kMotor = QStringLiteral("Riverside site/Pump station PS-1/Skid 1/Motor M-101");

// SKAB-shaped file of `rows` rows; `badLine` (1-based, 0: none) gets a missing field.
void writeSkabLike(const QString &path, int rows, int badLine = 0)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QByteArray text =
        "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;"
        "Voltage;Volume Flow RateRMS\n";
    const QDateTime start(QDate(2020, 2, 8), QTime(13, 30, 47), QTimeZone::utc());
    for (int i = 0; i < rows; ++i) {
        text += start.addSecs(i).toString("yyyy-MM-dd HH:mm:ss").toLatin1();
        text += i + 2 == badLine ? ";0.2;0.27;2.1;0.38;90.6;26.8;238.8\n"
                                 : ";0.2;0.27;2.1;0.38;90.6;26.8;238.8;122.6\n";
        if (text.size() > (1 << 20)) {
            f.write(text);
            text.clear();
        }
    }
    f.write(text);
}
// JSON lines: nested P-101 fields, a field added on line 61 (object line 60) and a malformed line 31 (120
// object lines).
void writeJsonLines(const QString &path)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QDateTime start(QDate(2019, 3, 1), QTime(6, 0), QTimeZone::utc());
    int line = 0;
    for (int i = 0; i < 120; ++i) {
        if (++line == 31) {
            f.write("{\"ts\": \"2019-03-01T06:00:30Z\", \"P-101\": {\"flow\": \n");
            ++line;
        }
        QByteArray text = "{\"ts\":\"" + start.addSecs(i).toString(Qt::ISODate).toLatin1() +
                          "\",\"P-101\":{\"flow\":" + QByteArray::number(40.0 + i * 0.01) +
                          ",\"discharge\":{\"dischargePressure_psi\":" + QByteArray::number(58.0) + "}";
        if (line >= 61)
            text += ",\"speed_rpm\":1450";
        text += "},\"meta\":{\"seq\":" + QByteArray::number(i) + ",\"tags\":[\"a\",\"b\"]}}\n";
        f.write(text);
    }
}
} // namespace

class TestImportWizard : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void skabAnomalyFreeImportsWithSummary();
    void cancelMidwayStoresNothing();
    void damagedFileNamesFileAndLine();
    void missingFileStaysOnFirstPage();
    void jsonLinesNestedFieldsImport();

private:
    // Walks file -> preview -> mapping (Pressure, Current, Temperature mapped; the rest not) -> run page.
    void driveToRun(ui::ImportWizard &wizard, const QString &path);
    QTemporaryDir m_dir;
    std::unique_ptr<ui::ProjectDocument> m_document;
};

void TestImportWizard::initTestCase()
{
    qputenv("TWIN_NO_PROMPTS", "1");
}

void TestImportWizard::init()
{
    m_document = std::make_unique<ui::ProjectDocument>();
    auto project = std::make_unique<model::Project>();
    QVERIFY(model::buildDemoTwin(*project).ok());
    m_document->adopt(std::move(project), {}, false);
}

void TestImportWizard::driveToRun(ui::ImportWizard &wizard, const QString &path)
{
    wizard.setFilePath(path);
    wizard.restart();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::FilePageId));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::PreviewPageId));
    auto *preview = wizard.previewPage();
    QCOMPARE(preview->timestampColumnBox()->currentData().toInt(), 0); // "datetime" detected
    QCOMPARE(wizard.state().preview.delimiter, ';');
    QVERIFY(preview->table()->rowCount() > 10);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::MappingPageId));
    auto *mapping = wizard.mappingPage();
    QCOMPARE(mapping->table()->rowCount(), 8); // every numeric column offered
    for (int r = 0; r < mapping->table()->rowCount(); ++r)
        QVERIFY(mapping->setColumnTarget(mapping->table()->item(r, 0)->text(), {}, {}));
    QVERIFY(mapping->setColumnTarget("Pressure", kPump, "dischargePressure", "bar"));
    QVERIFY(mapping->setColumnTarget("Current", kMotor, "current", "A"));
    QVERIFY(mapping->setColumnTarget("Temperature", kMotor, "windingTemperature", "°C"));
    QVERIFY(!mapping->setColumnTarget("Pressure", kPump, "noSuchTelemetry"));
    QCOMPARE(mapping->columnTarget("Temperature"), kMotor + "|windingTemperature|degreeCelsius");
    QCOMPARE(mapping->columnTarget("Voltage"), QString());
}

void TestImportWizard::skabAnomalyFreeImportsWithSummary()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    ui::ImportWizard wizard(*m_document);
    QSignalSpy imported(&wizard, &ui::ImportWizard::imported);
    QSignalSpy historySpy(m_document.get(), &ui::ProjectDocument::historyChanged);
    driveToRun(wizard, kSkab);
    // The demo twin may ship with its own recording: count what the import adds.
    const auto &history = m_document->project().history;
    const std::uint64_t before = history ? history->sampleCount() : 0;
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::RunPageId));
    QTRY_VERIFY_WITH_TIMEOUT(wizard.runPage()->isComplete(), 60000);
    QVERIFY2(wizard.errorText().isEmpty(), qPrintable(wizard.errorText()));
    QCOMPARE(imported.count(), 1);
    QCOMPARE(historySpy.count(), 1);
    const auto &result = *wizard.state().result;
    QCOMPARE(result.rows, std::size_t(9405));
    QCOMPARE(int(result.reports.size()), 3);
    std::uint64_t released = 0;
    for (const auto &r : result.reports)
        released += r.released;
    QCOMPARE(result.stored, released);
    QVERIFY(result.stored > 3 * 9000); // duplicates of a timestamp with the same value are dropped
    const auto &store = m_document->project().history;
    QVERIFY(store);
    QCOMPARE(store->sampleCount() - before, result.stored);
    QVERIFY(store->findSignal({result.reports[2].key.asset, "windingTemperature"}).has_value());
    // The summary lists the signals; the mapping is saved; the document is modified.
    const QString summary = wizard.runPage()->summaryText();
    QVERIFY2(summary.contains("9405 rows") && summary.contains("windingTemperature"), qPrintable(summary));
    const auto saved = model::savedMapping(m_document->project(), "anomaly-free.csv");
    QVERIFY(saved.has_value());
    QCOMPARE(int(saved->columns.size()), 3);
    QCOMPARE(saved->timestampColumn, std::string("datetime"));
    QVERIFY(m_document->isModified());
    // Importing the same file again starts from the saved mapping.
    ui::ImportWizard again(*m_document);
    again.setFilePath(kSkab);
    again.restart();
    again.next();
    again.next();
    QCOMPARE(again.mappingPage()->columnTarget("Current"), kMotor + "|current|ampere");
    QCOMPARE(again.mappingPage()->columnTarget("Voltage"), QString());
}

void TestImportWizard::cancelMidwayStoresNothing()
{
    const QString path = m_dir.filePath("big.csv");
    writeSkabLike(path, 400000); // ~30 MB: many progress calls
    ui::ImportWizard wizard(*m_document);
    std::atomic<int> calls{0};
    // Cancel from the first progress report, i.e. while the file is being read (deterministic).
    wizard.runPage()->setProgressObserver([&](std::uint64_t done, std::uint64_t total) {
        if (calls++ == 0 && done < total)
            wizard.runPage()->cancelImport();
    });
    driveToRun(wizard, path);
    const std::uint64_t before =
        m_document->project().history ? m_document->project().history->sampleCount() : 0;
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard.runPage()->isComplete(), 60000);
    QVERIFY(calls >= 1);
    QVERIFY2(wizard.errorText().contains("cancelled"), qPrintable(wizard.errorText()));
    QCOMPARE(m_document->project().history->sampleCount(), before);
    QVERIFY(!wizard.state().result.has_value());
    QVERIFY(!m_document->isModified());
    QVERIFY(model::savedMappingNames(m_document->project()).empty());
}

void TestImportWizard::damagedFileNamesFileAndLine()
{
    // Line 501 lacks a field: the preview (first 100 rows) is fine, the import fails there.
    const QString path = m_dir.filePath("damaged.csv");
    writeSkabLike(path, 1000, 501);
    ui::ImportWizard wizard(*m_document);
    driveToRun(wizard, path);
    const auto &history = m_document->project().history;
    const std::uint64_t before = history ? history->sampleCount() : 0;
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard.runPage()->isComplete(), 60000);
    const QString error = wizard.errorText();
    QVERIFY2(error.contains("damaged.csv:501"), qPrintable(error));
    QVERIFY(error.contains("nothing was stored"));
    QCOMPARE(m_document->project().history->sampleCount(), before);
    QVERIFY(!m_document->isModified());
    QCOMPARE(int(m_document->project().graph.assetCount()) > 0, true);
}

void TestImportWizard::missingFileStaysOnFirstPage()
{
    ui::ImportWizard wizard(*m_document);
    wizard.setFilePath(m_dir.filePath("nope.csv"));
    wizard.restart();
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::FilePageId));
    QVERIFY(wizard.errorText().contains("nope.csv"));
}

void TestImportWizard::jsonLinesNestedFieldsImport()
{
    const QString path = m_dir.filePath("p101-feed.jsonl");
    writeJsonLines(path);
    ui::ImportWizard wizard(*m_document);
    wizard.setFilePath(path);
    wizard.restart();
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::PreviewPageId));
    QVERIFY(wizard.state().jsonLines);
    auto *preview = wizard.previewPage();
    QVERIFY(!preview->delimiterBox()->isEnabled());
    // Fields are the columns; "/ts" is chosen as the timestamp.
    const auto &header = wizard.state().preview.header;
    QVERIFY(std::find(header.begin(), header.end(), "/P-101/discharge/dischargePressure_psi") !=
            header.end());
    QVERIFY(std::find(header.begin(), header.end(), "/P-101/speed_rpm") != header.end());
    QCOMPARE(preview->timestampColumnBox()->currentText().section(' ', 0, 0), QString("/ts"));
    QCOMPARE(preview->table()->rowCount(), 50); // 100 preview rows, the table shows 50
    QCOMPARE(preview->table()->columnCount(), int(header.size()));
    bool noted = false;
    for (const auto &n : wizard.state().preview.notes)
        noted |= n.find("p101-feed.jsonl:31") != std::string::npos;
    QVERIFY(noted);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::MappingPageId));
    auto *mapping = wizard.mappingPage();
    // Suggested by name (tag P-101 + telemetry) and unit (psi).
    QCOMPARE(mapping->columnTarget("/P-101/flow"), kPump + "|flow|cubicMetrePerHour");
    QCOMPARE(mapping->columnTarget("/P-101/discharge/dischargePressure_psi"),
             kPump + "|dischargePressure|poundPerSquareInch");
    QVERIFY(mapping->setColumnTarget("/P-101/flow", kPump, "flow", "gpm"));
    QVERIFY(mapping->setColumnTarget("/meta/seq", {}, {}));
    QVERIFY(mapping->setColumnTarget("/P-101/speed_rpm", {}, {}));
    const auto &history = m_document->project().history;
    const std::uint64_t before = history ? history->sampleCount() : 0;
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ui::ImportWizard::RunPageId));
    QTRY_VERIFY_WITH_TIMEOUT(wizard.runPage()->isComplete(), 60000);
    QVERIFY2(wizard.errorText().isEmpty(), qPrintable(wizard.errorText()));
    const auto &result = *wizard.state().result;
    QCOMPARE(result.rows, std::size_t(120));
    QCOMPARE(int(result.reports.size()), 2);
    QCOMPARE(result.stored, std::uint64_t(240));
    QCOMPARE(m_document->project().history->sampleCount() - before, result.stored);
    const auto flow = history->findSignal({result.reports[0].key.asset, "flow"});
    QVERIFY(flow.has_value());
    const model::TimeNs t0 = 1551420000LL * model::kNsPerSecond; // 2019-03-01T06:00:00Z
    const auto samples = history->range(*flow, t0, t0 + 200 * model::kNsPerSecond);
    QCOMPARE(int(samples.size()), 120);
    QVERIFY(std::abs(samples.front().value - 40.0 * 0.227124707) < 1e-3); // gpm -> m³/h
    const QString summary = wizard.runPage()->summaryText();
    QVERIFY2(summary.contains("120 rows") && summary.contains("240 samples"), qPrintable(summary));
    QVERIFY2(summary.contains("p101-feed.jsonl:61: added '/P-101/speed_rpm'"), qPrintable(summary));
    QVERIFY2(summary.contains("p101-feed.jsonl:31: not valid JSON"), qPrintable(summary));
    const auto saved = model::savedMapping(m_document->project(), "p101-feed.jsonl");
    QVERIFY(saved.has_value());
    QCOMPARE(saved->timestampColumn, std::string("/ts"));
    QCOMPARE(int(saved->columns.size()), 2);
}

QTEST_MAIN(TestImportWizard)
#include "tst_import_wizard.moc"
