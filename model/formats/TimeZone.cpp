// IANA zones come from Howard Hinnant's date/tz (the OS tzdb in /usr/share/zoneinfo). Its reader stops at a
// file's last transition, so the file's footer TZ rule takes over after it, evaluated like POSIX TZ strings.
#include "twin/formats/TimeZone.h"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <stdexcept>

namespace twin::model {

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

namespace {

// One POSIX rule date: Mm.w.d (month, week 1..5 where 5 = last, weekday 0 = Sunday) or Jn / n.
struct RuleDate
{
    char type = 'M'; // 'M', 'J' (1..365, no Feb 29), 'n' (0..365)
    int month = 0, week = 0, weekday = 0, day = 0;
    int time = 7200; // seconds after local midnight
};

struct PosixRule
{
    int stdOffset = 0; // seconds east of UTC
    int dstOffset = 0;
    bool hasDst = false;
    RuleDate start, end;
};

std::int64_t ruleDay(const RuleDate &r, std::int64_t year)
{
    if (r.type == 'M') {
        std::int64_t first = daysFromCivil(year, r.month, 1);
        int wdFirst = static_cast<int>(((first % 7) + 7 + 4) % 7); // 1970-01-01 was a Thursday
        std::int64_t day = first + (r.weekday - wdFirst + 7) % 7 + 7 * (r.week - 1);
        unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        std::int64_t last = first + mdays[r.month - 1] + (r.month == 2 && leap) - 1;
        while (day > last)
            day -= 7;
        return day;
    }
    std::int64_t jan1 = daysFromCivil(year, 1, 1);
    if (r.type == 'J') {
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return jan1 + r.day - 1 + (leap && r.day >= 60);
    }
    return jan1 + r.day;
}

// Parser over a POSIX TZ string; returns false on malformed input.
struct PosixParser
{
    std::string_view s;
    size_t i = 0;
    bool name()
    {
        if (i < s.size() && s[i] == '<') {
            size_t close = s.find('>', i);
            if (close == std::string_view::npos)
                return false;
            i = close + 1;
            return true;
        }
        size_t start = i;
        while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
            ++i;
        return i - start >= 3;
    }
    bool number(int &out)
    {
        size_t start = i;
        out = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
            out = out * 10 + (s[i++] - '0');
        return i > start;
    }
    bool hms(int &seconds) // [+-]hh[:mm[:ss]]
    {
        int sign = 1;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            sign = s[i++] == '-' ? -1 : 1;
        int h = 0, m = 0, sec = 0;
        if (!number(h))
            return false;
        if (i < s.size() && s[i] == ':') {
            ++i;
            if (!number(m))
                return false;
            if (i < s.size() && s[i] == ':') {
                ++i;
                if (!number(sec))
                    return false;
            }
        }
        seconds = sign * (h * 3600 + m * 60 + sec);
        return true;
    }
    bool date(RuleDate &r)
    {
        if (i < s.size() && s[i] == 'M') {
            ++i;
            r.type = 'M';
            if (!number(r.month) || i >= s.size() || s[i++] != '.' || !number(r.week) || i >= s.size() ||
                s[i++] != '.' || !number(r.weekday))
                return false;
            if (r.month < 1 || r.month > 12 || r.week < 1 || r.week > 5 || r.weekday > 6)
                return false;
        } else if (i < s.size() && s[i] == 'J') {
            ++i;
            r.type = 'J';
            if (!number(r.day) || r.day < 1 || r.day > 365)
                return false;
        } else {
            r.type = 'n';
            if (!number(r.day) || r.day > 365)
                return false;
        }
        r.time = 7200;
        if (i < s.size() && s[i] == '/') {
            ++i;
            if (!hms(r.time))
                return false;
        }
        return true;
    }
    bool parse(PosixRule &rule)
    {
        int off = 0;
        if (!name() || !hms(off))
            return false;
        rule.stdOffset = -off; // POSIX counts west positive
        if (i == s.size())
            return true;
        if (!name())
            return false;
        rule.hasDst = true;
        rule.dstOffset = rule.stdOffset + 3600;
        if (i < s.size() && s[i] != ',') {
            if (!hms(off))
                return false;
            rule.dstOffset = -off;
        }
        if (i == s.size()) { // no rule given: US rules as POSIX default
            rule.start = {'M', 3, 2, 0, 0, 7200};
            rule.end = {'M', 11, 1, 0, 0, 7200};
            return true;
        }
        if (s[i++] != ',' || !date(rule.start) || i >= s.size() || s[i++] != ',' || !date(rule.end))
            return false;
        return i == s.size();
    }
};

int ruleOffset(const PosixRule &r, std::int64_t utc)
{
    if (!r.hasDst)
        return r.stdOffset;
    std::int64_t y;
    unsigned m, d;
    civilFromDays((utc + r.stdOffset) / 86400 - ((utc + r.stdOffset) % 86400 < 0), y, m, d);
    std::int64_t start = ruleDay(r.start, y) * 86400 + r.start.time - r.stdOffset;
    std::int64_t end = ruleDay(r.end, y) * 86400 + r.end.time - r.dstOffset;
    bool dst = start < end ? (utc >= start && utc < end) : !(utc >= end && utc < start);
    return dst ? r.dstOffset : r.stdOffset;
}

} // namespace

struct TimeZone::Data
{
    std::string name;
    const date::time_zone *zone = nullptr; // IANA zone; owned by date's database, which lives until exit
    int fixedOffset = 0;                   // without zone and rule
    bool hasRule = false;
    PosixRule rule; // POSIX zones; for IANA zones the footer rule, used after the file's last transition
};

namespace {

constexpr const char *kZoneInfoDir = "/usr/share/zoneinfo/"; // where date's OS tzdb reads from on Linux

// date marks the interval after a zone's last transition with an end at the maximum year.
constexpr date::sys_seconds kOpenEnd{date::sys_days{date::year::max() / 1 / 1}};

// The TZ rule a TZif file of version 2 or later ends with: "\n<rule>\n" (RFC 8536, section 3.3).
std::string tzifFooter(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[5];
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, "TZif", 4) != 0 || magic[4] < '2')
        return {};
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    const std::streamoff tail = std::min<std::streamoff>(size, 256); // rules are a few dozen characters
    std::string buf(static_cast<size_t>(tail), '\0');
    in.seekg(size - tail);
    if (!in.read(buf.data(), tail) || buf.empty() || buf.back() != '\n')
        return {};
    buf.pop_back();
    const size_t start = buf.rfind('\n');
    return start == std::string::npos ? std::string() : buf.substr(start + 1);
}

