// Timestamp formats, format detection (US/EU order), zones and DST (repeated and skipped wall times).
#include "twin/formats/TimestampParser.h"

#include <QtTest>

using namespace twin::model;

namespace {
qint64 utc(int y, int mo, int d, int h, int mi, int s, std::int64_t ns = 0)
{
    return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * kNsPerSecond + ns;
}
qint64 seconds(int y, int mo, int d, int h, int mi) // also a local wall time counted like UTC seconds
{
    return utc(y, mo, d, h, mi, 0) / kNsPerSecond;
}
TimestampFormat fmt(TimestampKind kind, DateOrder order = DateOrder::MonthDay, const char *zone = "UTC")
{
    TimestampFormat f;
    f.kind = kind;
    f.order = order;
    f.zone = TimeZone::named(zone).value();
    return f;
}
} // namespace

class TestTimestamps : public QObject
{
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void detects_data();
    void detects();
    void fallBackIsAmbiguous();
    void springForwardDoesNotExist();
    void posixAndFixedZones();
    void resolvesLocalTimes_data();
    void resolvesLocalTimes();
    void zoneOffsets_data();
    void zoneOffsets();
    void unknownZones_data();
    void unknownZones();
};

void TestTimestamps::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<qint64>("expected");
    const int iso = int(TimestampKind::Iso8601), num = int(TimestampKind::NumericDate),
              mon = int(TimestampKind::MonthNameDate), md = int(DateOrder::MonthDay),
              dm = int(DateOrder::DayMonth);
    QTest::newRow("iso Z") << "2022-05-07T12:00:00Z" << iso << md << "UTC" << utc(2022, 5, 7, 12, 0, 0);
    QTest::newRow("iso offset") << "2022-05-07T12:00:00+02:00" << iso << md << "UTC"
                                << utc(2022, 5, 7, 10, 0, 0);
    QTest::newRow("iso -hhmm") << "2022-05-07T12:00:00-0530" << iso << md << "UTC"
                               << utc(2022, 5, 7, 17, 30, 0);
    QTest::newRow("iso fraction") << "2022-05-07 12:00:00.123456789Z" << iso << md << "UTC"
                                  << utc(2022, 5, 7, 12, 0, 0, 123456789);
    QTest::newRow("iso ms") << "2022-05-07T12:00:00.5" << iso << md << "UTC"
                            << utc(2022, 5, 7, 12, 0, 0, 500000000);
    QTest::newRow("iso no zone, local zone")
        << "2022-05-07 12:00:00" << iso << md << "Europe/Berlin" << utc(2022, 5, 7, 10, 0, 0);
    QTest::newRow("iso no seconds") << "2022-05-07 12:00" << iso << md << "UTC" << utc(2022, 5, 7, 12, 0, 0);
    QTest::newRow("iso date only") << "2022-05-07" << iso << md << "UTC" << utc(2022, 5, 7, 0, 0, 0);
    QTest::newRow("skab") << "2020-02-08 13:30:47" << iso << md << "UTC" << utc(2020, 2, 8, 13, 30, 47);
    QTest::newRow("US M/D") << "5/7/2022 12:00" << num << md << "UTC" << utc(2022, 5, 7, 12, 0, 0);
    QTest::newRow("EU D/M") << "5/7/2022 12:00" << num << dm << "UTC" << utc(2022, 7, 5, 12, 0, 0);
    QTest::newRow("EU dots seconds") << "07.05.2022 13:00:05" << num << dm << "UTC"
                                     << utc(2022, 5, 7, 13, 0, 5);
    QTest::newRow("2-digit year PM") << "5/7/22 1:30 PM" << num << md << "UTC" << utc(2022, 5, 7, 13, 30, 0);
    QTest::newRow("12 AM is midnight")
        << "5/7/22 12:15 AM" << num << md << "UTC" << utc(2022, 5, 7, 0, 15, 0);
    QTest::newRow("meter, Chicago CST")
        << "1/1/2019 0:00" << num << md << "America/Chicago" << utc(2019, 1, 1, 6, 0, 0);
    QTest::newRow("meter, Chicago CDT")
        << "7/1/2019 0:00" << num << md << "America/Chicago" << utc(2019, 7, 1, 5, 0, 0);
    QTest::newRow("month name CDT") << "07-May-22 12:00:00 PM CDT" << mon << md << "UTC"
                                    << utc(2022, 5, 7, 17, 0, 0);
    QTest::newRow("boiler CST") << "01-Jan-23 12:00:00 AM CST" << mon << md << "UTC"
                                << utc(2023, 1, 1, 6, 0, 0);
    QTest::newRow("month name EST") << "31-Jan-23 11:45:00 PM EST" << mon << md << "UTC"
                                    << utc(2023, 2, 1, 4, 45, 0);
    QTest::newRow("full month CEST") << "7 May 2022 12:00 CEST" << mon << md << "UTC"
                                     << utc(2022, 5, 7, 10, 0, 0);
    QTest::newRow("BST") << "07-May-2022 12:00:00 BST" << mon << md << "UTC" << utc(2022, 5, 7, 11, 0, 0);
    QTest::newRow("PDT") << "07-May-22 12:00 PDT" << mon << md << "UTC" << utc(2022, 5, 7, 19, 0, 0);
    QTest::newRow("MST") << "07-Jan-22 12:00 MST" << mon << md << "UTC" << utc(2022, 1, 7, 19, 0, 0);
    QTest::newRow("GMT") << "07-Jan-22 12:00 GMT" << mon << md << "UTC" << utc(2022, 1, 7, 12, 0, 0);
    QTest::newRow("CET") << "07-Jan-22 12:00 CET" << mon << md << "UTC" << utc(2022, 1, 7, 11, 0, 0);
    QTest::newRow("epoch s") << "1651924800" << int(TimestampKind::EpochSeconds) << md << "UTC"
                             << utc(2022, 5, 7, 12, 0, 0);
    QTest::newRow("epoch s fraction") << "1651924800.25" << int(TimestampKind::EpochSeconds) << md << "UTC"
                                      << utc(2022, 5, 7, 12, 0, 0, 250000000);
    QTest::newRow("epoch ms") << "1651924800123" << int(TimestampKind::EpochMillis) << md << "UTC"
                              << utc(2022, 5, 7, 12, 0, 0, 123000000);
    QTest::newRow("epoch us") << "1651924800123456" << int(TimestampKind::EpochMicros) << md << "UTC"
                              << utc(2022, 5, 7, 12, 0, 0, 123456000);
    QTest::newRow("epoch ns") << "1651924800123456789" << int(TimestampKind::EpochNanos) << md << "UTC"
                              << utc(2022, 5, 7, 12, 0, 0, 123456789);
    QTest::newRow("epoch auto ms") << "1651924800123" << int(TimestampKind::EpochAuto) << md << "UTC"
                                   << utc(2022, 5, 7, 12, 0, 0, 123000000);
    QTest::newRow("epoch auto s") << "1651924800" << int(TimestampKind::EpochAuto) << md << "UTC"
                                  << utc(2022, 5, 7, 12, 0, 0);
}

