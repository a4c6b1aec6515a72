// sim-des through the plugin boundary: PluginHost reads the metadata, creates the simulator, and the test
// runs the full lifecycle (models -> load -> setReal -> initialize -> step... -> getReal -> terminate) and a
// cancel of a long step from another thread.
#include "twin/model/pluginhost/PluginHost.h"

#include <QTest>

#include <chrono>
#include <thread>

using namespace twin;
using sdk::StepResult;

class TestDesPlugin : public QObject
{
    Q_OBJECT
private slots:
    void metadata();
    void fullLifecycle();
    void cancelStopsALongStep();
    void horizonEndsWithDiscard();
    void malformedConfigIsAnError();
};

void TestDesPlugin::metadata()
{
    model::PluginHost host;
    QVERIFY(host.scan(TWIN_BINARY_DIR "/plugins").ok());
    const model::PluginInfo *info = host.find("twin.sim-des");
    QVERIFY2(info, "twin-sim-des.so not found in " TWIN_BINARY_DIR "/plugins");
    QVERIFY2(info->usable(), info->problem.c_str());
    QCOMPARE(info->kind, std::string("simulator"));
    QCOMPARE(info->version, std::string("1.0.0"));
}

void TestDesPlugin::fullLifecycle()
{
    model::PluginHost host;
    QVERIFY(host.scan(TWIN_BINARY_DIR "/plugins").ok());
    auto created = host.createSimulator("twin.sim-des");
    QVERIFY2(created.ok(), created.ok() ? "" : created.error().c_str());
    sdk::Simulator &sim = *created.value();
    QVERIFY(sdk::hasCapability(sim.capabilities(), sdk::SimCapability::Stochastic));

    const auto models = sim.models("");
    QStringList ids;
    for (const auto &m : models)
        ids << QString::fromStdString(m.id);
    QCOMPARE(ids, QStringList({"mm1", "mmc", "maintenance", "network"}));
    const auto &maint = models[2];
    bool hasK = false, hasAvailability = false;
    for (const auto &v : maint.variables) {
        hasK = hasK || (v.name == "k" && v.causality == sdk::Causality::Parameter && v.start == 1);
        hasAvailability =
            hasAvailability || (v.name == "availability" && v.causality == sdk::Causality::Output);
    }
    QVERIFY(hasK && hasAvailability);

    // What if we add a crew? Same seed, k = 1 vs k = 2.
    double availability[2] = {};
    for (int k = 1; k <= 2; ++k) {
        auto made = host.createSimulator("twin.sim-des");
        QVERIFY(made.ok());
        sdk::Simulator &s = *made.value();
        auto st = s.load("maintenance", R"({"N": 10, "lambdaF": 0.05, "muR": 0.25, "horizon": 20000})");
        QVERIFY2(st, st.message().c_str());
        QVERIFY(s.setReal("k", k));
        QVERIFY(s.setReal("seed", 11));
        QVERIFY(s.initialize(0));
        double reached = 0, previous = -1;
        std::string message;
        for (int i = 0; i < 200; ++i) {
            QCOMPARE(s.step(100, reached, message), StepResult::Ok);
            double t = 0;
            QVERIFY(s.getReal("time", t));
            QCOMPARE(t, reached);
            QVERIFY(reached > previous);
            previous = reached;
        }
        QCOMPARE(reached, 20000.0);
        QVERIFY(s.getReal("availability", availability[k - 1]));
        double kk = 0;
        QVERIFY(s.getReal("k", kk));
        QCOMPARE(kk, double(k));
        double nope = 0;
        QVERIFY(!s.getReal("no.such", nope));
        s.terminate();
        QCOMPARE(s.step(1, reached, message), StepResult::Error);
    }
    qInfo("availability: 1 crew %.4f, 2 crews %.4f", availability[0], availability[1]);
    QVERIFY(availability[1] > availability[0] + 0.1);
}

void TestDesPlugin::cancelStopsALongStep()
{
    model::PluginHost host;
    QVERIFY(host.scan(TWIN_BINARY_DIR "/plugins").ok());
    auto created = host.createSimulator("twin.sim-des");
    QVERIFY(created.ok());
    sdk::Simulator &sim = *created.value();
    QVERIFY(sim.load("mmc", R"({"lambda": 50, "mu": 30, "c": 2, "horizon": 1e12})"));
    QVERIFY(sim.initialize(0));
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        sim.cancelRequested = true;
    });
    double reached = 0;
    std::string message;
    const auto start = std::chrono::steady_clock::now();
    const StepResult r = sim.step(1e12, reached, message);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    canceller.join();
    QCOMPARE(r, StepResult::Cancelled);
    QVERIFY(seconds < 2);
    QVERIFY(reached > 0 && reached < 1e12);
    QVERIFY(message.find("cancelled") != std::string::npos);
    double t = 0;
    QVERIFY(sim.getReal("time", t));
    QCOMPARE(t, reached);
    // The host clears the flag; the run goes on from where it stopped.
    sim.cancelRequested = false;
    QCOMPARE(sim.step(10, reached, message), StepResult::Ok);
    QCOMPARE(reached, t + 10);
    sim.terminate();
}

void TestDesPlugin::horizonEndsWithDiscard()
{
    model::PluginHost host;
    QVERIFY(host.scan(TWIN_BINARY_DIR "/plugins").ok());
    auto created = host.createSimulator("twin.sim-des");
    QVERIFY(created.ok());
    sdk::Simulator &sim = *created.value();
    QVERIFY(sim.load("mm1", R"({"horizon": 10, "warmup": 0})"));
    QVERIFY(sim.initialize(5));
    double reached = 0;
    std::string message;
    for (int i = 0; i < 100; ++i) // 100 steps of 0.1 land on the horizon up to rounding: no Discard
        QCOMPARE(sim.step(0.1, reached, message), StepResult::Ok);
    QCOMPARE(reached, 15.0);
    QCOMPARE(sim.step(1, reached, message), StepResult::Discard);
    QCOMPARE(reached, 15.0);
}

void TestDesPlugin::malformedConfigIsAnError()
{
    model::PluginHost host;
    QVERIFY(host.scan(TWIN_BINARY_DIR "/plugins").ok());
    auto created = host.createSimulator("twin.sim-des");
    QVERIFY(created.ok());
    sdk::Simulator &sim = *created.value();
    // A config that does not parse still lists every model (with its defaults).
    QCOMPARE(sim.models(R"({"lambda": 1,})").size(), std::size_t(4));
    // The parser's error comes back as a Status, with the byte where it stopped.
    const auto st = sim.load("mm1", R"({"lambda": 1,})");
    QVERIFY(!st);
    QVERIFY2(st.message().find("not valid JSON at byte 14") != std::string::npos, st.message().c_str());
    double reached = 0;
    std::string message;
    QCOMPARE(sim.step(1, reached, message), StepResult::Error);
}

QTEST_GUILESS_MAIN(TestDesPlugin)
#include "tst_des_plugin.moc"
