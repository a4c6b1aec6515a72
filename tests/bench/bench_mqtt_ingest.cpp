// Benchmark 3: live MQTT ingest with state evaluation vs a mosquitto_sub sink, same broker, same
// load. Starts /usr/sbin/mosquitto on a free 127.0.0.1 port (config in a temp dir, stopped by its pid), an
// in-process libmosquitto publisher sends N JSON messages {"timestamp": <publish time, ns>, "value": v}
// alternately on bench/flow and bench/pressure, QoS 1. Receivers: (a) `mosquitto_sub -C N -q 1` (peer),
// (b) the conn-mqtt plugin + LiveIngest (quality pipeline, store) + StateEngine with the demo rules (ours).
// Rate = N / (first publish -> last message received/processed). Latency = state engine processed time -
// payload timestamp, under full load and paced. Env: BENCH_MESSAGES (200 000), BENCH_RUNS (3).
#include "BenchUtil.h"

#include "twin/model/demo/DemoTwin.h"
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/state/StateEngine.h"
#include "twin/model/telemetry/LiveIngest.h"

#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

using namespace twin::model;

namespace {
std::int64_t wallNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int freePort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool accepts(int port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(std::uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

struct Broker
{
    pid_t pid = -1;
    int port = 0;
    std::string dir;
    bool start()
    {
        char tmpl[] = "/tmp/twin-bench-mqtt-XXXXXX";
        dir = ::mkdtemp(tmpl);
        port = freePort();
        std::ofstream(dir + "/mosquitto.conf") << "listener " << port << " 127.0.0.1\nallow_anonymous true\n"
                                               << "persistence false\nlog_dest stdout\nlog_type error\n"
                                               << "max_queued_messages 0\nmax_inflight_messages 0\n";
        pid = ::fork();
        if (pid == 0) {
            ::execl("/usr/sbin/mosquitto", "mosquitto", "-c", (dir + "/mosquitto.conf").c_str(), nullptr);
            ::_exit(127);
        }
        for (int i = 0; i < 100; ++i) { // bounded: 5 s
            if (accepts(port))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    ~Broker()
    {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
        if (!dir.empty())
            std::filesystem::remove_all(dir);
    }
};

// Publishes n messages (QoS 1) as fast as libmosquitto takes them, or at `rate` per second; returns when the
// broker acknowledged all of them. Returns the time of the first publish (steady clock).
bench::Clock::time_point publish(int port, int n, double rate)
{
    mosquitto *m = mosquitto_new(nullptr, true, nullptr);
    std::atomic<int> acked{0};
    mosquitto_user_data_set(m, &acked);
    mosquitto_publish_callback_set(m,
                                   [](mosquitto *, void *u, int) { ++*static_cast<std::atomic<int> *>(u); });
    mosquitto_max_inflight_messages_set(m, 1000);
    mosquitto_connect(m, "127.0.0.1", port, 30);
    mosquitto_loop_start(m);
    const auto first = bench::Clock::now();
    char payload[128];
    for (int i = 0; i < n; ++i) {
        if (rate > 0)
            std::this_thread::sleep_until(first +
                                          std::chrono::nanoseconds(std::int64_t(double(i) * 1e9 / rate)));
        const bool flow = i % 2 == 0;
        const double v = flow ? ((i / 20000) % 2 ? 2.0 : 270.0) : 4.2;
        const int len = std::snprintf(payload, sizeof payload, "{\"timestamp\": %lld, \"value\": %.3f}",
                                      static_cast<long long>(wallNs()), v);
        mosquitto_publish(m, nullptr, flow ? "bench/flow" : "bench/pressure", len, payload, 1, false);
    }
    for (int i = 0; i < 6000 && acked < n; ++i) // bounded: 60 s
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, false);
    mosquitto_destroy(m);
    return first;
}

struct OursResult
{
    double seconds = 0;
    double p50 = 0, p99 = 0, max = 0; // ms
    size_t changes = 0;
};

std::optional<OursResult> runOurs(Broker &broker, int n, double rate)
{
    Project project;
    if (!buildDemoTwin(project))
        return std::nullopt;
    auto engine = StateEngine::create(project, demoRuleSets());
    if (!engine)
        return std::nullopt;
    LiveIngest ingest(project, engine->get());
    std::vector<std::int64_t> latency;
    latency.reserve(size_t(n));
    std::atomic<int> processed{0};
    std::atomic<std::int64_t> lastNs{0};
    ingest.onProcessed = [&](const twin::sdk::RawRecord &r, TimeNs at) {
        latency.push_back(at - r.sourceTime.value_or(at));
        lastNs = std::chrono::duration_cast<std::chrono::nanoseconds>(bench::Clock::now().time_since_epoch())
                     .count();
        ++processed;
    };
    PluginHost host;
    if (auto scanned = host.scan(TWIN_PLUGIN_DIR); !scanned)
        return std::fprintf(stderr, "plugins: %s\n", scanned.error().c_str()), std::nullopt;
    auto connector = host.createConnector("twin.conn-mqtt");
    if (!connector)
        return std::fprintf(stderr, "plugin: %s\n", connector.error().c_str()), std::nullopt;
    const std::string pump = "Riverside site/Pump station PS-1/Skid 1/Pump P-101";
    const std::string config =
        "{\"host\": \"127.0.0.1\", \"port\": " + std::to_string(broker.port) +
        ", \"cleanSession\": true, \"qos\": 1, \"topics\": [\"bench/#\"], \"timestampUnit\": "
        "\"ns\", \"emitUnmapped\": false, \"mappings\": [{\"topic\": \"bench/flow\", \"field\": "
        "\"/value\", \"signal\": \"" +
        pump + ".flow\"}, {\"topic\": \"bench/pressure\", \"field\": \"/value\", \"signal\": \"" + pump +
        ".dischargePressure\"}]}";
    if (auto s = (*connector)->configure(config); !s)
        return std::fprintf(stderr, "configure: %s\n", s.message().c_str()), std::nullopt;
    (*connector)->start(&ingest);
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // connected and subscribed
    const auto first = publish(broker.port, n, rate);
    for (int i = 0; i < 6000 && processed < n; ++i) // bounded: 60 s
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    (*connector)->stop();
    if (processed < n)
        return std::fprintf(stderr, "ours: %d of %d processed\n", processed.load(), n), std::nullopt;
    OursResult r;
    r.seconds =
        double(lastNs -
               std::chrono::duration_cast<std::chrono::nanoseconds>(first.time_since_epoch()).count()) /
        1e9;
    std::sort(latency.begin(), latency.end());
    r.p50 = double(latency[latency.size() / 2]) / 1e6;
    r.p99 = double(latency[latency.size() * 99 / 100]) / 1e6;
    r.max = double(latency.back()) / 1e6;
    r.changes = (*engine)->changes().size();
    return r;
}

std::optional<double> runPeer(Broker &broker, int n)
{
    const std::string cmd = "exec mosquitto_sub -h 127.0.0.1 -p " + std::to_string(broker.port) +
                            " -t 'bench/#' -q 1 -C " + std::to_string(n) + " > /dev/null";
    std::optional<bench::Clock::time_point> done;
    std::thread sub([&] {
        if (std::system(("timeout 90 sh -c \"" + cmd + "\"").c_str()) == 0)
            done = bench::Clock::now();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // connected and subscribed
    const auto first = publish(broker.port, n, 0);
    sub.join();
    if (!done)
        return std::nullopt;
    return std::chrono::duration<double>(*done - first).count();
}
} // namespace

int main()
{
    const int n = bench::envInt("BENCH_MESSAGES", 200'000);
    const int runs = bench::envInt("BENCH_RUNS", 3);
    const double paced = bench::envInt("BENCH_PACED_RATE", 5000);
    mosquitto_lib_init();
    Broker broker;
    if (!broker.start())
        return std::fprintf(stderr, "mosquitto did not start\n"), 1;
    std::vector<double> ours, peer, p50, p99, mx;
    size_t changes = 0;
    for (int run = 0; run < runs; ++run) {
        if (auto s = runPeer(broker, n))
            peer.push_back(double(n) / *s);
        auto r = runOurs(broker, n, 0);
        if (!r)
            return 1;
        ours.push_back(double(n) / r->seconds);
        p50.push_back(r->p50);
        p99.push_back(r->p99);
        mx.push_back(r->max);
        changes = r->changes;
    }
    const int pacedN = int(paced * 4); // 4 s
    auto pacedRun = runOurs(broker, pacedN, paced);
    mosquitto_lib_cleanup();
    const double o = bench::median(ours), p = bench::median(peer);
    std::printf(
        "Broker: mosquitto %s on 127.0.0.1:%d; %d messages per run, QoS 1, payload ~50 bytes; %d runs, "
        "interleaved, medians.\n\n",
        "2.0", broker.port, n, runs);
    std::printf("| receiver | msgs/s | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
    std::printf("| peer: mosquitto_sub -C N -q 1 > /dev/null | %.0f | | | |\n", p);
    std::printf("| twin conn-mqtt + LiveIngest + StateEngine, full load | %.0f | %.2f | %.2f | %.2f |\n", o,
                bench::median(p50), bench::median(p99), bench::median(mx));
    if (pacedRun)
        std::printf("| twin, paced at %.0f msgs/s for 4 s | %.0f | %.2f | %.2f | %.2f |\n", paced,
                    double(pacedN) / pacedRun->seconds, pacedRun->p50, pacedRun->p99, pacedRun->max);
    std::printf(
        "\nOurs vs mosquitto_sub: **%.2f×** its rate (goal >= 0.95); state changes in the last run: %zu.\n",
        p > 0 ? o / p : 0.0, changes);
    return 0;
}
