// The calibration report from an evidence record: self-contained HTML (no scripts, no external resources),
// every section filled from the record, text escaped, plots with the band and the model before calibration,
// the correlation map only with several parameters, and a clear error for a record it cannot read.
#include "twin/model/calibration/EvidenceReview.h"
#include "twin/model/calibration/Report.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>

using namespace twin::model::calibration;
using nlohmann::json;

namespace {

json record(bool band, bool approved)
{
    json t = json::array(), obs = json::array(), sim = json::array(), lo = json::array(), hi = json::array(),
         initial = json::array();
    std::string use;
    for (int i = 0; i < 600; ++i) {
        const double y = 80 + 5 * std::sin(i / 60.0);
        t.push_back(i * 10.0);
        obs.push_back(y + 0.2 * std::sin(i * 7.1));
        sim.push_back(y);
        lo.push_back(y - 0.4);
        hi.push_back(y + 0.4);
        initial.push_back(y - 15);
        use += i < 300 ? 'F' : i < 320 ? 'X' : 'H';
    }
    json series = {{"model", "T"}, {"unit", "degreeCelsius"}, {"t", t}, {"observed", obs}, {"simulated", sim},
                   {"use", use},   {"initial", initial}};
    if (band) {
        series["lower"] = lo;
        series["upper"] = hi;
    }
    json metrics = {{"n", 300},   {"rmse", 0.14}, {"nrmse", 0.014},
                    {"r2", 0.99}, {"bias", 0.01}, {"coverage", 0.96}};
    json r = {{"asset", "Site/Motor <M-1> & co"},
              {"createdAt", "2026-01-05T09:00:00Z"},
              {"software", {{"version", "0.1.0"}}},
              {"model", {{"plugin", "twin.sim-fmi"}, {"pluginVersion", "1.0.0"}, {"model", "motor_cooling"}}},
              {"definition", {{"seed", 1}}},
              {"data",
               {{"hash", "sha256:00ff"},
                {"windows", {{{"from", "2026-01-05T06:00:00Z"}, {"to", "2026-01-05T07:00:00Z"}}}},
                {"holdout", json::array()},
                {"inputs", {"current"}},
                {"outputs",
                 {{"windingTemperature",
                   {{"fitted", 300}, {"holdout", 280}, {"badQuality", 3}, {"outside", 20}}}}}}},
              {"result",
               {{"converged", true},
                {"identifiable", true},
                {"method", "lm"},
                {"parameterOrder", {"R_th", "tau"}},
                {"parameters",
                 {{"R_th",
                   {{"value", 0.045},
                    {"start", 0.03},
                    {"stderr", 1e-4},
                    {"ci95", {0.0448, 0.0452}},
                    {"lower", 0.005},
                    {"upper", 0.2},
                    {"atBound", false},
                    {"informed", true}}},
                  {"tau",
                   {{"value", 6000},
                    {"start", 1200},
                    {"stderr", 30},
                    {"ci95", {5940, 6060}},
                    {"lower", 100},
                    {"upper", 6000},
                    {"atBound", true},
                    {"informed", true}}}}},
                {"correlation", {{1, 0.97}, {0.97, 1}}},
                {"metrics", {{"T", metrics}}},
                {"holdout", {{"T", metrics}}},
                {"warnings", {"R_th and tau are strongly correlated"}}}},
              {"series", {{"windingTemperature", series}}},
              {"acceptance",
               {{"defined", true},
                {"passed", false},
                {"criteria",
                 {{{"criterion", "nrmse <= 0.05 on hold-out"},
                   {"output", "windingTemperature"},
                   {"value", 0.014},
                   {"passed", true}},
                  {{"criterion", "rmse <= 0.01 on hold-out"},
                   {"output", "windingTemperature"},
                   {"value", 0.14},
                   {"passed", false}}}}}},
              {"decision", approved ? json{{"status", "approved"},
                                           {"reviewer", "A. Expert"},
                                           {"reason", "fits"},
                                           {"at", "2026-01-06T10:00:00Z"}}
                                    : json{{"status", "pending"}}}};
    return r;
}

} // namespace

class TestCalibrationReport : public QObject
{
    Q_OBJECT
private slots:
    void selfContainedHtmlWithEverySection()
    {
        const auto html = reportHtml(record(true, true).dump());
        QVERIFY2(html.ok(), html.ok() ? "" : html.error().c_str());
        const QString h = QString::fromStdString(*html);
        for (const char *part :
             {"<!DOCTYPE html>", "Calibration of Site/Motor &lt;M-1&gt; &amp; co", "What was calibrated",
              "Data provenance", "sha256:00ff", "Parameters", "Fit metrics", "Acceptance criteria",
              "Observed and simulated", "Decision", "A. Expert", "at a bound",
              "R_th and tau are strongly correlated", "95 % prediction band", "before calibration",
              "windingTemperature [°C]", "<polygon"})
            QVERIFY2(h.contains(QString::fromUtf8(part)), part);
        QCOMPARE(h.count("<svg"), 2);                            // the time plot and the correlation map
        QVERIFY(h.contains("stroke=\"#b00000\""));               // |rho| 0.97 outlined
        QVERIFY(h.contains("<span class=\"fail\">FAIL</span>")); // the unmet criterion
        QVERIFY(h.contains(">approved<"));
        // Nothing is fetched: no scripts, no links, no external images or styles.
        for (const char *banned : {"<script", "src=", "href=", "@import", "url(", "<link"})
            QVERIFY2(!h.contains(banned), banned);
        QVERIFY(!h.contains("<M-1>")); // escaped
    }

