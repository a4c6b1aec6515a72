#pragma once
// The discrete-event engine: a binary heap of timestamped events (ties broken by scheduling order, so a run
// is a pure function of the network and the seed), and the building blocks of a small network:
//   sources (arrival processes) -> stations (FIFO queue with optional capacity, c parallel servers,
//   optionally each service also holding one unit of a shared resource) -> ... -> sinks (system-time
//   statistics); resources (pools such as repair crews; FIFO among everything waiting for them); asset groups
//   (N assets that fail after a life-time draw, wait for a resource unit, are repaired, restart).
// Statistics restart at the warm-up time. Each source, station and asset has its own random stream derived
// from the seed, so a what-if that changes one block (e.g. one more crew) keeps the other blocks' draws
// (common random numbers).
//
// Threads: an Engine is used by one thread; runUntil() polls `cancel` every 1024 events.
#include "Random.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace twin::simdes {

struct SourceSpec
{
    std::string id;
    Distribution interarrival = Distribution::exponential(1);
    std::string to;
    std::uint64_t limit = 0; // stop after this many arrivals; 0 = never
};
struct StationSpec
{
    std::string id;
    int servers = 1;
    long long capacity = -1; // waiting places; -1 = unlimited; arrivals finding it full are lost ("blocked")
    Distribution service = Distribution::exponential(1);
    std::string resource; // optional: each service also holds one unit of this resource
    std::string to;       // next station or sink
};
struct ResourceSpec
{
    std::string id;
    int capacity = 1;
};
struct AssetSpec
{
    std::string id;
    int count = 1;
    Distribution life = Distribution::exponential(1); // time from repair (or start) to the next failure
    Distribution repair = Distribution::exponential(1);
    std::string resource; // crew pool; empty = repair starts at once
};
struct NetworkSpec
{
    std::vector<SourceSpec> sources;
    std::vector<StationSpec> stations;
    std::vector<ResourceSpec> resources;
    std::vector<AssetSpec> assets;
    std::vector<std::string> sinks;
    double warmup = 0; // relative to the start time
    std::uint64_t seed = 1;
};

// Mean, variance and (reservoir-sampled beyond 2^20 values) percentiles of observations.
class Tally
{
public:
    void add(double x);
    void clear();
    std::uint64_t count() const { return m_n; }
    double mean() const { return m_n ? m_mean : 0; }
    double variance() const { return m_n > 1 ? m_m2 / double(m_n - 1) : 0; }
    double percentile(double p) const; // p in [0, 100], linear interpolation

private:
    std::uint64_t m_n = 0;
    double m_mean = 0, m_m2 = 0;
    std::vector<double> m_samples;
    std::uint64_t m_rng = 0x2545F4914F6CDD1Dull;
};

// Time-weighted average of a piecewise-constant value.
struct TimeAverage
{
    double area = 0, last = 0, value = 0;
    void set(double t, double v)
    {
        area += value * (t - last);
        last = t;
        value = v;
    }
    void restart(double t)
    {
        area = 0;
        last = t;
    }
    double mean(double t0, double t) const { return t > t0 ? (area + value * (t - last)) / (t - t0) : value; }
};

class Engine
{
public:
    // Validates and builds; returns an empty string or what is wrong (names the block).
    std::string build(const NetworkSpec &spec, double startTime);
    // Processes every event with time <= target, then sets the clock to target (when finite). Returns false
    // when `cancel` was seen set; the clock is then the last event's time.
    bool runUntil(double target, const std::atomic<bool> *cancel = nullptr);
    double now() const { return m_now; }
    std::uint64_t events() const { return m_events; }
    bool idle() const { return m_heap.empty(); }
    // Statistic "<block>.<name>" (or "time", "events"); false when unknown. See Models.cpp for the list.
    bool output(const std::string &name, double &value) const;
    // Every statistic name of this network (percentiles: p50, p90, p95, p99 listed; any _pNN works).
    std::vector<std::string> outputNames() const;

private:
    enum Kind : std::uint32_t
    {
        Arrival,
        Departure,
        Failure,
        RepairDone,
        WarmupEnd
    };
    struct Event
    {
        double time;
        std::uint64_t seq;
        Kind kind;
        std::uint32_t node;
        std::uint32_t item;
        double born, entered;
    };
    struct Customer
    {
        double born, entered;
    };
    struct Target
    {
        bool sink = false;
        std::uint32_t index = 0;
    };
    struct Source
    {
        SourceSpec spec;
        Target to;
        Stream rng;
        std::uint64_t generated = 0; // since the warm-up
        std::uint64_t total = 0;     // since the start (for the limit)
    };
    struct Station
    {
        StationSpec spec;
        Target to;
        int resource = -1;
        Stream rng;
        std::deque<Customer> queue;
        int busy = 0;
        bool waitingForResource = false;
        TimeAverage inSystem, inQueue, busyServers;
        Tally wait, sojourn;
        std::uint64_t arrivals = 0, served = 0, blocked = 0, started = 0, delayed = 0;
    };
    struct Waiter
    {
        bool asset;
        std::uint32_t node, item;
        double since;
    };
    struct Resource
    {
        ResourceSpec spec;
        int inUse = 0;
        std::deque<Waiter> waiters;
        TimeAverage busy, waiting;
        Tally wait;
        std::uint64_t grants = 0;
    };
    struct AssetGroup
    {
        AssetSpec spec;
        int resource = -1;
        std::vector<Stream> rng; // one per asset: its life/repair draws alternate in a fixed order
        std::vector<double> failedAt;
        int down = 0;
        TimeAverage downCount;
        Tally downtime;
        std::uint64_t failures = 0, repairs = 0;
    };
    struct Sink
    {
        std::string id;
        Tally systemTime;
        std::uint64_t count = 0;
    };

    void push(double time, Kind kind, std::uint32_t node, std::uint32_t item = 0, double born = 0,
              double entered = 0);
    Event pop();
    void handle(const Event &e);
    void deliver(Target to, double born);
    void stationArrive(std::uint32_t s, double born);
    void tryStart(std::uint32_t s);
    void touch(Station &st);
    bool acquire(int r);
    void release(int r);
    void startRepair(std::uint32_t g, std::uint32_t i);
    void restartStatistics();
    bool blockOutput(const std::string &block, const std::string &stat, double &value) const;

    std::vector<Event> m_heap;
    std::uint64_t m_seq = 0, m_events = 0;
    double m_now = 0, m_statStart = 0;
    std::vector<Source> m_sources;
    std::vector<Station> m_stations;
    std::vector<Resource> m_resources;
    std::vector<AssetGroup> m_assets;
    std::vector<Sink> m_sinks;
};

} // namespace twin::simdes
