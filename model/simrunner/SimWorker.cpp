// The child side of SimulationRunner: hosts one Simulator from a plugin and runs one job. See
// WorkerProtocol.h.
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/simrunner/WorkerProtocol.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <new>
#include <optional>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

namespace twin::model::sim {

namespace {

std::atomic<bool> g_cancel{false};
std::atomic<sdk::Simulator *> g_simulator{nullptr};

std::string number(double v)
{
    char text[40];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

extern "C" void onCancelSignal(int)
{
    g_cancel.store(true);
    if (sdk::Simulator *s = g_simulator.load())
        s->cancelRequested.store(true);
}

struct Inputs
{
    std::vector<double> time;
    std::vector<std::pair<std::string, std::vector<double>>> columns;
    // Linear interpolation, held constant outside the table.
    double at(const std::vector<double> &values, double t) const
    {
        if (time.empty())
            return 0;
        if (t <= time.front())
            return values.front();
        if (t >= time.back())
            return values.back();
        const auto it = std::upper_bound(time.begin(), time.end(), t);
        const std::size_t i = std::size_t(it - time.begin());
        const double t0 = time[i - 1], t1 = time[i];
        return t1 > t0 ? values[i - 1] + (values[i] - values[i - 1]) * (t - t0) / (t1 - t0) : values[i];
    }
};

class Worker
{
public:
    Worker(int fd, WorkerBeacon *beacon, PluginHost &host, std::string &hostDir)
        : m_fd(fd), m_beacon(beacon), m_host(host), m_hostDir(hostDir)
    {
    }
    void run(const nlohmann::json &job);
    // The model asked not to share its process with another instance: the worker ends after this job.
    bool oncePerProcess() const { return m_oncePerProcess; }

private:
    void mark(WorkerPhase phase, double time)
    {
        m_beacon->phase.store(std::int32_t(phase), std::memory_order_relaxed);
        m_beacon->time.store(time, std::memory_order_relaxed);
        m_beacon->beats.fetch_add(1, std::memory_order_release);
    }
    void send(const nlohmann::json &message)
    {
        writeJson(m_fd, message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    void done(const char *outcome, const std::string &message, double reached)
    {
        flushRows(true);
        send({{"type", "done"}, {"outcome", outcome}, {"message", message}, {"reached", reached}});
    }
    void warn(const std::string &text)
    {
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t end = std::min(text.find('\n', start), text.size());
            const std::string line = text.substr(start, end - start);
            if (!line.empty() && std::find(m_warned.begin(), m_warned.end(), line) == m_warned.end() &&
                m_warned.size() < 100) {
                m_warned.push_back(line);
                send({{"type", "warning"}, {"text", line}});
            }
            start = end + 1;
        }
    }
    void addRow(double t, const std::vector<double> &values)
    {
        m_rows.push_back(t);
        m_rows.insert(m_rows.end(), values.begin(), values.end());
        flushRows(false);
    }
    void flushRows(bool force)
    {
        const auto now = std::chrono::steady_clock::now();
        if (m_rows.empty() ||
            (!force && now - m_lastFlush < std::chrono::milliseconds(20) && m_rows.size() < 65536))
            return;
        std::string payload(4, '\0');
        const std::uint32_t n = m_columns;
        for (int i = 0; i < 4; ++i)
            payload[i] = char((n >> (8 * i)) & 0xFF);
        payload.append(reinterpret_cast<const char *>(m_rows.data()), m_rows.size() * sizeof(double));
        writeFrame(m_fd, FrameType::Rows, payload.data(), payload.size());
        m_rows.clear();
        m_lastFlush = now;
    }

    int m_fd;
    WorkerBeacon *m_beacon;
    PluginHost &m_host;     // Not owned: kept across the jobs of one worker process
    std::string &m_hostDir; // the folder m_host scanned
    std::uint32_t m_columns = 1;
    bool m_oncePerProcess = false;
    std::vector<double> m_rows;
    std::vector<std::string> m_warned;
    std::chrono::steady_clock::time_point m_lastFlush = std::chrono::steady_clock::now();
};

void Worker::run(const nlohmann::json &job)
{
    const std::string label = job.value("label", std::string("the model"));
    const double start = job.value("start", 0.0), stop = job.value("stop", 1.0),
                 step = job.value("step", 0.1);
    mark(WorkerPhase::Loading, start);
    // The plugin folder is scanned (every plugin dlopened) once per worker process, not once per job.
    if (const std::string dir = job.value("pluginDir", std::string());
        dir != m_hostDir || m_host.plugins().empty()) {
        if (auto scanned = m_host.scan(dir); !scanned)
            return done("error", scanned.error(), start);
        m_hostDir = dir;
    }
    auto created = m_host.createSimulator(job.value("plugin", std::string()));
    if (!created)
        return done("error", created.error(), start);
    sdk::Simulator &sim = *created.value();
    g_simulator.store(&sim);
    struct ForgetSimulator
    {
        ~ForgetSimulator() { g_simulator.store(nullptr); }
    } forget; // destroyed before the simulator
    const std::string config = job.value("config", std::string()),
                      modelId = job.value("model", std::string());
    // The model list (for every output when the job names none) only when needed: backends build or unpack
    // models to list them, which would cost every run of a calibration.
    std::vector<std::string> outputs = job.value("outputs", std::vector<std::string>());
    std::vector<sdk::ModelInfo> models;
    if (outputs.empty())
        models = sim.models(config);
    if (const sdk::Status loaded = sim.load(modelId, config); !loaded)
        return done("error", loaded.message(), start);
    m_oncePerProcess = sdk::hasCapability(sim.capabilities(), sdk::SimCapability::OncePerProcess);
    for (const auto &m : models)
        if (m.id == modelId || (modelId.empty() && models.size() == 1))
            for (const auto &v : m.variables)
                if (v.causality == sdk::Causality::Output)
                    outputs.push_back(v.name);
    Inputs inputs;
    if (job.contains("inputs")) {
        inputs.time = job["inputs"].value("time", std::vector<double>());
        for (const auto &[name, values] : job["inputs"]["columns"].items())
            inputs.columns.emplace_back(name, values.get<std::vector<double>>());
    }
    mark(WorkerPhase::Initializing, start);
    for (const auto &p : job.value("parameters", nlohmann::json::array()))
        if (const sdk::Status set = sim.setReal(p[0].get<std::string>(), p[1].get<double>()); !set)
            return done("error", set.message(), start);
    for (const auto &[name, values] : inputs.columns)
        if (const sdk::Status set = sim.setReal(name, inputs.at(values, start)); !set)
            return done("error", set.message(), start);
    if (const sdk::Status init = sim.initialize(start); !init)
        return done("error", init.message(), start);
    if (job.contains("restoreState"))
        if (const sdk::Status restored =
                sim.restoreState(job["restoreState"].get<std::vector<std::uint8_t>>());
            !restored)
            return done("error", label + ": cannot continue from the saved state: " + restored.message(),
                        start);
    const std::optional<double> saveAt =
        job.contains("saveStateAt") ? std::optional<double>(job["saveStateAt"].get<double>()) : std::nullopt;
    // The model's state at `saveAt`, once, as an 'S' frame: the time, then the bytes.
    auto saveIfDue = [&](double t, std::string &error) {
        if (!saveAt || std::fabs(t - *saveAt) > 1e-9 * std::max(1.0, std::fabs(t)))
            return true;
        std::vector<std::uint8_t> state;
        if (const sdk::Status saved = sim.saveState(state); !saved) {
            error = label + ": cannot save the state at t=" + number(t) + ": " + saved.message();
            return false;
        }
        std::string payload(sizeof(double), '\0');
        std::memcpy(payload.data(), &t, sizeof t);
        payload.append(reinterpret_cast<const char *>(state.data()), state.size());
        flushRows(true);
        writeFrame(m_fd, FrameType::State, payload.data(), payload.size());
        return true;
    };
    send({{"type", "columns"}, {"names", outputs}});
    m_columns = std::uint32_t(outputs.size() + 1);

    std::vector<double> values(outputs.size());
    auto read = [&](double t, std::string &error) {
        mark(WorkerPhase::Reading, t);
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            if (const sdk::Status got = sim.getReal(outputs[i], values[i]); !got) {
                error = got.message();
                return false;
            }
            if (std::isnan(values[i])) {
                error = label + ": output \"" + outputs[i] + "\" is NaN at t=" + number(t);
                addRow(t, values);
                return false;
            }
        }
        addRow(t, values);
        return true;
    };
    std::string error;
    if (!read(start, error) || !saveIfDue(start, error))
        return done("error", error, start);
    const long long count = std::max(0LL, (long long)std::ceil((stop - start) / step - 1e-9));
    double t = start;
    for (long long i = 1; i <= count;) {
        if (g_cancel.load())
            return done("cancelled", label + ": cancelled at t=" + number(t), t);
        const double target = std::min(stop, start + double(i) * step);
        for (const auto &[name, column] : inputs.columns)
            if (const sdk::Status set = sim.setReal(name, inputs.at(column, t)); !set)
                return done("error", set.message(), t);
        mark(WorkerPhase::Stepping, t);
        double reached = t;
        std::string message;
        const sdk::StepResult result = sim.step(target - t, reached, message);
        if (result == sdk::StepResult::Cancelled)
            return done("cancelled", label + ": cancelled at t=" + number(t), t);
        if (result == sdk::StepResult::Error)
            return done("error", message.empty() ? label + ": step failed" : message, t);
        if (result == sdk::StepResult::Discard) {
            read(reached, error);
            return done("discarded", message, reached);
        }
        if (!message.empty())
            warn(message);
        if (!(reached > t))
            return done("error", label + ": the step from t=" + number(t) + " made no progress", t);
        t = reached >= target - 1e-12 * std::max(1.0, std::fabs(target)) ? target : reached;
        if (t == target)
            ++i; // an early return (t < target) steps again towards the same grid point
        if (!read(t, error) || (t == target && !saveIfDue(t, error)))
            return done("error", error, t);
    }
    mark(WorkerPhase::Terminating, t);
    sim.terminate();
    done("completed", "", t);
    mark(WorkerPhase::Finished, t);
}

} // namespace

int runSimWorker(int channelFd, int beaconFd)
{
    void *page = mmap(nullptr, sizeof(WorkerBeacon), PROT_READ | PROT_WRITE, MAP_SHARED, beaconFd, 0);
    static WorkerBeacon fallback;
    auto *beacon = page == MAP_FAILED ? &fallback : new (page) WorkerBeacon;
    struct sigaction sa = {};
    sa.sa_handler = onCancelSignal;
    sigaction(SIGTERM, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
    // Die with the parent process even while a model hangs in a step (a kept worker has no
    // PR_SET_PDEATHSIG: that follows the parent's thread, not its process).
    const pid_t parent = ::getppid();
    std::thread([parent] {
        while (::getppid() == parent)
            ::sleep(1);
        ::_exit(0);
    }).detach();

    // Jobs one after another until the parent closes the channel; after each job (its simulator freed) the
    // worker says "idle", so the parent knows it may send the next one.
    FrameReader reader;
    FrameType type;
    std::string payload;
    char chunk[65536];
    PluginHost host;
    std::string hostDir;
    for (;;) {
        bool corrupt = false;
        while (!reader.next(type, payload, corrupt)) {
            if (corrupt)
                return 2;
            const ssize_t n = ::read(channelFd, chunk, sizeof chunk);
            if (n == 0)
                return 0; // the parent is done with this worker
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return 2;
            }
            reader.append(chunk, std::size_t(n));
        }
        try {
            Worker worker(channelFd, beacon, host, hostDir);
            worker.run(nlohmann::json::parse(payload));
            if (worker.oncePerProcess())
                return 0; // no idle: the parent reaps this worker and starts a fresh one next time
        } catch (const std::bad_alloc &) {
            return kWorkerExitOutOfMemory;
        } catch (const std::exception &e) {
            writeJson(channelFd, nlohmann::json{{"type", "done"},
                                                {"outcome", "error"},
                                                {"message", std::string("worker: ") + e.what()},
                                                {"reached", 0}}
                                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
        g_cancel.store(false); // a cancelled worker is not reused; this only clears a late SIGTERM
        if (!writeJson(channelFd, R"({"type":"idle"})"))
            return 0;
    }
}

} // namespace twin::model::sim
