#pragma once
// Pure helpers of the plot: nice value ticks, UTC time ticks, unit symbols and the colours of quality flags.
// No widget state; unit-tested through tst_plot.
#include "twin/formats/Sample.h"

#include <QColor>
#include <QString>
#include <cstdint>
#include <string>
#include <vector>

namespace twin::ui {

// Ticks at 1/2/5 x 10^n inside [lo, hi], at most about maxTicks of them.
std::vector<double> niceValueTicks(double lo, double hi, int maxTicks);
// Text of a value tick whose spacing is step (enough decimals to tell neighbours apart).
QString formatValue(double value, double step);
// Expands [lo, hi] to a padded range that starts and ends on nice numbers (used by auto-scaling).
void niceValueRange(double &lo, double &hi);

struct TimeTick
{
    model::TimeNs time = 0;
    QString label;
};
// Ticks at round UTC times (ms … s … min … h … days) inside [t0, t1], at most about maxTicks of them.
// context gets the date (and zone) the labels leave out, e.g. "2026-01-05 UTC".
std::vector<TimeTick> timeTicks(model::TimeNs t0, model::TimeNs t1, int maxTicks, QString *context = nullptr);
// "2026-01-05 06:41:07.250 UTC" with the precision that suits a view spanning `span`.
QString formatTimeUtc(model::TimeNs time, model::TimeNs span);

// Short symbol of a DTDL unit name for axis labels ("degreeCelsius" -> "°C"); the name itself when unknown.
QString unitSymbol(const std::string &unit);

struct QualityStyle
{
    std::uint16_t flag;
    const char *name;
    QColor color;
    bool marker; // drawn as a marker on the line (else only in the quality strip)
};
// Flags shown by the plot, most important first.
const std::vector<QualityStyle> &qualityStyles();
// The most important shown flag in bits (0 when none).
const QualityStyle *dominantQuality(std::uint16_t bits, std::uint16_t mask);

} // namespace twin::ui