void TestTimestamps::parses()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(int, order);
    QFETCH(QString, zone);
    QFETCH(qint64, expected);
    auto z = TimeZone::named(zone.toStdString());
    QVERIFY2(z.ok(), z.ok() ? "" : z.error().c_str());
    TimestampFormat f = fmt(TimestampKind(kind), DateOrder(order));
    f.zone = z.value();
    auto r = parse(text.toStdString(), f);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().c_str());
    QCOMPARE(qint64(r.value()), expected);
}

void TestTimestamps::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::newRow("month 13") << "2022-13-07 12:00" << int(TimestampKind::Iso8601);
    QTest::newRow("Feb 30") << "2/30/2022 12:00" << int(TimestampKind::NumericDate);
    QTest::newRow("Feb 29 non-leap") << "2023-02-29" << int(TimestampKind::Iso8601);
    QTest::newRow("hour 25") << "2022-05-07 25:00" << int(TimestampKind::Iso8601);
    QTest::newRow("13 PM") << "5/7/2022 13:00 PM" << int(TimestampKind::NumericDate);
    QTest::newRow("unknown zone") << "07-May-22 12:00 XYZ" << int(TimestampKind::MonthNameDate);
    QTest::newRow("bad month name") << "07-Mai-22 12:00" << int(TimestampKind::MonthNameDate);
    QTest::newRow("garbage") << "Dately" << int(TimestampKind::NumericDate);
    QTest::newRow("trailing junk") << "2022-05-07 12:00:00 junk" << int(TimestampKind::Iso8601);
    QTest::newRow("epoch text") << "12abc" << int(TimestampKind::EpochSeconds);
}

