// sim-ode solvers and asset models against analytic solutions and reference values.
#include "Network.h"
#include "OdeSimulator.h"
#include "twin/ode/OdeSolver.h"

#include <QTest>

#include <cmath>

using namespace twin::ode;
using twin::simode::Network;
using twin::simode::OdeSimulator;

class TestOde : public QObject
{
    Q_OBJECT

private slots:
    void exponentialDecay_data()
    {
        QTest::addColumn<QString>("solver");
        QTest::addColumn<double>("rtol");
        for (const char *s : {"dopri5", "cvode"})
            for (double rtol : {1e-4, 1e-6, 1e-8, 1e-10})
                QTest::addRow("%s rtol %g", s, rtol) << QString(s) << rtol;
    }
    // y' = -k y, y(0) = 1: the global error at t = 5 stays within a small multiple of the tolerance.
    void exponentialDecay()
    {
        QFETCH(QString, solver);
        QFETCH(double, rtol);
        const double k = 1.3;
        OdeSystem sys;
        sys.size = 1;
        sys.rhs = [k](double, const double *y, double *dy) { dy[0] = -k * y[0]; };
        auto s = solver == "cvode" ? makeCvode() : makeDopri5();
        SolverOptions o;
        o.rtol = rtol;
        o.atol = rtol * 1e-3;
        QVERIFY2(s->init(sys, 0, {1.0}, o), s->error().c_str());
        double worst = 0;
        for (double t = 0.5; t <= 5.0001; t += 0.5) {
            QCOMPARE(s->advance(t), Advance::Reached);
            worst = std::max(worst, std::abs(s->y()[0] - std::exp(-k * t)) / std::exp(-k * t));
        }
        const double allowed = (solver == "cvode" ? 200 : 20) * rtol;
        QVERIFY2(worst < allowed,
                 qPrintable(QString("relative error %1, allowed %2").arg(worst).arg(allowed)));
    }

    void harmonicOscillator_data()
    {
        QTest::addColumn<QString>("solver");
        QTest::newRow("dopri5") << "dopri5";
        QTest::newRow("cvode") << "cvode";
    }
    // x'' = -w^2 x over 100 periods at rtol 1e-10: phase and energy stay close to the exact cos(w t).
    void harmonicOscillator()
    {
        QFETCH(QString, solver);
        const double w = 2.0;
        OdeSystem sys;
        sys.size = 2;
        sys.rhs = [w](double, const double *y, double *dy) {
            dy[0] = y[1];
            dy[1] = -w * w * y[0];
        };
        auto s = solver == "cvode" ? makeCvode() : makeDopri5();
        SolverOptions o;
        o.rtol = 1e-10;
        o.atol = 1e-12;
        QVERIFY(s->init(sys, 0, {1.0, 0.0}, o));
        const double tEnd = 100 * 2 * M_PI / w;
        QCOMPARE(s->advance(tEnd), Advance::Reached);
        const double x = s->y()[0], v = s->y()[1];
        const double energy = 0.5 * v * v + 0.5 * w * w * x * x; // exact: w^2 / 2
        QVERIFY2(std::abs(energy / (0.5 * w * w) - 1) < 1e-6, qPrintable(QString::number(energy)));
        const double phase = std::atan2(-v / w, x); // exact: 0 after whole periods
        QVERIFY2(std::abs(phase) < 1e-6, qPrintable(QString::number(phase)));
    }

    // Robertson kinetics: CVODE (BDF) matches the reference at t = 40 in few steps; DOPRI5 needs orders of
    // magnitude more (its step is bounded by stability, not accuracy).
    void robertsonStiff()
    {
        OdeSystem sys;
        sys.size = 3;
        sys.rhs = [](double, const double *y, double *dy) {
            dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
            dy[2] = 3e7 * y[1] * y[1];
            dy[1] = -dy[0] - dy[2];
        };
        SolverOptions o;
        o.rtol = 1e-6;
        o.atol = 1e-10;
        auto cv = makeCvode();
        QVERIFY(cv->init(sys, 0, {1, 0, 0}, o));
        QCOMPARE(cv->advance(40), Advance::Reached);
        QVERIFY(std::abs(cv->y()[0] - 0.7158) < 1e-4);
        QVERIFY(std::abs(cv->y()[1] / 9.185e-6 - 1) < 1e-3);
        QVERIFY(std::abs(cv->y()[2] - 0.2842) < 1e-4);
        auto dp = makeDopri5();
        QVERIFY(dp->init(sys, 0, {1, 0, 0}, o));
        QCOMPARE(dp->advance(40), Advance::Reached);
        QVERIFY(std::abs(dp->y()[0] - 0.7158) < 1e-3);
        const long cvSteps = cv->stats().steps, dpSteps = dp->stats().steps;
        qInfo("Robertson to t=40: CVODE BDF %ld steps, DOPRI5 %ld steps", cvSteps, dpSteps);
        QVERIFY2(dpSteps > 50 * cvSteps, "DOPRI5 should need far more steps on a stiff problem");
    }

