#pragma once
// History retention setting of a project: project meta "history:retention" = "<N>d" (also "<N>h", "<N>s";
// absent or "0" = keep everything). Applied to the store on load and periodically while live.
#include "twin/formats/Sample.h"

#include <cstdint>
#include <string>

namespace twin::model {

struct Project;
class TimeSeriesStore;

inline constexpr const char *kHistoryRetentionMeta = "history:retention";

// The retention of the project (0: keep everything; also for a malformed value).
TimeNs historyRetention(const Project &project);
// Writes the setting ("<N>d" for whole days, "<N>s" otherwise); 0 removes the key.
void setHistoryRetention(Project &project, TimeNs retention);
TimeNs parseRetention(const std::string &text);
std::string formatRetention(TimeNs retention);
// Drops what the store's retention excludes, measured back from `now`; now = 0 measures from the newest
// stored sample (so recorded history keeps its last N days). Returns the samples dropped.
std::uint64_t applyHistoryRetention(TimeSeriesStore &store, TimeNs now = 0);

} // namespace twin::model