void TestTimestamps::rejects()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    auto r = parse(text.toStdString(), fmt(TimestampKind(kind)));
    QVERIFY(!r.ok());
    QVERIFY(QString::fromStdString(r.error()).contains(text));
}

void TestTimestamps::detects_data()
{
    QTest::addColumn<QStringList>("samples");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("note");
    const int md = int(DateOrder::MonthDay), dm = int(DateOrder::DayMonth);
    QTest::newRow("US by second field") << QStringList{"5/7/2022 12:00", "5/13/2022 12:00"}
                                        << int(TimestampKind::NumericDate) << md << "second field exceeds 12";
    QTest::newRow("EU by first field") << QStringList{"5/7/2022 12:00", "13/7/2022 12:00"}
                                       << int(TimestampKind::NumericDate) << dm << "first field exceeds 12";
    QTest::newRow("ambiguous -> US") << QStringList{"5/7/2022 12:00", "6/7/2022 12:00"}
                                     << int(TimestampKind::NumericDate) << md << "ambiguous";
    QTest::newRow("iso") << QStringList{"2020-02-08 13:30:47"} << int(TimestampKind::Iso8601) << md << "";
    QTest::newRow("month name") << QStringList{"01-Jan-23 12:00:00 AM CST"}
                                << int(TimestampKind::MonthNameDate) << md << "";
    QTest::newRow("epoch s") << QStringList{"1651924800", "1651924801"} << int(TimestampKind::EpochSeconds)
                             << md << "magnitude";
    QTest::newRow("epoch ms") << QStringList{"1651924800000"} << int(TimestampKind::EpochMillis) << md
                              << "magnitude";
    QTest::newRow("epoch us") << QStringList{"1651924800000000"} << int(TimestampKind::EpochMicros) << md
                              << "";
    QTest::newRow("epoch ns") << QStringList{"1651924800000000000"} << int(TimestampKind::EpochNanos) << md
                              << "";
}

void TestTimestamps::detects()
{
    QFETCH(QStringList, samples);
    QFETCH(int, kind);
    QFETCH(int, order);
    QFETCH(QString, note);
    std::vector<std::string> s;
    for (const auto &x : samples)
        s.push_back(x.toStdString());
    auto f = detectFormat(s);
    QVERIFY2(f.ok(), f.ok() ? "" : f.error().c_str());
    QCOMPARE(int(f->kind), kind);
    QCOMPARE(int(f->order), order);
    QVERIFY2(QString::fromStdString(f->note).contains(note), f->note.c_str());
}

