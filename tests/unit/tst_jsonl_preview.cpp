// JSON-lines preview for the import wizard: nested objects and arrays become leaf fields (JSON pointers)
// with kind and unit guess, a field appearing later and a malformed line are noted with file:line, the
// timestamp field is chosen by name and format, and toCsvPreview feeds suggestMapping.
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/telemetry/JsonLinesPreview.h"
#include "twin/model/telemetry/TelemetryIngest.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>

using namespace twin::model;

namespace {
void write(const std::string &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

const JsonFieldPreview *field(const JsonLinesPreview &p, const std::string &path)
{
    for (const auto &f : p.fields)
        if (f.path == path)
            return &f;
    return nullptr;
}

bool contains(const std::vector<std::string> &lines, const std::string &text)
{
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string &l) { return l.find(text) != std::string::npos; });
}
} // namespace

class TestJsonlPreview : public QObject
{
    Q_OBJECT
private slots:
    void nestedArraysLateFieldAndMalformedLine();
    void epochTimestampAndWindow();
    void timestampNotNamedIsOnlyCandidate();
    void noObjectLinesNamesFile();
    void suggestMappingFromJsonPreview();
};

void TestJsonlPreview::nestedArraysLateFieldAndMalformedLine()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("feed.jsonl").toStdString();
    write(path, "{\"ts\":\"2026-01-05T06:00:00Z\",\"pump\":{\"flow_gpm\":12.5,\"running\":true},"
                "\"vib\":[0.1,0.2],\"site\":\"north\"}\n"
                "{\"ts\":\"2026-01-05T06:00:01Z\",\"pump\":{\"flow_gpm\":12.75,\"running\":false},"
                "\"vib\":[0.1,0.3],\"site\":\"north\"}\n"
                "{\"ts\":\"2026-01-05T06:00:02Z\",\"pump\":{\"flow_gpm\":\n" // line 3: malformed
                "\n"
                "{\"ts\":\"2026-01-05T06:00:03Z\",\"pump\":{\"flow_gpm\":13,\"running\":true,\"kW\":4.5},"
                "\"vib\":[0.2,0.3],\"site\":\"north\"}\n");
    auto preview = previewJsonLines(path);
    QVERIFY2(preview.ok(), preview.ok() ? "" : preview.error().c_str());
    const JsonLinesPreview &p = preview.value();
    QCOMPARE(int(p.rows.size()), 3);
    QCOMPARE(p.lines, (std::vector<std::int64_t>{1, 2, 5}));
    // Leaves of nested objects and arrays, as JSON pointers.
    const auto *flow = field(p, "/pump/flow_gpm");
    QVERIFY(flow);
    QCOMPARE(int(flow->kind), int(ColumnKind::Number));
    QCOMPARE(flow->unit, std::string("gallonPerMinute"));
    const auto *running = field(p, "/pump/running");
    QVERIFY(running);
    QCOMPARE(int(running->kind), int(ColumnKind::Bool));
    QVERIFY(field(p, "/vib/0") && field(p, "/vib/1"));
    QCOMPARE(int(field(p, "/vib/1")->kind), int(ColumnKind::Number));
    QCOMPARE(int(field(p, "/site")->kind), int(ColumnKind::Text));
    // The field appearing later: first seen on line 5, missing before.
    const auto *power = field(p, "/pump/kW");
    QVERIFY(power);
    QCOMPARE(power->firstLine, std::int64_t(5));
    QCOMPARE(power->missing, std::int64_t(2));
    QCOMPARE(power->unit, std::string("kilowatt"));
    const int kw = int(power - p.fields.data());
    QCOMPARE(p.rows[0][size_t(kw)], std::string());
    QCOMPARE(p.rows[2][size_t(kw)], std::string("4.5"));
    QCOMPARE(p.rows[1][size_t(running - p.fields.data())], std::string("false"));
    QCOMPARE(p.rows[1][size_t(flow - p.fields.data())], std::string("12.75"));
    // Timestamp field chosen by name and format.
    QVERIFY(p.timestampField >= 0);
    QCOMPARE(p.fields[size_t(p.timestampField)].path, std::string("/ts"));
    QCOMPARE(int(p.fields[size_t(p.timestampField)].kind), int(ColumnKind::Timestamp));
    QVERIFY(p.timestampFormat.has_value());
    QCOMPARE(int(p.timestampFormat->kind), int(TimestampKind::Iso8601));
    // Notes name file:line.
    QVERIFY(contains(p.schemaChanges, "feed.jsonl:5: added '/pump/kW'"));
    QVERIFY(contains(p.malformedLines, "feed.jsonl:3: not valid JSON"));
    QVERIFY(contains(p.notes, "feed.jsonl:5: added '/pump/kW'"));
    QVERIFY(contains(p.notes, "feed.jsonl:3"));
    // As a CsvPreview: fields are the header, the timestamp column carries over.
    const CsvPreview c = toCsvPreview(p);
    QCOMPARE(c.header.size(), p.fields.size());
    QCOMPARE(c.header[size_t(c.timestampColumn)], std::string("/ts"));
    QCOMPARE(c.rows.size(), p.rows.size());
    QVERIFY(c.hasHeader);
}

