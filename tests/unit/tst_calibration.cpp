// Calibration core on in-process models with known truth: recovery, honest intervals over replicates,
// identifiability, bounds, robust losses, the global method, metrics and bad input.
#include "twin/model/calibration/CalibrationJson.h"
#include "twin/model/calibration/Calibrator.h"
#include "twin/model/calibration/PredictionBand.h"
#include "twin/model/calibration/Residuals_p.h"
#include "twin/model/calibration/RunSampler_p.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>
#include <random>

using namespace twin::model::calibration;
namespace sim = twin::model::sim;

namespace {

// y(t) = a * exp(-t / tau) + c, observed at 0.1 s steps for 100 s.
struct Decay
{
    double a = 10, tau = 20, c = 5;
    static double at(const std::vector<double> &p, double t) { return p[0] * std::exp(-t / p[1]) + p[2]; }
};

CalibrationProblem decayProblem(const std::vector<double> &truth, double noiseSd, unsigned seed,
                                int points = 1000)
{
    CalibrationProblem problem;
    problem.job.start = 0;
    problem.job.stop = 100;
    problem.job.step = 0.1;
    problem.parameters = {{"a", 1, 50, 5, {}, {}}, {"tau", 1, 100, 10, {}, {}}, {"c", -20, 20, 0, {}, {}}};
    FitOutput y;
    y.variable = "y";
    std::mt19937 random(seed);
    std::normal_distribution<double> noise(0, noiseSd);
    for (int i = 0; i < points; ++i) {
        const double t = 100.0 * i / (points - 1);
        y.time.push_back(t);
        y.observed.push_back(Decay::at(truth, t) + noise(random));
    }
    problem.outputs.push_back(y);
    return problem;
}

FunctionEvaluator::Model modelOf(const CalibrationProblem &problem,
                                 std::function<double(const std::vector<double> &, double)> f)
{
    return [&problem, f](const std::vector<double> &p) {
        Evaluation e;
        e.ok = true;
        for (const auto &o : problem.outputs) {
            std::vector<double> values;
            for (double t : o.time)
                values.push_back(f(p, t));
            e.outputs.push_back(values);
        }
        return e;
    };
}

const ParameterEstimate &estimate(const CalibrationResult &r, const std::string &name)
{
    for (const auto &p : r.parameters)
        if (p.name == name)
            return p;
    qFatal("no parameter %s", name.c_str());
}

} // namespace

class TestCalibration : public QObject
{
    Q_OBJECT
private slots:
    void recoversKnownParametersWithin1Percent()
    {
        const std::vector<double> truth{10, 20, 5};
        // 5 % noise: a standard deviation of 5 % of the signal's own standard deviation (2.47 here).
        const double noise = 0.05 * 2.47;
        const CalibrationProblem problem = decayProblem(truth, noise, 42);
        FunctionEvaluator evaluator(modelOf(problem, Decay::at));
        const auto result = calibrate(problem, evaluator);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QVERIFY2(result->converged, result->message.c_str());
        QVERIFY(result->identifiable);
        for (std::size_t j = 0; j < truth.size(); ++j) {
            const auto &p = result->parameters[j];
            QVERIFY2(std::abs(p.value - truth[j]) < 0.01 * std::abs(truth[j]),
                     qPrintable(QString("%1 = %2 +- %3, truth %4")
                                    .arg(p.name.c_str())
                                    .arg(p.value)
                                    .arg(p.stderror)
                                    .arg(truth[j])));
            QVERIFY(p.stderror > 0 && p.ci95[0] < p.value && p.value < p.ci95[1]);
            QVERIFY(!p.atBound);
        }
        QVERIFY(result->evaluations > 4);
        // The noise was estimated from the data: close to the truth.
        QVERIFY(std::abs(result->outputs[0].sigma - noise) < 0.15 * noise);
        QVERIFY(std::abs(result->outputs[0].calibration.rmse - noise) < 0.1 * noise);
        QVERIFY(result->outputs[0].calibration.r2 > 0.99);
    }

    void intervalsContainTheTruthAtTheirNominalRate()
    {
        const std::vector<double> truth{10, 20, 5};
        int inside[3] = {0, 0, 0};
        const int replicates = 100;
        for (int rep = 0; rep < replicates; ++rep) {
            const CalibrationProblem problem = decayProblem(truth, 0.5, 1000 + unsigned(rep), 200);
            FunctionEvaluator evaluator(modelOf(problem, Decay::at));
            const auto result = calibrate(problem, evaluator);
            QVERIFY2(result.ok() && result->converged,
                     result.ok() ? result->message.c_str() : result.error().c_str());
            for (int j = 0; j < 3; ++j)
                inside[j] +=
                    result->parameters[j].ci95[0] <= truth[j] && truth[j] <= result->parameters[j].ci95[1];
        }
        for (int j = 0; j < 3; ++j) {
            qInfo("parameter %d: truth inside the 95 %% interval in %d of %d replicates", j, inside[j],
                  replicates);
            QVERIFY(inside[j] >= 90 && inside[j] <= 99);
        }
    }

