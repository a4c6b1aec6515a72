#pragma once
// Times as people type and read them in commands and reports: ISO 8601 UTC text, and "FROM/TO" windows.
#include "twin/formats/Sample.h"
#include "twin/util/Result.h"

#include <string>

namespace twin::model {

// "2026-01-05T06:10:00Z" (a fraction of a second when there is one).
std::string isoUtc(TimeNs t);
// ISO 8601 (a zone, or UTC) or integer nanoseconds since the epoch.
Result<TimeNs> parseTime(const std::string &text);

struct TimeWindow
{
    TimeNs from = 0, to = 0; // [from, to]
    bool contains(TimeNs t) const { return t >= from && t <= to; }
    bool operator==(const TimeWindow &) const = default;
};
// "FROM/TO" (each as parseTime), FROM before TO.
Result<TimeWindow> parseWindow(const std::string &text);

} // namespace twin::model
