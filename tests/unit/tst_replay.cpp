// Replay: stored telemetry fed to the state engine in time order gives the same states and alarms as
// the live path; seek restarts cleanly; the replay clock follows speed, pause and the range ends.
#include "twin/model/demo/DemoTelemetry.h"
#include "twin/model/demo/DemoTwin.h"
#include "twin/model/replay/ReplayClock.h"
#include "twin/model/replay/ReplayEngine.h"

#include <QtTest>

using namespace twin::model;

namespace {
struct Fixture
{
    Project project;
    TimeSeriesStore store;
    std::unique_ptr<StateEngine> engine;
    Fixture(int seconds = kDemoTelemetrySeconds)
    {
        expectOk(buildDemoTwin(project), "demo");
        const auto columns = demoTelemetryColumns();
        for (size_t c = 0; c < columns.size(); ++c) {
            AssetId asset = kNoAsset;
            for (AssetId id : project.graph.allIds())
                if (project.graph.path(id) == columns[c].assetPath)
                    asset = id;
            const SignalId signal = store.addSignal({asset, columns[c].telemetry}, columns[c].unit);
            for (int s = 0; s < seconds; ++s)
                store.append(signal, kDemoTelemetryStart + TimeNs(s) * kNsPerSecond,
                             demoTelemetryValue(c, s));
        }
        engine = std::move(StateEngine::create(project, projectRuleSets(project)).value());
    }
};

QString log(const StateEngine &e)
{
    QString out;
    for (const auto &c : e.changes())
        out += QString("%1@%2:%3;").arg(c.asset).arg(c.time).arg(QString::fromStdString(c.to));
    return out;
}
} // namespace

class TestReplay : public QObject
{
    Q_OBJECT
private slots:
    void replayMatchesLiveFeed();
    void steppedReplayEqualsOneShot();
    void seekBackRestarts();
    void clockFollowsSpeedAndRange();
};

void TestReplay::replayMatchesLiveFeed()
{
    Fixture f;
    ReplayEngine replay(f.store, *f.engine);
    QCOMPARE(replay.begin(), kDemoTelemetryStart);
    QCOMPARE(replay.end(), kDemoTelemetryStart + TimeNs(kDemoTelemetrySeconds - 1) * kNsPerSecond);
    const auto fed = replay.advanceTo(replay.end());
    QCOMPARE(fed, std::uint64_t(kDemoTelemetrySeconds) * demoTelemetryColumns().size());
    // The same data fed directly, row by row.
    Fixture live;
    const auto columns = demoTelemetryColumns();
    for (int s = 0; s < kDemoTelemetrySeconds; ++s)
        for (size_t c = 0; c < columns.size(); ++c) {
            const SignalInfo info = live.store.allSignals()[c];
            live.engine->setInput(info.key.asset, info.key.telemetry,
                                  kDemoTelemetryStart + TimeNs(s) * kNsPerSecond, demoTelemetryValue(c, s));
        }
    QCOMPARE(log(*f.engine), log(*live.engine));
    QVERIFY(f.engine->changes().size() > 10);
    QCOMPARE(f.engine->alarms().size(), live.engine->alarms().size());
}

void TestReplay::steppedReplayEqualsOneShot()
{
    Fixture a, b;
    ReplayEngine oneShot(a.store, *a.engine);
    oneShot.advanceTo(oneShot.end());
    ReplayEngine stepped(b.store, *b.engine);
    for (TimeNs t = stepped.begin(); t < stepped.end(); t += 37 * kNsPerSecond + 123)
        stepped.advanceTo(t);
    stepped.advanceTo(stepped.end());
    QCOMPARE(stepped.samplesFed(), oneShot.samplesFed());
    QCOMPARE(log(*b.engine), log(*a.engine));
}

void TestReplay::seekBackRestarts()
{
    Fixture f;
    ReplayEngine replay(f.store, *f.engine);
    replay.advanceTo(replay.end());
    const QString full = log(*f.engine);
    const TimeNs mid = kDemoTelemetryStart + 45 * 60 * kNsPerSecond;
    replay.seek(mid);
    QCOMPARE(replay.position(), mid);
    for (const auto &c : f.engine->changes())
        QVERIFY(c.time <= mid);
    replay.advanceTo(replay.end());
    QCOMPARE(log(*f.engine), full);
}

void TestReplay::clockFollowsSpeedAndRange()
{
    ReplayClock clock;
    clock.setRange(1000, 1000 + 60 * kNsPerSecond);
    QCOMPARE(clock.now(), TimeNs(1000));
    clock.tick(kNsPerSecond);
    QCOMPARE(clock.now(), TimeNs(1000)); // paused
    clock.setSpeed(10);
    clock.play();
    clock.tick(kNsPerSecond);
    QCOMPARE(clock.now(), TimeNs(1000 + 10 * kNsPerSecond));
    clock.setSpeed(1e9);
    QCOMPARE(clock.speed(), ReplayClock::kMaxSpeed);
    clock.tick(kNsPerSecond);
    QCOMPARE(clock.now(), clock.end());
    QVERIFY(!clock.playing());
    clock.seek(-5);
    QCOMPARE(clock.now(), clock.begin());
    clock.step(2 * kNsPerSecond);
    QCOMPARE(clock.now(), TimeNs(1000 + 2 * kNsPerSecond));
}

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
