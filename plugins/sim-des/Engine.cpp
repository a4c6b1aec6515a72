#include "Engine.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

namespace twin::simdes {

namespace {
constexpr std::size_t kExactSamples = std::size_t(1) << 20;
constexpr std::uint64_t kTagSource = 1, kTagStation = 2, kTagAsset = 3;
} // namespace

void Tally::add(double x)
{
    ++m_n;
    const double d = x - m_mean;
    m_mean += d / double(m_n);
    m_m2 += d * (x - m_mean);
    if (m_samples.size() < kExactSamples) {
        m_samples.push_back(x);
        return;
    }
    // Reservoir sampling (xorshift64*, independent of the model's streams).
    m_rng ^= m_rng >> 12;
    m_rng ^= m_rng << 25;
    m_rng ^= m_rng >> 27;
    const std::uint64_t j = (m_rng * 0x2545F4914F6CDD1Dull) % m_n;
    if (j < kExactSamples)
        m_samples[j] = x;
}

void Tally::clear()
{
    m_n = 0;
    m_mean = m_m2 = 0;
    m_samples.clear();
}

double Tally::percentile(double p) const
{
    if (m_samples.empty())
        return 0;
    std::vector<double> v = m_samples;
    const double pos = std::clamp(p, 0.0, 100.0) / 100 * double(v.size() - 1);
    const std::size_t lo = std::size_t(pos);
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(lo), v.end());
    const double a = v[lo];
    if (lo + 1 >= v.size())
        return a;
    const double b = *std::min_element(v.begin() + std::ptrdiff_t(lo) + 1, v.end());
    return a + (pos - double(lo)) * (b - a);
}

// --- event heap -----------------------------------------------------------------------------------------

namespace {
template <typename E> bool before(const E &x, const E &y)
{
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
}
} // namespace

void Engine::push(double time, Kind kind, std::uint32_t node, std::uint32_t item, double born, double entered)
{
    Event e{time, m_seq++, kind, node, item, born, entered};
    std::size_t i = m_heap.size();
    m_heap.push_back(e);
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!before(e, m_heap[parent]))
            break;
        m_heap[i] = m_heap[parent];
        i = parent;
    }
    m_heap[i] = e;
}

Engine::Event Engine::pop()
{
    const Event top = m_heap.front();
    const Event last = m_heap.back();
    m_heap.pop_back();
    const std::size_t n = m_heap.size();
    if (n > 0) {
        std::size_t i = 0;
        for (;;) {
            std::size_t child = 2 * i + 1;
            if (child >= n)
                break;
            if (child + 1 < n && before(m_heap[child + 1], m_heap[child]))
                ++child;
            if (!before(m_heap[child], last))
                break;
            m_heap[i] = m_heap[child];
            i = child;
        }
        m_heap[i] = last;
    }
    return top;
}

// --- build ------------------------------------------------------------------------------------------------

