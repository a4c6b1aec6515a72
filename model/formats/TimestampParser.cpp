#include "twin/formats/TimestampParser.h"

#include <cmath>
#include <cstring>

namespace twin::model {

namespace {

struct Cursor
{
    const char *p;
    const char *end;
    bool atEnd() const { return p == end; }
    char peek() const { return p < end ? *p : '\0'; }
    void skipSpaces()
    {
        while (p < end && (*p == ' ' || *p == '\t'))
            ++p;
    }
    // Unsigned decimal of 1..maxDigits digits; returns digit count (0 on failure).
    int digits(std::int64_t &out, int maxDigits = 18)
    {
        out = 0;
        int n = 0;
        while (p < end && n < maxDigits && *p >= '0' && *p <= '9') {
            out = out * 10 + (*p++ - '0');
            ++n;
        }
        return n;
    }
    bool eat(char c)
    {
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
};

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char upper(char c)
{
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}

struct Fields
{
    std::int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
    bool hasZone = false;
    int offset = 0; // seconds east of UTC
};

// h[:mm[:ss[.fffffffff]]] [AM|PM]
bool parseClock(Cursor &c, Fields &f)
{
    if (c.digits(f.hour, 2) == 0)
        return false;
    if (c.eat(':')) {
        if (c.digits(f.minute, 2) != 2)
            return false;
        if (c.eat(':')) {
            if (c.digits(f.second, 2) != 2)
                return false;
            if (c.eat('.') || c.eat(',')) {
                int n = 0;
                f.nanos = 0;
                while (!c.atEnd() && c.peek() >= '0' && c.peek() <= '9') {
                    if (n < 9) {
                        f.nanos = f.nanos * 10 + (*c.p - '0');
                        ++n;
                    }
                    ++c.p;
                }
                if (n == 0)
                    return false;
                for (; n < 9; ++n)
                    f.nanos *= 10;
            }
        }
    } else {
        return false; // a bare hour is too ambiguous to accept
    }
    const char *save = c.p;
    c.skipSpaces();
    if (c.end - c.p >= 2 && (upper(c.p[0]) == 'A' || upper(c.p[0]) == 'P') && upper(c.p[1]) == 'M' &&
        (c.end - c.p == 2 || !isAlpha(c.p[2]))) {
        if (f.hour < 1 || f.hour > 12)
            return false;
        bool pm = upper(c.p[0]) == 'P';
        f.hour = f.hour % 12 + (pm ? 12 : 0);
        c.p += 2;
    } else {
        c.p = save;
    }
    return true;
}

// Optional zone: Z, ±hh[:mm], ±hhmm, abbreviation. Then the text must end (trailing spaces allowed).
bool parseZoneAndEnd(Cursor &c, Fields &f)
{
    c.skipSpaces();
    if (c.atEnd())
        return true;
    char s = c.peek();
    if (s == '+' || s == '-') {
        ++c.p;
        std::int64_t hh = 0, mm = 0;
        int n = c.digits(hh, 2);
        if (n != 2)
            return false;
        if (c.eat(':')) {
            if (c.digits(mm, 2) != 2)
                return false;
        } else if (!c.atEnd() && c.peek() >= '0' && c.peek() <= '9') {
            if (c.digits(mm, 2) != 2)
                return false;
        }
        if (hh > 18 || mm > 59)
            return false;
        f.hasZone = true;
        f.offset = static_cast<int>((s == '-' ? -1 : 1) * (hh * 3600 + mm * 60));
    } else if (isAlpha(s)) {
        const char *start = c.p;
        while (!c.atEnd() && isAlpha(c.peek()))
            ++c.p;
        char buf[8];
        size_t n = static_cast<size_t>(c.p - start);
        if (n >= sizeof buf)
            return false;
        for (size_t k = 0; k < n; ++k)
            buf[k] = upper(start[k]);
        auto off = TimeZone::abbreviationOffset(std::string_view(buf, n));
        if (!off)
            return false;
        f.hasZone = true;
        f.offset = *off;
    } else {
        return false;
    }
    c.skipSpaces();
    return c.atEnd();
}

// Optional "T" or spaces + clock, then zone.
bool parseTimeTail(Cursor &c, Fields &f, bool allowT)
{
    if (c.atEnd())
        return true;
    if (allowT && (c.peek() == 'T' || c.peek() == 't')) {
        ++c.p;
    } else if (c.peek() == ' ' || c.peek() == '\t') {
        c.skipSpaces();
        if (c.atEnd())
            return true;
    } else if (c.peek() == 'Z' || c.peek() == '+' || c.peek() == '-') {
        return parseZoneAndEnd(c, f); // date with zone only
    } else {
        return false;
    }
    if (!parseClock(c, f))
        return false;
    return parseZoneAndEnd(c, f);
}

std::int64_t twoDigitYear(std::int64_t y, int digits)
{
    if (digits == 2)
        return y < 69 ? 2000 + y : 1900 + y; // POSIX strptime %y pivot
    return y;
}

int monthFromName(Cursor &c)
{
    static const char *kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    const char *start = c.p;
    while (!c.atEnd() && isAlpha(c.peek()))
        ++c.p;
    size_t n = static_cast<size_t>(c.p - start);
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; ++m) {
        if (upper(start[0]) == kMonths[m][0] && upper(start[1]) == kMonths[m][1] &&
            upper(start[2]) == kMonths[m][2]) {
            static const char *kFull[] = {"JANUARY",   "FEBRUARY", "MARCH",    "APRIL",
                                          "MAY",       "JUNE",     "JULY",     "AUGUST",
                                          "SEPTEMBER", "OCTOBER",  "NOVEMBER", "DECEMBER"};
            if (n == 3 || (n == 4 && m == 8 && upper(start[3]) == 'T'))
                return m + 1; // "Sept"
            if (n == std::strlen(kFull[m])) {
                for (size_t k = 3; k < n; ++k)
                    if (upper(start[k]) != kFull[m][k])
                        return 0;
                return m + 1;
            }
            return 0;
        }
    }
    return 0;
}

bool parseFields(std::string_view text, const TimestampFormat &fmt, Fields &f)
{
    Cursor c{text.data(), text.data() + text.size()};
    c.skipSpaces();
    while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
        --c.end;
    switch (fmt.kind) {
    case TimestampKind::Iso8601: {
        if (c.digits(f.year, 4) != 4 || !c.eat('-') || c.digits(f.month, 2) != 2 || !c.eat('-') ||
            c.digits(f.day, 2) != 2)
            return false;
        return parseTimeTail(c, f, true);
    }
    case TimestampKind::NumericDate: {
        std::int64_t a = 0, b = 0, y = 0;
        if (c.digits(a, 2) == 0)
            return false;
        char sep = c.peek();
        if (sep != '/' && sep != '.' && sep != '-')
            return false;
        ++c.p;
        if (c.digits(b, 2) == 0 || !c.eat(sep))
            return false;
        int yd = c.digits(y, 4);
        if (yd != 2 && yd != 4)
            return false;
        f.year = twoDigitYear(y, yd);
        f.month = fmt.order == DateOrder::MonthDay ? a : b;
        f.day = fmt.order == DateOrder::MonthDay ? b : a;
        return parseTimeTail(c, f, false);
    }
    case TimestampKind::MonthNameDate: {
        std::int64_t y = 0;
        if (c.digits(f.day, 2) == 0)
            return false;
        char sep = c.peek();
        if (sep != '-' && sep != ' ' && sep != '/')
            return false;
        ++c.p;
        f.month = monthFromName(c);
        if (f.month == 0 || !c.eat(sep))
            return false;
        int yd = c.digits(y, 4);
        if (yd != 2 && yd != 4)
            return false;
        f.year = twoDigitYear(y, yd);
        return parseTimeTail(c, f, false);
    }
    default:
        return false;
    }
}

const std::int64_t kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool valid(const Fields &f)
{
    if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > kDaysInMonth[f.month - 1])
        return false;
    bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
    if (f.month == 2 && f.day == 29 && !leap)
        return false;
    return f.hour < 24 && f.minute < 60 && f.second <= 60 && f.year >= 1678 && f.year <= 2261;
}

Result<TimeNs> parseEpoch(std::string_view text, TimestampKind kind)
{
    Cursor c{text.data(), text.data() + text.size()};
    c.skipSpaces();
    while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
        --c.end;
    bool neg = c.eat('-');
    if (!neg)
        c.eat('+');
    std::int64_t whole = 0;
    int n = c.digits(whole, 19);
    std::int64_t frac = 0; // in 1e-9 of a unit
    if (c.eat('.')) {
        int fd = 0;
        while (!c.atEnd() && c.peek() >= '0' && c.peek() <= '9') {
            if (fd < 9) {
                frac = frac * 10 + (*c.p - '0');
                ++fd;
            }
            ++c.p;
        }
        for (; fd < 9; ++fd)
            frac *= 10;
        n += 1;
    }
    if (n == 0 || !c.atEnd())
        return Error{"'" + std::string(text) + "' is not an epoch number"};
    if (kind == TimestampKind::EpochAuto) {
        std::int64_t mag = whole;
        kind = mag < 100'000'000'000LL           ? TimestampKind::EpochSeconds
               : mag < 100'000'000'000'000LL     ? TimestampKind::EpochMillis
               : mag < 100'000'000'000'000'000LL ? TimestampKind::EpochMicros
                                                 : TimestampKind::EpochNanos;
    }
    std::int64_t unit = kind == TimestampKind::EpochSeconds  ? kNsPerSecond
                        : kind == TimestampKind::EpochMillis ? 1'000'000
                        : kind == TimestampKind::EpochMicros ? 1'000
                                                             : 1;
    if (whole > INT64_MAX / unit - 1)
        return Error{"'" + std::string(text) + "' is out of the supported time range"};
    TimeNs ns = whole * unit + frac * unit / kNsPerSecond;
    return neg ? -ns : ns;
}

} // namespace

