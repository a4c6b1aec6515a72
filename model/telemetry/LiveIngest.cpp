#include "twin/model/telemetry/LiveIngest.h"

#include "twin/formats/Units.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <chrono>
#include <cmath>

namespace twin::model {
namespace {
TimeNs wallNow()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
constexpr size_t kRecentProblems = 20;
} // namespace

// Counts what the pipeline releases to the store (cheaper than asking for reports per record).
class LiveIngest::CountingSink final : public model::SampleSink
{
public:
    explicit CountingSink(TimeSeriesStore &store) : m_store(store) {}
    void write(std::size_t signal, const SignalKey &key, const Sample &sample) override
    {
        ++released;
        m_store.write(signal, key, sample);
    }
    std::uint64_t released = 0;

private:
    StoreSink m_store;
};

LiveIngest::LiveIngest(Project &project, StateEngine *engine, double reorderWatermarkS)
    : m_project(project), m_engine(engine)
{
    if (!m_project.history)
        m_project.history = std::make_shared<TimeSeriesStore>();
    m_sink = std::make_unique<CountingSink>(*m_project.history);
    m_pipeline = std::make_unique<QualityPipeline>(m_sink.get());
    m_defaults.reorderWatermark = TimeNs(reorderWatermarkS * double(kNsPerSecond));
}

LiveIngest::~LiveIngest() = default;

Status LiveIngest::setSourceUnit(const std::string &signal, const std::string &unit)
{
    auto target = lookup(signal);
    if (!target)
        return Error{"signal '" + signal + "' names no asset telemetry"};
    m_sourceUnits[signal] = unit;
    m_targets.erase(signal); // re-resolve with the conversion
    return okStatus();
}

std::optional<LiveIngest::Target> LiveIngest::lookup(const std::string &signal) const
{
    const auto dot = signal.rfind('.');
    if (dot == std::string::npos || dot == 0)
        return std::nullopt;
    const std::string who = signal.substr(0, dot);
    const std::string telemetry = signal.substr(dot + 1);
    for (AssetId id : m_project.graph.allIds()) {
        const Asset &a = *m_project.graph.find(id);
        bool match = a.name == who || m_project.graph.path(id) == who;
        if (auto it = a.properties.find("tag"); !match && it != a.properties.end())
            match = valueToString(it->second) == who;
        if (!match)
            continue;
        for (const auto *t : m_project.types.telemetry(a.typeId))
            if (t->name == telemetry)
                return Target{id, telemetry, 0};
    }
    return std::nullopt;
}

const LiveIngest::Target *LiveIngest::resolve(const std::string &signal)
{
    auto it = m_targets.find(signal);
    if (it == m_targets.end()) {
        std::optional<Target> target = lookup(signal);
        if (target) {
            const Asset &asset = *m_project.graph.find(target->asset);
            SignalQualityConfig config = m_defaults;
            for (const auto *t : m_project.types.telemetry(asset.typeId))
                if (t->name == target->telemetry) {
                    config.min = t->minimum;
                    config.max = t->maximum;
                    if (auto unit = m_sourceUnits.find(signal);
                        unit != m_sourceUnits.end() && !t->unit.empty()) {
                        auto c = conversion(unit->second, t->unit);
                        if (c && !c->isIdentity())
                            config.conversion = SampleConversion::linear(c->factor, c->offset,
                                                                         unit->second + " -> " + t->unit);
                    }
                    m_project.history->addSignal({target->asset, target->telemetry}, t->unit);
                }
            target->pipelineSignal = m_pipeline->addSignal({target->asset, target->telemetry}, config);
        }
        it = m_targets.emplace(signal, target).first;
    }
    return it->second ? &*it->second : nullptr;
}

void LiveIngest::onRecords(std::vector<sdk::RawRecord> &&batch)
{
    std::uint64_t unmapped = 0, text = 0, stored = 0;
    std::vector<std::string> newUnmapped;
    for (const sdk::RawRecord &r : batch) {
        std::string signal = r.signal;
        if (signal.empty()) {
            const std::string field = !r.field.empty() && r.field[0] == '/' ? r.field.substr(1) : r.field;
            signal = r.source + "." + field;
        }
        const Target *target = resolve(signal);
        if (!target) {
            ++unmapped;
            newUnmapped.push_back(signal);
            continue;
        }
        const double *value = std::get_if<double>(&r.value);
        if (!value) {
            ++text;
            continue;
        }
        Sample s;
        s.sourceTime = r.sourceTime.value_or(r.receiveTime);
        s.ingestTime = r.receiveTime;
        s.value = *value;
        s.quality = r.sourceTime ? QualityGood : QualityNoSourceTime;
        const std::uint64_t before = m_sink->released;
        m_pipeline->push(target->pipelineSignal, s);
        stored += m_sink->released - before;
        if (m_engine && std::isfinite(s.value))
            m_engine->setInput(target->asset, target->telemetry, s.sourceTime, s.value);
        if (onProcessed)
            onProcessed(r, wallNow());
    }
    std::lock_guard lock(m_statsMutex);
    m_stats.records += batch.size();
    m_stats.unmapped += unmapped;
    m_stats.nonNumeric += text;
    m_stats.stored += stored;
    for (auto &name : newUnmapped)
        if (m_stats.unmappedSignals.size() < 20 &&
            std::find(m_stats.unmappedSignals.begin(), m_stats.unmappedSignals.end(), name) ==
                m_stats.unmappedSignals.end())
            m_stats.unmappedSignals.push_back(std::move(name));
}

void LiveIngest::onLinkEvent(const sdk::LinkEvent &event)
{
    std::lock_guard lock(m_statsMutex);
    m_stats.link = sdk::linkStateName(event.state);
    if (!event.reason.empty())
        m_stats.link += ": " + event.reason;
    if (event.state == sdk::LinkState::Reconnecting)
        m_stats.link += " (attempt " + std::to_string(event.attempt) + ")";
}

void LiveIngest::onProblem(const sdk::Problem &problem)
{
    std::lock_guard lock(m_statsMutex);
    ++m_stats.problems;
    m_stats.recentProblems.push_back(problem.source + ": " + problem.reason);
    if (m_stats.recentProblems.size() > kRecentProblems)
        m_stats.recentProblems.erase(m_stats.recentProblems.begin());
}

void LiveIngest::onStateChanged(sdk::ConnectorState, const std::string &message)
{
    if (message.empty())
        return;
    std::lock_guard lock(m_statsMutex);
    m_stats.link = "Failed: " + message;
}

void LiveIngest::flush()
{
    const std::uint64_t before = m_sink->released;
    m_pipeline->flush();
    std::lock_guard lock(m_statsMutex);
    m_stats.stored += m_sink->released - before;
}

LiveIngestStats LiveIngest::stats() const
{
    std::lock_guard lock(m_statsMutex);
    return m_stats;
}

std::vector<QualityReport> LiveIngest::qualityReports(TimeNs now) const
{
    return m_pipeline->reports(now);
}

} // namespace twin::model