std::string Engine::build(const NetworkSpec &spec, double startTime)
{
    *this = Engine();
    m_now = m_statStart = startTime;
    std::map<std::string, Target> targets;
    std::map<std::string, int> resources;
    std::map<std::string, int> ids;
    auto unique = [&](const std::string &id, const char *what) -> std::string {
        if (id.empty())
            return std::string(what) + " without an id";
        if (ids[id]++)
            return "duplicate id '" + id + "'";
        return {};
    };
    for (std::size_t i = 0; i < spec.sinks.size(); ++i) {
        if (auto e = unique(spec.sinks[i], "sink"); !e.empty())
            return e;
        targets[spec.sinks[i]] = {true, std::uint32_t(i)};
        m_sinks.push_back({spec.sinks[i], {}, 0});
    }
    for (std::size_t i = 0; i < spec.stations.size(); ++i) {
        if (auto e = unique(spec.stations[i].id, "station"); !e.empty())
            return e;
        targets[spec.stations[i].id] = {false, std::uint32_t(i)};
    }
    for (std::size_t i = 0; i < spec.resources.size(); ++i) {
        const auto &r = spec.resources[i];
        if (auto e = unique(r.id, "resource"); !e.empty())
            return e;
        if (r.capacity < 1)
            return "resource '" + r.id + "': capacity must be >= 1";
        resources[r.id] = int(i);
        m_resources.push_back({r, 0, {}, {}, {}, {}, 0});
    }
    auto findResource = [&](const std::string &id, int &out) {
        out = -1;
        if (id.empty())
            return true;
        auto it = resources.find(id);
        if (it == resources.end())
            return false;
        out = it->second;
        return true;
    };
    m_stations.resize(spec.stations.size());
    for (std::size_t i = 0; i < spec.stations.size(); ++i) {
        const auto &s = spec.stations[i];
        Station &st = m_stations[i];
        st.spec = s;
        if (s.servers < 1)
            return "station '" + s.id + "': servers must be >= 1";
        if (auto e = s.service.check(); !e.empty())
            return "station '" + s.id + "' service: " + e;
        auto t = targets.find(s.to);
        if (t == targets.end())
            return "station '" + s.id + "': 'to' names no station or sink ('" + s.to + "')";
        st.to = t->second;
        if (!findResource(s.resource, st.resource))
            return "station '" + s.id + "': unknown resource '" + s.resource + "'";
        st.rng = Stream(mixSeed(spec.seed, kTagStation, i));
    }
    m_sources.resize(spec.sources.size());
    for (std::size_t i = 0; i < spec.sources.size(); ++i) {
        const auto &s = spec.sources[i];
        if (auto e = unique(s.id, "source"); !e.empty())
            return e;
        if (auto e = s.interarrival.check(); !e.empty())
            return "source '" + s.id + "' interarrival: " + e;
        auto t = targets.find(s.to);
        if (t == targets.end())
            return "source '" + s.id + "': 'to' names no station or sink ('" + s.to + "')";
        m_sources[i].spec = s;
        m_sources[i].to = t->second;
        m_sources[i].rng = Stream(mixSeed(spec.seed, kTagSource, i));
    }
    m_assets.resize(spec.assets.size());
    std::uint64_t assetIndex = 0;
    for (std::size_t g = 0; g < spec.assets.size(); ++g) {
        const auto &a = spec.assets[g];
        if (auto e = unique(a.id, "asset group"); !e.empty())
            return e;
        if (a.count < 1)
            return "assets '" + a.id + "': count must be >= 1";
        if (auto e = a.life.check(); !e.empty())
            return "assets '" + a.id + "' life: " + e;
        if (auto e = a.repair.check(); !e.empty())
            return "assets '" + a.id + "' repair: " + e;
        AssetGroup &grp = m_assets[g];
        grp.spec = a;
        if (!findResource(a.resource, grp.resource))
            return "assets '" + a.id + "': unknown resource '" + a.resource + "'";
        grp.failedAt.assign(std::size_t(a.count), 0);
        for (int i = 0; i < a.count; ++i)
            grp.rng.emplace_back(mixSeed(spec.seed, kTagAsset, assetIndex++));
    }
    // Initial events: first arrivals, first failures, the warm-up boundary.
    for (std::size_t i = 0; i < m_sources.size(); ++i)
        push(m_now + m_sources[i].spec.interarrival.duration(m_sources[i].rng), Arrival, std::uint32_t(i));
    for (std::size_t g = 0; g < m_assets.size(); ++g)
        for (std::size_t i = 0; i < m_assets[g].rng.size(); ++i)
            push(m_now + m_assets[g].spec.life.duration(m_assets[g].rng[i]), Failure, std::uint32_t(g),
                 std::uint32_t(i));
    if (spec.warmup > 0)
        push(m_now + spec.warmup, WarmupEnd, 0);
    for (auto &st : m_stations)
        touch(st);
    return {};
}

// --- dynamics ---------------------------------------------------------------------------------------------

bool Engine::runUntil(double target, const std::atomic<bool> *cancel)
{
    std::uint32_t sinceCheck = 0;
    while (!m_heap.empty() && m_heap.front().time <= target) {
        if (cancel && ++sinceCheck >= 1024) {
            sinceCheck = 0;
            if (cancel->load(std::memory_order_relaxed))
                return false;
        }
        const Event e = pop();
        m_now = e.time;
        ++m_events;
        handle(e);
    }
    if (std::isfinite(target) && target > m_now)
        m_now = target;
    return true;
}

void Engine::handle(const Event &e)
{
    switch (e.kind) {
    case Arrival: {
        Source &src = m_sources[e.node];
        ++src.generated;
        if (src.spec.limit == 0 || ++src.total < src.spec.limit)
            push(m_now + src.spec.interarrival.duration(src.rng), Arrival, e.node);
        deliver(src.to, m_now);
        break;
    }
    case Departure: {
        Station &st = m_stations[e.node];
        --st.busy;
        ++st.served;
        st.sojourn.add(m_now - e.entered);
        touch(st);
        if (st.resource >= 0)
            release(st.resource);
        deliver(st.to, e.born);
        tryStart(e.node);
        break;
    }
    case Failure: {
        AssetGroup &g = m_assets[e.node];
        g.failedAt[e.item] = m_now;
        ++g.failures;
        g.downCount.set(m_now, ++g.down);
        if (g.resource < 0 || acquire(g.resource)) {
            startRepair(e.node, e.item);
        } else {
            Resource &r = m_resources[std::size_t(g.resource)];
            r.waiters.push_back({true, e.node, e.item, m_now});
            r.waiting.set(m_now, double(r.waiters.size()));
        }
        break;
    }
    case RepairDone: {
        AssetGroup &g = m_assets[e.node];
        ++g.repairs;
        g.downtime.add(m_now - g.failedAt[e.item]);
        g.downCount.set(m_now, --g.down);
        push(m_now + g.spec.life.duration(g.rng[e.item]), Failure, e.node, e.item);
        if (g.resource >= 0)
            release(g.resource);
        break;
    }
    case WarmupEnd:
        restartStatistics();
        break;
    }
}

