#include "twin/formats/TimeText.h"

#include "twin/formats/TimestampParser.h"

#include <cstdio>
#include <ctime>

namespace twin::model {

std::string isoUtc(TimeNs t)
{
    const TimeNs seconds = t >= 0 ? t / kNsPerSecond : -((-t + kNsPerSecond - 1) / kNsPerSecond);
    const TimeNs fraction = t - seconds * kNsPerSecond;
    const std::time_t tt = std::time_t(seconds);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char text[64];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = text;
    if (fraction != 0) {
        char frac[16];
        std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(fraction));
        std::string f = frac;
        while (f.back() == '0')
            f.pop_back();
        out += f;
    }
    return out + "Z";
}

Result<TimeNs> parseTime(const std::string &text)
{
    if (!text.empty() && text.find_first_not_of("0123456789-") == std::string::npos && text.size() > 12) {
        try {
            return TimeNs(std::stoll(text));
        } catch (...) {
            return Error{"\"" + text + "\" is not a time"};
        }
    }
    auto t = parse(text, TimestampFormat{});
    if (!t)
        return Error{"\"" + text + "\" is not an ISO 8601 time: " + t.error()};
    return *t;
}

Result<TimeWindow> parseWindow(const std::string &text)
{
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        return Error{"window \"" + text + "\": expected FROM/TO"};
    auto from = parseTime(text.substr(0, slash));
    auto to = parseTime(text.substr(slash + 1));
    if (!from || !to)
        return Error{"window \"" + text + "\": " + (!from ? from.error() : to.error())};
    if (*to <= *from)
        return Error{"window \"" + text + "\": ends before it starts"};
    return TimeWindow{*from, *to};
}

} // namespace twin::model