    void optionalPartsFollowTheRecord()
    {
        json r = record(false, false);
        r["result"]["parameterOrder"] = {"R_th"};
        r["result"]["parameters"].erase("tau");
        r["result"]["correlation"] = {{1}};
        const QString h = QString::fromStdString(*reportHtml(r.dump()));
        QCOMPARE(h.count("<svg"), 1); // one parameter: no correlation map
        QVERIFY(!h.contains("<polygon"));
        QVERIFY(h.contains("Pending sign-off"));
        // A record without some sections still gives a report rather than crashing.
        r.erase("data");
        r.erase("acceptance");
        r.erase("decision");
        QVERIFY(reportHtml(r.dump()).ok());
    }

    // The review view's reading of a record: every part in its place, nothing guessed where the record is
    // silent, lengths that do not match the times dropped rather than drawn against them.
    void reviewReadsEveryPartOfTheRecord()
    {
        json r = record(true, true);
        r["series"]["windingTemperature"]["initialMetrics"] = {{"calibration", {{"n", 300}, {"rmse", 9.5}}},
                                                               {"holdout", {{"n", 280}, {"rmse", 12.0}}}};
        r["data"]["start"] = "2026-01-05T06:00:00Z";
        const auto review = reviewFromRecord(r.dump());
        QVERIFY2(review.ok(), review.ok() ? "" : review.error().c_str());
        QCOMPARE(review->decision, std::string("approved"));
        QCOMPARE(review->reviewer, std::string("A. Expert"));
        QVERIFY(review->converged && review->identifiable && review->acceptanceDefined && !review->accepted);
        QCOMPARE(review->start, twin::model::TimeNs(1767592800) * 1000000000);
        QCOMPARE(review->parameters.size(), std::size_t(2));
        QCOMPARE(review->parameters[0].name, std::string("R_th")); // the record's order
        QCOMPARE(review->parameters[0].before, 0.03);
        QCOMPARE(review->parameters[0].after, 0.045);
        QCOMPARE(review->parameters[0].ci95[1], 0.0452);
        QVERIFY(review->parameters[1].atBound);
        QCOMPARE(review->correlation, (std::vector<double>{1, 0.97, 0.97, 1}));
        QCOMPARE(stronglyCorrelated(*review).size(), std::size_t(1));
        QCOMPARE(stronglyCorrelated(*review, 0.99).size(), std::size_t(0));
        QCOMPARE(review->metrics.size(), std::size_t(2)); // calibration and hold-out of T
        QVERIFY(!review->metrics[0].holdout && review->metrics[1].holdout);
        QCOMPARE(review->metrics[0].after.coverage, 0.96);
        QCOMPARE(review->metrics[1].before.rmse, 12.0);
        QCOMPARE(review->criteria.size(), std::size_t(2));
        QVERIFY(review->criteria[0].passed && !review->criteria[1].passed);
        QCOMPARE(review->series.size(), std::size_t(1));
        const ReviewSeries &s = review->series[0];
        QCOMPARE(s.column, std::string("windingTemperature"));
        QCOMPARE(s.model, std::string("T"));
        QCOMPARE(s.t.size(), std::size_t(600));
        QCOMPARE(s.lower.size(), std::size_t(600));
        QCOMPARE(s.before.size(), std::size_t(600));
        QCOMPARE(s.use[310], 'X');
        QVERIFY(!review->warnings.empty());

        json noBand = record(false, false);
        noBand["series"]["windingTemperature"]["simulated"].erase(0); // one value short
        const auto partial = reviewFromRecord(noBand.dump());
        QVERIFY(partial.ok());
        QCOMPARE(partial->decision, std::string("pending"));
        QVERIFY(partial->series[0].lower.empty());
        QCOMPARE(partial->series[0].simulated.size(), std::size_t(600));
        QVERIFY(std::isnan(partial->series[0].simulated[0])); // not shifted against the times
        QVERIFY(!reviewFromRecord("{").ok());
        QVERIFY(!reviewFromRecord(R"({"asset":"x"})").ok());

        // Kept sensitivity (withSensitivity): a tornado per method and output with the method's measure.
        json withSensitivity = record(false, false);
        withSensitivity["sensitivity"] = {
            {"results",
             {{"sobol",
               {{"runs", 1000},
                {"failed", 0},
                {"outputs",
                 {{"windingTemperature",
                   {{{"parameter", "R_th"}, {"first", 0.6}, {"total", 0.7}},
                    {{"parameter", "tau"}, {"first", 0.1}, {"total", nullptr}}}}}}}},
              {"local",
               {{"outputs", {{"windingTemperature", {{{"parameter", "R_th"}, {"normalized", -0.4}}}}}}}}}}};
        const auto sensitivity = reviewFromRecord(withSensitivity.dump());
        QVERIFY(sensitivity.ok());
        QCOMPARE(sensitivity->sensitivity.size(), std::size_t(2)); // local, sobol (sorted by method)
        const ReviewSensitivity &local = sensitivity->sensitivity[0], &sobol = sensitivity->sensitivity[1];
        QCOMPARE(local.measure, std::string("normalized"));
        QCOMPARE(local.bars.front().second, -0.4);
        QVERIFY(local.second.empty());
        QCOMPARE(sobol.measure, std::string("total"));
        QCOMPARE(sobol.runs, std::size_t(1000));
        QCOMPARE(sobol.bars[0].second, 0.7);
        QVERIFY(std::isnan(sobol.bars[1].second)); // unknown stays unknown
        QCOMPARE(sobol.second, (std::vector<double>{0.6, 0.1}));
    }

    void unreadableRecordIsAnError()
    {
        QVERIFY(!reportHtml("{").ok());
        QVERIFY(!reportHtml("[]").ok());
        QVERIFY(!reportHtml(R"({"asset":"x"})").ok());
    }
};

QTEST_GUILESS_MAIN(TestCalibrationReport)
#include "tst_calibration_report.moc"
