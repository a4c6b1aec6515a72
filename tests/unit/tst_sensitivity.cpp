// Sensitivity analysis against analytic values: Sobol indices of the Ishigami function, Morris elementary
// effects of a linear function (exact), Morris screening of Ishigami's interaction, failed runs, bad input.
#include "twin/model/calibration/ProjectSensitivity.h"
#include "twin/model/calibration/Sensitivity.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <cmath>

using namespace twin::model::calibration;

namespace {

const double kPi = 3.14159265358979323846;

// Ishigami with a = 7, b = 0.1 on [-pi, pi]^3.
double ishigami(const std::vector<double> &x)
{
    return std::sin(x[0]) + 7 * std::pow(std::sin(x[1]), 2) + 0.1 * std::pow(x[2], 4) * std::sin(x[0]);
}

BatchModel batch(double (*f)(const std::vector<double> &))
{
    return [f](const std::vector<std::vector<double>> &points) {
        std::vector<double> y;
        for (const auto &p : points)
            y.push_back(f(p));
        return y;
    };
}

const std::vector<SensitivityParameter> kIshigamiRanges{
    {"x1", -kPi, kPi}, {"x2", -kPi, kPi}, {"x3", -kPi, kPi}};

} // namespace

class TestSensitivity : public QObject
{
    Q_OBJECT
private slots:
    void localNormalizedSensitivityOfAKnownModel()
    {
        // y(t) = a * exp(b) * t: the mean is a * exp(b) * mean(t), so d ln(mean) / d ln(a) = 1 and
        // d ln(mean) / d ln(b) = b. In twin units (x 2 + 5) the derivative doubles; normalized uses twin
        // units.
        CalibrationPlan plan;
        plan.definition.asset = "Site/A";
        plan.problem.parameters = {{"a", 0.1, 10, 2, {}, {}}, {"b", -1, 1, 0.5, {}, {}}};
        FitOutput y;
        y.variable = "y";
        for (int i = 1; i <= 100; ++i) {
            y.time.push_back(i);
            y.observed.push_back(0);
        }
        plan.problem.outputs = {y};
        twin::model::scenario::OutputMap map;
        map.column = "level";
        map.toTwin.factor = 2;
        map.toTwin.offset = 5;
        plan.outputs = {map};
        FunctionEvaluator evaluator([&](const std::vector<double> &p) {
            Evaluation e;
            e.ok = true;
            e.outputs.emplace_back();
            for (double t : y.time)
                e.outputs[0].push_back(p[0] * std::exp(p[1]) * t);
            return e;
        });
        auto text = projectSensitivity(plan, evaluator, {"local", 0, 1}, {2, 0.5});
        QVERIFY2(text.ok(), text.ok() ? "" : text.error().c_str());
        const auto j = nlohmann::json::parse(*text);
        const double mean = 2 * std::exp(0.5) * 50.5, twinMean = 2 * mean + 5;
        const auto &a = j["outputs"]["level"][0], &b = j["outputs"]["level"][1];
        QVERIFY(std::abs(a["derivative"].get<double>() - 2 * mean / 2) < 1e-3 * mean);
        QVERIFY(std::abs(a["normalized"].get<double>() - 2 * mean / twinMean) < 1e-3);
        QVERIFY(std::abs(b["normalized"].get<double>() - 2 * mean * 0.5 / twinMean) < 1e-3);
        QCOMPARE(j["runs"].get<int>(), 3);
        QCOMPARE(j["rows"].size(), std::size_t(2));
        QVERIFY(!projectSensitivity(plan, evaluator, {"fast", 0, 1}).ok());
        QVERIFY(!projectSensitivity(plan, evaluator, {"local", 0, 1}, {1}).ok());

        // Morris over the bounds: a design simulated once is shared by every output.
        auto morris = projectSensitivity(plan, evaluator, {"morris", 10, 3});
        QVERIFY(morris.ok());
        const auto m = nlohmann::json::parse(*morris);
        QCOMPARE(m["runs"].get<std::size_t>(), evaluator.evaluations() - 3);
        QVERIFY(m["outputs"]["level"][0]["muStar"].get<double>() > 0);
    }

