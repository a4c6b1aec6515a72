#include "twin/model/telemetry/HistoryRetention.h"

#include "twin/model/project/Project.h"
#include "twin/model/telemetry/TimeSeriesStore.h"

#include <algorithm>
#include <cstdlib>

namespace twin::model {

TimeNs parseRetention(const std::string &text)
{
    if (text.empty())
        return 0;
    char *end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !(v > 0))
        return 0;
    const std::string unit = end;
    const double scale = unit == "d"                   ? 86400.0
                         : unit == "h"                 ? 3600.0
                         : unit == "s" || unit.empty() ? 1.0
                                                       : 0.0;
    return TimeNs(v * scale * double(kNsPerSecond));
}

std::string formatRetention(TimeNs retention)
{
    if (retention <= 0)
        return "0";
    const TimeNs day = 86400 * kNsPerSecond;
    if (retention % day == 0)
        return std::to_string(retention / day) + "d";
    return std::to_string(std::max<TimeNs>(1, retention / kNsPerSecond)) + "s";
}

TimeNs historyRetention(const Project &project)
{
    auto it = project.meta.find(kHistoryRetentionMeta);
    return it == project.meta.end() ? 0 : parseRetention(it->second);
}

void setHistoryRetention(Project &project, TimeNs retention)
{
    if (retention <= 0)
        project.meta.erase(kHistoryRetentionMeta);
    else
        project.meta[kHistoryRetentionMeta] = formatRetention(retention);
}

std::uint64_t applyHistoryRetention(TimeSeriesStore &store, TimeNs now)
{
    if (store.retention() <= 0)
        return 0;
    if (now == 0)
        for (SignalId id = 0; id < SignalId(store.signalCount()); ++id)
            now = std::max(now, store.stats(id).last);
    return now == 0 ? 0 : store.applyRetention(now);
}

} // namespace twin::model
