// Unit conversion table: known values per quantity kind, aliases, round trips, incompatible kinds, and
// consistency with the DTDL unit table the importer uses.
#include "twin/formats/Units.h"
#include "twin/model/dtdl/DtdlMetamodel.h"

#include <QtTest>

#include <cmath>

using namespace twin::model;

class TestUnits : public QObject
{
    Q_OBJECT
private slots:
    void knownValues_data();
    void knownValues();
    void aliases_data();
    void aliases();
    void roundTrip();
    void incompatibleKinds_data();
    void incompatibleKinds();
    void unknownUnit();
    void identity();
    void everyUnitIsDtdl();
    void dtdlUnitCounts_data();
    void dtdlUnitCounts();
};

void TestUnits::knownValues_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<double>("in");
    QTest::addColumn<double>("out");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("0 C = 32 F") << "degreeCelsius"
                                << "degreeFahrenheit" << 0.0 << 32.0 << 1e-9;
    QTest::newRow("0 C = 273.15 K") << "°C"
                                    << "kelvin" << 0.0 << 273.15 << 1e-9;
    QTest::newRow("32 F = 273.15 K") << "F"
                                     << "K" << 32.0 << 273.15 << 1e-9;
    QTest::newRow("100 C = 212 F") << "degC"
                                   << "degF" << 100.0 << 212.0 << 1e-9;
    QTest::newRow("-40 F = -40 C") << "degreeFahrenheit"
                                   << "C" << -40.0 << -40.0 << 1e-9;
    QTest::newRow("1 bar = 14.5038 psi") << "bar"
                                         << "psi" << 1.0 << 14.5037738 << 1e-6;
    QTest::newRow("1 bar = 100 kPa") << "bar"
                                     << "kilopascal" << 1.0 << 100.0 << 1e-9;
    QTest::newRow("1 inHg = 3386.389 Pa") << "inHg"
                                          << "Pa" << 1.0 << 3386.389 << 1e-6;
    QTest::newRow("1 mbar = 1 hPa") << "mbar"
                                    << "hPa" << 1.0 << 1.0 << 1e-12;
    QTest::newRow("1 gpm = 0.0630902 l/s") << "gpm"
                                           << "litrePerSecond" << 1.0 << 0.0630902 << 1e-7;
    QTest::newRow("1 gpm = 3.78541 l/min") << "gallonPerMinute"
                                           << "l/min" << 1.0 << 3.785411784 << 1e-9;
    QTest::newRow("1 m3/h = 16.6667 l/min") << "cubicMetrePerHour"
                                            << "litrePerMinute" << 1.0 << 16.6666667 << 1e-6;
    QTest::newRow("1 cfm = 1.699 m3/h") << "cfm"
                                        << "m3/h" << 1.0 << 1.699010796 << 1e-8;
    QTest::newRow("1 kW = 1000 W") << "kW"
                                   << "W" << 1.0 << 1000.0 << 1e-9;
    QTest::newRow("1 hp = 745.7 W") << "hp"
                                    << "watt" << 1.0 << 745.69987 << 1e-4;
    QTest::newRow("1 TR = 3.51685 kW") << "tonOfRefrigeration"
                                       << "kW" << 1.0 << 3.5168528 << 1e-6;
    QTest::newRow("1 kWh = 3.6 MJ") << "kWh"
                                    << "MJ" << 1.0 << 3.6 << 1e-12;
    QTest::newRow("1 BTU = 1055.06 J") << "BTU"
                                       << "J" << 1.0 << 1055.05585262 << 1e-8;
    QTest::newRow("1 A = 1000 mA") << "A"
                                   << "mA" << 1.0 << 1000.0 << 1e-9;
    QTest::newRow("1 kV = 1000 V") << "kV"
                                   << "V" << 1.0 << 1000.0 << 1e-9;
    QTest::newRow("1 g = 9.80665 m/s2") << "g"
                                        << "metrePerSecondSquared" << 1.0 << 9.80665 << 1e-12;
    QTest::newRow("60 rpm = 1 rps") << "rpm"
                                    << "revolutionPerSecond" << 60.0 << 1.0 << 1e-12;
    QTest::newRow("1 rpm = 0.10472 rad/s") << "RPM"
                                           << "rad/s" << 1.0 << 0.104719755 << 1e-9;
    QTest::newRow("50 % = 0.5") << "%"
                                << "unity" << 50.0 << 0.5 << 1e-12;
    QTest::newRow("1 % = 10000 ppm") << "percent"
                                     << "ppm" << 1.0 << 10000.0 << 1e-6;
    QTest::newRow("1 ft = 0.3048 m") << "ft"
                                     << "m" << 1.0 << 0.3048 << 1e-12;
    QTest::newRow("1 mi = 1.609344 km") << "mile"
                                        << "km" << 1.0 << 1.609344 << 1e-12;
    QTest::newRow("1 lb = 0.45359237 kg") << "lb"
                                          << "kg" << 1.0 << 0.45359237 << 1e-12;
    QTest::newRow("1 slug = 14.5939 kg") << "slug"
                                         << "kilogram" << 1.0 << 14.5939029 << 1e-6;
    QTest::newRow("1 lbf = 4.44822 N") << "lbf"
                                       << "N" << 1.0 << 4.4482216 << 1e-6;
    QTest::newRow("1 gal = 3.78541 l") << "gallon"
                                       << "litre" << 1.0 << 3.785411784 << 1e-9;
    QTest::newRow("1 h = 3600 s") << "hour"
                                  << "s" << 1.0 << 3600.0 << 1e-9;
    QTest::newRow("100 km/h = 27.78 m/s") << "km/h"
                                          << "m/s" << 100.0 << 27.7777778 << 1e-6;
    QTest::newRow("1 knot = 1.852 km/h") << "knot"
                                         << "kilometrePerHour" << 1.0 << 1.852 << 1e-12;
    QTest::newRow("1 MiB = 1024 KiB") << "mebibyte"
                                      << "kibibyte" << 1.0 << 1024.0 << 1e-12;
    QTest::newRow("1 byte = 8 bit") << "byte"
                                    << "bit" << 1.0 << 8.0 << 1e-12;
    QTest::newRow("1 Ah = 3600 C") << "Ah"
                                   << "coulomb" << 1.0 << 3600.0 << 1e-9;
    QTest::newRow("1 B = 10 dB") << "bel"
                                 << "dB" << 1.0 << 10.0 << 1e-12;
    QTest::newRow("1 fc = 10.764 lx") << "footcandle"
                                      << "lux" << 1.0 << 10.7639104 << 1e-6;
    QTest::newRow("1 kg/h = 1/3.6 g/s") << "kg/h"
                                        << "g/s" << 3.6 << 1.0 << 1e-12;
    QTest::newRow("1 deg = pi/180 rad") << "degreeOfArc"
                                        << "radian" << 180.0 << M_PI << 1e-12;
    QTest::newRow("1 MPa = 10 bar") << "MPa"
                                    << "bar" << 1.0 << 10.0 << 1e-12;
}

