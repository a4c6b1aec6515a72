// SSP 1.0 systems (plugins/sim-ssp) through the isolated worker and twinctl: three FMUs built by the suite
// in a feedback loop with a unit conversion (km -> m) and a linear transformation, against the closed form
// of each master algorithm; the structure ssp-info reports (conversions, order, feedback and algebraic
// loops); parameter values from the package, from .ssv files and from --set; and broken packages named.
#include "twin/model/simrunner/SimulationRunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace twin::model::sim;

namespace {

const std::string kBin = TWIN_BINARY_DIR;
const QString kTwinctl = QString::fromStdString(kBin + "/bin/twinctl");

std::string ssp(const std::string &name)
{
    return kBin + "/tests/ssp/" + name + ".ssp";
}

SimulationJob sspJob(const std::string &package, const std::string &algorithm, double stop, double step)
{
    SimulationJob job;
    job.pluginDir = kBin + "/plugins";
    job.pluginId = "twin.sim-ssp";
    job.config = "{\"ssp\": \"" + package + "\", \"algorithm\": \"" + algorithm + "\"}";
    job.label = "loop.ssp";
    job.stop = stop;
    job.step = step;
    return job;
}

int column(const SimulationResult &r, const std::string &name)
{
    for (std::size_t i = 0; i < r.columns.size(); ++i)
        if (r.columns[i] == name)
            return int(i);
    return -1;
}

QString twinctl(const QStringList &args, int &rc)
{
    QProcess p;
    p.start(kTwinctl, args);
    p.waitForFinished(60000);
    rc = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

} // namespace

class TstSsp : public QObject
{
    Q_OBJECT

private slots:
    // The loop: x' = u_I, G1.u = 1000 x (km -> m), G1.y = k1 G1.u, G2.u = 0.5 G1.y, G2.y = k2 G2.u = u_I,
    // with k1 = -0.002 (gains.ssv) and k2 = 1 (inline), so x' = -x in continuous time.
    // Gauss-Seidel (I, G1, G2): x_{n+1} = x_n (1 - h), exactly; every coupling seen in the same step.
    void gaussSeidelMatchesItsClosedForm()
    {
        const double h = 0.01;
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(sspJob(ssp("loop"), "gauss-seidel", 2, h));
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.rows.size(), std::size_t(201));
        const int x = column(r, "x"), iy = column(r, "I.y"), g1 = column(r, "G1.y"), g2 = column(r, "G2.y");
        QVERIFY(x > 0 && iy > 0 && g1 > 0 && g2 > 0);
        for (std::size_t n = 0; n < r.rows.size(); ++n) {
            const double exact = std::pow(1 - h, double(n));
            const auto &row = r.rows[n];
            QVERIFY2(std::abs(row[std::size_t(x)] - exact) < 1e-12, qPrintable(QString::number(row[0])));
            QCOMPARE(row[std::size_t(iy)], row[std::size_t(x)]);
            // 1 km is 1000 m: without the unit conversion G1.y would be -0.002 x.
            QVERIFY(std::abs(row[std::size_t(g1)] + 2 * row[std::size_t(x)]) < 1e-12);
            QVERIFY(std::abs(row[std::size_t(g2)] + row[std::size_t(x)]) < 1e-12); // x0.5, then k2 = 1
        }
        QVERIFY(std::abs(r.rows.back()[std::size_t(x)] - std::exp(-2.0)) <
                0.02 * std::exp(-2.0)); // O(h) of e^-t
        // What reading the package found reaches the run's warnings once.
        QCOMPARE(std::count_if(r.warnings.begin(), r.warnings.end(),
                               [](const std::string &w) {
                                   return w.find("feedback loop through I") != std::string::npos;
                               }),
                 std::ptrdiff_t(1));
    }

    // Jacobi: every input from the outputs of the last communication point, so the loop's three couplings
    // each delay by a step: y1_{n+1} = -2 x_n, y2_{n+1} = 0.5 y1_n, x_{n+1} = x_n + h y2_n.
    void jacobiMatchesItsRecurrence()
    {
        const double h = 0.01;
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(sspJob(ssp("loop"), "jacobi", 2, h));
        QVERIFY2(r.ok(), r.message.c_str());
        const int x = column(r, "x");
        double xn = 1, y1 = -2, y2 = -1; // after initialization every output reflects x0 = 1
        for (std::size_t n = 0; n < r.rows.size(); ++n) {
            QVERIFY2(std::abs(r.rows[n][std::size_t(x)] - xn) < 1e-12,
                     qPrintable(QString::number(r.rows[n][0])));
            const double next = xn + h * y2, nextY1 = -2 * xn, nextY2 = 0.5 * y1;
            xn = next;
            y1 = nextY1;
            y2 = nextY2;
        }
        QVERIFY(std::abs(r.rows.back()[std::size_t(x)] - std::exp(-2.0)) < 0.06 * std::exp(-2.0));
    }

