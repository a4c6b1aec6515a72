// Format detection from sample values (see TimestampParser.h).
#include "twin/formats/TimestampParser.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace twin::model {

namespace {

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isNumberLike(std::string_view s)
{
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        ++i;
    bool digit = false, dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = true;
        else if (s[i] == '.' && !dot)
            dot = true;
        else
            return false;
    }
    return digit;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Kind guess from the shape of one value (no validation).
std::optional<TimestampKind> shapeOf(std::string_view s)
{
    if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && std::isdigit(static_cast<unsigned char>(s[0])))
        return TimestampKind::Iso8601;
    size_t i = 0;
    while (i < s.size() && i < 3 && std::isdigit(static_cast<unsigned char>(s[i])))
        ++i;
    if (i == 0 || i > 2 || i >= s.size())
        return std::nullopt;
    char sep = s[i];
    if ((sep == '/' || sep == '.' || sep == '-') && i + 1 < s.size() &&
        std::isdigit(static_cast<unsigned char>(s[i + 1])))
        return TimestampKind::NumericDate;
    if ((sep == '-' || sep == ' ' || sep == '/') && i + 1 < s.size() && isAlpha(s[i + 1]))
        return TimestampKind::MonthNameDate;
    return std::nullopt;
}

} // namespace

bool looksLikeTimestamp(std::string_view text)
{
    text = trim(text);
    auto kind = shapeOf(text);
    if (!kind)
        return false;
    TimestampFormat f;
    f.kind = *kind;
    f.shiftNonexistent = true;
    if (parse(text, f).ok())
        return true;
    f.order = DateOrder::DayMonth;
    return parse(text, f).ok();
}

Result<TimestampFormat> detectFormat(const std::vector<std::string> &samples)
{
    std::vector<std::string_view> values;
    for (const auto &s : samples)
        if (!trim(s).empty())
            values.push_back(trim(s));
    if (values.empty())
        return Error{"no timestamp values to detect a format from"};
    TimestampFormat fmt;
    fmt.shiftNonexistent = true; // only while verifying: detection is about the shape
    if (isNumberLike(values.front())) {
        double maxMag = 0;
        for (auto v : values) {
            if (!isNumberLike(v))
                return Error{"'" + std::string(v) + "' is not an epoch number like '" +
                             std::string(values.front()) + "'"};
            maxMag = std::max(maxMag, std::fabs(std::strtod(std::string(v).c_str(), nullptr)));
        }
        fmt.kind = maxMag < 1e11   ? TimestampKind::EpochSeconds
                   : maxMag < 1e14 ? TimestampKind::EpochMillis
                   : maxMag < 1e17 ? TimestampKind::EpochMicros
                                   : TimestampKind::EpochNanos;
        fmt.note = "epoch unit chosen by magnitude";
    } else {
        auto kind = shapeOf(values.front());
        if (!kind)
            return Error{"'" + std::string(values.front()) + "' is not a recognised timestamp"};
        fmt.kind = *kind;
        if (fmt.kind == TimestampKind::NumericDate) {
            bool firstOver12 = false, secondOver12 = false;
            for (auto v : values) {
                size_t k = 0;
                int a = 0, b = 0;
                for (; k < v.size() && k < 2 && std::isdigit(static_cast<unsigned char>(v[k])); ++k)
                    a = a * 10 + (v[k] - '0');
                if (k == 0 || k + 1 >= v.size())
                    continue;
                for (size_t e = k + 3;
                     ++k < v.size() && k < e && std::isdigit(static_cast<unsigned char>(v[k]));)
                    b = b * 10 + (v[k] - '0');
                firstOver12 |= a > 12;
                secondOver12 |= b > 12;
            }
            if (firstOver12 && secondOver12)
                return Error{
                    "dates mix month/day and day/month order (both fields exceed 12 in the samples)"};
            if (firstOver12) {
                fmt.order = DateOrder::DayMonth;
                fmt.note = "day/month order: a first field exceeds 12";
            } else if (secondOver12) {
                fmt.note = "month/day order: a second field exceeds 12";
            } else {
                fmt.note = "day/month order is ambiguous in the samples; assumed US month/day";
            }
        }
    }
    for (size_t k = 0; k < values.size(); ++k) {
        auto r = parse(values[k], fmt);
        if (!r.ok())
            return Error{"sample " + std::to_string(k + 1) + ": " + r.error()};
    }
    fmt.shiftNonexistent = false;
    return fmt;
}

} // namespace twin::model
