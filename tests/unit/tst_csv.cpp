// CSV reader (quoting, line ends, BOM, delimiters, errors), preview guesses, JSON lines, and import of every
// file under shared/data/telemetry with counts verified independently (python3 csv module).
#include "twin/formats/JsonLinesReader.h"
#include "twin/model/telemetry/CsvSeries.h"

#include "SharedData.h"
#include <QTemporaryDir>

#include <QtTest>

#include <cmath>
#include <fstream>

using namespace twin;
using namespace twin::model;

namespace {
const std::string kTelemetry = TWIN_SHARED_DATA "/telemetry/";

std::string write(const QTemporaryDir &dir, const std::string &name, const std::string &content)
{
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

std::vector<std::vector<std::string>> readAll(const std::string &path, Status *status = nullptr)
{
    std::vector<std::vector<std::string>> rows;
    auto r = CsvReader::open(path);
    if (!r.ok()) {
        if (status)
            *status = Error{r.error()};
        return rows;
    }
    auto s = r->read([&](const CsvRow &row) {
        rows.emplace_back();
        for (size_t i = 0; i < row.count; ++i)
            rows.back().emplace_back(row[i]);
        return true;
    });
    if (status)
        *status = s;
    return rows;
}
} // namespace

class TestCsv : public QObject
{
    Q_OBJECT
private slots:
    void parsing_data();
    void parsing();
    void errors_data();
    void errors();
    void progressAndCancel();
    void unitGuesses_data();
    void unitGuesses();
    void sharedFiles_data();
    void sharedFiles();
    void meterDst();
    void badMeterFile();
    void valueErrorNamesColumn();
    void jsonLines();
};

void TestCsv::parsing_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("delimiter");
    QTest::addColumn<bool>("header");
    QTest::addColumn<QStringList>("lastRow");
    QTest::addColumn<int>("rows");
    QTest::newRow("LF comma") << QByteArray("t,v\n1,2\n3,4\n") << "," << true << QStringList{"3", "4"} << 2;
    QTest::newRow("CRLF semicolon") << QByteArray("t;v\r\n1;2\r\n3;4\r\n") << ";" << true
                                    << QStringList{"3", "4"} << 2;
    QTest::newRow("mixed line ends, no final newline")
        << QByteArray("t|v\r\n1|2\n3|4\r5|6") << "|" << true << QStringList{"5", "6"} << 3;
    QTest::newRow("tab") << QByteArray("t\tv\n1\t2\n") << "\t" << true << QStringList{"1", "2"} << 1;
    QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFt,v\n1,2\n") << "," << true << QStringList{"1", "2"} << 1;
    QTest::newRow("no header") << QByteArray("1,2\n3,4\n") << "," << false << QStringList{"3", "4"} << 2;
    QTest::newRow("quoted delimiter, escaped quote, newline")
        << QByteArray("t,v,n\n1,\"a,b\",\"say \"\"hi\"\"\nthere\"\n") << "," << true
        << QStringList{"1", "a,b", "say \"hi\"\nthere"} << 1;
    QTest::newRow("empty fields") << QByteArray("a,b,c\n,,\n1,,3\n") << "," << true
                                  << QStringList{"1", "", "3"} << 2;
    QTest::newRow("blank lines skipped")
        << QByteArray("a,b\n\n1,2\n\r\n3,4\n") << "," << true << QStringList{"3", "4"} << 2;
    QTest::newRow("semicolon with decimal commas")
        << QByteArray("t;v\n1;2,5\n2;3,5\n") << ";" << true << QStringList{"2", "3,5"} << 2;
}

void TestCsv::parsing()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, delimiter);
    QFETCH(bool, header);
    QFETCH(QStringList, lastRow);
    QFETCH(int, rows);
    QTemporaryDir dir;
    const auto path = write(dir, "f.csv", content.toStdString());
    auto r = CsvReader::open(path);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QCOMPARE(QString(QChar(r->delimiter())), delimiter);
    QCOMPARE(r->hasHeader(), header);
    Status status = okStatus();
    auto all = readAll(path, &status);
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().c_str());
    QCOMPARE(int(all.size()), rows);
    QStringList last;
    for (const auto &f : all.back())
        last << QString::fromStdString(f);
    QCOMPARE(last, lastRow);
}

void TestCsv::errors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");
    QTest::newRow("field count") << QByteArray("a,b,c\n1,2,3\n1,2\n")
                                 << "f.csv:3: expected 3 fields, found 2";
    QTest::newRow("field count after quoted newline")
        << QByteArray("a,b\n\"x\ny\",2\n1,2,3\n") << "f.csv:4: expected 2 fields, found 3";
    QTest::newRow("unterminated quote")
        << QByteArray("a,b\n1,\"open\n") << "f.csv:2: unterminated quoted field";
}