void TestUnits::knownValues()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(double, in);
    QFETCH(double, out);
    QFETCH(double, tolerance);
    auto c = conversion(from.toStdString(), to.toStdString());
    QVERIFY2(c.ok(), c.ok() ? "" : c.error().c_str());
    QVERIFY2(std::fabs(c->apply(in) - out) <= tolerance, qPrintable(QString("%1 %2 -> %3 %4, expected %5")
                                                                        .arg(in)
                                                                        .arg(from)
                                                                        .arg(c->apply(in), 0, 'g', 12)
                                                                        .arg(to)
                                                                        .arg(out)));
    QVERIFY(!c->isIdentity() || in == out);
}

void TestUnits::aliases_data()
{
    QTest::addColumn<QString>("alias");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("kind");
    const char *rows[][3] = {{"°C", "degreeCelsius", "temperature"},
                             {"degC", "degreeCelsius", "temperature"},
                             {"C", "degreeCelsius", "temperature"},
                             {"F", "degreeFahrenheit", "temperature"},
                             {"℉", "degreeFahrenheit", "temperature"},
                             {"psi", "poundPerSquareInch", "pressure"},
                             {"gpm", "gallonPerMinute", "volumeFlowRate"},
                             {"l/min", "litrePerMinute", "volumeFlowRate"},
                             {"kW", "kilowatt", "power"},
                             {"KW", "kilowatt", "power"},
                             {"W", "watt", "power"},
                             {"A", "ampere", "current"},
                             {"V", "volt", "voltage"},
                             {"g", "gForce", "acceleration"},
                             {"rpm", "revolutionPerMinute", "angularVelocity"},
                             {"%", "percent", "unitless"},
                             {"bar", "bar", "pressure"},
                             {"Bar", "bar", "pressure"},
                             {"kelvin", "kelvin", "temperature"},
                             {"cubicMetrePerHour", "cubicMetrePerHour", "volumeFlowRate"}};
    for (const auto &r : rows)
        QTest::newRow(r[0]) << QString::fromUtf8(r[0]) << r[1] << r[2];
}

