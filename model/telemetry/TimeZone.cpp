// TZif (RFC 8536) reader and POSIX TZ rule evaluation.
#include "telemetry/TimeZone.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

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
    std::vector<std::int64_t> transitions; // UTC seconds, ascending
    std::vector<int> offsets;              // offset from transitions[i] on
    int initialOffset = 0;                 // before the first transition
    bool hasRule = false;
    PosixRule rule; // after the last transition (or always, without transitions)
};

namespace {

std::int64_t be(const unsigned char *p, int n)
{
    std::uint64_t v = 0;
    for (int k = 0; k < n; ++k)
        v = (v << 8) | p[k];
    if (n == 4)
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

Result<std::shared_ptr<TimeZone::Data>> readTzif(const std::string &name, const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"unknown time zone '" + name + "'"};
    std::vector<unsigned char> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto bad = [&] { return Error{"time zone file " + path + " is not a valid TZif file"}; };
    if (b.size() < 44 || std::memcmp(b.data(), "TZif", 4) != 0)
        return bad();
    auto header = [&](size_t at, std::int64_t c[6]) {
        for (int k = 0; k < 6; ++k)
            c[k] = be(&b[at + 20 + 4 * k], 4);
    };
    std::int64_t c[6]; // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
    header(0, c);
    size_t at = 44;
    int timeSize = 4;
    if (b[4] >= '2') { // skip the v1 block, use the 64-bit one
        at += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
        if (at + 44 > b.size())
            return bad();
        header(at, c);
        at += 44;
        timeSize = 8;
    }
    const size_t need = c[3] * timeSize + c[3] + c[4] * 6 + c[5] + c[2] * (timeSize + 4) + c[1] + c[0];
    if (c[4] < 1 || at + need > b.size())
        return bad();
    auto data = std::make_shared<TimeZone::Data>();
    data->name = name;
    const unsigned char *times = &b[at];
    const unsigned char *idx = times + c[3] * timeSize;
    const unsigned char *types = idx + c[3];
    std::vector<int> typeOffset(c[4]);
    std::vector<bool> typeDst(c[4]);
    for (std::int64_t k = 0; k < c[4]; ++k) {
        typeOffset[k] = static_cast<int>(be(types + 6 * k, 4));
        typeDst[k] = types[6 * k + 4] != 0;
    }
    data->initialOffset = typeOffset[0];
    for (std::int64_t k = 0; k < c[3]; ++k) {
        if (idx[k] >= c[4])
            return bad();
        data->transitions.push_back(be(times + k * timeSize, timeSize));
        data->offsets.push_back(typeOffset[idx[k]]);
    }
    size_t footer = at + need;
    if (timeSize == 8 && footer < b.size() && b[footer] == '\n') {
        size_t endLine = footer + 1;
        while (endLine < b.size() && b[endLine] != '\n')
            ++endLine;
        std::string tz(b.begin() + footer + 1, b.begin() + endLine);
        PosixParser p{tz};
        if (!tz.empty() && p.parse(data->rule))
            data->hasRule = true;
    }
    return data;
}

} // namespace

TimeZone::TimeZone() : m_data(std::make_shared<Data>(Data{"UTC", {}, {}, 0, false, {}})) {}

TimeZone TimeZone::fixed(int offsetSeconds)
{
    TimeZone z;
    auto data = std::make_shared<Data>();
    int a = std::abs(offsetSeconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", offsetSeconds < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    data->name = offsetSeconds == 0 ? "UTC" : buf;
    data->initialOffset = offsetSeconds;
    z.m_data = data;
    return z;
}

Result<TimeZone> TimeZone::named(const std::string &name)
{
    if (name.empty() || name == "UTC" || name == "Etc/UTC" || name == "Z")
        return TimeZone();
    if ((name[0] == '+' || name[0] == '-') && name.size() >= 3) {
        PosixParser p{name};
        int seconds = 0;
        if (p.hms(seconds) && p.i == name.size())
            return fixed(seconds);
    }
    if (name.find('/') != std::string::npos || name.find(',') == std::string::npos) {
        if (name.find("..") == std::string::npos && name[0] != '/') {
            auto tzif = readTzif(name, "/usr/share/zoneinfo/" + name);
            if (tzif.ok()) {
                TimeZone z;
                z.m_data = tzif.value();
                return z;
            }
            if (name.find('/') != std::string::npos)
                return Error{tzif.error()};
        }
    }
    auto data = std::make_shared<Data>();
    PosixParser p{name};
    if (!p.parse(data->rule))
        return Error{"unknown time zone '" + name + "'"};
    data->name = name;
    data->hasRule = true;
    data->initialOffset = data->rule.stdOffset;
    TimeZone z;
    z.m_data = data;
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

int TimeZone::offsetAt(std::int64_t utc) const
{
    const Data &d = *m_data;
    if (!d.transitions.empty() && utc >= d.transitions.front()) {
        auto it = std::upper_bound(d.transitions.begin(), d.transitions.end(), utc);
        size_t k = static_cast<size_t>(it - d.transitions.begin()) - 1;
        if (it != d.transitions.end() || !d.hasRule)
            return d.offsets[k];
        return ruleOffset(d.rule, utc);
    }
    if (d.transitions.empty() && d.hasRule)
        return ruleOffset(d.rule, utc);
    return d.initialOffset;
}

TimeZone::Local TimeZone::resolve(std::int64_t local) const
{
    // Offsets are at most ~26 h apart from local time and transitions are months apart: the offsets a day
    // before and after are the only candidates.
    const int before = offsetAt(local - 86400);
    const int after = offsetAt(local + 86400);
    const bool okBefore = offsetAt(local - before) == before;
    const bool okAfter = offsetAt(local - after) == after;
    Local r;
    if (before == after || (okBefore != okAfter)) {
        int off = okBefore ? before : after;
        if (!okBefore && !okAfter)
            off = before;
        r.earlier = r.later = local - off;
        return r;
    }
    if (okBefore && okAfter) {
        r.kind = LocalKind::Ambiguous;
        r.earlier = std::min(local - before, local - after);
        r.later = std::max(local - before, local - after);
        return r;
    }
    r.kind = LocalKind::Nonexistent; // in a gap: 'later' reads the wall time with the offset before the gap,
    r.earlier = std::min(local - before, local - after); // i.e. shifted forward by the gap
    r.later = std::max(local - before, local - after);
    return r;
}

} // namespace twin::model