    // Dense output at closely spaced output times: as accurate as stepping to each of them, with far fewer
    // steps; reset() restarts from the output time, not from where the solver had got to.
    void interpolatedOutputs()
    {
        OdeSystem sys;
        sys.size = 1;
        double k = 0.01;
        sys.rhs = [&](double, const double *y, double *dy) { dy[0] = -k * y[0]; };
        SolverOptions o;
        o.rtol = 1e-9;
        o.atol = 1e-12;
        long steps[2] = {0, 0};
        for (bool interpolate : {false, true}) {
            o.interpolate = interpolate;
            auto s = makeDopri5();
            QVERIFY(s->init(sys, 0, {1.0}, o));
            for (int i = 1; i <= 1000; ++i) {
                QCOMPARE(s->advance(i * 0.5), Advance::Reached);
                QCOMPARE(s->t(), i * 0.5);
                QVERIFY2(std::abs(s->y()[0] - std::exp(-k * i * 0.5)) < 1e-9,
                         qPrintable(QString("t=%1: %2").arg(i * 0.5).arg(s->y()[0])));
            }
            steps[interpolate] = s->stats().steps;
            // A changed rate from t = 500 on: the restart is at 500, the output time.
            k = 0.02;
            s->reset(s->y());
            QCOMPARE(s->t(), 500.0);
            QCOMPARE(s->advance(600), Advance::Reached);
            QVERIFY(std::abs(s->y()[0] - std::exp(-0.01 * 500) * std::exp(-0.02 * 100)) < 1e-9);
            k = 0.01;
        }
        QVERIFY2(steps[1] * 5 < steps[0], qPrintable(QString("%1 vs %2 steps").arg(steps[1]).arg(steps[0])));
    }

    void stepHook_data()
    {
        QTest::addColumn<QString>("solver");
        QTest::newRow("dopri5") << "dopri5";
        QTest::newRow("cvode") << "cvode";
    }
    // The step hook sees every accepted step in order, can replace the state (Restart) and end the advance
    // (Stop): y' = 1 from 0; the hook resets y to 0 once past t = 0.5 and stops once past t = 2.
    void stepHook()
    {
        QFETCH(QString, solver);
        OdeSystem sys;
        sys.size = 1;
        sys.rhs = [](double, const double *, double *dy) { dy[0] = 1; };
        double last = 0, resetAt = -1;
        int calls = 0;
        bool stopped = false;
        sys.onStep = [&](double t, double *y) {
            ++calls;
            if (t <= last)
                return StepAction::Stop; // out of order: fails the checks below
            last = t;
            if (resetAt < 0 && t > 0.5) {
                resetAt = t;
                y[0] = 0;
                return StepAction::Restart;
            }
            if (t > 2 && !stopped)
                return stopped = true, StepAction::Stop;
            return StepAction::Continue;
        };
        auto s = solver == "cvode" ? makeCvode() : makeDopri5();
        SolverOptions o;
        o.maxStep = 0.1;
        QVERIFY(s->init(sys, 0, {0.0}, o));
        QCOMPARE(s->advance(10), Advance::Stopped);
        QVERIFY(calls > 20);
        QVERIFY2(s->t() > 2 && s->t() < 2.2, qPrintable(QString::number(s->t())));
        QVERIFY(std::abs(s->y()[0] - (s->t() - resetAt)) < 1e-9); // integrated from 0 again after the reset
        QCOMPARE(s->advance(s->t() + 0.05), Advance::Reached);    // goes on from where it stopped
    }