    void predictionBandCoversHeldOutDataAtItsLevel()
    {
        // Fit on the first 70 %, hold out the rest: the 95 % band (parameter draws + the fitted noise) must
        // hold about 95 % of the held-out observations, and be wider where the parameters are less certain.
        CalibrationProblem problem = decayProblem({10, 20, 5}, 0.3, 7, 2000);
        for (double t : problem.outputs[0].time)
            problem.outputs[0].use.push_back(t < 70 ? Use::Fit : Use::Holdout);
        FunctionEvaluator evaluator(modelOf(problem, Decay::at));
        auto result = calibrate(problem, evaluator);
        QVERIFY(result.ok() && result->converged);
        const auto band = predictionBand(problem, *result, evaluator, {400, 3, 0.95});
        QVERIFY2(band.ok(), band.ok() ? "" : band.error().c_str());
        QCOMPARE(band->samples, 400);
        setCoverage(problem, *band, *result);
        const double fit = result->outputs[0].calibration.coverage,
                     held = result->outputs[0].holdout.coverage;
        qInfo("coverage: %.3f on calibration, %.3f on hold-out", fit, held);
        QVERIFY(fit > 0.92 && fit < 0.98);
        QVERIFY(held > 0.92 && held < 0.98);
        const auto &b = band->outputs[0];
        for (std::size_t i = 0; i < b.lower.size(); ++i)
            QVERIFY(b.lower[i] < result->outputs[0].simulated[i] &&
                    result->outputs[0].simulated[i] < b.upper[i]);
        // Same draws without noise would be far narrower than +-1.96 sigma: the band includes the noise.
        const double width = b.upper[1000] - b.lower[1000];
        QVERIFY(width > 2 * 1.9 * 0.3 && width < 2 * 2.3 * 0.3);
        // Not identifiable: no band, and it says why.
        CalibrationResult broken = *result;
        broken.covariance.assign(9, std::nan(""));
        const auto none = predictionBand(problem, broken, evaluator);
        QVERIFY(!none.ok() && none.error().find("not identifiable") != std::string::npos);
    }

