#include "twin/model/detect/DetectorMonitor.h"

#include "twin/model/detect/DetectorDefinition.h"
#include "twin/model/project/Project.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace twin::model::detect {

std::vector<std::unique_ptr<DetectorMonitor>> DetectorMonitor::forProject(const Project &project,
                                                                          const TimeSeriesStore &history,
                                                                          std::vector<std::string> &problems)
{
    std::vector<std::unique_ptr<DetectorMonitor>> out;
    for (AssetId id : project.graph.allIds()) {
        const std::string path = project.graph.path(id);
        const auto definition = detectorForAsset(project, path);
        if (!definition)
            continue;
        const AssetDetectRequest request = requestFrom(*definition, path);
        auto trained = trainAssetDetector(project, history, request);
        if (!trained) {
            problems.push_back(path + ": " + trained.error());
            continue;
        }
        out.push_back(
            std::unique_ptr<DetectorMonitor>(new DetectorMonitor(id, std::move(*trained), request.alarm)));
    }
    return out;
}

DetectorMonitor::DetectorMonitor(AssetId asset, TrainedAssetDetector trained, const AlarmOptions &alarm)
    : m_asset(asset), m_trained(std::move(trained)), m_logic(alarm)
{
    reset();
}

void DetectorMonitor::reset()
{
    m_values.assign(m_trained.keys.size(), std::numeric_limits<double>::quiet_NaN());
    m_times.assign(m_trained.keys.size(), 0);
    m_logic.reset();
    m_trained.detector.reset();
    m_nextTick = 0;
}

std::optional<MonitorEvent> DetectorMonitor::push(AssetId asset, std::string_view telemetry, TimeNs time,
                                                  double value)
{
    std::size_t k = 0;
    while (k < m_trained.keys.size() &&
           !(m_trained.keys[k].asset == asset && m_trained.keys[k].telemetry == telemetry))
        ++k;
    if (k == m_trained.keys.size())
        return std::nullopt;
    // A grid step has passed: score the values held at its time (each at most three steps old), then take
    // this sample.
    std::optional<MonitorEvent> event;
    if (m_nextTick == 0)
        m_nextTick = time;
    if (time > m_nextTick) {
        m_row = m_values;
        for (std::size_t j = 0; j < m_row.size(); ++j)
            if (m_nextTick - m_times[j] > 3 * m_trained.step)
                m_row[j] = std::numeric_limits<double>::quiet_NaN();
        const SampleScore s = m_trained.detector.score(m_row.data());
        const AlarmLogic::Step step = m_logic.push(s.score);
        if (step.raised || step.cleared) {
            char text[160];
            const std::string leader = s.topSignal >= 0
                                           ? m_trained.detector.signalNames()[std::size_t(s.topSignal)]
                                           : std::string("?");
            if (step.raised)
                std::snprintf(text, sizeof text, "unusual behaviour, %.1fx the detector's limit, led by %s",
                              step.smoothed, leader.c_str());
            else
                std::snprintf(text, sizeof text, "back within the detector's limit");
            event = MonitorEvent{step.raised, text};
        }
        while (m_nextTick < time)
            m_nextTick += m_trained.step;
    }
    if (std::isfinite(value)) {
        m_values[k] = value;
        m_times[k] = time;
    }
    return event;
}

} // namespace twin::model::detect