std::string TimestampFormat::describe() const
{
    std::string s;
    switch (kind) {
    case TimestampKind::Iso8601:
        s = "ISO 8601";
        break;
    case TimestampKind::EpochSeconds:
        s = "epoch seconds";
        break;
    case TimestampKind::EpochMillis:
        s = "epoch milliseconds";
        break;
    case TimestampKind::EpochMicros:
        s = "epoch microseconds";
        break;
    case TimestampKind::EpochNanos:
        s = "epoch nanoseconds";
        break;
    case TimestampKind::EpochAuto:
        s = "epoch (unit by magnitude)";
        break;
    case TimestampKind::NumericDate:
        s = order == DateOrder::MonthDay ? "M/D/Y h:mm" : "D/M/Y h:mm";
        break;
    case TimestampKind::MonthNameDate:
        s = "DD-Mon-YY hh:mm:ss";
        break;
    }
    if (kind != TimestampKind::EpochSeconds && kind != TimestampKind::EpochMillis &&
        kind != TimestampKind::EpochMicros && kind != TimestampKind::EpochNanos &&
        kind != TimestampKind::EpochAuto)
        s += " (wall times in " + zone.name() + ")";
    return s;
}

Result<TimeNs> parse(std::string_view text, const TimestampFormat &format, bool *ambiguous)
{
    if (ambiguous)
        *ambiguous = false;
    switch (format.kind) {
    case TimestampKind::EpochSeconds:
    case TimestampKind::EpochMillis:
    case TimestampKind::EpochMicros:
    case TimestampKind::EpochNanos:
    case TimestampKind::EpochAuto:
        return parseEpoch(text, format.kind);
    default:
        break;
    }
    Fields f;
    if (!parseFields(text, format, f) || !valid(f))
        return Error{"'" + std::string(text) + "' is not a valid " + format.describe() + " timestamp"};
    const std::int64_t local =
        daysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day)) * 86400 +
        f.hour * 3600 + f.minute * 60 + f.second;
    std::int64_t utc = 0;
    if (f.hasZone) {
        utc = local - f.offset;
    } else {
        const TimeZone::Local r = format.zone.resolve(local);
        switch (r.kind) {
        case TimeZone::LocalKind::Unique:
            utc = r.earlier;
            break;
        case TimeZone::LocalKind::Ambiguous:
            utc = format.laterForAmbiguous ? r.later : r.earlier;
            if (ambiguous)
                *ambiguous = true;
            break;
        case TimeZone::LocalKind::Nonexistent:
            if (!format.shiftNonexistent)
                return Error{"'" + std::string(text) + "' does not exist in " + format.zone.name() +
                             " (skipped by the daylight-saving change)"};
            utc = r.later;
            break;
        }
    }
    return utc * kNsPerSecond + f.nanos;
}

bool timestampFormatFromName(std::string_view name, TimestampFormat &format)
{
    struct Entry
    {
        const char *name;
        TimestampKind kind;
        DateOrder order;
    };
    static constexpr Entry kFormats[] = {
        {"iso8601", TimestampKind::Iso8601, DateOrder::MonthDay},
        {"epoch-s", TimestampKind::EpochSeconds, DateOrder::MonthDay},
        {"epoch-ms", TimestampKind::EpochMillis, DateOrder::MonthDay},
        {"epoch-us", TimestampKind::EpochMicros, DateOrder::MonthDay},
        {"epoch-ns", TimestampKind::EpochNanos, DateOrder::MonthDay},
        {"epoch", TimestampKind::EpochAuto, DateOrder::MonthDay},
        {"m/d/y", TimestampKind::NumericDate, DateOrder::MonthDay},
        {"d/m/y", TimestampKind::NumericDate, DateOrder::DayMonth},
        {"dd-mon-yy", TimestampKind::MonthNameDate, DateOrder::MonthDay},
    };
    for (const auto &f : kFormats)
        if (name == f.name) {
            format.kind = f.kind;
            format.order = f.order;
            return true;
        }
    return false;
}

} // namespace twin::model