    // An algebraic loop (sum and gain, both direct feedthrough, loop gain -1.5, through a km -> m conversion
    // and a x-0.5 transformation) driving an integrator: solved at every communication point, y = 1.2 r and
    // x = 1.2 r t exactly, for both masters. With the loop left to one step's delay the same system diverges.
    void algebraicLoopIsSolvedAtEveryCommunicationPoint_data()
    {
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("jacobi") << "jacobi";
        QTest::newRow("gauss-seidel") << "gauss-seidel";
    }
    void algebraicLoopIsSolvedAtEveryCommunicationPoint()
    {
        QFETCH(QString, algorithm);
        const double h = 0.01, r = 2;
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        SimulationJob job = sspJob(ssp("feedback"), algorithm.toStdString(), 1, h);
        job.parameters = {{"r", r}};
        const SimulationResult solved = runner.run(job);
        QVERIFY2(solved.ok(), solved.message.c_str());
        QCOMPARE(solved.rows.size(), std::size_t(101));
        const int y = column(solved, "y"), x = column(solved, "x"), s = column(solved, "S.y");
        QVERIFY(y > 0 && x > 0 && s > 0);
        for (const auto &row : solved.rows) {
            QVERIFY2(std::abs(row[std::size_t(y)] - 1.2 * r) < 1e-9, qPrintable(QString::number(row[0])));
            QVERIFY2(std::abs(row[std::size_t(s)] - 0.4 * r) < 1e-9, qPrintable(QString::number(row[0])));
            QVERIFY2(std::abs(row[std::size_t(x)] - 1.2 * r * row[0]) < 1e-9,
                     qPrintable(QString::number(row[0])));
        }
        QVERIFY(std::any_of(solved.warnings.begin(), solved.warnings.end(), [](const std::string &w) {
            return w.find("algebraic loop through S -> G -> S") != std::string::npos &&
                   w.find("solved at every communication point") != std::string::npos;
        }));

        job.config = "{\"ssp\": \"" + ssp("feedback") + "\", \"algorithm\": \"" + algorithm.toStdString() +
                     "\", \"loops\": \"delay\"}";
        const SimulationResult delayed = runner.run(job);
        QVERIFY2(delayed.ok(), delayed.message.c_str());
        QVERIFY(std::abs(delayed.rows.back()[std::size_t(y)] - 1.2 * r) > 1e3); // 1.5^(n/2) growth
        QVERIFY(std::any_of(delayed.warnings.begin(), delayed.warnings.end(), [](const std::string &w) {
            return w.find("one communication step's delay (loops: delay)") != std::string::npos;
        }));
    }

