#pragma once
// The live/replay telemetry runtime of one open project: a worker thread advances the replay clock (or
// consumes a live connector), feeds the state engine, and publishes immutable snapshots. The GUI thread
// never waits on it: views pull `snapshot()` when `snapshotChanged` fires (at most at frame rate).
//
// Threads: every public function is called on the GUI thread. The worker owns the StateEngine and the
// ReplayEngine; commands reach it through a mutex-protected queue, snapshots come back under a mutex.
#include "twin/formats/Sample.h"
#include "twin/model/graph/Asset.h"
#include "twin/model/state/StateEngine.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <unordered_map>
#include <vector>

namespace twin::ui {

class ProjectDocument;

struct TelemetrySnapshot
{
    model::TimeNs begin = 0, end = 0; // recorded range (replay)
    model::TimeNs position = 0;       // the clock: replay position or live wall time
    bool live = false;
    bool playing = false;
    double speed = 1.0;
    bool asFastAsPossible = false;
    bool hasHistory = false; // false: nothing to replay (no store or an empty one); states is then empty
    std::uint64_t samplesFed = 0;
    std::unordered_map<model::AssetId, std::string> states; // assets with rules
    std::vector<model::AlarmRecord> alarms;                 // all, oldest first
    // Per signal (index = model::SignalId of project.history): the latest value fed (NaN: none yet) and its
    // source time (0: none yet). For freshness against `position` and for value read-outs.
    std::vector<double> latestValues;
    std::vector<model::TimeNs> latestTimes;
    QString error; // rules that failed to compile, etc.
    // Live mode (live == true): the broker, the link state ("Connected", "Reconnecting: … (attempt 3)",
    // "Failed: …") and the ingest counters. liveError: why the last connect failed (also after it).
    QString endpoint;
    QString link;
    std::uint64_t liveRecords = 0, liveStored = 0, liveProblems = 0;
    QString lastProblem;
    QString liveError;
    std::uint64_t version = 0; // increases with every publish

    std::string stateOf(model::AssetId id) const;
    std::vector<const model::AlarmRecord *> activeAlarmsOf(model::AssetId id) const;
};

class TelemetrySession : public QObject
{
    Q_OBJECT
public:
    explicit TelemetrySession(ProjectDocument &document, QObject *parent = nullptr);
    ~TelemetrySession() override; // stops and joins the worker

    // Rebuilds the engines from the document's project (rules, history). Called on projectReplaced and after
    // an import; keeps the clock position when possible. The worker gets a private copy of the model, so
    // later edits on the GUI thread never race with it; call reload() again to pick them up.
    void reload();

    void play();
    void pause();
    void setSpeed(double speed); // 0.1 … 10,000
    void setAsFastAsPossible(bool on);
    void seek(model::TimeNs position); // restarts the state engine and replays up to position
    void step(model::TimeNs delta);    // moves by delta (paused)
    // Queues the acknowledgement; false when the latest snapshot has no such unacknowledged alarm.
    // Acknowledgements survive seeks: a re-raised alarm (same asset, name and raise time) stays acknowledged.
    bool acknowledge(std::uint64_t alarmId);

    // Live mode: starts the conn-mqtt connector with this JSON configuration (plugins/README.md) on the
    // worker thread and returns at once; the outcome shows in the snapshots (live, link, liveError).
    // `endpoint` ("host:port") is only shown. Empty pluginDir: pluginDirectory().
    void connectLive(const QByteArray &config, const QString &endpoint, const QString &pluginDir = {});
    // Back to replay; the history stored while live becomes replayable (the session reloads).
    void disconnectLive();
    // <exe dir>/../plugins (build tree) or <exe dir>/../lib/twinworks/plugins (installed).
    static QString pluginDirectory();

    std::shared_ptr<const TelemetrySnapshot> snapshot() const;
    // Version of the newest snapshot announced by snapshotChanged (views have seen it once their slots ran).
    // Equal to snapshot()->version when no announcement is pending (tests wait for that).
    std::uint64_t announcedVersion() const { return m_announced; }

signals:
    void snapshotChanged(); // queued to the GUI thread, coalesced to at most ~60 Hz

private:
    struct Worker;
    void deliver(); // GUI thread: a new snapshot was published
    ProjectDocument &m_document;
    std::unique_ptr<Worker> m_worker;
    QElapsedTimer m_sinceEmit;
    bool m_emitScheduled = false;
    std::uint64_t m_announced = 0;
};

} // namespace twin::ui
