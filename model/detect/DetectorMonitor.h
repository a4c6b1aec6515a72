#pragma once
// A kept detector (DetectorDefinition.h) watching telemetry as it arrives (replay or live): trained once from
// the project's history, it holds the latest value of each of its signals and scores them every grid step;
// the alarm logic turns the scores into raised and cleared events that the state engine records as alarms
// ("Anomaly"), with a message saying which signal leads and how far over the limit.
#include "twin/model/detect/AssetDetect.h"
#include "twin/model/graph/Asset.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twin::model {
struct Project;
class TimeSeriesStore;
} // namespace twin::model

namespace twin::model::detect {

struct MonitorEvent
{
    bool raised = false; // else cleared
    std::string message;
};

class DetectorMonitor
{
public:
    // One monitor per asset with a kept detector (its own or its type's), trained on `history`; `problems`
    // gets one line for each detector that cannot be trained (the asset and why).
    static std::vector<std::unique_ptr<DetectorMonitor>>
    forProject(const Project &project, const TimeSeriesStore &history, std::vector<std::string> &problems);

    AssetId asset() const { return m_asset; }
    // A new value of one telemetry; an event when this sample's time raised or cleared the alarm.
    std::optional<MonitorEvent> push(AssetId asset, std::string_view telemetry, TimeNs time, double value);
    void reset(); // replay seek: forget values, baselines and alarm state

private:
    DetectorMonitor(AssetId asset, TrainedAssetDetector trained, const AlarmOptions &alarm);

    AssetId m_asset;
    TrainedAssetDetector m_trained;
    AlarmLogic m_logic;
    std::vector<double> m_values, m_row; // latest values; the row scored (kept: no allocation per step)
    std::vector<TimeNs> m_times;
    TimeNs m_nextTick = 0;
};

} // namespace twin::model::detect
