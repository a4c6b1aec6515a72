#pragma once
// Live telemetry from a connector plugin into a project: records are resolved to (asset, telemetry),
// converted to the model's units, run through the data-quality pipeline into the project's store, and fed
// to the state engine. Used by `twinctl mqtt`, the benchmarks and the workbench's live mode.
//
// Signal names (the connector's mapping "signal"): "<asset>.<telemetry>", where <asset> is the asset's
// path, its name or its `tag` property (e.g. "P-101.flow"). Records without a mapped signal use
// "<source>/<field>" looked up in the same way after the field's leading '/' is dropped.
//
// Threads: the SampleSink calls arrive on the connector's thread, one at a time; the pipeline and the
// state engine are used only there. stats() and stateSnapshot() may be called from any thread.
#include "twin/model/project/Project.h"
#include "twin/model/state/StateEngine.h"
#include "twin/model/telemetry/QualityPipeline.h"
#include "twin/sdk/SampleSink.h"

#include <functional>
#include <map>
#include <mutex>
#include <optional>

namespace twin::model {

struct LiveIngestStats
{
    std::uint64_t records = 0;                // records received
    std::uint64_t stored = 0;                 // samples released to the store
    std::uint64_t unmapped = 0;               // records whose signal resolves to no (asset, telemetry)
    std::uint64_t nonNumeric = 0;             // text values (not stored)
    std::uint64_t problems = 0;               // malformed messages reported by the connector
    std::string link = "Idle";                // last link state, with reason
    std::vector<std::string> recentProblems;  // last few, newest last
    std::vector<std::string> unmappedSignals; // distinct, first few
};

class LiveIngest final : public sdk::SampleSink
{
public:
    // `engine` may be null (store only). The project must outlive this object and must not be edited
    // structurally while it is receiving.
    LiveIngest(Project &project, StateEngine *engine, double reorderWatermarkS = 0);
    ~LiveIngest() override;

    // Declares the unit a signal arrives in (default: already in the model's unit).
    Status setSourceUnit(const std::string &signal, const std::string &unit);

    void onRecords(std::vector<sdk::RawRecord> &&batch) override;
    void onLinkEvent(const sdk::LinkEvent &event) override;
    void onProblem(const sdk::Problem &problem) override;
    void onStateChanged(sdk::ConnectorState state, const std::string &message) override;

    // Releases what the reorder window holds (call after the connector stopped).
    void flush();
    LiveIngestStats stats() const;
    std::vector<QualityReport> qualityReports(TimeNs now) const;
    // Called on the connector thread after a sample reached the state engine (benchmarks measure latency).
    std::function<void(const sdk::RawRecord &, TimeNs processedAt)> onProcessed;

private:
    struct Target
    {
        AssetId asset = kNoAsset;
        std::string telemetry;
        std::size_t pipelineSignal = 0;
    };
    const Target *resolve(const std::string &signal);
    std::optional<Target> lookup(const std::string &signal) const;

    Project &m_project;
    StateEngine *m_engine; // Not owned.
    class CountingSink;
    std::unique_ptr<CountingSink> m_sink;
    std::unique_ptr<QualityPipeline> m_pipeline;
    SignalQualityConfig m_defaults;
    std::map<std::string, std::optional<Target>> m_targets; // signal -> resolved target (nullopt: unmapped)
    std::map<std::string, std::string> m_sourceUnits;
    mutable std::mutex m_statsMutex;
    LiveIngestStats m_stats;
};

} // namespace twin::model
