// The statistics an Engine reports, by name "<block id>.<statistic>".
//   station: L Lq (time-average number in station / waiting), busy (time-average busy servers), utilization
//            (busy / servers), W Wq (mean time in station / waiting, over customers that left / started since
//            the warm-up), Pq (fraction of started customers that waited), throughput, arrivals, served,
//            blocked, blockingProbability, queue and inService (now), W_pNN / Wq_pNN (percentiles)
//   resource: utilization, busy, waiting (time-average number of waiters), meanWait, inUse (now), grants
//   assets:   availability (time-average fraction up), down (time-average number down), meanDowntime
//            (failure -> repaired), downtime_pNN, failures, repairs, currentDown
//   sink:     count, meanTime (mean time since birth), time_pNN, throughput
//   source:   generated, rate
// plus "time" (the clock) and "events" (processed so far).
#include "Engine.h"

#include <cstdlib>

namespace twin::simdes {

namespace {

// "W_p95" with prefix "W_p" -> 95.
bool percentileOf(const std::string &stat, const char *prefix, double &p)
{
    const std::string pre(prefix);
    if (stat.size() <= pre.size() || stat.compare(0, pre.size(), pre) != 0)
        return false;
    const std::string rest = stat.substr(pre.size());
    char *end = nullptr;
    p = std::strtod(rest.c_str(), &end);
    return end == rest.c_str() + rest.size() && p >= 0 && p <= 100;
}

} // namespace

bool Engine::output(const std::string &name, double &value) const
{
    if (name == "time") {
        value = m_now;
        return true;
    }
    if (name == "events") {
        value = double(m_events);
        return true;
    }
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0)
        return false;
    return blockOutput(name.substr(0, dot), name.substr(dot + 1), value);
}

bool Engine::blockOutput(const std::string &block, const std::string &stat, double &v) const
{
    const double t0 = m_statStart, t = m_now, span = t - t0;
    auto rate = [&](std::uint64_t n) { return span > 0 ? double(n) / span : 0.0; };
    double p = 0;
    for (const Station &st : m_stations) {
        if (st.spec.id != block)
            continue;
        if (stat == "L")
            v = st.inSystem.mean(t0, t);
        else if (stat == "Lq")
            v = st.inQueue.mean(t0, t);
        else if (stat == "busy")
            v = st.busyServers.mean(t0, t);
        else if (stat == "utilization")
            v = st.busyServers.mean(t0, t) / st.spec.servers;
        else if (stat == "W")
            v = st.sojourn.mean();
        else if (stat == "Wq")
            v = st.wait.mean();
        else if (stat == "Pq")
            v = st.started ? double(st.delayed) / double(st.started) : 0;
        else if (stat == "throughput")
            v = rate(st.served);
        else if (stat == "arrivals")
            v = double(st.arrivals);
        else if (stat == "served")
            v = double(st.served);
        else if (stat == "blocked")
            v = double(st.blocked);
        else if (stat == "blockingProbability")
            v = st.arrivals ? double(st.blocked) / double(st.arrivals) : 0;
        else if (stat == "queue")
            v = double(st.queue.size());
        else if (stat == "inService")
            v = st.busy;
        else if (percentileOf(stat, "W_p", p))
            v = st.sojourn.percentile(p);
        else if (percentileOf(stat, "Wq_p", p))
            v = st.wait.percentile(p);
        else
            return false;
        return true;
    }
    for (const Resource &r : m_resources) {
        if (r.spec.id != block)
            continue;
        if (stat == "utilization")
            v = r.busy.mean(t0, t) / r.spec.capacity;
        else if (stat == "busy")
            v = r.busy.mean(t0, t);
        else if (stat == "waiting")
            v = r.waiting.mean(t0, t);
        else if (stat == "meanWait")
            v = r.wait.mean();
        else if (stat == "inUse")
            v = r.inUse;
        else if (stat == "grants")
            v = double(r.grants);
        else
            return false;
        return true;
    }
    for (const AssetGroup &g : m_assets) {
        if (g.spec.id != block)
            continue;
        if (stat == "availability")
            v = 1 - g.downCount.mean(t0, t) / g.spec.count;
        else if (stat == "down")
            v = g.downCount.mean(t0, t);
        else if (stat == "meanDowntime")
            v = g.downtime.mean();
        else if (stat == "failures")
            v = double(g.failures);
        else if (stat == "repairs")
            v = double(g.repairs);
        else if (stat == "currentDown")
            v = g.down;
        else if (percentileOf(stat, "downtime_p", p))
            v = g.downtime.percentile(p);
        else
            return false;
        return true;
    }
    for (const Sink &s : m_sinks) {
        if (s.id != block)
            continue;
        if (stat == "count")
            v = double(s.count);
        else if (stat == "meanTime")
            v = s.systemTime.mean();
        else if (stat == "throughput")
            v = rate(s.count);
        else if (percentileOf(stat, "time_p", p))
            v = s.systemTime.percentile(p);
        else
            return false;
        return true;
    }
    for (const Source &s : m_sources) {
        if (s.spec.id != block)
            continue;
        if (stat == "generated")
            v = double(s.generated);
        else if (stat == "rate")
            v = rate(s.generated);
        else
            return false;
        return true;
    }
    return false;
}

std::vector<std::string> Engine::outputNames() const
{
    std::vector<std::string> out{"time", "events"};
    auto add = [&](const std::string &id, std::initializer_list<const char *> stats) {
        for (const char *s : stats)
            out.push_back(id + "." + s);
    };
    for (const Station &st : m_stations)
        add(st.spec.id, {"L",      "Lq",         "busy",     "utilization", "W",       "Wq",
                         "Pq",     "throughput", "arrivals", "served",      "blocked", "blockingProbability",
                         "queue",  "inService",  "W_p50",    "W_p90",       "W_p95",   "W_p99",
                         "Wq_p50", "Wq_p90",     "Wq_p95",   "Wq_p99"});
    for (const Resource &r : m_resources)
        add(r.spec.id, {"utilization", "busy", "waiting", "meanWait", "inUse", "grants"});
    for (const AssetGroup &g : m_assets)
        add(g.spec.id, {"availability", "down", "meanDowntime", "failures", "repairs", "currentDown",
                        "downtime_p50", "downtime_p95"});
    for (const Sink &s : m_sinks)
        add(s.id, {"count", "meanTime", "throughput", "time_p50", "time_p95"});
    for (const Source &s : m_sources)
        add(s.spec.id, {"generated", "rate"});
    return out;
}

} // namespace twin::simdes