    // FMUs nobody here wrote: two of the Modelica Association's Reference Feedthrough FMUs (FMI 2 and FMI 3,
    // output = input, in ../shared) in a loop whose return connection is x0.5 + 1, so x = 0.5 x + 1: x = 2
    // at every communication point; with one step's delay the loop only creeps towards it.
    void algebraicLoopOfReferenceFmus_data()
    {
        QTest::addColumn<QString>("fmi");
        QTest::newRow("FMI 2") << "fmi2";
        QTest::newRow("FMI 3") << "fmi3";
    }
    void algebraicLoopOfReferenceFmus()
    {
        QFETCH(QString, fmi);
        const QString fmu =
            QStringLiteral(TWIN_SHARED_DATA "/fmu/reference-fmus/") + fmi + "/Feedthrough.fmu";
        if (!QFile::exists(fmu))
            QSKIP("../shared/data/fmu/reference-fmus is not here (it exists only in the team's workplace)");
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("resources")));
        QVERIFY(QFile::copy(fmu, dir.filePath("resources/Feedthrough.fmu")));
        QFile ssd(dir.filePath("SystemStructure.ssd"));
        QVERIFY(ssd.open(QIODevice::WriteOnly));
        ssd.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<ssd:SystemStructureDescription "
                  "xmlns:ssd=\"http://ssp-standard.org/SSP1/SystemStructureDescription\"\n"
                  "    xmlns:ssc=\"http://ssp-standard.org/SSP1/SystemStructureCommon\" version=\"1.0\" "
                  "name=\"refloop\">\n"
                  "  <ssd:System name=\"refloop\">\n"
                  "    <ssd:Elements>\n"
                  "      <ssd:Component name=\"A\" source=\"resources/Feedthrough.fmu\"/>\n"
                  "      <ssd:Component name=\"B\" source=\"resources/Feedthrough.fmu\"/>\n"
                  "    </ssd:Elements>\n"
                  "    <ssd:Connections>\n"
                  "      <ssd:Connection startElement=\"A\" startConnector=\"Float64_continuous_output\" "
                  "endElement=\"B\"\n"
                  "          endConnector=\"Float64_continuous_input\"/>\n"
                  "      <ssd:Connection startElement=\"B\" startConnector=\"Float64_continuous_output\" "
                  "endElement=\"A\"\n"
                  "          endConnector=\"Float64_continuous_input\">\n"
                  "        <ssc:LinearTransformation factor=\"0.5\" offset=\"1\"/>\n"
                  "      </ssd:Connection>\n"
                  "    </ssd:Connections>\n"
                  "  </ssd:System>\n"
                  "</ssd:SystemStructureDescription>\n");
        ssd.close();
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        SimulationJob job = sspJob(dir.path().toStdString(), "jacobi", 1, 0.1);
        const SimulationResult solved = runner.run(job);
        QVERIFY2(solved.ok(), solved.message.c_str());
        const int a = column(solved, "A.Float64_continuous_output"),
                  b = column(solved, "B.Float64_continuous_output");
        QVERIFY(a > 0 && b > 0);
        for (const auto &row : solved.rows) {
            QVERIFY2(std::abs(row[std::size_t(a)] - 2) < 1e-9, qPrintable(QString::number(row[0])));
            QVERIFY(std::abs(row[std::size_t(b)] - 2) < 1e-9);
        }
        job.config = "{\"ssp\": \"" + dir.path().toStdString() + "\", \"loops\": \"delay\"}";
        const SimulationResult delayed = runner.run(job);
        QVERIFY2(delayed.ok(), delayed.message.c_str());
        QVERIFY(std::abs(delayed.rows.front()[std::size_t(a)] - 2) > 0.5);
    }

    void twinctlShowsTheStructureAndRuns()
    {
        int rc = 0;
        QString text = twinctl({"ssp-info", QString::fromStdString(ssp("loop")), "--json"}, rc);
        QVERIFY2(rc == 0, qPrintable(text));
        const QJsonObject info = QJsonDocument::fromJson(text.toUtf8()).object()["details"].toObject();
        const QJsonArray connections = info["connections"].toArray();
        QCOMPARE(connections.size(), 4);
        QCOMPARE(connections[0].toObject()["conversion"].toString(), QStringLiteral("km -> m"));
        QCOMPARE(connections[0].toObject()["factor"].toDouble(), 1000.0);
        QCOMPARE(connections[1].toObject()["factor"].toDouble(), 0.5);
        const QJsonArray loops = info["loops"].toArray();
        QCOMPARE(loops.size(), 1);
        QCOMPARE(loops[0].toObject()["algebraic"].toBool(), false); // the integrator breaks it
        QCOMPARE(loops[0].toObject()["components"].toArray().size(), 3);
        text = twinctl({"ssp-info", QString::fromStdString(ssp("algebraic"))}, rc);
        QVERIFY2(rc == 0 && text.contains("algebraic loop: A -> B (solved at every communication point)"),
                 qPrintable(text));

        // --set overrides the package's value: k1 = -0.004 makes x' = -2x.
        QTemporaryDir dir;
        const QString out = dir.filePath("out.csv");
        text = twinctl({"ssp-run", QString::fromStdString(ssp("loop")), "--algorithm", "gauss-seidel",
                        "--step", "0.01", "--set", "G1.k=-0.004", "--out", out},
                       rc);
        QVERIFY2(rc == 0, qPrintable(text));
        QFile csv(out);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.front(), QByteArray("time,x,I.y,G1.y,G2.y"));
        QCOMPARE(lines.size(), 202);
        QVERIFY(std::abs(lines.back().split(',')[1].toDouble() - std::pow(0.98, 200)) < 1e-12);
        text = twinctl(
            {"ssp-run", QString::fromStdString(ssp("loop")), "--algorithm", "newton", "--out", out}, rc);
        QVERIFY2(rc == 2 && text.contains("use jacobi or gauss-seidel"), qPrintable(text));
        text =
            twinctl({"ssp-run", QString::fromStdString(ssp("loop")), "--loops", "iterate", "--out", out}, rc);
        QVERIFY2(rc == 2 && text.contains("use solve or delay"), qPrintable(text));
    }

    // nested.ssp is loop.ssp as a hierarchy: the integrator at the root, the first gain in a nested system
    // fed through a signal dictionary referenced on two levels (km -> m on the way), the second gain (0.5)
    // in a system of its own .ssd instantiated as a component, the gains' parameters bound on three levels
    // (the root's, given with a prefix, wins), one connection written end to start. Flattened, it must run
    // exactly as the flat loop, row for row, with either master.
    void nestedSystemsAndSignalDictionaryRunAsTheFlatLoop_data()
    {
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("jacobi") << "jacobi";
        QTest::newRow("gauss-seidel") << "gauss-seidel";
    }
    void nestedSystemsAndSignalDictionaryRunAsTheFlatLoop()
    {
        QFETCH(QString, algorithm);
        const double h = 0.01;
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult flat = runner.run(sspJob(ssp("loop"), algorithm.toStdString(), 2, h));
        const SimulationResult nested = runner.run(sspJob(ssp("nested"), algorithm.toStdString(), 2, h));
        QVERIFY2(flat.ok(), flat.message.c_str());
        QVERIFY2(nested.ok(), nested.message.c_str());
        QCOMPARE(nested.rows.size(), flat.rows.size());
        const int x = column(flat, "x"), g1 = column(flat, "G1.y"), g2 = column(flat, "G2.y");
        const int nx = column(nested, "x"), ng1 = column(nested, "Gains.G1.y"),
                  ng2 = column(nested, "Gains.Half.G.y");
        QVERIFY(x > 0 && g1 > 0 && g2 > 0 && nx > 0 && ng1 > 0 && ng2 > 0);
        for (std::size_t n = 0; n < flat.rows.size(); ++n) {
            QCOMPARE(nested.rows[n][std::size_t(nx)], flat.rows[n][std::size_t(x)]);
            QCOMPARE(nested.rows[n][std::size_t(ng1)], flat.rows[n][std::size_t(g1)]);
            QCOMPARE(nested.rows[n][std::size_t(ng2)], flat.rows[n][std::size_t(g2)]);
        }
        if (algorithm == "gauss-seidel")
            QVERIFY(std::abs(nested.rows.back()[std::size_t(nx)] - std::pow(1 - h, 200.0)) < 1e-12);
    }

    // What ssp-info shows of the hierarchy: each resolved connection with the junctions it passes and the
    // conversion they add up to; nested components by their hierarchical names; the winning parameters.
    void nestedStructureIsShown()
    {
        int rc = 0;
        const QString text = twinctl({"ssp-info", QString::fromStdString(ssp("nested")), "--json"}, rc);
        QVERIFY2(rc == 0, qPrintable(text));
        const QJsonObject info = QJsonDocument::fromJson(text.toUtf8()).object()["details"].toObject();
        QStringList names;
        for (const auto &c : info["components"].toArray())
            names << c.toObject()["name"].toString();
        QCOMPARE(names, QStringList({"I", "Gains.G1", "Gains.Half.G"}));
        QCOMPARE(info["components"].toArray()[1].toObject()["parameters"].toObject()["k"].toDouble(), -0.002);
        QCOMPARE(info["components"].toArray()[2].toObject()["parameters"].toObject()["k"].toDouble(), 0.5);
        QMap<QString, QJsonObject> byPath;
        for (const auto &c : info["connections"].toArray())
            byPath[c.toObject()["from"].toString() + " -> " + c.toObject()["to"].toString()] = c.toObject();
        QCOMPARE(byPath.keys(), QStringList({"Gains.G1.y -> Gains.Half.G.u", "Gains.Half.G.y -> I.u",
                                             "I.y -> Gains.G1.u", "I.y -> x"}));
        const QJsonObject bus = byPath["I.y -> Gains.G1.u"];
        QCOMPARE(bus["factor"].toDouble(), 1000.0);
        QCOMPARE(bus["conversion"].toString(), QStringLiteral("km -> m"));
        QVERIFY2(bus["via"].toString().contains("pos of signal dictionary bus"),
                 qPrintable(bus["via"].toString()));
        QCOMPARE(byPath["Gains.Half.G.y -> I.u"]["via"].toString(),
                 QStringLiteral("Gains.Half.y, Gains.out"));
    }

    // Broken packages (as folders: the plugin reads an unpacked package too) are refused with what is wrong.
    void brokenPackagesAreNamed_data()
    {
        QTest::addColumn<QString>("package");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unit of another quantity") << "loop"
                                                  << "<ssc:Unit name=\"m\"><ssc:BaseUnit m=\"1\"/>"
                                                  << "<ssc:Unit name=\"m\"><ssc:BaseUnit s=\"1\"/>"
                                                  << "which measure different quantities";
        QTest::newRow("unknown component") << "loop"
                                           << "endElement=\"G1\""
                                           << "endElement=\"G9\""
                                           << "no component \"G9\"";
        QTest::newRow("missing FMU") << "loop"
                                     << "resources/gain.fmu"
                                     << "resources/none.fmu"
                                     << "is not in the package";
        QTest::newRow("unknown variable") << "loop"
                                          << "endConnector=\"u\"/>"
                                          << "endConnector=\"v\"/>"
                                          << "has no variable \"v\"";
        QTest::newRow("malformed XML") << "loop"
                                       << "</ssd:Elements>"
                                       << "</ssd:Element>"
                                       << "malformed";
        QTest::newRow("missing parameter file") << "loop"
                                                << "source=\"gains.ssv\""
                                                << "source=\"other.ssv\""
                                                << "parameter file \"other.ssv\" is not in";
        QTest::newRow("unknown dictionary") << "nested"
                                            << "dictionary=\"bus\">\n            <ssd:Connectors>"
                                            << "dictionary=\"car\">\n            <ssd:Connectors>"
                                            << "no signal dictionary \"car\"";
        QTest::newRow("no such entry") << "nested"
                                       << "<ssd:Connector name=\"pos\" kind=\"input\">"
                                       << "<ssd:Connector name=\"speed\" kind=\"input\">"
                                       << "names no entry of signal dictionary \"bus\"";
        QTest::newRow("missing system file") << "nested"
                                             << "source=\"half.ssd\""
                                             << "source=\"third.ssd\""
                                             << "system description \"third.ssd\" is not in";
        QTest::newRow("no such system connector") << "nested"
                                                  << "endElement=\"Gains\" endConnector=\"out\""
                                                  << "endElement=\"Gains\" endConnector=\"in\""
                                                  << "\"Gains\" has no connector \"in\"";
        const QString feed = "<ssd:Connection startElement=\"I\" startConnector=\"y\" endConnector=\"x\"/>";
        QTest::newRow("junction fed twice")
            << "nested" << feed
            << feed + "<ssd:Connection startElement=\"I\" startConnector=\"y\" endElement=\"BusOut\" "
                      "endConnector=\"pos\"/>"
            << "receives from 2 connections";
        QTest::newRow("two inputs joined")
            << "nested" << feed
            << feed + "<ssd:Connection startElement=\"I\" startConnector=\"u\" endElement=\"BusOut\" "
                      "endConnector=\"pos\"/>"
            << "joins two sinks (inputs)";
    }
    void brokenPackagesAreNamed()
    {
        QFETCH(QString, package);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        int rc = 0;
        QProcess unzip;
        unzip.start("unzip", {"-q", QString::fromStdString(ssp(package.toStdString())), "-d", dir.path()});
        if (!unzip.waitForFinished(20000) || unzip.exitCode() != 0) {
            // No unzip on this machine: lay the folder out from the build's staging copy instead.
            const QString stage = QString::fromStdString(kBin + "/tests/ssp/stage/") + package;
            for (const QString &f : QDir(stage).entryList(QDir::Files))
                QVERIFY(QFile::copy(stage + "/" + f, dir.filePath(f)));
            QDir().mkpath(dir.filePath("resources"));
            for (const QString &f : QDir(stage + "/resources").entryList(QDir::Files))
                QVERIFY(QFile::copy(stage + "/resources/" + f, dir.filePath("resources/" + f)));
        }
        QFile ssd(dir.filePath("SystemStructure.ssd"));
        QVERIFY(ssd.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(ssd.readAll());
        ssd.close();
        QVERIFY2(text.contains(from), qPrintable(from));
        text.replace(text.indexOf(from), from.size(), to);
        QVERIFY(ssd.open(QIODevice::WriteOnly | QIODevice::Truncate));
        ssd.write(text.toUtf8());
        ssd.close();
        const QString out = twinctl({"ssp-info", dir.path()}, rc);
        QVERIFY2(rc == 2 && out.contains(expected), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TstSsp)
#include "tst_ssp.moc"
