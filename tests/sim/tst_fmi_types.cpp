// Typed FMU variables through the worker: Integer, Boolean, Enumeration and the FMI 3 integer and float
// types as numbers; String and Binary as text and bytes (parameters, held inputs, outputs, fmu-run's CSV);
// the Reference Feedthrough FMUs feeding every type through.
#include "FmiTestSupport.h"
#include "SharedData.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace twin::model::sim;
using namespace twin::fmitest;

class TstFmiTypes : public QObject
{
    Q_OBJECT

private slots:
    // Integer, Boolean, Enumeration (FMI 2) and Int16, UInt8, Int64, Float32, Boolean (FMI 3) scalars are
    // read and set as numbers; strings and arrays are left out of the variable list, and setting them is
    // refused.
    void typedScalarsAreNumbers_data()
    {
        QTest::addColumn<QString>("fmu");
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("count");
        QTest::addColumn<double>("factor"); // y = count * factor * t with the other parameters set below
        QTest::newRow("FMI 2") << "types2"
                               << "y"
                               << "count" << 2.0; // mode = 2
        QTest::newRow("FMI 3") << "types3"
                               << "y32"
                               << "count" << 5.0; // gain = 5
    }
    void typedScalarsAreNumbers()
    {
        QFETCH(QString, fmu);
        QFETCH(QString, output);
        QFETCH(QString, count);
        QFETCH(double, factor);
        SimulationJob job = fmuJob(fmu.toStdString());
        job.outputs = {output.toStdString(), "steps", "above"};
        job.parameters = {{count.toStdString(), -4}, {"enabled", 1}};
        job.parameters.emplace_back(fmu == "types2" ? "mode" : "gain", factor);
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, quickLimits());
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.columns, (std::vector<std::string>{"time", output.toStdString(), "steps", "above"}));
        const auto &last = r.rows.back();
        QVERIFY(std::abs(last[1] - (-4 * factor * 1.0)) < 1e-5);
        QCOMPARE(last[2], 10.0); // doSteps taken
        QCOMPARE(last[3], 0.0);  // y is negative: not above 1

        job.parameters = {{"enabled", 0.5}}; // not a Boolean value
        const SimulationResult bad = runner.run(job, quickLimits());
        QCOMPARE(bad.outcome, RunOutcome::ModelError);
        QVERIFY2(bad.message.find("\"enabled\" is a Boolean variable: give 0 or 1") != std::string::npos,
                 bad.message.c_str());
        job.parameters = {{count.toStdString(), 2.5}};
        const SimulationResult fraction = runner.run(job, quickLimits());
        QVERIFY2(fraction.message.find("give a whole number") != std::string::npos, fraction.message.c_str());
        if (fmu == "types3") {
            job.parameters = {{"gain", 300}}; // UInt8 range
            QVERIFY(runner.run(job, quickLimits()).message.find("UInt8") != std::string::npos);
        }
        job.parameters = {{fmu == "types2" ? "tag" : "v", 1}};
        const SimulationResult notNumber = runner.run(job, quickLimits());
        QVERIFY2(notNumber.message.find("not a number") != std::string::npos, notNumber.message.c_str());
    }

    // String (FMI 2 and 3) and Binary (FMI 3) variables go through the SDK's typed calls: listed with their
    // type and start, set before initialization, read every communication point (Binary as hex), written
    // by fmu-run as CSV columns; a String is not a number and a number is not a String.
    void textAndBinaryVariables_data()
    {
        QTest::addColumn<QString>("fmu");
        QTest::newRow("FMI 2") << "types2";
        QTest::newRow("FMI 3") << "types3";
    }
    void textAndBinaryVariables()
    {
        QFETCH(QString, fmu);
        const bool three = fmu == "types3";
        SimulationJob job = fmuJob(fmu.toStdString());
        job.textParameters = {{"tag", "pump \"7\", left"}};
        if (three)
            job.binaryParameters = {{"key", {0x01, 0x02, 0xff}}};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, quickLimits());
        QVERIFY2(r.ok(), r.message.c_str());
        const std::vector<std::string> textColumns =
            three ? std::vector<std::string>{"label", "echo"} : std::vector<std::string>{"label", "heard"};
        QCOMPARE(r.textColumns, textColumns);
        QCOMPARE(r.textRows.size(), r.rows.size());
        QCOMPARE(r.textRows.front()[0], std::string("pump \"7\", left:0"));
        QCOMPARE(r.textRows.back()[0], std::string("pump \"7\", left:10"));
        if (three)
            QCOMPARE(r.textRows.back()[1], std::string("ff0201"));
        // Named explicitly beside numeric outputs.
        job.outputs = {three ? "y32" : "y"};
        job.textOutputs = {"label"};
        const SimulationResult named = runner.run(job, quickLimits());
        QVERIFY2(named.ok(), named.message.c_str());
        QCOMPARE(named.columns.size(), std::size_t(2));
        QCOMPARE(named.textColumns, std::vector<std::string>{"label"});
        job.textOutputs = {"nothing"};
        QVERIFY(runner.run(job, quickLimits()).message.find("no String or Binary variable \"nothing\"") !=
                std::string::npos);
        job.textOutputs.clear();
        job.outputs.clear();
        job.textParameters = {{"label", "x"}}; // an output
        QVERIFY(runner.run(job, quickLimits()).message.find("cannot be set") != std::string::npos);
        job.textParameters = {{three ? "y32" : "y", "x"}};
        QVERIFY(!runner.run(job, quickLimits()).ok());
        job.textParameters.clear();
        job.parameters = {{"tag", 1}};
        const std::string notNumber = runner.run(job, quickLimits()).message;
        QVERIFY2(notNumber.find("set it as text") != std::string::npos, notNumber.c_str());
        job.parameters.clear();

        // fmu-run: --set routes by the variable's type; text columns follow the numbers, quoted.
        QTemporaryDir tmp;
        const QString out = tmp.filePath("out.csv");
        QStringList args = {"fmu-run", QString::fromStdString(fmuPath(fmu.toStdString())),
                            "--out",   out,
                            "--set",   "tag=a,\"b\""};
        if (three)
            args << "--set"
                 << "key=0xCAFE";
        QProcess run;
        run.start(QString::fromStdString(kBin + "/bin/twinctl"), args);
        QVERIFY(run.waitForFinished(60000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
        QFile csv(out);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
        QVERIFY(lines.front().endsWith(three ? ",label,echo" : ",label,heard"));
        QVERIFY2(lines.back().endsWith(three ? ",\"a,\"\"b\"\":10\",\"feca\"" : ",\"a,\"\"b\"\":10\",\"-\""),
                 qPrintable(lines.back()));
        if (three) {
            QProcess bad;
            bad.start(
                QString::fromStdString(kBin + "/bin/twinctl"),
                {"fmu-run", QString::fromStdString(fmuPath("types3")), "--out", out, "--set", "key=xyz"});
            QVERIFY(bad.waitForFinished(60000));
            QVERIFY(bad.exitCode() != 0);
            QVERIFY(QString::fromUtf8(bad.readAllStandardError())
                        .contains("key is a Binary variable: give hex digits"));
        }
    }

    // Text inputs are held from their row to the next (not interpolated) and set only when they change; from
    // a job and from fmu-run --inputs (RFC 4180 quoting, a comma inside quotes); a text column for a number,
    // or a name the model lacks, is refused with the name.
    void textInputsAreHeld()
    {
        SimulationJob job = fmuJob("types2", 2.0, 0.25);
        job.inputs.time = {0, 0.6, 1.4};
        job.inputs.textColumns = {{"note", {"first", "second, with a comma", "third"}}};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, quickLimits());
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.textColumns, (std::vector<std::string>{"label", "heard"}));
        std::vector<std::string> heard;
        for (const auto &row : r.textRows)
            heard.push_back(row[1]);
        // The note held at a step's start is heard at its end: rows at t = 0, 0.25, ..., 2.
        const std::string second = "second, with a comma";
        QCOMPARE(heard, (std::vector<std::string>{"first", "first", "first", "first", second, second, second,
                                                  "third", "third"}));
        job.inputs.textColumns = {{"count", {"1", "2", "3"}}};
        QVERIFY(
            runner.run(job, quickLimits()).message.find("input \"count\" has text values but is a number") !=
            std::string::npos);
        job.inputs.textColumns = {{"nothing", {"1", "2", "3"}}};
        QVERIFY(runner.run(job, quickLimits())
                    .message.find("\"nothing\" has text values but is not a variable") != std::string::npos);

        QTemporaryDir tmp;
        const QString in = tmp.filePath("in.csv"), out = tmp.filePath("out.csv");
        QFile file(in);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("time,note\n0,\"a, \"\"b\"\"\"\n1,c\n");
        file.close();
        QProcess run;
        run.start(QString::fromStdString(kBin + "/bin/twinctl"),
                  {"fmu-run", QString::fromStdString(fmuPath("types2")), "--inputs", in, "--out", out,
                   "--stop", "2", "--step", "0.5"});
        QVERIFY(run.waitForFinished(60000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
        QFile csv(out);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
        QVERIFY2(lines[2].endsWith(",\"a, \"\"b\"\"\""), qPrintable(lines[2])); // t = 0.5
        QVERIFY2(lines.back().endsWith(",\"c\""), qPrintable(lines.back()));
    }

    // The FMI standard's own Feedthrough Reference FMU (every type) runs: numeric outputs come back as
    // columns.
    void referenceFeedthroughRuns_data()
    {
        QTest::addColumn<QString>("version");
        QTest::newRow("FMI 2") << "fmi2";
        QTest::newRow("FMI 3") << "fmi3";
    }
    void referenceFeedthroughRuns()
    {
        TWIN_SKIP_WITHOUT_SHARED_DATA();
        QFETCH(QString, version);
        SimulationJob job = fmuJob("decay2");
        job.config = "{\"fmu\": \"" TWIN_SHARED_DATA "/fmu/reference-fmus/" + version.toStdString() +
                     "/Feedthrough.fmu\"}";
        job.label = "Feedthrough.fmu";
        job.parameters = {{version == "fmi2" ? "Int32_input" : "Int16_input", 7}, {"Boolean_input", 1}};
        SimulationRunner runner(kBin + "/bin/twin-simworker");
        const SimulationResult r = runner.run(job, quickLimits());
        QVERIFY2(r.ok(), r.message.c_str());
        const auto column = [&](const std::string &name) {
            const auto it = std::find(r.columns.begin(), r.columns.end(), name);
            return it == r.columns.end() ? -1 : int(it - r.columns.begin());
        };
        const int integer = column(version == "fmi2" ? "Int32_output" : "Int16_output"),
                  boolean = column("Boolean_output");
        QVERIFY(integer > 0 && boolean > 0);
        QCOMPARE(r.rows.back()[std::size_t(integer)], 7.0); // fed through
        QCOMPARE(r.rows.back()[std::size_t(boolean)], 1.0);
        // Text and bytes: the start values fed through, then values we set.
        const bool three = version == "fmi3";
        QCOMPARE(r.textColumns, three ? (std::vector<std::string>{"String_output", "Binary_output"})
                                      : std::vector<std::string>{"String_output"});
        QCOMPARE(r.textRows.back()[0], std::string("Set me!"));
        if (three)
            QCOMPARE(r.textRows.back()[1], std::string("666f6f")); // "foo"
        job.textParameters = {{"String_input", "ünïcode, \"quoted\""}};
        if (three)
            job.binaryParameters = {{"Binary_input", {0x00, 0xc0, 0xff, 0xee}}};
        const SimulationResult set = runner.run(job, quickLimits());
        QVERIFY2(set.ok(), set.message.c_str());
        QCOMPARE(set.textRows.back()[0], std::string("ünïcode, \"quoted\""));
        if (three)
            QCOMPARE(set.textRows.back()[1], std::string("00c0ffee"));
        // As inputs that change during the run (held, Binary as hex).
        job.textParameters.clear();
        job.binaryParameters.clear();
        job.inputs.time = {0, 0.5};
        job.inputs.textColumns = {{"String_input", {"early", "late"}}};
        if (three)
            job.inputs.textColumns.push_back({"Binary_input", {"00ff", "abcd"}});
        const SimulationResult changing = runner.run(job, quickLimits());
        QVERIFY2(changing.ok(), changing.message.c_str());
        QCOMPARE(changing.textRows.front()[0], std::string("early"));
        QCOMPARE(changing.textRows.back()[0], std::string("late"));
        if (three) {
            QCOMPARE(changing.textRows.front()[1], std::string("00ff"));
            QCOMPARE(changing.textRows.back()[1], std::string("abcd"));
        }
    }
};

QTEST_GUILESS_MAIN(TstFmiTypes)
#include "tst_fmi_types.moc"