    void sobolMatchesIshigamiAnalyticValues()
    {
        const double a = 7, b = 0.1, pi4 = std::pow(kPi, 4), pi8 = pi4 * pi4;
        const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
        const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, vt3 = 8 * b * b * pi8 / 225;
        const double first[] = {v1 / v, v2 / v, 0}, total[] = {(v1 + vt3) / v, v2 / v, vt3 / v};
        SobolOptions options;
        options.samples = 16384;
        options.seed = 7;
        SensitivityRuns runs;
        const auto indices = sobolIndices(kIshigamiRanges, batch(ishigami), options, &runs);
        QVERIFY2(indices.ok(), indices.ok() ? "" : indices.error().c_str());
        QCOMPARE(runs.runs, std::size_t(16384 * 5));
        for (std::size_t i = 0; i < 3; ++i) {
            const SobolIndex &s = (*indices)[i];
            qInfo("%s: S1 %.4f [%.4f, %.4f] (analytic %.4f), ST %.4f [%.4f, %.4f] (analytic %.4f)",
                  s.name.c_str(), s.first, s.firstCi[0], s.firstCi[1], first[i], s.total, s.totalCi[0],
                  s.totalCi[1], total[i]);
            // Within sampling error: the analytic value inside the bootstrap interval (widened by half for
            // the interval's own noise), and the interval itself tight.
            auto within = [](double value, const double ci[2]) {
                const double half = 0.5 * (ci[1] - ci[0]);
                return value >= ci[0] - 0.5 * half && value <= ci[1] + 0.5 * half && half < 0.05;
            };
            QVERIFY(within(first[i], s.firstCi));
            QVERIFY(within(total[i], s.totalCi));
        }
    }

    void morrisIsExactOnALinearFunction()
    {
        // y = 3 x1 - 2 x2 on x1 in [0, 1], x2 in [0, 2]; x3 does nothing.
        const std::vector<SensitivityParameter> ranges{{"x1", 0, 1}, {"x2", 0, 2}, {"x3", 5, 6}};
        const auto indices =
            morrisScreening(ranges, batch([](const std::vector<double> &x) { return 3 * x[0] - 2 * x[1]; }));
        QVERIFY(indices.ok());
        const double expected[] = {3, 4, 0}; // per full range
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY(std::abs((*indices)[i].muStar - expected[i]) < 1e-9);
            QVERIFY((*indices)[i].sigma < 1e-9);
        }
        QVERIFY((*indices)[1].mu < 0); // the sign survives in mu
    }

    void morrisSeesIshigamisInteraction()
    {
        MorrisOptions options;
        options.trajectories = 200;
        options.seed = 3;
        const auto indices = morrisScreening(kIshigamiRanges, batch(ishigami), options);
        QVERIFY(indices.ok());
        for (const auto &m : *indices)
            qInfo("%s: mu* %.3f, sigma %.3f", m.name.c_str(), m.muStar, m.sigma);
        // x3 acts only through its interaction with x1: a mean effect near zero, a large spread.
        QVERIFY(std::abs((*indices)[2].mu) < 0.3 * (*indices)[2].muStar);
        QVERIFY((*indices)[2].sigma > (*indices)[2].muStar);
        // Every factor matters (x3 by interaction), and x1, x2 more on average than x3 alone.
        for (const auto &m : *indices)
            QVERIFY(m.muStar > 1);
    }

    void failedRunsAreCountedAndLeftOut()
    {
        int call = 0;
        BatchModel flaky = [&](const std::vector<std::vector<double>> &points) {
            std::vector<double> y;
            for (const auto &p : points)
                y.push_back(++call % 50 == 0 ? std::nan("") : ishigami(p));
            return y;
        };
        SobolOptions options;
        options.samples = 512;
        SensitivityRuns runs;
        const auto indices = sobolIndices(kIshigamiRanges, flaky, options, &runs);
        QVERIFY(indices.ok());
        QVERIFY(runs.failed > 0 && runs.failed < runs.runs / 40);
        QVERIFY(std::isfinite((*indices)[0].first));
    }

    void badInputIsNamed()
    {
        const auto empty = sobolIndices({}, batch(ishigami));
        QVERIFY(!empty.ok() && empty.error().find("no parameter") != std::string::npos);
        const auto bounds = morrisScreening({{"k", 1, 1}}, batch(ishigami));
        QVERIFY(!bounds.ok() && bounds.error().find("parameter 'k'") != std::string::npos);
        const auto allFail = sobolIndices(kIshigamiRanges, [](const std::vector<std::vector<double>> &p) {
            return std::vector<double>(p.size(), std::nan(""));
        });
        QVERIFY(!allFail.ok() && allFail.error().find("too few successful runs") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSensitivity)
#include "tst_sensitivity.moc"