void TestTimestamps::fallBackIsAmbiguous()
{
    auto f = fmt(TimestampKind::NumericDate, DateOrder::MonthDay, "America/Chicago");
    bool ambiguous = false;
    auto first = parse("11/3/2019 1:30", f, &ambiguous);
    QVERIFY(first.ok() && ambiguous);
    QCOMPARE(qint64(first.value()), qint64(utc(2019, 11, 3, 6, 30, 0))); // CDT, first occurrence
    f.laterForAmbiguous = true;
    auto second = parse("11/3/2019 1:30", f, &ambiguous);
    QVERIFY(second.ok() && ambiguous);
    QCOMPARE(qint64(second.value() - first.value()), qint64(3600) * kNsPerSecond);
    QVERIFY(parse("11/3/2019 2:00", f, &ambiguous).ok() && !ambiguous);
    QVERIFY(parse("11/3/2019 0:59", f, &ambiguous).ok() && !ambiguous);
    // Explicit zones are never ambiguous.
    QVERIFY(parse("03-Nov-19 01:30:00 AM CST", fmt(TimestampKind::MonthNameDate), &ambiguous).ok() &&
            !ambiguous);
    // Europe: last Sunday of October, 03:00 CEST -> 02:00 CET.
    auto eu = fmt(TimestampKind::Iso8601, DateOrder::MonthDay, "Europe/Berlin");
    QVERIFY(parse("2019-10-27 02:30", eu, &ambiguous).ok() && ambiguous);
}

void TestTimestamps::springForwardDoesNotExist()
{
    auto f = fmt(TimestampKind::NumericDate, DateOrder::MonthDay, "America/Chicago");
    auto r = parse("3/10/2019 2:30", f);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error()).contains("does not exist in America/Chicago"),
             r.error().c_str());
    f.shiftNonexistent = true;
    auto shifted = parse("3/10/2019 2:30", f);
    QVERIFY(shifted.ok());
    QCOMPARE(qint64(shifted.value()), qint64(utc(2019, 3, 10, 8, 30, 0))); // 3:30 CDT
    f.shiftNonexistent = false;
    auto before = parse("3/10/2019 1:45", f), after = parse("3/10/2019 3:00", f);
    QVERIFY(before.ok() && after.ok());
    QCOMPARE(qint64(after.value() - before.value()), qint64(15 * 60) * kNsPerSecond);
}

void TestTimestamps::posixAndFixedZones()
{
    auto posix = TimeZone::named("CST6CDT,M3.2.0,M11.1.0");
    QVERIFY2(posix.ok(), posix.ok() ? "" : posix.error().c_str());
    auto chicago = TimeZone::named("America/Chicago");
    QVERIFY(chicago.ok());
    for (std::int64_t t = utc(2019, 1, 1, 0, 0, 0) / kNsPerSecond;
         t < utc(2020, 1, 1, 0, 0, 0) / kNsPerSecond; t += 1800)
        QCOMPARE(posix->offsetAt(t), chicago->offsetAt(t));
    // Beyond the TZif transitions, the footer rule applies.
    QCOMPARE(chicago->offsetAt(utc(2090, 7, 1, 0, 0, 0) / kNsPerSecond), -5 * 3600);
    QCOMPARE(chicago->offsetAt(utc(2090, 1, 1, 0, 0, 0) / kNsPerSecond), -6 * 3600);
    auto fixed = TimeZone::named("+05:30");
    QVERIFY(fixed.ok());
    QCOMPARE(fixed->offsetAt(0), 5 * 3600 + 1800);
    QVERIFY(!TimeZone::named("Nowhere/Atlantis").ok());
}

