#include "twin/ui/plot/PlotAxes.h"

#include <QDateTime>
#include <QTimeZone>
#include <array>
#include <cmath>

namespace twin::ui {
using model::kNsPerSecond;
using model::TimeNs;

namespace {
double niceStep(double span, int maxTicks)
{
    const double raw = span / std::max(1, maxTicks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * magnitude >= raw)
            return m * magnitude;
    return 10.0 * magnitude;
}

QDateTime utc(TimeNs t)
{
    const qint64 ms = t >= 0 ? t / 1'000'000 : -((-t + 999'999) / 1'000'000);
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kMin = 60 * kNsPerSecond;
constexpr TimeNs kHour = 60 * kMin;
constexpr TimeNs kDay = 24 * kHour;
constexpr std::array<TimeNs, 31> kTimeSteps = {1,
                                               10,
                                               100,
                                               1000,
                                               10'000,
                                               100'000,
                                               kMs,
                                               2 * kMs,
                                               5 * kMs,
                                               10 * kMs,
                                               20 * kMs,
                                               50 * kMs,
                                               100 * kMs,
                                               200 * kMs,
                                               500 * kMs,
                                               kNsPerSecond,
                                               2 * kNsPerSecond,
                                               5 * kNsPerSecond,
                                               10 * kNsPerSecond,
                                               15 * kNsPerSecond,
                                               30 * kNsPerSecond,
                                               kMin,
                                               2 * kMin,
                                               5 * kMin,
                                               10 * kMin,
                                               15 * kMin,
                                               30 * kMin,
                                               kHour,
                                               3 * kHour,
                                               6 * kHour,
                                               12 * kHour};
} // namespace

std::vector<double> niceValueTicks(double lo, double hi, int maxTicks)
{
    std::vector<double> ticks;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return ticks;
    const double step = niceStep(hi - lo, maxTicks);
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9 && ticks.size() < 100; v += step)
        ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return ticks;
}

QString formatValue(double value, double step)
{
    int decimals = 0;
    for (double scaled = std::abs(step);
         decimals < 9 && std::abs(scaled - std::round(scaled)) > 1e-6 * scaled; scaled *= 10)
        ++decimals;
    return QString::number(value, 'f', decimals);
}

void niceValueRange(double &lo, double &hi)
{
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        lo = 0;
        hi = 1;
        return;
    }
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
        const double pad = std::max(1e-9, std::abs(hi) * 0.05 + (hi == 0 ? 1 : 0));
        lo -= pad;
        hi += pad;
        return;
    }
    const double pad = (hi - lo) * 0.06;
    lo -= pad;
    hi += pad;
}

std::vector<TimeTick> timeTicks(TimeNs t0, TimeNs t1, int maxTicks, QString *context)
{
    std::vector<TimeTick> ticks;
    if (t1 <= t0)
        return ticks;
    const TimeNs span = t1 - t0;
    TimeNs step = 0;
    for (TimeNs s : kTimeSteps)
        if (span / s <= maxTicks) {
            step = s;
            break;
        }
    if (step == 0) { // days: 1, 2, 7, 14, 30, 91, 365 (aligned to the epoch, i.e. UTC midnights)
        for (TimeNs days : {1, 2, 7, 14, 30, 91, 365, 3650})
            if (span / (days * kDay) <= maxTicks) {
                step = days * kDay;
                break;
            }
        if (step == 0)
            step = 36500 * kDay;
    }
    QString format = step >= kDay           ? "yyyy-MM-dd"
                     : step >= kMin         ? "HH:mm"
                     : step >= kNsPerSecond ? "HH:mm:ss"
                                            : "HH:mm:ss.zzz";
    TimeNs first = t0 / step * step;
    if (first < t0)
        first += step;
    for (TimeNs t = first; t <= t1 && ticks.size() < 200; t += step) {
        QString label = utc(t).toString(format);
        if (step < kMs) // sub-millisecond: show the offset inside the millisecond
            label = QString("+%1 µs").arg(double(t % kMs) / 1000.0, 0, 'f', step >= 1000 ? 0 : 3);
        ticks.push_back({t, label});
    }
    if (context) {
        const QDate d0 = utc(t0).date(), d1 = utc(t1).date();
        if (step >= kDay)
            *context = QStringLiteral("UTC");
        else if (d0 == d1)
            *context = d0.toString("yyyy-MM-dd") + QStringLiteral(" UTC");
        else
            *context = d0.toString("yyyy-MM-dd") + QStringLiteral(" – ") + d1.toString("yyyy-MM-dd") +
                       QStringLiteral(" UTC");
    }
    return ticks;
}

QString formatTimeUtc(TimeNs time, TimeNs span)
{
    const QDateTime dt = utc(time);
    QString text = dt.toString(span < 10 * kNsPerSecond ? "yyyy-MM-dd HH:mm:ss.zzz" : "yyyy-MM-dd HH:mm:ss");
    if (span < 10 * kMs) {
        const TimeNs sub = ((time % kMs) + kMs) % kMs;
        text += QString("%1").arg(sub, 6, 10, QChar('0'));
    }
    return text + QStringLiteral(" UTC");
}

QString unitSymbol(const std::string &unit)
{
    struct Symbol
    {
        const char *name, *symbol;
    };
    static constexpr Symbol kSymbols[] = {
        {"degreeCelsius", "°C"},
        {"degreeFahrenheit", "°F"},
        {"kelvin", "K"},
        {"bar", "bar"},
        {"pascal", "Pa"},
        {"kilopascal", "kPa"},
        {"megapascal", "MPa"},
        {"poundPerSquareInch", "psi"},
        {"ampere", "A"},
        {"milliampere", "mA"},
        {"volt", "V"},
        {"watt", "W"},
        {"kilowatt", "kW"},
        {"megawatt", "MW"},
        {"kilowattHour", "kWh"},
        {"hertz", "Hz"},
        {"metre", "m"},
        {"millimetre", "mm"},
        {"cubicMetrePerHour", "m³/h"},
        {"cubicMetrePerSecond", "m³/s"},
        {"litrePerSecond", "L/s"},
        {"litrePerMinute", "L/min"},
        {"percent", "%"},
        {"revolutionPerMinute", "rpm"},
        {"metrePerSecond", "m/s"},
        {"metrePerSecondSquared", "m/s²"},
        {"gForce", "g"},
        {"second", "s"},
        {"millisecond", "ms"},
        {"cubicMetre", "m³"},
        {"litre", "L"},
        {"kilogram", "kg"},
        {"newtonMetre", "N·m"},
    };
    for (const auto &s : kSymbols)
        if (unit == s.name)
            return QString::fromUtf8(s.symbol);
    return QString::fromStdString(unit);
}

const std::vector<QualityStyle> &qualityStyles()
{
    using namespace model;
    static const std::vector<QualityStyle> styles = {
        {QualityBadValue, "bad value", QColor(220, 38, 38), true},
        {QualityOutOfRange, "out of range", QColor(234, 88, 12), true},
        {QualityOutOfOrder, "out of order", QColor(147, 51, 234), true},
        {QualityDuplicate, "duplicate", QColor(219, 39, 119), true},
        {QualityLate, "late", QColor(37, 99, 235), true},
        {QualityAfterGap, "after gap", QColor(100, 116, 139), true},
        {QualityAmbiguousTime, "ambiguous time", QColor(202, 138, 4), true},
        {QualityConverted, "converted", QColor(13, 148, 136), false},
    };
    return styles;
}

const QualityStyle *dominantQuality(std::uint16_t bits, std::uint16_t mask)
{
    bits &= mask;
    if (!bits)
        return nullptr;
    for (const auto &s : qualityStyles())
        if (bits & s.flag)
            return &s;
    return nullptr;
}

} // namespace twin::ui
