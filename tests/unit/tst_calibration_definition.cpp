// Calibration definitions as the project stores them: JSON round trip, errors that name the field, the
// command-line forms (windows, parameters, criteria), times, and asset parameters.
#include "twin/model/calibration/CalibrationDefinition.h"
#include "twin/model/calibration/Evidence.h"
#include "twin/model/calibration/Report.h"
#include "twin/model/scenario/AssetParameters.h"

#include <QtTest>

using namespace twin::model;
using namespace twin::model::calibration;

class TestCalibrationDefinition : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip()
    {
        CalibrationDefinition d;
        d.asset = "Site/Motor M-1";
        d.parameters = {{"R_th", 0.01, 0.1, 0.03, 0.04, 0.01},
                        {"tau", 10, 1e4, std::nullopt, std::nullopt, std::nullopt}};
        d.outputs = {{"windingTemperature", 0.25, 2, Loss::Huber}};
        d.inputs = {"current"};
        d.windows = {{1767592800LL * kNsPerSecond, 1767596400LL * kNsPerSecond + 500'000'000}};
        d.holdout = {{1767596401LL * kNsPerSecond, 1767600000LL * kNsPerSecond}};
        d.step = 2;
        d.method = "global";
        d.seed = 42;
        d.restartEachWindow = false;
        d.acceptance = {{"nrmse", "<=", 0.05, "", true}, {"r2", ">=", 0.9, "windingTemperature", false}};
        const std::string text = definitionToJson(d);
        QVERIFY(text.find("2026-01-05T07:00:00.5Z") != std::string::npos);
        auto back = definitionFromJson(text);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().c_str());
        QVERIFY(*back == d);

        Project p;
        setDefinition(p, d);
        QCOMPARE(calibratedAssets(p), std::vector<std::string>{d.asset});
        QVERIFY(findDefinition(p, d.asset) == d);
        QVERIFY(!findDefinition(p, "Site/other"));
    }

    void errorsNameTheField_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("malformed") << "{"
                                   << "malformed JSON";
        QTest::newRow("no asset") << "{}"
                                  << "calibration.asset: missing";
        QTest::newRow("lower") << R"({"asset":"a","parameters":[{"name":"k","upper":1}]})"
                               << "parameters[0].lower: missing";
        QTest::newRow("upper text") << R"({"asset":"a","parameters":[{"name":"k","lower":0,"upper":"x"}]})"
                                    << "parameters[0].upper: not a finite number";
        QTest::newRow("loss") << R"({"asset":"a","outputs":[{"twin":"T","loss":"l1"}]})"
                              << "outputs[0].loss: \"l1\" is not squared, huber or cauchy";
        QTest::newRow("window order")
            << R"({"asset":"a","windows":[{"from":"2026-01-05T07:00:00Z","to":"2026-01-05T06:00:00Z"}]})"
            << "windows[0]: ends before it starts";
        QTest::newRow("window time") << R"({"asset":"a","holdout":[{"from":"yesterday","to":1}]})"
                                     << "holdout[0].from";
        QTest::newRow("metric") << R"({"asset":"a","acceptance":[{"metric":"fit","value":1}]})"
                                << "acceptance[0].metric: unknown metric \"fit\"";
        QTest::newRow("op") << R"({"asset":"a","acceptance":[{"metric":"rmse","op":"<","value":1}]})"
                            << "acceptance[0].op";
        QTest::newRow("method") << R"({"asset":"a","method":"nelder"})"
                                << "method: \"nelder\"";
        QTest::newRow("seed") << R"({"asset":"a","seed":-1})"
                              << "seed: not a whole number";
        QTest::newRow("restartEachWindow") << R"({"asset":"a","restartEachWindow":"yes"})"
                                           << "restartEachWindow: not true or false";
    }
    void errorsNameTheField()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        auto d = definitionFromJson(json.toStdString());
        QVERIFY(!d.ok());
        QVERIFY2(d.error().find(expected.toStdString()) != std::string::npos, d.error().c_str());
    }

    void commandLineForms()
    {
        auto w = parseWindow("2026-01-05T06:00:00Z/2026-01-05T08:00:00+01:00");
        QVERIFY2(w.ok(), w.ok() ? "" : w.error().c_str());
        QCOMPARE(w->from, 1767592800LL * kNsPerSecond);
        QCOMPARE(w->to, 1767596400LL * kNsPerSecond);
        // 07:00 UTC and 07:00+01:00 (06:00 UTC): the window ends before it starts.
        QVERIFY(!parseWindow("2026-01-05T07:00:00Z/2026-01-05T07:00:00+01:00").ok());
        QVERIFY(!parseWindow("2026-01-05T06:00:00Z").ok());
        QVERIFY(parseTime("1767592800000000000").ok());
        QCOMPARE(isoUtc(1767592800LL * kNsPerSecond + 250'000'000), std::string("2026-01-05T06:00:00.25Z"));

        auto p = parseParameterSpec("R_th=0.01:0.1:0.03");
        QVERIFY(p.ok());
        QCOMPARE(p->name, std::string("R_th"));
        QCOMPARE(*p->start, 0.03);
        QVERIFY(!parseParameterSpec("tau=10").ok());
        QVERIFY(!parseParameterSpec("tau=a:b").ok());
        QVERIFY(!parseParameterSpec("=1:2").ok());

        auto c = parseCriterion("r2>=0.9:windingTemperature@calibration");
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().c_str());
        QCOMPARE(c->metric, std::string("r2"));
        QCOMPARE(c->op, std::string(">="));
        QCOMPARE(c->value, 0.9);
        QCOMPARE(c->output, std::string("windingTemperature"));
        QVERIFY(!c->holdout);
        QCOMPARE(c->describe(), std::string("r2(windingTemperature) >= 0.9 on calibration"));
        QVERIFY(parseCriterion("absBias<=0.5")->holdout);
        QVERIFY(!parseCriterion("fit<=1").ok());
        QVERIFY(!parseCriterion("rmse<1").ok());
        QVERIFY(!parseCriterion("rmse<=x").ok());
        QVERIFY(!parseCriterion("rmse<=1@later").ok());
    }

    void evidenceNumbersAndDamagedRecords()
    {
        Project p;
        const std::string base = "calibration-evidence:Site/M#";
        p.meta[base + "9999"] = "{}";
        p.meta[base + "10000"] = "{}";
        const auto keys = evidenceKeys(p, "Site/M");
        QCOMPARE(keys.back(), base + "10000"); // by number, not by text
        QCOMPARE(newEvidence(p, "Site/M", "{}").key, base + "10001");
        // Values of the wrong type in a hand-edited record: no exception, a clear refusal.
        const std::string damaged = R"({"result": {"parameters": 3}, "series": {}, "decision": {"status": 5},
            "asset": 7, "acceptance": {"passed": "yes"}})";
        p.meta[base + "10000"] = damaged;
        QVERIFY(!summarizeEvidence(damaged).accepted);
        QVERIFY(!signOffChanges(p, base + "10000", {Decision::Approved, "A", "B", 0}).ok());
        const auto report = reportHtml(damaged); // renders what it can read, never throws
        QVERIFY(report.ok() && report->find("Calibration of") != std::string::npos);
    }

    void assetParameters()
    {
        scenario::AssetParameters a{{{"R_th", 0.045}, {"tau", 1500}}, "calibration-evidence:M#0001"};
        QVERIFY(scenario::assetParametersFromJson(scenario::assetParametersToJson(a)) == a);
        QVERIFY(scenario::assetParametersFromJson("[1]").values.empty());
        QCOMPARE(scenario::assetParametersFromJson(R"({"values":{"a":1,"b":"x"}})").values.size(),
                 std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestCalibrationDefinition)
#include "tst_calibration_definition.moc"