void TestCsv::errors()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    QTemporaryDir dir;
    Status status = okStatus();
    readAll(write(dir, "f.csv", content.toStdString()), &status);
    QVERIFY(!status.ok());
    QCOMPARE(QString::fromStdString(status.error()), message);
}

void TestCsv::progressAndCancel()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    auto r = CsvReader::open(kTelemetry + "hvac/lbnl_mzvav/MZVAV-2-1.csv");
    QVERIFY(r.ok());
    std::uint64_t last = 0;
    int calls = 0;
    QVERIFY(r->read([](const CsvRow &) { return true; },
                    [&](std::uint64_t done, std::uint64_t total) {
                        last = done;
                        ++calls;
                        return done <= total;
                    })
                .ok());
    QCOMPARE(last, r->size());
    QVERIFY(calls >= 2);
    int rows = 0;
    auto cancelled = r->read([&](const CsvRow &) { return ++rows, true; }, [](auto, auto) { return false; });
    QVERIFY(!cancelled.ok());
    QCOMPARE(QString(cancelled.error().c_str()), QString(kCancelled));
    QVERIFY(rows < 21600);
}

void TestCsv::unitGuesses_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("unit");
    QTest::newRow("_f") << "Boiler_OAT_value_f"
                        << "degreeFahrenheit";
    QTest::newRow("_psi") << "Boiler_DP_value_psi"
                          << "poundPerSquareInch";
    QTest::newRow("_gpm") << "Boiler_Flow_value_gpm"
                          << "gallonPerMinute";
    QTest::newRow("kW") << "kW"
                        << "kilowatt";
    QTest::newRow("bracket") << "Temp [°C]"
                             << "degreeCelsius";
    QTest::newRow("paren") << "Flow (l/min)"
                           << "litrePerMinute";
    QTest::newRow("SKAB pressure") << "Pressure"
                                   << "bar";
    QTest::newRow("SKAB flow") << "Volume Flow RateRMS"
                               << "litrePerMinute";
    QTest::newRow("SKAB accel") << "Accelerometer1RMS"
                                << "gForce";
    QTest::newRow("SKAB thermocouple") << "Thermocouple"
                                       << "degreeCelsius";
    QTest::newRow("SKAB current") << "Current"
                                  << "ampere";
    QTest::newRow("SKAB voltage") << "Voltage"
                                  << "volt";
    QTest::newRow("no guess") << "Boiler2_FireRate_value"
                              << "";
    QTest::newRow("no guess lbnl") << "AHU: Supply Air Temperature"
                                   << "";
}

void TestCsv::unitGuesses()
{
    QFETCH(QString, name);
    QFETCH(QString, unit);
    QCOMPARE(QString::fromStdString(guessUnitFromColumnName(name.toStdString())), unit);
}

void TestCsv::sharedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("delimiter");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("valueColumns");
    QTest::addColumn<int>("timestampKind");
    QTest::addColumn<QString>("zone");
    // Row counts: python3 csv.reader over each file (data rows after the header).
    const int iso = int(TimestampKind::Iso8601);
    QTest::newRow("skab anomaly-free") << "skab/anomaly-free/anomaly-free.csv"
                                       << ";" << 9405 << 8 << iso << "UTC";
    const std::pair<const char *, int> valve1[] = {{"0", 1147},  {"1", 1145},  {"2", 1075},  {"3", 1148},
                                                   {"4", 1095},  {"5", 1154},  {"6", 1154},  {"7", 1094},
                                                   {"8", 1144},  {"9", 1148},  {"10", 1146}, {"11", 1141},
                                                   {"12", 1140}, {"13", 1140}, {"14", 1139}, {"15", 1150}};
    for (const auto &[n, rows] : valve1)
        QTest::newRow(qPrintable(QString("skab valve1/%1").arg(n)))
            << QString("skab/valve1/%1.csv").arg(n) << ";" << rows << 10 << iso << "UTC";
    QTest::newRow("lbnl mzvav") << "hvac/lbnl_mzvav/MZVAV-2-1.csv"
                                << "," << 21600 << 18 << int(TimestampKind::NumericDate) << "UTC";
    QTest::newRow("boiler") << "hvac/boiler/boiler.csv"
                            << "," << 2976 << 14 << int(TimestampKind::MonthNameDate) << "UTC";
    QTest::newRow("meter Foley") << "hvac/meter_kW/Foley_2019.csv"
                                 << "," << 34993 << 1 << int(TimestampKind::NumericDate) << "America/Chicago";
}