void TestTimestamps::resolvesLocalTimes_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<qint64>("local");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("earlier");
    QTest::addColumn<qint64>("later");
    const int unique = int(TimeZone::LocalKind::Unique), ambiguous = int(TimeZone::LocalKind::Ambiguous),
              nonexistent = int(TimeZone::LocalKind::Nonexistent);
    // Expected instants cross-checked with Python's zoneinfo (fold=0 / fold=1) on the same tzdata.
    QTest::newRow("Chicago fall back") << "America/Chicago" << seconds(2019, 11, 3, 1, 30) << ambiguous
                                       << seconds(2019, 11, 3, 6, 30) << seconds(2019, 11, 3, 7, 30);
    QTest::newRow("Chicago spring gap") << "America/Chicago" << seconds(2019, 3, 10, 2, 30) << nonexistent
                                        << seconds(2019, 3, 10, 7, 30) << seconds(2019, 3, 10, 8, 30);
    QTest::newRow("POSIX rule fall back")
        << "CST6CDT,M3.2.0,M11.1.0" << seconds(2019, 11, 3, 1, 30) << ambiguous << seconds(2019, 11, 3, 6, 30)
        << seconds(2019, 11, 3, 7, 30);
    QTest::newRow("POSIX rule with times")
        << "EST5EDT,M3.2.0/2,M11.1.0/2" << seconds(2019, 3, 10, 2, 30) << nonexistent
        << seconds(2019, 3, 10, 6, 30) << seconds(2019, 3, 10, 7, 30);
    // Southern hemisphere: DST from October to April.
    QTest::newRow("Sydney April fall back") << "Australia/Sydney" << seconds(2019, 4, 7, 2, 30) << ambiguous
                                            << seconds(2019, 4, 6, 15, 30) << seconds(2019, 4, 6, 16, 30);
    QTest::newRow("Sydney October gap") << "Australia/Sydney" << seconds(2019, 10, 6, 2, 30) << nonexistent
                                        << seconds(2019, 10, 5, 15, 30) << seconds(2019, 10, 5, 16, 30);
    QTest::newRow("Sydney summer") << "Australia/Sydney" << seconds(2019, 1, 15, 12, 0) << unique
                                   << seconds(2019, 1, 15, 1, 0) << seconds(2019, 1, 15, 1, 0);
    // Historic changes of the standard offset, not DST: the abbreviation stays MSK; Samoa skipped a day.
    QTest::newRow("Moscow 2014 +4 to +3") << "Europe/Moscow" << seconds(2014, 10, 26, 1, 30) << ambiguous
                                          << seconds(2014, 10, 25, 21, 30) << seconds(2014, 10, 25, 22, 30);
    QTest::newRow("Apia skipped 2011-12-30") << "Pacific/Apia" << seconds(2011, 12, 30, 12, 0) << nonexistent
                                             << seconds(2011, 12, 29, 22, 0) << seconds(2011, 12, 30, 22, 0);
    // Ireland's negative DST: winter time is the "daylight" offset in the database.
    QTest::newRow("Dublin fall back") << "Europe/Dublin" << seconds(2019, 10, 27, 1, 30) << ambiguous
                                      << seconds(2019, 10, 27, 0, 30) << seconds(2019, 10, 27, 1, 30);
    QTest::newRow("Dublin spring gap") << "Europe/Dublin" << seconds(2019, 3, 31, 1, 30) << nonexistent
                                       << seconds(2019, 3, 31, 0, 30) << seconds(2019, 3, 31, 1, 30);
    // After the last transition in the zone file (2037), the file's footer rule takes over.
    QTest::newRow("Chicago 2040 fall back") << "America/Chicago" << seconds(2040, 11, 4, 1, 30) << ambiguous
                                            << seconds(2040, 11, 4, 6, 30) << seconds(2040, 11, 4, 7, 30);
    QTest::newRow("Chicago 2090 spring gap")
        << "America/Chicago" << seconds(2090, 3, 12, 2, 30) << nonexistent << seconds(2090, 3, 12, 7, 30)
        << seconds(2090, 3, 12, 8, 30);
    QTest::newRow("Sydney 2090 fall back") << "Australia/Sydney" << seconds(2090, 4, 2, 2, 30) << ambiguous
                                           << seconds(2090, 4, 1, 15, 30) << seconds(2090, 4, 1, 16, 30);
    QTest::newRow("Sydney 2090 gap") << "Australia/Sydney" << seconds(2090, 10, 1, 2, 30) << nonexistent
                                     << seconds(2090, 9, 30, 15, 30) << seconds(2090, 9, 30, 16, 30);
    QTest::newRow("Kolkata, no DST") << "Asia/Kolkata" << seconds(2019, 7, 1, 12, 0) << unique
                                     << seconds(2019, 7, 1, 6, 30) << seconds(2019, 7, 1, 6, 30);
    QTest::newRow("fixed +0530") << "+0530" << seconds(2019, 7, 1, 12, 0) << unique
                                 << seconds(2019, 7, 1, 6, 30) << seconds(2019, 7, 1, 6, 30);
}