void TestUnits::aliases()
{
    QFETCH(QString, alias);
    QFETCH(QString, canonical);
    QFETCH(QString, kind);
    auto c = canonicalUnit(alias.toStdString());
    QVERIFY(c.has_value());
    QCOMPARE(QString::fromStdString(*c), canonical);
    QCOMPARE(QString::fromStdString(quantityKind(alias.toStdString())), kind);
}

void TestUnits::roundTrip()
{
    // Every pair of units of every kind converts there and back to the same value.
    for (const auto &kind : quantityKinds()) {
        const auto units = unitsOfKind(kind);
        QVERIFY2(!units.empty(), kind.c_str());
        for (const auto &a : units)
            for (const auto &b : units) {
                auto there = conversion(a, b);
                auto back = conversion(b, a);
                QVERIFY(there.ok() && back.ok());
                for (double v : {-40.0, 0.0, 1.0, 123.456}) {
                    const double r = back->apply(there->apply(v));
                    QVERIFY2(
                        std::fabs(r - v) <= 1e-9 * std::max(1.0, std::fabs(v)),
                        qPrintable(
                            QString("%1 -> %2 -> %1: %3 became %4").arg(a.c_str(), b.c_str()).arg(v).arg(r)));
                }
            }
    }
}

void TestUnits::incompatibleKinds_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("bar->kelvin") << "bar"
                                 << "kelvin"
                                 << "cannot convert bar to kelvin (pressure vs temperature)";
    QTest::newRow("kW->kWh") << "kW"
                             << "kWh"
                             << "cannot convert kW to kWh (power vs energy)";
    QTest::newRow("gpm->gal") << "gpm"
                              << "gallon"
                              << "cannot convert gpm to gallon (volumeFlowRate vs volume)";
    QTest::newRow("gray->sievert") << "gray"
                                   << "sievert"
                                   << "cannot convert gray to sievert (absorbedDose vs equivalentDose)";
}

void TestUnits::incompatibleKinds()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    auto c = conversion(from.toStdString(), to.toStdString());
    QVERIFY(!c.ok());
    QCOMPARE(QString::fromStdString(c.error()), message);
}

void TestUnits::unknownUnit()
{
    auto c = conversion("furlongPerFortnight", "metrePerSecond");
    QVERIFY(!c.ok());
    QCOMPARE(QString::fromStdString(c.error()), QString("unknown unit 'furlongPerFortnight'"));
    QVERIFY(!canonicalUnit("mw").has_value()); // mW vs MW: a case-insensitive match must be unique
    QVERIFY(quantityKind("nonsense").empty());
}

void TestUnits::identity()
{
    auto c = conversion("°C", "degreeCelsius");
    QVERIFY(c.ok());
    QVERIFY(c->isIdentity());
    QCOMPARE(c->apply(21.5), 21.5);
}

void TestUnits::everyUnitIsDtdl()
{
    // Every unit marked as DTDL is a unit of the DTDL unit type of its kind in the importer's table.
    int dtdl = 0;
    for (const auto &unit : unitsOfKind("")) {
        if (!isDtdlUnit(unit))
            continue;
        ++dtdl;
        const std::string type = dtdlUnitType(quantityKind(unit));
        QVERIFY2(dtdl::detail::isUnitOfType(unit, type),
                 qPrintable(QString::fromStdString(unit + " / " + type)));
    }
    QCOMPARE(dtdl, 240); // all 240 units of dtdl/DtdlUnits.cpp
}

void TestUnits::dtdlUnitCounts_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("count");
    QTest::newRow("temperature") << "temperature" << 3;
    QTest::newRow("pressure") << "pressure" << 11; // 10 DTDL + megapascal
    QTest::newRow("volumeFlowRate") << "volumeFlowRate" << 12;
    QTest::newRow("power") << "power" << 17;
    QTest::newRow("energy") << "energy" << 14;
    QTest::newRow("dataRate") << "dataRate" << 16;
}

void TestUnits::dtdlUnitCounts()
{
    QFETCH(QString, kind);
    QFETCH(int, count);
    QCOMPARE(static_cast<int>(unitsOfKind(kind.toStdString()).size()), count);
}

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