void TestCsv::sharedFiles()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    QFETCH(QString, file);
    QFETCH(QString, delimiter);
    QFETCH(int, rows);
    QFETCH(int, valueColumns);
    QFETCH(int, timestampKind);
    QFETCH(QString, zone);
    CsvImportOptions options;
    options.zone = TimeZone::named(zone.toStdString()).value();
    auto s = readCsvSeries(kTelemetry + file.toStdString(), options);
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().c_str());
    QCOMPARE(QString(QChar(s->delimiter)), delimiter);
    QCOMPARE(int(s->rows()), rows);
    QCOMPARE(int(s->columns.size()), valueColumns);
    QCOMPARE(s->timestampColumn, 0);
    QCOMPARE(int(s->format.kind), timestampKind);
    for (const auto &c : s->columns)
        QCOMPARE(int(c.values.size()), rows);
    if (file.contains("mzvav"))
        QCOMPARE(int(s->format.order), int(DateOrder::MonthDay)); // 8/28/2007: second field > 12
    if (file.contains("boiler")) {
        QCOMPARE(qint64(s->times.front()), qint64(1672552800) * kNsPerSecond); // 01-Jan-23 12:00:00 AM CST
        QCOMPARE(qint64(s->times.back()), qint64(1675230300) * kNsPerSecond);  // 31-Jan-23 11:45:00 PM CST
        const auto &oat = s->columns[2];
        QCOMPARE(QString::fromStdString(oat.name), QString("Boiler_OAT_value_f"));
        QCOMPARE(QString::fromStdString(oat.unit), QString("degreeFahrenheit"));
        QCOMPARE(int(oat.missing), 2461); // "nan" cells
        const auto &pump = s->columns[9];
        QCOMPARE(QString::fromStdString(pump.name), QString("Boiler_P1A_Status_value"));
        QCOMPARE(int(pump.kind), int(ColumnKind::Bool));
        QCOMPARE(int(std::count(pump.values.begin(), pump.values.end(), 1.0)), 515); // "ON"
    }
    if (file.startsWith("skab")) {
        QCOMPARE(QString::fromStdString(s->columns[3].unit), QString("bar"));
        QVERIFY(s->backwardLines.empty());
        QCOMPARE(int(s->duplicateTimes), 0);
    }
}

void TestCsv::meterDst()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    CsvImportOptions options;
    options.zone = TimeZone::named("America/Chicago").value();
    auto s = readCsvSeries(kTelemetry + "hvac/meter_kW/Foley_2019.csv", options);
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().c_str());
    QCOMPARE(int(s->rows()), 34993);
    // The fall-back hour: every 11/3/2019 1:xx row is flagged (lines 29330..29338, checked with grep).
    const std::vector<std::int64_t> ambiguous = {29330, 29331, 29332, 29333, 29334,
                                                 29335, 29336, 29337, 29338};
    QCOMPARE(s->ambiguousLines, ambiguous);
    for (auto line : ambiguous)
        QVERIFY(s->quality[line - 2] & QualityAmbiguousTime);
    // The wall clock steps back from 1:45 to 1:00 at line 29331.
    QCOMPARE(s->backwardLines, std::vector<std::int64_t>{29331});
    // Resolved by sequence: 1:45 CDT, then the repeated 1:00..1:45 in CST; times never go backwards.
    QVERIFY(std::is_sorted(s->times.begin(), s->times.end()));
    QCOMPARE(qint64(s->times[29331 - 2] - s->times[29330 - 2]), qint64(900) * kNsPerSecond);
    // Duplicates: 3/9 19:00..19:45 (4, in the source) and the second copies of 1:00..1:45 CST (4).
    QCOMPARE(int(s->duplicateTimes), 8);
    // Spring forward: 3/10/2019 1:45 CST -> 3:00 CDT (lines 6537, 6538) is 15 minutes; nothing invented.
    QCOMPARE(qint64(s->times[6538 - 2] - s->times[6537 - 2]), qint64(900) * kNsPerSecond);
}

