// The SSP master's algebraic-loop solver (plugins/sim-ssp/LoopSolver.h): z = g(z) by Newton's method with a
// forward-difference Jacobian and a line search.
#include "LoopSolver.h"

#include <QtTest>

#include <cmath>

using namespace twin::ssp;

class TstLoopSolver : public QObject
{
    Q_OBJECT

private slots:
    // z = cos z: the Dottie number, to the solver's tolerance.
    void nonlinearScalarLoop()
    {
        std::vector<double> z{0};
        LoopSolution s;
        std::string error;
        const LoopFunction g = [](const std::vector<double> &at, std::vector<double> &out, std::string &) {
            out[0] = std::cos(at[0]);
            return true;
        };
        QVERIFY(solveLoop(z, g, s, error));
        QVERIFY(s.converged);
        QVERIFY(std::abs(z[0] - 0.7390851332151607) < 1e-9);
        QVERIFY(s.residual <= 1e-10 * (1 + std::abs(z[0])));
        QVERIFY(s.iterations >= 2 && s.iterations < 10);
    }

    // A linear loop with gain -3 (iteration alone would diverge): one Newton step, and one more for the
    // rounding of the difference quotients.
    void linearLoopWithGainAboveOne()
    {
        std::vector<double> z{10, -4};
        LoopSolution s;
        std::string error;
        // z1 = 1 - 3 z2, z2 = z1: z = 0.25.
        const LoopFunction g = [](const std::vector<double> &at, std::vector<double> &out, std::string &) {
            out[0] = 1 - 3 * at[1];
            out[1] = at[0];
            return true;
        };
        QVERIFY(solveLoop(z, g, s, error));
        QVERIFY(s.converged);
        QVERIFY(s.iterations <= 2);
        QVERIFY(std::abs(z[0] - 0.25) < 1e-9 && std::abs(z[1] - 0.25) < 1e-9);
    }

    // A steep nonlinear loop where the full Newton step overshoots: the line search keeps it going.
    void steepLoopNeedsTheLineSearch()
    {
        std::vector<double> z{3};
        LoopSolution s;
        std::string error;
        // z = z - atan(z): the root at 0; Newton on atan overshoots from |z| > 1.39 without damping.
        const LoopFunction g = [](const std::vector<double> &at, std::vector<double> &out, std::string &) {
            out[0] = at[0] - std::atan(at[0]);
            return true;
        };
        QVERIFY(solveLoop(z, g, s, error));
        QVERIFY(s.converged);
        QVERIFY(std::abs(z[0]) < 1e-9);
    }

    // z = z + 1 has no solution and a singular Jacobian: not converged, no error, the residual reported.
    void singularLoopIsNotConverged()
    {
        std::vector<double> z{0};
        LoopSolution s;
        std::string error;
        const LoopFunction g = [](const std::vector<double> &at, std::vector<double> &out, std::string &) {
            out[0] = at[0] + 1;
            return true;
        };
        QVERIFY(solveLoop(z, g, s, error));
        QVERIFY(!s.converged);
        QCOMPARE(s.residual, 1.0);
        QVERIFY(error.empty());
    }

    // A component that answers NaN away from the start (sqrt of a negative value): never "converged", and
    // the values stay numbers.
    void notANumberIsNotConverged()
    {
        std::vector<double> z{4};
        LoopSolution s;
        std::string error;
        // z = sqrt(z - 5) + 10 has its root near 12; from 4 the first evaluation is already NaN.
        const LoopFunction g = [](const std::vector<double> &at, std::vector<double> &out, std::string &) {
            out[0] = std::sqrt(at[0] - 5) + 10;
            return true;
        };
        QVERIFY(solveLoop(z, g, s, error));
        QVERIFY(!s.converged);
        QVERIFY(std::isfinite(z[0]));
    }

    // A component that refuses a value stops the solve with its message.
    void failingComponentIsAnError()
    {
        std::vector<double> z{0};
        LoopSolution s;
        std::string error;
        const LoopFunction g = [](const std::vector<double> &at, std::vector<double> &out, std::string &why) {
            if (at[0] != 0) {
                why = "G: value out of range";
                return false;
            }
            out[0] = 1;
            return true;
        };
        QVERIFY(!solveLoop(z, g, s, error));
        QCOMPARE(error, std::string("G: value out of range"));
    }
};

QTEST_APPLESS_MAIN(TstLoopSolver)
#include "tst_loop_solver.moc"