void TestJsonlPreview::epochTimestampAndWindow()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("epoch.ndjson").toStdString();
    std::string text;
    for (int i = 0; i < 50; ++i)
        text += "{\"time\":" + std::to_string(1767592800000LL + i * 1000) + ",\"v\":" + std::to_string(i) +
                (i == 30 ? ",\"extra\":1" : "") + "}\n";
    write(path, text);
    auto p = previewJsonLines(path, 20);
    QVERIFY(p.ok());
    QCOMPARE(int(p->rows.size()), 20);
    QCOMPARE(p->fields[size_t(p->timestampField)].path, std::string("/time"));
    QCOMPARE(int(p->timestampFormat->kind), int(TimestampKind::EpochMillis));
    QVERIFY(!field(*p, "/extra")); // beyond the window
    QVERIFY(p->schemaChanges.empty());
    QCOMPARE(int(field(*p, "/v")->kind), int(ColumnKind::Number));
}

void TestJsonlPreview::timestampNotNamedIsOnlyCandidate()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("when.jsonl").toStdString();
    write(path, "{\"when\":\"2026-01-05 06:00:00\",\"a\":{\"b\":1}}\n{\"when\":\"2026-01-05 "
                "06:00:01\",\"a\":{\"b\":\"x\"}}\n");
    auto p = previewJsonLines(path);
    QVERIFY(p.ok());
    QCOMPARE(p->timestampField, -1);
    QCOMPARE(int(p->timestampCandidates.size()), 1);
    QVERIFY(contains(p->notes, "'/when' holds timestamps"));
    QVERIFY(contains(p->schemaChanges, "when.jsonl:2: retyped '/a/b'"));
    QCOMPARE(int(field(*p, "/a/b")->kind), int(ColumnKind::Text));
}

void TestJsonlPreview::noObjectLinesNamesFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("junk.json").toStdString();
    write(path, "not json\n[1,2]\n");
    auto p = previewJsonLines(path);
    QVERIFY(!p.ok());
    QVERIFY2(p.error().find("junk.json") != std::string::npos, p.error().c_str());
    QVERIFY2(p.error().find("junk.json:1") != std::string::npos, p.error().c_str());
    QVERIFY(!previewJsonLines(dir.filePath("missing.jsonl").toStdString()).ok());
}

void TestJsonlPreview::suggestMappingFromJsonPreview()
{
    Project project;
    QVERIFY(buildDemoTwin(project).ok());
    QTemporaryDir dir;
    const std::string path = dir.filePath("p101.jsonl").toStdString();
    write(path, "{\"ts\":\"2026-01-05T06:00:00Z\",\"P-101\":{\"flow\":40.5,\"dischargePressure_psi\":58}}\n");
    auto p = previewJsonLines(path);
    QVERIFY(p.ok());
    const IngestMapping m = suggestMapping(project, toCsvPreview(*p));
    QCOMPARE(m.timestampColumn, std::string("/ts"));
    QCOMPARE(int(m.columns.size()), 2);
    for (const auto &c : m.columns) {
        QVERIFY2(c.assetPath.find("P-101") != std::string::npos, c.assetPath.c_str());
        if (c.column == "/P-101/dischargePressure_psi") {
            QCOMPARE(c.telemetry, std::string("dischargePressure"));
            QCOMPARE(c.unit, std::string("poundPerSquareInch"));
        } else {
            QCOMPARE(c.column, std::string("/P-101/flow"));
            QCOMPARE(c.telemetry, std::string("flow"));
        }
    }
}

QTEST_MAIN(TestJsonlPreview)
#include "tst_jsonl_preview.moc"