void TestCsv::badMeterFile()
{
    TWIN_SKIP_WITHOUT_SHARED_DATA();
    const std::string path = kTelemetry + "hvac/meter_kW/bad_csv_file_test.csv";
    auto preview = previewCsv(path, 50);
    QVERIFY(preview.ok());
    QCOMPARE(preview->timestampColumn, -1); // "Dately" is not a timestamp name
    QCOMPARE(preview->timestampCandidates, std::vector<int>{0});
    QCOMPARE(int(preview->columns[0].kind), int(ColumnKind::Timestamp));
    QCOMPARE(QString::fromStdString(preview->columns[1].unit), QString("kilowatt"));
    auto failed = readCsvSeries(path);
    QVERIFY(!failed.ok());
    QCOMPARE(
        QString::fromStdString(failed.error()),
        QString("bad_csv_file_test.csv:1: column 1 'Dately': not named like a timestamp column; choose the "
                "timestamp column explicitly"));
    CsvImportOptions options;
    options.timestampColumn = 0;
    options.zone = TimeZone::named("America/Chicago").value();
    auto s = readCsvSeries(path, options);
    QVERIFY2(s.ok(), s.ok() ? "" : s.error().c_str());
    QCOMPARE(int(s->rows()), 33118);
    QCOMPARE(s->ambiguousLines, (std::vector<std::int64_t>{27633, 27634, 27635, 27636, 27637, 27638}));
    QVERIFY(s->backwardLines.empty());
    QCOMPARE(int(s->duplicateTimes), 2); // 11/3/2019 1:00 and 1:45 appear twice
}

void TestCsv::valueErrorNamesColumn()
{
    QTemporaryDir dir;
    const auto path = write(dir, "meter.csv", "Date,kW\n1/1/2019 0:00,1.5\n1/1/2019 0:15,abc\n");
    auto s = readCsvSeries(path);
    QVERIFY(s.ok()); // 'abc' inside the preview window: the column is text and is skipped, not an error
    QCOMPARE(s->skippedColumns, std::vector<std::string>{"kW"});
    // A number column that turns bad after the preview window (200 rows) fails naming file, line, column.
    std::string big = "Date,kW\n";
    for (int i = 0; i < 300; ++i)
        big += "2019-01-01 00:" + std::to_string(10 + i % 50) + ",1.5\n";
    big += "2019-01-02 00:00,abc\n";
    auto s2 = readCsvSeries(write(dir, "meter2.csv", big));
    QVERIFY(!s2.ok());
    QCOMPARE(QString::fromStdString(s2.error()),
             QString("meter2.csv:302: column 2 'kW': 'abc' is not a number"));
}

void TestCsv::jsonLines()
{
    QTemporaryDir dir;
    const auto path =
        write(dir, "feed.jsonl",
              "{\"ts\":\"2022-05-07T12:00:00Z\",\"pump\":{\"flow\":1.5,\"on\":true}}\n"
              "\n"
              "{\"ts\":\"2022-05-07T12:00:01Z\",\"pump\":{\"flow\":2.5,\"on\":false,\"rpm\":1450}}\n"
              "{\"ts\":\"2022-05-07T12:00:02Z\",\"pump\":{\"flow\":\"n/a\"}}\n");
    QCOMPARE(QString::fromStdString(toJsonPointer("pump.flow")), QString("/pump/flow"));
    QCOMPARE(QString::fromStdString(toJsonPointer("a.b[2]")), QString("/a/b/2"));
    auto r = JsonLinesReader::open(path, {"ts", "pump.flow", "/pump/rpm"});
    QVERIFY(r.ok());
    std::vector<std::int64_t> lines;
    std::vector<double> flows;
    std::vector<size_t> fieldsSeen;
    QVERIFY(r->read([&](const JsonLine &l) {
                 lines.push_back(l.line);
                 flows.push_back(l.values[1].type == JsonField::Type::Number ? l.values[1].number : NAN);
                 fieldsSeen.push_back(l.leafPaths.size());
                 return true;
             }).ok());
    QCOMPARE(lines, (std::vector<std::int64_t>{1, 3, 4}));
    QCOMPARE(flows[0], 1.5);
    QCOMPARE(flows[1], 2.5);
    QVERIFY(std::isnan(flows[2]));
    QCOMPARE(fieldsSeen, (std::vector<size_t>{3, 4, 2}));
    const auto &changes = r->schemaChanges();
    QCOMPARE(int(changes.size()), 2);
    QCOMPARE(changes[0].line, std::int64_t(3));
    QCOMPARE(changes[0].added, std::vector<std::string>{"/pump/rpm"});
    QCOMPARE(changes[1].removed, (std::vector<std::string>{"/pump/on", "/pump/rpm"}));
    QCOMPARE(changes[1].retyped, std::vector<std::string>{"/pump/flow"});
    const auto bad = write(dir, "bad.jsonl", "{\"a\":1}\n[1,2]\n");
    auto rb = JsonLinesReader::open(bad, {"a"});
    QVERIFY(rb.ok());
    auto st = rb->read([](const JsonLine &) { return true; });
    QVERIFY(!st.ok());
    QCOMPARE(QString::fromStdString(st.error()), QString("bad.jsonl:2: not a JSON object"));
}

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
