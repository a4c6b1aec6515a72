// The sim-ode plugin loaded through PluginHost: metadata, models, full lifecycle, cancel, errors.
#include "twin/model/pluginhost/PluginHost.h"

#include <QElapsedTimer>
#include <QTest>

#include <thread>

using namespace twin;

class TestOdePlugin : public QObject
{
    Q_OBJECT

private slots:
    void metadata()
    {
        model::PluginHost host;
        QVERIFY(host.scan(TWIN_PLUGIN_DIR).ok());
        const model::PluginInfo *info = host.find("twin.sim-ode");
        QVERIFY2(info, "twin-sim-ode.so not found in " TWIN_PLUGIN_DIR);
        QCOMPARE(info->kind, std::string("simulator"));
        QVERIFY(!host.createConnector("twin.sim-ode").ok()); // not a connector
    }

    void lifecycle()
    {
        model::PluginHost host;
        QVERIFY(host.scan(TWIN_PLUGIN_DIR).ok());
        auto created = host.createSimulator("twin.sim-ode");
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().c_str());
        sdk::Simulator &sim = *created.value();
        QVERIFY(sdk::hasCapability(sim.capabilities(), sdk::SimCapability::Events));
        const auto models = sim.models("{}");
        QVERIFY(models.size() >= 7);
        bool hasStation = false;
        for (const auto &m : models)
            if (m.id == "pumpstation") {
                hasStation = true;
                bool hasQ = false;
                for (const auto &v : m.variables)
                    hasQ |= v.name == "pump.Q" && v.unit == "cubicMetrePerSecond" &&
                            v.causality == sdk::Causality::Output;
                QVERIFY(hasQ);
            }
        QVERIFY(hasStation);

        QVERIFY(sim.load("pumpstation", R"({"solver": "cvode"})"));
        QVERIFY(sim.setReal("pump.H0", 45));
        QVERIFY(!sim.setReal("pump.Q", 1));   // an output
        QVERIFY(!sim.setReal("tank.Qin", 1)); // connected
        QVERIFY(sim.initialize(0));
        double reached = 0, level = 0;
        std::string message;
        for (int i = 0; i < 60; ++i)
            QCOMPARE(sim.step(1, reached, message), sdk::StepResult::Ok);
        QCOMPARE(reached, 60.0);
        QVERIFY(sim.getReal("tank.level", level));
        QVERIFY(level > 1);
        QVERIFY(sim.setReal("pump.speed", 1200)); // input between steps
        QCOMPARE(sim.step(1, reached, message), sdk::StepResult::Ok);
        sim.terminate();
        QCOMPARE(sim.step(1, reached, message), sdk::StepResult::Error);
    }

    // A long step (a stiff-ish model at a tight tolerance over a huge horizon) stops promptly on cancel.
    void cancel()
    {
        model::PluginHost host;
        QVERIFY(host.scan(TWIN_PLUGIN_DIR).ok());
        auto created = host.createSimulator("twin.sim-ode");
        QVERIFY(created.ok());
        sdk::Simulator &sim = *created.value();
        QVERIFY(sim.load("pumpstation", R"({"rtol": 1e-12, "atol": 1e-14, "maxStep": 1e-4})"));
        QVERIFY(sim.initialize(0));
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            sim.cancelRequested = true;
        });
        double reached = 0;
        std::string message;
        QElapsedTimer timer;
        timer.start();
        const auto result = sim.step(1e9, reached, message);
        canceller.join();
        QCOMPARE(result, sdk::StepResult::Cancelled);
        QVERIFY(timer.elapsed() < 2000);
        QVERIFY(reached > 0 && reached < 1e9);
    }

    void errors()
    {
        model::PluginHost host;
        QVERIFY(host.scan(TWIN_PLUGIN_DIR).ok());
        auto created = host.createSimulator("twin.sim-ode");
        QVERIFY(created.ok());
        sdk::Simulator &sim = *created.value();
        const auto status = sim.load("nosuchmodel", "{}");
        QVERIFY(!status);
        QVERIFY(status.message().find("nosuchmodel") != std::string::npos);
        double reached = 0;
        std::string message;
        QCOMPARE(sim.step(1, reached, message), sdk::StepResult::Error);
    }
};

QTEST_GUILESS_MAIN(TestOdePlugin)
#include "tst_ode_plugin.moc"