    void productOnlyIsReportedNotIdentifiable()
    {
        // y = a * b * t: only the product is determined.
        CalibrationProblem problem;
        problem.job.stop = 10;
        problem.parameters = {{"a", 0.1, 10, 1, {}, {}}, {"b", 0.1, 10, 1, {}, {}}};
        FitOutput y;
        y.variable = "y";
        for (int i = 0; i <= 100; ++i) {
            y.time.push_back(0.1 * i);
            y.observed.push_back(6 * 0.1 * i + 0.01 * std::sin(i * 1.7));
        }
        problem.outputs.push_back(y);
        FunctionEvaluator evaluator(
            modelOf(problem, [](const auto &p, double t) { return p[0] * p[1] * t; }));
        const auto result = calibrate(problem, evaluator);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().c_str());
        QVERIFY(!result->identifiable);
        QVERIFY(std::isnan(result->parameters[0].stderror) && std::isnan(result->parameters[1].stderror));
        const std::string warnings = nlohmann::json(result->warnings).dump();
        QVERIFY2(warnings.find("near-singular") != std::string::npos &&
                     warnings.find("'a', 'b'") != std::string::npos,
                 warnings.c_str());
        QVERIFY(std::abs(result->parameters[0].value * result->parameters[1].value - 6) < 0.01);
        const auto json = nlohmann::json::parse(resultJson(*result));
        QVERIFY(json["parameters"]["a"]["stderr"].is_null());
        QCOMPARE(json["identifiable"].get<bool>(), false);
    }

    void parameterNotInTheOutputIsNotInformed()
    {
        CalibrationProblem problem = decayProblem({10, 20, 5}, 0.1, 7, 300);
        problem.parameters.push_back({"unused", 0, 1, 0.5, {}, {}});
        FunctionEvaluator evaluator(modelOf(problem, Decay::at));
        const auto result = calibrate(problem, evaluator);
        QVERIFY(result.ok());
        QVERIFY(!estimate(*result, "unused").informed);
        QVERIFY(!result->identifiable);
        QVERIFY(estimate(*result, "a").informed);
    }

    void boundsAreRespectedAndAParameterAtABoundIsFlagged()
    {
        CalibrationProblem problem = decayProblem({10, 20, 5}, 0.1, 3, 300);
        problem.parameters[1].upper = 15; // the truth (20) lies beyond
        problem.parameters[1].start = 10;
        FunctionEvaluator evaluator(modelOf(problem, Decay::at));
        const auto result = calibrate(problem, evaluator);
        QVERIFY(result.ok());
        const auto &tau = estimate(*result, "tau");
        QVERIFY(tau.value <= 15 + 1e-12);
        QVERIFY(tau.atBound);
        QVERIFY(nlohmann::json(result->warnings).dump().find("'tau' ended at its upper bound") !=
                std::string::npos);
    }

    void huberLossResistsOutliers()
    {
        CalibrationProblem problem = decayProblem({10, 20, 5}, 0.2, 11, 400);
        for (std::size_t i = 7; i < problem.outputs[0].observed.size(); i += 23)
            problem.outputs[0].observed[i] += 25; // gross outliers
        auto fitWith = [&](Loss loss) {
            CalibrationProblem p = problem;
            p.outputs[0].loss = loss;
            p.outputs[0].sigma = 0.2;
            FunctionEvaluator evaluator(modelOf(p, Decay::at));
            return calibrate(p, evaluator);
        };
        const auto squared = fitWith(Loss::Squared), huber = fitWith(Loss::Huber);
        QVERIFY(squared.ok() && huber.ok());
        const double errSquared = std::abs(estimate(*squared, "c").value - 5);
        const double errHuber = std::abs(estimate(*huber, "c").value - 5);
        QVERIFY2(errHuber < 0.2 * errSquared,
                 qPrintable(QString("huber %1, squared %2").arg(errHuber).arg(errSquared)));
    }

    void globalMethodIsSeededAndReproducible()
    {
        const CalibrationProblem problem = decayProblem({10, 20, 5}, 0.2, 5, 300);
        CalibrationOptions options;
        options.method = Method::Global;
        options.seed = 99;
        FunctionEvaluator first(modelOf(problem, Decay::at)), second(modelOf(problem, Decay::at));
        const auto a = calibrate(problem, first, options), b = calibrate(problem, second, options);
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a->converged);
        for (std::size_t j = 0; j < 3; ++j) {
            QCOMPARE(a->parameters[j].value, b->parameters[j].value);
            QVERIFY(std::abs(a->parameters[j].value - std::vector<double>{10, 20, 5}[j]) < 0.05 * 20);
        }
        QCOMPARE(QString::fromStdString(a->method), QStringLiteral("global"));
    }

    void priorPullsAWeaklyInformedParameter()
    {
        CalibrationProblem problem = decayProblem({10, 20, 5}, 0.3, 8, 100);
        problem.parameters[1].priorMean = 30;
        problem.parameters[1].priorSd = 0.01; // a very confident prior dominates the data
        FunctionEvaluator evaluator(modelOf(problem, Decay::at));
        const auto result = calibrate(problem, evaluator);
        QVERIFY(result.ok());
        QVERIFY(std::abs(estimate(*result, "tau").value - 30) < 0.1);
    }

    void fatalModelFailureStopsWithItsMessage()
    {
        const CalibrationProblem problem = decayProblem({10, 20, 5}, 0.2, 5, 100);
        int calls = 0;
        FunctionEvaluator evaluator([&](const std::vector<double> &p) {
            if (++calls > 6)
                return Evaluation{false, true, "Crashed: SIGSEGV in doStep of bad.fmu at t=3", {}};
            return modelOf(problem, Decay::at)(p);
        });
        const auto result = calibrate(problem, evaluator);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().find("SIGSEGV in doStep of bad.fmu") != std::string::npos,
                 result.error().c_str());
        QVERIFY(result.error().find("nothing was changed") != std::string::npos);

        FunctionEvaluator failsAtStart([](const std::vector<double> &) {
            return Evaluation{false, false, "ModelError: NaN in output y", {}};
        });
        const auto start = calibrate(problem, failsAtStart);
        QVERIFY(!start.ok() &&
                start.error().find("start values: ModelError: NaN in output y") != std::string::npos);
    }

    // A trust-region solver takes the Jacobian at a candidate before it stops at the point it had: the last
    // two points with a Jacobian are kept, so the uncertainty analysis at the optimum runs nothing new.
    void jacobianAtARecentPointRunsNothingNew()
    {
        const CalibrationProblem problem = decayProblem({10, 20, 5}, 0.2, 5, 100);
        int runs = 0;
        FunctionEvaluator evaluator([&](const std::vector<double> &p) {
            ++runs;
            return modelOf(problem, Decay::at)(p);
        });
        detail::Residuals residuals(problem, {0.2}, evaluator);
        const std::vector<double> a = {10, 20, 5}, b = {11, 20, 5}, c = {12, 21, 5};
        QVERIFY(residuals.evaluateWithJacobian(a));
        QCOMPARE(runs, 4); // the point and one step in each of three parameters
        const std::vector<double> ra = residuals.residuals(), ja = residuals.jacobian();
        const auto simulatedA = residuals.simulated();
        QVERIFY(residuals.evaluateWithJacobian(b));
        QVERIFY(residuals.evaluate(c)); // a candidate without its Jacobian
        QCOMPARE(runs, 9);
        QVERIFY(residuals.evaluateWithJacobian(a));
        QCOMPARE(runs, 9);
        QCOMPARE(residuals.residuals(), ra);
        QCOMPARE(residuals.jacobian(), ja);
        QCOMPARE(residuals.simulated(), simulatedA);
        QVERIFY(residuals.evaluateWithJacobian(c));
        QCOMPARE(runs, 13);
        QVERIFY(residuals.evaluateWithJacobian(b)); // kept, with c
        QCOMPARE(runs, 13);
        QVERIFY(residuals.evaluateWithJacobian(a)); // no longer kept
        QCOMPARE(runs, 17);
        QCOMPARE(residuals.jacobian(), ja);
    }

    void progressCanStopTheFit()
    {
        const CalibrationProblem problem = decayProblem({10, 20, 5}, 0.2, 5, 100);
        FunctionEvaluator evaluator(modelOf(problem, Decay::at));
        CalibrationOptions options;
        int seen = 0;
        options.progress = [&](const CalibrationProgress &) { return ++seen < 2; };
        const auto result = calibrate(problem, evaluator, options);
        QVERIFY(!result.ok());
        QVERIFY(result.error().find("stopped") != std::string::npos);
    }

    void badInputIsNamed_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown parameter") << 0 << "parameter 'tau': the model has no such parameter";
        QTest::newRow("unknown output") << 1 << "output 'y': the model has no such output";
        QTest::newRow("bounds") << 2 << "parameter 'a': bounds must be finite with lower < upper";
        QTest::newRow("start outside") << 3 << "parameter 'c': start value must lie within its bounds";
        QTest::newRow("NaN in data") << 4 << "output 'y', observation 5: value is not a number";
        QTest::newRow("empty data") << 5 << "output 'y': no observations";
        QTest::newRow("outside the span") << 6 << "output 'y', observation 1: time -5";
        QTest::newRow("no free parameter") << 7 << "no free parameter";
        QTest::newRow("all held out") << 8 << "no observation inside a calibration window";
    }

    void badInputIsNamed()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        CalibrationProblem problem = decayProblem({10, 20, 5}, 0.1, 1, 50);
        std::vector<std::string> parameters{"a", "tau", "c"}, outputs{"y"};
        FitOutput &y = problem.outputs[0];
        switch (kind) {
        case 0:
            parameters = {"a", "c"};
            break;
        case 1:
            outputs = {"T"};
            break;
        case 2:
            problem.parameters[0].upper = problem.parameters[0].lower;
            break;
        case 3:
            problem.parameters[2].start = 100;
            break;
        case 4:
            y.observed[4] = std::nan("");
            break;
        case 5:
            y.time.clear();
            y.observed.clear();
            break;
        case 6:
            y.time[0] = -5;
            break;
        case 7:
            problem.parameters.clear();
            break;
        case 8:
            y.use.assign(y.time.size(), Use::Holdout);
            break;
        }
        const auto status = validateProblem(problem, parameters, outputs);
        QVERIFY(!status.ok());
        QVERIFY2(QString::fromStdString(status.error()).contains(expected), status.error().c_str());
        FunctionEvaluator evaluator(modelOf(problem, Decay::at));
        if (kind != 0 && kind != 1)
            QVERIFY(!calibrate(problem, evaluator).ok()); // calibrate validates too
    }

    void metricsOfKnownErrors()
    {
        FitOutput o;
        o.time = {0, 1, 2, 3, 4, 5};
        o.observed = {1, 2, 3, 4, 5, 6};
        o.use = {Use::Fit, Use::Fit, Use::Fit, Use::Fit, Use::Holdout, Use::Holdout};
        const std::vector<double> simulated{1.5, 2.5, 2.5, 4.5, 5, 7};
        const FitMetrics fit = computeMetrics(o, simulated, Use::Fit);
        QCOMPARE(fit.n, std::size_t(4));
        QCOMPARE(fit.rmse, 0.5);
        QCOMPARE(fit.mae, 0.5);
        QCOMPARE(fit.bias, 0.25);
        QCOMPARE(fit.maxError, 0.5);
        QCOMPARE(fit.nrmse, 0.5 / 3);
        QCOMPARE(fit.r2, 1 - 1.0 / 5.0);
        QVERIFY(std::abs(fit.mape - 100 * (0.5 + 0.25 + 0.5 / 3 + 0.125) / 4) < 1e-12);
        const FitMetrics holdout = computeMetrics(o, simulated, Use::Holdout);
        QCOMPARE(holdout.n, std::size_t(2));
        QCOMPARE(holdout.bias, 0.5);
        // Near zero the percentage error is not counted.
        o.observed = {0, 0, 3, 4, 5, 6};
        QVERIFY(computeMetrics(o, simulated, Use::Fit).mape < 20);
    }

    void noiseEstimateFollowsTheData()
    {
        FitOutput o;
        std::mt19937 random(4);
        std::normal_distribution<double> noise(0, 0.3);
        for (int i = 0; i < 2000; ++i) {
            o.time.push_back(i);
            o.observed.push_back(std::sin(i * 0.01) * 5 + noise(random));
        }
        QVERIFY(std::abs(estimateNoise(o) - 0.3) < 0.03);
    }

    void studentQuantile()
    {
        QVERIFY(std::abs(tQuantile975(1) - 12.706) < 1e-3);
        QVERIFY(std::abs(tQuantile975(30) - 2.0423) < 1e-3);
        QVERIFY(std::abs(tQuantile975(100000) - 1.95997) < 1e-4);
    }

    // A fit inside the worker samples rows as they come (RunSampler) instead of keeping whole runs: it must
    // give exactly what sampling the joined runs gives, errors included.
    void runSamplerEqualsSamplingTheJoinedRuns_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char *kind : {"plain", "segments", "early within slack", "early", "late", "missing column",
                                 "not a number", "no rows"})
            QTest::newRow(kind) << QString(kind);
    }

    void runSamplerEqualsSamplingTheJoinedRuns()
    {
        QFETCH(QString, kind);
        CalibrationProblem problem;
        FitOutput a, b;
        a.variable = "a";
        b.variable = "b";
        a.time = {0, 0.5, 1, 2.25, 5, 7.5, 9.99, 10};
        b.time = {1, 4.999, 5, 10};
        std::vector<std::string> columns = {"a", "b"};
        auto run = [&](double from, double to, double offset) {
            sim::SimulationResult r;
            r.outcome = sim::RunOutcome::Completed;
            r.columns = {"time"};
            r.columns.insert(r.columns.end(), columns.begin(), columns.end());
            for (double t = from; t <= to + 1e-12; t += 1) {
                std::vector<double> row = {t, std::sin(t) + offset};
                if (columns.size() > 1)
                    row.push_back(t * t - offset);
                r.rows.push_back(row);
            }
            return r;
        };
        std::vector<sim::SimulationResult> runs;
        if (kind == "segments") // the second run starts where the first ends, with other values
            runs = {run(0, 5, 0), run(5, 10, 0.25)};
        else
            runs = {run(0, 10, 0)};
        if (kind == "early within slack")
            a.time.insert(a.time.begin(), -1e-12);
        if (kind == "early")
            a.time.insert(a.time.begin(), -0.5);
        if (kind == "late")
            b.time.push_back(10.5);
        if (kind == "missing column") {
            columns = {"a"};
            runs = {run(0, 10, 0)};
        }
        if (kind == "not a number")
            runs[0].rows[4][2] = std::nan("");
        if (kind == "no rows")
            runs[0].rows.clear();
        problem.outputs = {a, b};
        const Evaluation expected = toEvaluation(problem, joinSegments(runs));
        detail::RunSampler sampler(problem, columns);
        for (const auto &r : runs)
            for (const auto &row : r.rows)
                sampler.row(row[0], std::vector<double>(row.begin() + 1, row.end()));
        const Evaluation got = sampler.finish();
        QCOMPARE(got.ok, expected.ok);
        QCOMPARE(QString::fromStdString(got.message), QString::fromStdString(expected.message));
        QCOMPARE(got.ok ? got.outputs : std::vector<std::vector<double>>{},
                 expected.ok ? expected.outputs : std::vector<std::vector<double>>{});
        if (kind == "plain" || kind == "segments")
            QVERIFY(expected.ok);
        else if (kind != "early within slack")
            QVERIFY(!expected.ok);
    }
};

QTEST_GUILESS_MAIN(TestCalibration)
#include "tst_calibration.moc"
