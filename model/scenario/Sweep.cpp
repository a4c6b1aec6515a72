#include "twin/model/scenario/Sweep.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <random>

namespace twin::model::scenario {

using nlohmann::json;
namespace {
bool number(const std::string &text, double &out)
{
    char *end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return !text.empty() && end && *end == '\0';
}

std::vector<std::string> split(const std::string &s, char sep)
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (;;) {
        const auto next = s.find(sep, pos);
        out.push_back(s.substr(pos, next - pos));
        if (next == std::string::npos)
            return out;
        pos = next + 1;
    }
}

std::uint64_t splitmix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

double unit01(std::mt19937_64 &g) // (0, 1)
{
    return (double(g() >> 11) + 0.5) * 0x1.0p-53;
}
} // namespace

Result<GridAxis> parseGridAxis(const std::string &text)
{
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        return Error{"--param '" + text + "': expected name=from:to:count or name=v1,v2,..."};
    GridAxis axis{text.substr(0, eq), {}};
    const std::string rhs = text.substr(eq + 1);
    if (rhs.find(':') != std::string::npos) {
        const auto parts = split(rhs, ':');
        double from = 0, to = 0, count = 0;
        if (parts.size() != 3 || !number(parts[0], from) || !number(parts[1], to) ||
            !number(parts[2], count) || count < 1 || count != std::floor(count))
            return Error{"--param '" + text + "': expected name=from:to:count (count a positive integer)"};
        for (int i = 0; i < int(count); ++i)
            axis.values.push_back(count == 1 ? from : from + (to - from) * i / (count - 1));
        return axis;
    }
    for (const auto &p : split(rhs, ',')) {
        double v = 0;
        if (!number(p, v))
            return Error{"--param '" + text + "': '" + p + "' is not a number"};
        axis.values.push_back(v);
    }
    return axis;
}

std::vector<Variant> gridVariants(const std::vector<GridAxis> &axes)
{
    std::vector<Variant> out{{}};
    for (const auto &axis : axes) {
        std::vector<Variant> next;
        for (const auto &v : out)
            for (double x : axis.values) {
                Variant w = v;
                w.emplace_back(axis.name, x);
                next.push_back(std::move(w));
            }
        out = std::move(next);
    }
    if (out.size() == 1 && out[0].empty())
        out.clear();
    return out;
}

Result<Distribution> parseDistribution(const std::string &text)
{
    const auto eq = text.find('='), open = text.find('(');
    if (eq == std::string::npos || open == std::string::npos || open < eq || text.back() != ')')
        return Error{"--dist '" + text +
                     "': expected name=normal(mean,sd), uniform(min,max) or lognormal(mu,sigma)"};
    Distribution d;
    d.name = text.substr(0, eq);
    const std::string fn = text.substr(eq + 1, open - eq - 1);
    const auto args = split(text.substr(open + 1, text.size() - open - 2), ',');
    if (args.size() != 2 || !number(args[0], d.a) || !number(args[1], d.b))
        return Error{"--dist '" + text + "': two numeric arguments expected"};
    if (fn == "normal")
        d.kind = Distribution::Kind::Normal;
    else if (fn == "uniform")
        d.kind = Distribution::Kind::Uniform;
    else if (fn == "lognormal")
        d.kind = Distribution::Kind::LogNormal;
    else
        return Error{"--dist '" + text + "': unknown distribution '" + fn + "'"};
    if (d.kind != Distribution::Kind::Uniform && d.b < 0)
        return Error{"--dist '" + text + "': negative spread"};
    return d;
}

std::vector<Variant> monteCarloVariants(const std::vector<Distribution> &dists, std::size_t runs,
                                        std::uint64_t seed)
{
    std::vector<Variant> out;
    for (std::size_t i = 0; i < runs; ++i) {
        std::mt19937_64 g(splitmix(seed ^ splitmix(i + 1)));
        Variant v;
        for (const auto &d : dists) {
            double x = 0;
            if (d.kind == Distribution::Kind::Uniform) {
                x = d.a + (d.b - d.a) * unit01(g);
            } else { // Box-Muller, one value per draw pair
                const double z = std::sqrt(-2 * std::log(unit01(g))) * std::cos(2 * M_PI * unit01(g));
                x = d.a + d.b * z;
                if (d.kind == Distribution::Kind::LogNormal)
                    x = std::exp(x);
            }
            v.emplace_back(d.name, x);
        }
        out.push_back(std::move(v));
    }
    return out;
}

Result<std::vector<ScenarioPlan>> variantPlans(const ScenarioPlan &base, const std::vector<Variant> &variants,
                                               bool distinctSeeds)
{
    std::vector<ScenarioPlan> plans;
    plans.reserve(variants.size());
    for (std::size_t i = 0; i < variants.size(); ++i) {
        ScenarioPlan p = base;
        for (const auto &[name, value] : variants[i])
            if (auto s = setPlanValue(p, name, value); !s)
                return Error{s.error()};
        if (distinctSeeds) {
            json config = json::parse(p.job.config, nullptr, false);
            if (config.is_object()) {
                config["seed"] = base.definition.seed + i;
                p.job.config = config.dump();
            }
            p.definition.seed = base.definition.seed + i;
        }
        plans.push_back(std::move(p));
    }
    return plans;
}

std::string sweepSummaryJson(const std::string &scenario, const std::vector<Variant> &variants,
                             const std::vector<ScenarioRunResult> &results, double seconds, int workers)
{
    json runs = json::array();
    std::size_t completed = 0;
    std::map<std::string, std::vector<double>> kpiValues;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto &r = results[i];
        json params = json::object();
        if (i < variants.size())
            for (const auto &[n, v] : variants[i])
                params[n] = v;
        json kpis = json::object();
        for (const auto &k : r.kpis) {
            kpis[k.name] = k.error.empty() && std::isfinite(k.value) ? json(k.value) : json();
            if (r.ok() && k.error.empty() && std::isfinite(k.value))
                kpiValues[k.name].push_back(k.value);
        }
        completed += r.ok();
        runs.push_back({{"index", i},
                        {"parameters", params},
                        {"outcome", sim::outcomeName(r.outcome)},
                        {"message", r.message},
                        {"kpis", kpis}});
    }
    json stats = json::object();
    for (const auto &[name, v] : kpiValues) {
        double mean = 0, sq = 0, lo = v.front(), hi = v.front();
        for (double x : v) {
            mean += x;
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
        mean /= double(v.size());
        for (double x : v)
            sq += (x - mean) * (x - mean);
        stats[name] = {{"mean", mean},
                       {"sd", v.size() > 1 ? std::sqrt(sq / double(v.size() - 1)) : 0.0},
                       {"min", lo},
                       {"max", hi}};
    }
    return json{{"scenario", scenario},
                {"runs", runs},
                {"completed", completed},
                {"failed", results.size() - completed},
                {"seconds", seconds},
                {"workers", workers},
                {"runsPerSecond", seconds > 0 ? double(results.size()) / seconds : 0.0},
                {"kpiStats", stats}}
        .dump(2);
}

} // namespace twin::model::scenario
