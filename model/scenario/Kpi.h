#pragma once
// KPIs over scenario result series. An expression is muparser syntax over scalars plus aggregate calls on
// series (a series is named by its column: a bound twin name such as "flow" or "feeds/level", or a model
// variable such as "pump.P"):
//   integral(x)      trapezoid rule over time (x · seconds)
//   mean(x)          time-weighted mean = integral(x) / duration
//   max(x), min(x)   over the samples
//   final(x), initial(x)
//   timeAbove(x, c)  seconds with x > c (crossings linearly interpolated); timeBelow(x, c) likewise
//   duration()       last time - first time
// Example: "integral(pump.P) / 3.6e6" (kWh), "timeAbove(feeds/level, 2.5)". The constant argument c may be
// any scalar expression. Threads: pure functions.
#include "twin/util/Result.h"

#include <string>
#include <utility>
#include <vector>

namespace twin::model::scenario {

struct ScenarioSeries
{
    std::vector<double> time; // seconds of model time
    std::vector<std::pair<std::string, std::vector<double>>> columns;
    const std::vector<double> *find(const std::string &name) const;
};

// Aggregates (exposed for tests).
double seriesIntegral(const std::vector<double> &t, const std::vector<double> &x);
double seriesTimeAbove(const std::vector<double> &t, const std::vector<double> &x, double c);

Result<double> evaluateKpi(const ScenarioSeries &series, const std::string &expression);

struct KpiValue
{
    std::string name;
    double value = 0;
    std::string unit;
    std::string error; // empty when evaluated
};

} // namespace twin::model::scenario