// "+hh", "+hh:mm", "+hh:mm:ss" or "+hhmm": seconds east of UTC, under 25 hours.
bool fixedOffset(std::string_view s, int &seconds)
{
    if (s.size() < 3 || (s[0] != '+' && s[0] != '-'))
        return false;
    PosixParser p{s};
    if (!p.hms(seconds) || p.i != s.size())
        return false;
    if (s.size() == 5 && s.find(':') == std::string_view::npos) { // read as hours: hhmm
        const int hhmm = std::abs(seconds) / 3600;
        if (hhmm % 100 >= 60)
            return false;
        seconds = (seconds < 0 ? -1 : 1) * (hhmm / 100 * 3600 + hhmm % 100 * 60);
    }
    return std::abs(seconds) < 25 * 3600;
}

const std::shared_ptr<const TimeZone::Data> &utcData()
{
    static const auto utc =
        std::make_shared<const TimeZone::Data>(TimeZone::Data{"UTC", nullptr, 0, false, {}});
    return utc;
}

} // namespace

TimeZone::TimeZone() : m_data(utcData()) {}

TimeZone TimeZone::fixed(int offsetSeconds)
{
    if (offsetSeconds == 0)
        return TimeZone();
    auto data = std::make_shared<Data>();
    int a = std::abs(offsetSeconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", offsetSeconds < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    data->name = buf;
    data->fixedOffset = offsetSeconds;
    TimeZone z;
    z.m_data = std::move(data);
    return z;
}

Result<TimeZone> TimeZone::named(const std::string &name)
{
    if (name.empty() || name == "UTC" || name == "Etc/UTC" || name == "Z")
        return TimeZone();
    if (int seconds = 0; fixedOffset(name, seconds))
        return fixed(seconds);
    std::string databaseError;
    if (name.find(',') == std::string::npos) { // a comma only occurs in POSIX rules
        // The posix/ tree of the zoneinfo directory repeats the zones under their plain names.
        const std::string key = name.rfind("posix/", 0) == 0 ? name.substr(6) : name;
        const date::time_zone *zone = nullptr;
        try {
            (void)date::get_tzdb(); // scans the zoneinfo directory, once per process
            try {
                zone = date::locate_zone(key);
            } catch (const std::runtime_error &) { // not in the database: maybe a POSIX rule such as "EST5"
            }
        } catch (const std::exception &e) {
            databaseError = e.what();
        }
        if (zone) {
            auto data = std::make_shared<Data>();
            data->name = name;
            data->zone = zone;
            try {
                // Loads the zone file now (once per process), so that later lookups cannot fail.
                (void)zone->get_info(date::sys_seconds{});
            } catch (const std::exception &e) {
                return Error{"cannot read time zone '" + name + "': " + e.what()};
            }
            const std::string footer = tzifFooter(kZoneInfoDir + zone->name());
            PosixParser p{footer};
            data->hasRule = !footer.empty() && p.parse(data->rule) && data->rule.hasDst;
            TimeZone z;
            z.m_data = std::move(data);
            return z;
        }
    }
    auto data = std::make_shared<Data>();
    PosixParser p{name};
    if (!p.parse(data->rule)) {
        if (!databaseError.empty())
            return Error{"unknown time zone '" + name +
                         "' (time zone database unavailable: " + databaseError + ")"};
        return Error{"unknown time zone '" + name + "'"};
    }
    data->name = name;
    data->hasRule = true;
    TimeZone z;
    z.m_data = std::move(data);
    return z;
}

std::optional<int> TimeZone::abbreviationOffset(std::string_view a)
{
    static const struct
    {
        const char *name;
        int hours10; // tenths of hours avoided: all listed zones are whole hours
    } kAbbr[] = {{"UTC", 0},   {"GMT", 0},   {"Z", 0},     {"UT", 0},   {"EST", -5}, {"EDT", -4},
                 {"CST", -6},  {"CDT", -5},  {"MST", -7},  {"MDT", -6}, {"PST", -8}, {"PDT", -7},
                 {"AKST", -9}, {"AKDT", -8}, {"HST", -10}, {"CET", 1},  {"CEST", 2}, {"EET", 2},
                 {"EEST", 3},  {"WET", 0},   {"WEST", 1},  {"BST", 1},  {"MSK", 3},  {"JST", 9}};
    for (const auto &e : kAbbr)
        if (a == e.name)
            return e.hours10 * 3600;
    return std::nullopt;
}

const std::string &TimeZone::name() const
{
    return m_data->name;
}

// date's sys_info and local_info carry the abbreviation as a std::string; abbreviations fit the small-string
// buffer, so the lookups below do not allocate.
int TimeZone::offsetAt(std::int64_t utc) const
{
    const Data &d = *m_data;
    if (d.zone) {
        const date::sys_info info = d.zone->get_info(date::sys_seconds{std::chrono::seconds{utc}});
        if (!d.hasRule || info.end < kOpenEnd)
            return static_cast<int>(info.offset.count());
        return ruleOffset(d.rule, utc);
    }
    return d.hasRule ? ruleOffset(d.rule, utc) : d.fixedOffset;
}

TimeZone::Local TimeZone::resolve(std::int64_t local) const
{
    Local r;
    const Data &d = *m_data;
    if (d.zone) {
        const date::local_info info = d.zone->get_info(date::local_seconds{std::chrono::seconds{local}});
        const std::int64_t first = local - info.first.offset.count();
        if (info.result == date::local_info::unique) {
            if (!d.hasRule || info.first.end < kOpenEnd) {
                r.earlier = r.later = first;
                return r;
            }
            // After the file's last transition: the footer rule decides, below.
        } else {
            const std::int64_t second = local - info.second.offset.count();
            // Ambiguous: the first and the second occurrence. Nonexistent: 'later' reads the wall time with
            // the offset before the gap, i.e. shifted forward by the gap.
            r.kind =
                info.result == date::local_info::ambiguous ? LocalKind::Ambiguous : LocalKind::Nonexistent;
            r.earlier = std::min(first, second);
            r.later = std::max(first, second);
            return r;
        }
    } else if (!d.hasRule) {
        r.earlier = r.later = local - d.fixedOffset;
        return r;
    }
    // Rules: offsets are at most ~26 h apart from local time and transitions are months apart, so the offsets
    // a day before and after are the only candidates.
    const int before = offsetAt(local - 86400);
    const int after = offsetAt(local + 86400);
    const bool okBefore = offsetAt(local - before) == before;
    const bool okAfter = offsetAt(local - after) == after;
    if (before == after || (okBefore != okAfter)) {
        int off = okBefore ? before : after;
        if (!okBefore && !okAfter)
            off = before;
        r.earlier = r.later = local - off;
        return r;
    }
    r.kind = okBefore && okAfter ? LocalKind::Ambiguous : LocalKind::Nonexistent;
    r.earlier = std::min(local - before, local - after);
    r.later = std::max(local - before, local - after);
    return r;
}

} // namespace twin::model