void Engine::deliver(Target to, double born)
{
    if (to.sink) {
        Sink &s = m_sinks[to.index];
        ++s.count;
        s.systemTime.add(m_now - born);
    } else {
        stationArrive(to.index, born);
    }
}

void Engine::touch(Station &st)
{
    const double q = double(st.queue.size());
    st.inQueue.set(m_now, q);
    st.inSystem.set(m_now, q + st.busy);
    st.busyServers.set(m_now, st.busy);
}

void Engine::stationArrive(std::uint32_t s, double born)
{
    Station &st = m_stations[s];
    ++st.arrivals;
    if (st.spec.capacity >= 0 && st.busy >= st.spec.servers &&
        (long long)st.queue.size() >= st.spec.capacity) {
        ++st.blocked;
        return;
    }
    st.queue.push_back({born, m_now});
    tryStart(s);
    touch(st);
}

void Engine::tryStart(std::uint32_t s)
{
    Station &st = m_stations[s];
    bool changed = false;
    while (st.busy < st.spec.servers && !st.queue.empty()) {
        if (st.resource >= 0 && !acquire(st.resource)) {
            if (!st.waitingForResource) {
                Resource &r = m_resources[std::size_t(st.resource)];
                st.waitingForResource = true;
                r.waiters.push_back({false, s, 0, m_now});
                r.waiting.set(m_now, double(r.waiters.size()));
            }
            break;
        }
        const Customer c = st.queue.front();
        st.queue.pop_front();
        ++st.busy;
        ++st.started;
        const double w = m_now - c.entered;
        if (w > 0)
            ++st.delayed;
        st.wait.add(w);
        push(m_now + st.spec.service.duration(st.rng), Departure, s, 0, c.born, c.entered);
        changed = true;
    }
    if (changed)
        touch(st);
}

bool Engine::acquire(int ri)
{
    Resource &r = m_resources[std::size_t(ri)];
    if (r.inUse >= r.spec.capacity)
        return false;
    r.busy.set(m_now, ++r.inUse);
    ++r.grants;
    return true;
}

void Engine::release(int ri)
{
    Resource &r = m_resources[std::size_t(ri)];
    r.busy.set(m_now, --r.inUse);
    // Hand free units to the waiters in FIFO order (a station may re-queue itself at the back).
    while (!r.waiters.empty() && r.inUse < r.spec.capacity) {
        const Waiter w = r.waiters.front();
        r.waiters.pop_front();
        r.waiting.set(m_now, double(r.waiters.size()));
        r.wait.add(m_now - w.since);
        if (w.asset) {
            acquire(ri);
            startRepair(w.node, w.item);
        } else {
            m_stations[w.node].waitingForResource = false;
            tryStart(w.node);
        }
    }
}

void Engine::startRepair(std::uint32_t g, std::uint32_t i)
{
    AssetGroup &grp = m_assets[g];
    push(m_now + grp.spec.repair.duration(grp.rng[i]), RepairDone, g, i);
}

void Engine::restartStatistics()
{
    m_statStart = m_now;
    for (auto &st : m_stations) {
        for (TimeAverage *t : {&st.inSystem, &st.inQueue, &st.busyServers})
            t->restart(m_now);
        st.wait.clear();
        st.sojourn.clear();
        st.arrivals = st.served = st.blocked = st.started = st.delayed = 0;
    }
    for (auto &r : m_resources) {
        r.busy.restart(m_now);
        r.waiting.restart(m_now);
        r.wait.clear();
        r.grants = 0;
    }
    for (auto &g : m_assets) {
        g.downCount.restart(m_now);
        g.downtime.clear();
        g.failures = g.repairs = 0;
    }
    for (auto &s : m_sinks) {
        s.systemTime.clear();
        s.count = 0;
    }
    for (auto &s : m_sources)
        s.generated = 0;
}

} // namespace twin::simdes
