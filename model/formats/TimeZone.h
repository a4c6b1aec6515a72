#pragma once
// Time zones for local timestamps without an explicit zone: fixed offsets, POSIX TZ rules
// ("CST6CDT,M3.2.0,M11.1.0") and IANA names from the system's time zone database (/usr/share/zoneinfo).
// Immutable and thread-safe once built; copies share the data. The process TZ variable is never touched.
#include "twin/util/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace twin::model {

class TimeZone
{
public:
    TimeZone(); // UTC

    static TimeZone fixed(int offsetSeconds);
    // IANA name ("America/Chicago"), POSIX TZ string ("CST6CDT,M3.2.0,M11.1.0"), "UTC", or "+hh:mm".
    static Result<TimeZone> named(const std::string &name);
    // Zone abbreviations seen in exports: UTC GMT Z EST EDT CST CDT MST MDT PST PDT AKST AKDT HST CET CEST
    // EET EEST WET WEST BST MSK JST. Offset in seconds east of UTC.
    static std::optional<int> abbreviationOffset(std::string_view abbreviation);

    const std::string &name() const;
    int offsetAt(std::int64_t utcSeconds) const; // seconds east of UTC

    enum class LocalKind
    {
        Unique,
        Ambiguous,
        Nonexistent
    };
    struct Local
    {
        LocalKind kind = LocalKind::Unique;
        std::int64_t earlier = 0; // UTC seconds; Unique: both equal. Ambiguous: first and second occurrence.
        std::int64_t later = 0;   // Nonexistent: the instants with the offset before / after the gap
    };
    Local resolve(std::int64_t localSeconds) const; // local wall time counted like UTC seconds

    struct Data;

private:
    std::shared_ptr<const Data> m_data;
};

// Civil calendar helpers (proleptic Gregorian), days since 1970-01-01.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d);
void civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d);

} // namespace twin::model
