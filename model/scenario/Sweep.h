#pragma once
// Sweeps and Monte Carlo over a scenario's parameters. A variant is a list of constant
// overrides (name as Override::target, value in the twin unit when the name is a bound twin reference).
//   grid:        "x=1:10:10" (10 values from 1 to 10, ends included), "x=1,2,5" (a list); several
//                parameters give their cartesian product (the first varies slowest)
//   Monte Carlo: "x=normal(mean,sd)", "x=uniform(min,max)", "x=lognormal(mu,sigma)" (log space); run i draws
//                from its own mt19937_64 stream seeded from (seed, i), with the distributions written out
//                here (not std::*_distribution), so results are identical for a seed on any platform and
//                independent of the worker count. Run i also gets backend seed = seed + i.
// Threads: pure functions; ScenarioExecutor::runMany runs the plans in parallel.
#include "twin/model/scenario/ScenarioRun.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace twin::model::scenario {

using Variant = std::vector<std::pair<std::string, double>>;

struct GridAxis
{
    std::string name;
    std::vector<double> values;
};
Result<GridAxis> parseGridAxis(const std::string &text);
std::vector<Variant> gridVariants(const std::vector<GridAxis> &axes);

struct Distribution
{
    std::string name;
    enum class Kind
    {
        Normal,
        Uniform,
        LogNormal
    } kind = Kind::Normal;
    double a = 0, b = 1; // normal: mean, sd; uniform: min, max; lognormal: mu, sigma
};
Result<Distribution> parseDistribution(const std::string &text);
std::vector<Variant> monteCarloVariants(const std::vector<Distribution> &distributions, std::size_t runs,
                                        std::uint64_t seed);

// One plan per variant from a base plan; `distinctSeeds`: run i gets backend seed base seed + i.
Result<std::vector<ScenarioPlan>> variantPlans(const ScenarioPlan &base, const std::vector<Variant> &variants,
                                               bool distinctSeeds);

// JSON summary: {"scenario", "runs": [{"index", "parameters": {...}, "outcome", "message", "kpis": {...}}],
// "completed", "failed", "seconds", "workers", "runsPerSecond", "kpiStats": {name: {mean, sd, min, max}}}.
std::string sweepSummaryJson(const std::string &scenario, const std::vector<Variant> &variants,
                             const std::vector<ScenarioRunResult> &results, double seconds, int workers);

} // namespace twin::model::scenario