void TestTimestamps::resolvesLocalTimes()
{
    QFETCH(QString, zone);
    QFETCH(qint64, local);
    QFETCH(int, kind);
    QFETCH(qint64, earlier);
    QFETCH(qint64, later);
    auto z = TimeZone::named(zone.toStdString());
    QVERIFY2(z.ok(), z.ok() ? "" : z.error().c_str());
    const TimeZone::Local r = z->resolve(local);
    QCOMPARE(int(r.kind), kind);
    QCOMPARE(qint64(r.earlier), earlier);
    QCOMPARE(qint64(r.later), later);
}

void TestTimestamps::zoneOffsets_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<qint64>("utc");
    QTest::addColumn<int>("offset");
    QTest::newRow("Moscow 2013 +4") << "Europe/Moscow" << seconds(2013, 1, 1, 0, 0) << 4 * 3600;
    QTest::newRow("Moscow 2015 +3") << "Europe/Moscow" << seconds(2015, 1, 1, 0, 0) << 3 * 3600;
    QTest::newRow("Chicago local mean time") << "America/Chicago" << seconds(1800, 1, 1, 0, 0) << -21036;
    QTest::newRow("Sydney January") << "Australia/Sydney" << seconds(2019, 1, 1, 0, 0) << 11 * 3600;
    QTest::newRow("Sydney July") << "Australia/Sydney" << seconds(2019, 7, 1, 0, 0) << 10 * 3600;
    QTest::newRow("Sydney 2090 January") << "Australia/Sydney" << seconds(2090, 1, 1, 0, 0) << 11 * 3600;
    QTest::newRow("Sydney 2090 July") << "Australia/Sydney" << seconds(2090, 7, 1, 0, 0) << 10 * 3600;
    QTest::newRow("Dublin winter") << "Europe/Dublin" << seconds(2019, 1, 1, 0, 0) << 0;
    QTest::newRow("Dublin summer") << "Europe/Dublin" << seconds(2019, 7, 1, 0, 0) << 3600;
    QTest::newRow("link US/Central") << "US/Central" << seconds(2019, 7, 1, 0, 0) << -5 * 3600;
    QTest::newRow("POSIX rule with times")
        << "EST5EDT,M3.2.0/2,M11.1.0/2" << seconds(2019, 7, 1, 0, 0) << -4 * 3600;
    QTest::newRow("POSIX without rule: US dates") << "ABC5DEF" << seconds(2019, 7, 1, 0, 0) << -4 * 3600;
    QTest::newRow("fixed -0330") << "-0330" << seconds(2019, 7, 1, 0, 0) << -(3 * 3600 + 1800);
}

void TestTimestamps::zoneOffsets()
{
    QFETCH(QString, zone);
    QFETCH(qint64, utc);
    QFETCH(int, offset);
    auto z = TimeZone::named(zone.toStdString());
    QVERIFY2(z.ok(), z.ok() ? "" : z.error().c_str());
    QCOMPARE(z->offsetAt(utc), offset);
}

void TestTimestamps::unknownZones_data()
{
    QTest::addColumn<QString>("zone");
    QTest::newRow("no such zone") << "Nowhere/Atlantis";
    QTest::newRow("names are case-sensitive") << "america/chicago";
    QTest::newRow("path") << "../../etc/passwd";
    QTest::newRow("zone with junk") << "Europe/Berlin,x";
    QTest::newRow("offset over 24 h") << "+2500";
    QTest::newRow("too short") << "XY";
}

void TestTimestamps::unknownZones()
{
    QFETCH(QString, zone);
    auto z = TimeZone::named(zone.toStdString());
    QVERIFY(!z.ok());
    QVERIFY2(QString::fromStdString(z.error()).contains("unknown time zone '" + zone + "'"),
             z.error().c_str());
}

QTEST_GUILESS_MAIN(TestTimestamps)
#include "tst_timestamps.moc"
