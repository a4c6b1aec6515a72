#include "twin/ui/telemetry/TelemetrySession.h"

#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/telemetry/TimeSeriesStore.h"
#include "twin/ui/document/ProjectDocument.h"
#include "twin/ui/telemetry/TelemetryWorker_p.h"

#include <QPointer>
#include <QTimer>

namespace twin::ui {
using model::TimeNs;

namespace {
constexpr int kMinEmitIntervalMs = 16; // ~60 Hz
}

std::string TelemetrySnapshot::stateOf(model::AssetId id) const
{
    auto it = states.find(id);
    return it == states.end() ? std::string() : it->second;
}

std::vector<const model::AlarmRecord *> TelemetrySnapshot::activeAlarmsOf(model::AssetId id) const
{
    std::vector<const model::AlarmRecord *> out;
    for (const model::AlarmRecord &alarm : alarms)
        if (alarm.asset == id && alarm.active())
            out.push_back(&alarm);
    return out;
}

TelemetrySession::TelemetrySession(ProjectDocument &document, QObject *parent)
    : QObject(parent), m_document(document)
{
    setObjectName("telemetrySession");
    // The worker only posts: the session outlives it (the destructor joins first), and events queued to a
    // deleted object are dropped by Qt.
    m_worker = std::make_unique<Worker>(
        [this] { QMetaObject::invokeMethod(this, &TelemetrySession::deliver, Qt::QueuedConnection); });
    m_sinceEmit.start();
    connect(&document, &ProjectDocument::projectReplaced, this, &TelemetrySession::reload);
    connect(&document, &ProjectDocument::typesChanged, this, &TelemetrySession::reload);
    connect(&document, &ProjectDocument::historyChanged, this, &TelemetrySession::reload);
    connect(&document, &ProjectDocument::rulesChanged, this, &TelemetrySession::reload);
    reload();
}

TelemetrySession::~TelemetrySession() = default; // ~Worker joins

void TelemetrySession::reload()
{
    // A plain copy of the model (cheap next to the history, which is shared, not copied).
    auto data = std::make_shared<model::ProjectData>(model::captureProject(m_document.project()));
    m_worker->post([data](Worker &w) { w.load(std::move(*data)); });
}

void TelemetrySession::play()
{
    m_worker->post([](Worker &w) { w.play(); });
}

void TelemetrySession::pause()
{
    m_worker->post([](Worker &w) { w.m_clock.pause(); });
}

void TelemetrySession::setSpeed(double speed)
{
    m_worker->post([speed](Worker &w) {
        w.m_clock.setSpeed(speed);
        w.m_fast = false;
    });
}

void TelemetrySession::setAsFastAsPossible(bool on)
{
    m_worker->post([on](Worker &w) { w.m_fast = on; });
}

void TelemetrySession::seek(TimeNs position)
{
    // Queued seeks coalesce: only the last target of a batch (a slider drag) is replayed.
    m_worker->post([position](Worker &w) { w.requestSeek(position); });
}

void TelemetrySession::step(TimeNs delta)
{
    m_worker->post([delta](Worker &w) {
        w.m_clock.pause();
        w.requestSeek(w.target() + delta);
    });
}

bool TelemetrySession::acknowledge(std::uint64_t alarmId)
{
    const auto current = snapshot();
    bool known = false;
    for (const model::AlarmRecord &alarm : current->alarms)
        known |= alarm.id == alarmId && !alarm.acknowledged;
    if (known)
        m_worker->post([alarmId](Worker &w) { w.acknowledge(alarmId); });
    return known;
}

void TelemetrySession::connectLive(const QByteArray &config, const QString &endpoint,
                                   const QString &pluginDir)
{
    auto &project = m_document.project();
    if (!project.history) { // the live ingest must write into the document's store
        project.history = std::make_shared<model::TimeSeriesStore>();
        reload();
    }
    const std::string dir = (pluginDir.isEmpty() ? pluginDirectory() : pluginDir).toStdString();
    m_worker->post([cfg = config.toStdString(), dir, ep = endpoint.toStdString()](Worker &w) {
        w.startLive(cfg, dir, ep);
    });
}

void TelemetrySession::disconnectLive()
{
    m_worker->post([](Worker &w) { w.stopLive(); });
    m_document.markHistoryChanged(); // new history: mark modified, reload (replay over it)
}

QString TelemetrySession::pluginDirectory()
{
    return QString::fromStdString(model::PluginHost::defaultDirectory());
}

std::shared_ptr<const TelemetrySnapshot> TelemetrySession::snapshot() const
{
    return m_worker->latest();
}

void TelemetrySession::deliver()
{
    // Coalesce: at most one emission per kMinEmitIntervalMs; later publishes fold into a scheduled one.
    if (m_emitScheduled)
        return;
    const qint64 since = m_sinceEmit.elapsed();
    if (since < kMinEmitIntervalMs) {
        m_emitScheduled = true;
        QTimer::singleShot(int(kMinEmitIntervalMs - since), this, [this] {
            m_emitScheduled = false;
            m_sinceEmit.restart();
            m_announced = snapshot()->version;
            emit snapshotChanged();
        });
        return;
    }
    m_sinceEmit.restart();
    m_announced = snapshot()->version;
    emit snapshotChanged();
}

} // namespace twin::ui