    void eventLocation_data()
    {
        QTest::addColumn<QString>("solver");
        QTest::newRow("dopri5") << "dopri5";
        QTest::newRow("cvode") << "cvode";
    }
    // A draining tank (A h' = -Cd sqrt(h)) reaches h1 at t = 2 A (sqrt(h0) - sqrt(h1)) / Cd; the event fires
    // there and stops the integration.
    void eventLocation()
    {
        QFETCH(QString, solver);
        const double A = 2, cd = 0.02, h0 = 4, h1 = 1.5;
        OdeSystem sys;
        sys.size = 1;
        sys.rhs = [&](double, const double *y, double *dy) {
            dy[0] = -cd * std::sqrt(std::max(0.0, y[0])) / A;
        };
        sys.eventCount = 1;
        sys.eventDirection = {-1};
        sys.events = [&](double, const double *y, double *g) { g[0] = y[0] - h1; };
        double tEvent = -1;
        sys.onEvent = [&](int, double t, double *) {
            tEvent = t;
            return true;
        };
        auto s = solver == "cvode" ? makeCvode() : makeDopri5();
        SolverOptions o;
        o.rtol = 1e-9;
        o.atol = 1e-12;
        QVERIFY(s->init(sys, 0, {h0}, o));
        QCOMPARE(s->advance(1000), Advance::Stopped);
        const double exact = 2 * A * (std::sqrt(h0) - std::sqrt(h1)) / cd;
        QVERIFY2(std::abs(tEvent - exact) < 1e-6 * exact,
                 qPrintable(QString("%1 vs %2").arg(tEvent).arg(exact)));
        QVERIFY(std::abs(s->y()[0] - h1) < 1e-8);
    }

    // Pump station with the high-level setpoint above the equilibrium: the level settles where the pump flow
    // equals the outlet flow, h = G^2 (H0 - z0) / (Cd^2 (k G^2 + 1) + G^2).
    void pumpStationSteadyState_data()
    {
        QTest::addColumn<QString>("solver");
        QTest::newRow("dopri5") << "dopri5";
        QTest::newRow("cvode") << "cvode";
    }
    void pumpStationSteadyState()
    {
        QFETCH(QString, solver);
        OdeSimulator sim;
        const std::string config = "{\"solver\": \"" + solver.toStdString() +
                                   "\", \"rtol\": 1e-8, \"parameters\": {\"closeValve.threshold\": 10}}";
        QVERIFY(sim.load("pumpstation", config));
        QVERIFY(sim.setReal("tank.level", 0.5));
        QVERIFY(sim.initialize(0));
        double reached = 0;
        std::string message;
        for (int i = 0; i < 200; ++i)
            QCOMPARE(sim.step(100, reached, message), twin::sdk::StepResult::Ok);
        const double G = 0.02, H0 = 40, z0 = 5, cd = 0.02, k = 2e4;
        const double exact = G * G * (H0 - z0) / (cd * cd * (k * G * G + 1) + G * G);
        double level = 0, q = 0, pel = 0, temp = 0;
        QVERIFY(sim.getReal("tank.level", level));
        QVERIFY(sim.getReal("pump.Q", q));
        QVERIFY(sim.getReal("motor.Pel", pel));
        QVERIFY(sim.getReal("motor.T", temp));
        QVERIFY2(std::abs(level - exact) < 1e-5, qPrintable(QString("%1 vs %2").arg(level).arg(exact)));
        QVERIFY(std::abs(q - cd * std::sqrt(exact)) < 1e-6);
        // Motor winding at its thermal equilibrium: T = Tamb + Rth * losses.
        QVERIFY(std::abs(temp - (20 + 0.05 * pel * (1 - 0.92))) < 1e-3);
    }

    // Default setpoints (close at 3 m, reopen at 1 m, equilibrium 3.5 m): the valve cycles.
    void pumpStationValveEvents()
    {
        OdeSimulator sim;
        QVERIFY(sim.load("pumpstation", "{}"));
        QVERIFY(sim.setReal("tank.level", 0.5));
        QVERIFY(sim.initialize(0));
        double reached = 0, maxLevel = 0, level = 0;
        std::string message;
        for (int i = 0; i < 3000; ++i) {
            QCOMPARE(sim.step(1, reached, message), twin::sdk::StepResult::Ok);
            QVERIFY(sim.getReal("tank.level", level));
            maxLevel = std::max(maxLevel, level);
        }
        // The valve's actuator lag lets the level overshoot the setpoint a little; never the equilibrium.
        QVERIFY2(maxLevel > 3.0 && maxLevel < 3.2, qPrintable(QString::number(maxLevel)));
        QVERIFY(sim.solverStats()->events >= 3);
    }

    void networkErrors()
    {
        Network n;
        std::string error;
        QVERIFY(!n.build("{\"components\": [{\"name\": \"a\", \"type\": \"nope\"}]}", error));
        QVERIFY(error.find("unknown type") != std::string::npos);
        QVERIFY(!n.build("{\"components\": [{\"name\": \"a\", \"type\": \"pump\"}, {\"name\": \"b\", "
                         "\"type\": \"pipe\"}], \"connections\": [{\"from\": \"a.Q\", \"to\": \"b.dh\"}, "
                         "{\"from\": \"b.Q\", \"to\": \"a.hStatic\"}]}",
                         error));
        QVERIFY(error.find("algebraic loop") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestOde)
#include "tst_ode.moc"
