#pragma once
// Turns telemetry into asset state and alarms by evaluating each asset type's RuleSet.
// Thread rules: one engine is driven by one thread (ingest, replay or twinctl); readers on other
// threads take copies through snapshot(). Not copyable.
#include "twin/formats/Sample.h"
#include "twin/model/graph/Asset.h"
#include "twin/model/state/RuleSet.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace twin::model {

class TimeSeriesStore;
namespace detect {
class DetectorMonitor;
}

struct StateChange
{
    AssetId asset = kNoAsset;
    TimeNs time = 0;
    std::string from;
    std::string to;
};

struct AlarmRecord
{
    std::uint64_t id = 0;
    AssetId asset = kNoAsset;
    std::string name;
    AlarmSeverity severity = AlarmSeverity::Warning;
    std::string message;
    TimeNs raised = 0;
    TimeNs cleared = 0; // 0 while active
    bool acknowledged = false;
    bool active() const { return cleared == 0; }
};

struct StateSnapshot
{
    std::vector<std::pair<AssetId, std::string>> states; // assets that have rules
    std::vector<AlarmRecord> alarms;                     // all, oldest first
};

class StateEngine
{
public:
    ~StateEngine();
    // Compiles every rule for every asset the rules apply to. Errors name the type, the rule and the
    // expression problem (e.g. an unknown variable), and nothing is built.
    static Result<std::unique_ptr<StateEngine>> create(const Project &project,
                                                       const std::vector<RuleSet> &rules);

    // A new telemetry value for an asset; evaluates that asset's rules at `time`.
    void setInput(AssetId asset, std::string_view telemetry, TimeNs time, double value);
    // Advances time without new data (minimum durations, stateTime) for every asset.
    void advance(TimeNs time);
    bool hasRules(AssetId asset) const;
    std::string stateOf(AssetId asset) const;
    bool acknowledge(std::uint64_t alarmId);
    // Restarts from the initial states with no alarms (replay seek).
    void reset();

    const std::vector<StateChange> &changes() const { return m_changes; }
    const std::vector<AlarmRecord> &alarms() const { return m_alarms; }
    std::vector<AlarmRecord> activeAlarms() const;
    StateSnapshot snapshot() const;
    size_t evaluations() const { return m_evaluations; }
    // Replay and live: the project's kept detectors (detect/DetectorDefinition.h), trained on `history`,
    // watch the inputs from now on and raise "Anomaly" alarms on their asset. Returns one line per detector
    // that could not be trained. Not done by create(): rule checks and scenario states build engines too.
    std::vector<std::string> watchKeptDetectors(const Project &project, const TimeSeriesStore &history);

private:
    struct AssetRuntime;
    StateEngine();
    void evaluate(AssetRuntime &runtime, TimeNs time);

    std::vector<std::unique_ptr<AssetRuntime>> m_assets; // Owned.
    std::vector<int> m_index;                            // AssetId -> position in m_assets, -1 = none
    std::vector<RuleSet> m_rules;
    std::vector<StateChange> m_changes;
    std::vector<AlarmRecord> m_alarms;
    std::uint64_t m_nextAlarmId = 1;
    std::vector<std::unique_ptr<detect::DetectorMonitor>> m_monitors;
    std::vector<std::uint64_t> m_monitorAlarm; // per monitor: its active alarm's id, 0 when none
    void feedMonitors(AssetId asset, std::string_view telemetry, TimeNs time, double value);
    size_t m_evaluations = 0;
};

} // namespace twin::model
