#pragma once
// Timestamps in telemetry files -> TimeNs (UTC). No regex, no allocation on success: built for millions of
// rows.
//
// Kinds:
//   Iso8601        2022-05-07T12:00:00Z, 2022-05-07 12:00:00.123+02:00, 2022-05-07 12:00 (no zone), date only
//   Epoch*         numbers (fraction allowed) in s / ms / µs / ns; EpochAuto decides per value by magnitude
//                  (< 1e11 s, < 1e14 ms, < 1e17 µs, else ns)
//   NumericDate    5/7/2022 12:00, 07.05.2022 13:00:05, 5/7/22 1:00 PM; separators / . -; order M/D or D/M
//   MonthNameDate  07-May-22 12:00:00 PM CDT, 7 May 2022 12:00
// Each may end in a zone: Z, ±hh:mm, ±hhmm, ±hh, or an abbreviation (TimeZone::abbreviationOffset). Wall
// times without a zone are read in TimestampFormat::zone; a repeated (fall-back) wall time is ambiguous: the
// first occurrence is taken (or the second with laterForAmbiguous) and *ambiguous is set; a wall time inside
// a spring-forward gap is an error unless shiftNonexistent (then it moves forward by the gap).
#include "twin/formats/Sample.h"
#include "twin/formats/TimeZone.h"
#include "twin/util/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace twin::model {

enum class TimestampKind
{
    Iso8601,
    EpochSeconds,
    EpochMillis,
    EpochMicros,
    EpochNanos,
    EpochAuto,
    NumericDate,
    MonthNameDate
};

enum class DateOrder
{
    MonthDay,
    DayMonth
};

struct TimestampFormat
{
    TimestampKind kind = TimestampKind::Iso8601;
    DateOrder order = DateOrder::MonthDay; // NumericDate only
    TimeZone zone;                         // for wall times without a zone (default UTC)
    bool shiftNonexistent = false;
    bool laterForAmbiguous = false;
    std::string note; // what detection decided and why ("day/month order ambiguous; assumed US")

    std::string describe() const; // e.g. "M/D/Y h:mm (local America/Chicago)"
};

// Detects the kind (and for NumericDate the order) from sample values; every non-empty sample must parse.
// The zone of the result is UTC: set it from the user's choice before parsing wall times.
Result<TimestampFormat> detectFormat(const std::vector<std::string> &samples);

Result<TimeNs> parse(std::string_view text, const TimestampFormat &format, bool *ambiguous = nullptr);

// Format names used in mappings and connector configs: "iso8601", "epoch-s", "epoch-ms", "epoch-us",
// "epoch-ns", "epoch" (auto unit), "m/d/y", "d/m/y", "dd-mon-yy". False for other names ("auto" included).
bool timestampFormatFromName(std::string_view name, TimestampFormat &format);

// True when text plausibly is a timestamp of some kind (used for column kind guessing; numbers are not).
bool looksLikeTimestamp(std::string_view text);

} // namespace twin::model
