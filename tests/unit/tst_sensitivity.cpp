// Sensitivity analysis against analytic values: Sobol indices of the Ishigami function, Morris elementary
// effects of a linear function (exact), Morris screening of Ishigami's interaction, failed runs, bad input.
#include "twin/model/calibration/Sensitivity.h"

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
