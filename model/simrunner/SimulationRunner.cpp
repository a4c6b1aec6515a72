#include "twin/model/simrunner/SimulationRunner.h"

#include "RunLoop_p.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

namespace twin::model::sim {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string number(double v)
{
    char text[64];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

std::string signalName(int sig)
{
    const char *abbrev = sigabbrev_np(sig);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

struct Fd
{
    int fd = -1;
    ~Fd() { reset(); }
    void reset(int next = -1)
    {
        if (fd >= 0)
            ::close(fd);
        fd = next;
    }
};

// The channel socket pair, the model-output pipe and the shared beacon page, parent's and child's ends.
struct WorkerPipes
{
    Fd channel, childChannel, output, childOutput, beaconFd;
    std::unique_ptr<void, void (*)(void *)> page{nullptr, [](void *p) { ::munmap(p, 4096); }};
    WorkerBeacon *beacon = nullptr;
};

// "what: <strerror(errno)>" into `error`; false, so that callers can return it.
bool systemError(std::string &error, const char *what)
{
    error = std::string(what) + ": " + std::strerror(errno);
    return false;
}

// Creates the pipes and maps the beacon page; false with `error` when one of them fails.
bool openWorkerPipes(WorkerPipes &pipes, std::string &error)
{
    int sv[2], out[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return systemError(error, "socketpair");
    pipes.channel.reset(sv[0]);
    pipes.childChannel.reset(sv[1]);
    if (::pipe2(out, O_CLOEXEC) != 0)
        return systemError(error, "pipe");
    pipes.output.reset(out[0]);
    pipes.childOutput.reset(out[1]);
    pipes.beaconFd.reset(::memfd_create("twin-sim-beacon", MFD_CLOEXEC));
    if (pipes.beaconFd.fd < 0 || ::ftruncate(pipes.beaconFd.fd, 4096) != 0)
        return systemError(error, "memfd");
    void *page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, pipes.beaconFd.fd, 0);
    if (page == MAP_FAILED)
        return systemError(error, "mmap");
    pipes.page.reset(page);
    pipes.beacon = new (page) WorkerBeacon;
    return true;
}

// Forks the worker in its own process group, with no core dumps, the memory limit and death with the parent,
// and execs it on the child's ends of the pipes, which the parent then closes. The worker's pid, or -1 with
// `error` when fork() fails.
// `withThread`: the worker dies with the thread that starts it (PR_SET_PDEATHSIG fires when that thread
// ends). Kept workers outlive the thread that started them, so they rely on the worker's own watch on its
// parent process (runSimWorker) instead.
// `ahead`: started before its first job is ready (the worker warms up meanwhile); `preload` (a plugin folder
// and id, or empty): the worker loads that plugin before it waits for a job.
pid_t spawnWorker(const std::string &worker, const RunLimits &limits, WorkerPipes &pipes, std::string &error,
                  bool withThread, bool ahead = false,
                  const std::pair<std::string, std::string> &preload = {})
{
    // Everything the child needs is prepared before fork(): after it only async-signal-safe calls.
    const int highChannel = ::fcntl(pipes.childChannel.fd, F_DUPFD_CLOEXEC, 100);
    const int highBeacon = ::fcntl(pipes.beaconFd.fd, F_DUPFD_CLOEXEC, 100);
    const int highOutput = ::fcntl(pipes.childOutput.fd, F_DUPFD_CLOEXEC, 100);
    Fd h1{highChannel}, h2{highBeacon}, h3{highOutput};
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    Fd h4{devNull};
    std::string arg0 = worker, arg1 = "--channel", arg2 = std::to_string(kWorkerChannelFd), arg3 = "--beacon",
                arg4 = std::to_string(kWorkerBeaconFd);
    std::string arg5 = "--preload", arg6 = preload.first, arg7 = preload.second, arg8 = "--ahead";
    std::vector<char *> argv = {arg0.data(), arg1.data(), arg2.data(), arg3.data(), arg4.data()};
    if (ahead)
        argv.push_back(arg8.data());
    if (!preload.second.empty())
        argv.insert(argv.end(), {arg5.data(), arg6.data(), arg7.data()});
    argv.push_back(nullptr);
    const rlimit memory{rlim_t(limits.memoryBytes), rlim_t(limits.memoryBytes)};
    const rlimit noCore{0, 0};

    const pid_t pid = ::fork();
    if (pid < 0) {
        systemError(error, "fork");
        return pid;
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        if (withThread)
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::setrlimit(RLIMIT_CORE, &noCore);
        // AddressSanitizer reserves terabytes of address space: an RLIMIT_AS would kill every worker of a
        // sanitizer build at start-up, so sanitizer builds run without the memory limit.
        if (limits.memoryBytes > 0 && !kSanitized)
            ::setrlimit(RLIMIT_AS, &memory);
        if (::dup2(highChannel, kWorkerChannelFd) < 0 || ::dup2(highBeacon, kWorkerBeaconFd) < 0 ||
            ::dup2(devNull, 0) < 0 || ::dup2(highOutput, 1) < 0 || ::dup2(highOutput, 2) < 0)
            ::_exit(126);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    pipes.childChannel.reset();
    pipes.childOutput.reset();
    h1.reset();
    h2.reset();
    h3.reset();
    h4.reset();
    return pid;
}

// One read of what `fd` has ready, handed to `take(data, size)`; false once `fd` is at its end or broken.
template <typename Take> bool readReady(int fd, Take &&take)
{
    char chunk[65536];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0)
        take(chunk, std::size_t(n));
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
}

// The outcome a worker's "done" message names; anything unknown is a model error.
RunOutcome outcomeFromWorker(const std::string &outcome)
{
    return outcome == "completed"   ? RunOutcome::Completed
           : outcome == "discarded" ? RunOutcome::Discarded
           : outcome == "cancelled" ? RunOutcome::Cancelled
           : outcome == "timedout"  ? RunOutcome::TimedOut
                                    : RunOutcome::ModelError;
}

// Watches one started worker: sends it the job, collects its rows, messages and output, stops it on cancel
// or over a limit, reaps it, and turns how it ended into the result.
class WorkerSupervisor
{
public:
    WorkerSupervisor(pid_t pid, const WorkerPipes &pipes, const SimulationJob &job, const RunLimits &limits,
                     const std::string &label, SimulationResult &result, bool keepAlive,
                     const std::function<void(const std::string &)> &message)
        : m_message(message), m_pid(pid), m_channel(pipes.channel.fd), m_output(pipes.output.fd),
          m_beacon(pipes.beacon), m_job(job), m_limits(limits), m_label(label), m_result(result),
          m_started(Clock::now()), m_lastLife(m_started), m_keepAlive(keepAlive)
    {
    }

    void sendJob(const std::string &jobJson, const std::string &attachment);
    // Polls the worker until it has been reaped, or (keepAlive) until it is idle again after its answer;
    // `cancel` asks it to stop, `progress` gets the model time. True when the worker is alive and idle.
    bool supervise(const std::atomic<bool> &cancel, const std::function<void(double)> &progress);
    bool cancelSent() const { return m_cancelSent; }
    // The result's outcome and message from how the worker ended; `worker` is its path for messages.
    void classifyEnd(const std::string &worker);

private:
    std::string where() const;
    void killWorker(RunOutcome outcome, std::string message);
    void readReadyInput(const pollfd (&fds)[2]);
    void takeFrames(const std::function<void(double)> &progress);
    void takeRows(const std::string &payload, const std::function<void(double)> &progress);
    void takeMessage(const nlohmann::json &message);
    void noteHeartbeat();
    void enforceLimits(const std::atomic<bool> &cancel);
    bool reap();
    void classifyExit(const std::string &worker);

    const std::function<void(const std::string &)> &m_message;
    const pid_t m_pid;
    const int m_channel, m_output;
    WorkerBeacon *m_beacon;
    const SimulationJob &m_job;
    const RunLimits &m_limits;
    const std::string &m_label;
    SimulationResult &m_result;
    FrameReader m_reader;
    const Clock::time_point m_started;
    Clock::time_point m_lastLife;
    std::uint64_t m_lastBeat = 0;
    const bool m_keepAlive;
    bool m_killed = false, m_cancelSent = false, m_gotDone = false, m_gotIdle = false, m_channelOpen = true,
         m_outputOpen = true;
    RunOutcome m_killOutcome = RunOutcome::TimedOut;
    std::string m_killMessage;
    Clock::time_point m_cancelAt{};
    int m_status = 0;
    rusage m_usage{};
};

// "doStep of crash.fmu at t=0.3": the phase and model time the worker last reported.
std::string WorkerSupervisor::where() const
{
    const auto phase = WorkerPhase(m_beacon->phase.load());
    return phaseText(phase, m_job.stepName) + " of " + m_label + " at t=" + number(m_beacon->time.load());
}

// Kills the worker's process group at once; the first reason given is the one reported.
void WorkerSupervisor::killWorker(RunOutcome outcome, std::string message)
{
    if (m_killed)
        return;
    ::kill(-m_pid, SIGKILL);
    ::kill(m_pid, SIGKILL);
    m_killed = true;
    m_killOutcome = outcome;
    m_killMessage = std::move(message);
}

// Sends the job (a failed send stops the worker), then makes the channel and the output non-blocking.
void WorkerSupervisor::sendJob(const std::string &jobJson, const std::string &attachment)
{
    ::fcntl(m_channel, F_SETFL, ::fcntl(m_channel, F_GETFL) & ~O_NONBLOCK); // a kept worker's is non-blocking
    std::string frames; // the attachment and the job in one write: the waiting worker wakes once
    frames.reserve(attachment.size() + jobJson.size() + 10);
    if (!attachment.empty())
        appendFrame(frames, FrameType::Data, attachment.data(), attachment.size());
    appendFrame(frames, FrameType::Json, jobJson.data(), jobJson.size());
    if (!writeFrames(m_channel, frames))
        killWorker(RunOutcome::WorkerFailed, m_label + ": could not send the job to the worker");
    ::fcntl(m_channel, F_SETFL, O_NONBLOCK);
    ::fcntl(m_output, F_SETFL, O_NONBLOCK);
}

bool WorkerSupervisor::supervise(const std::atomic<bool> &cancel, const std::function<void(double)> &progress)
{
    bool reaped = false;
    while (!reaped) {
        pollfd fds[2] = {{m_channelOpen ? m_channel : -1, POLLIN, 0},
                         {m_outputOpen ? m_output : -1, POLLIN, 0}};
        ::poll(fds, 2, m_gotDone ? 5 : 50);
        readReadyInput(fds);
        takeFrames(progress);
        noteHeartbeat();
        if (!m_killed && !m_gotDone)
            enforceLimits(cancel);
        if (m_keepAlive && m_gotIdle && !m_killed && m_channelOpen) {
            pollfd rest[2] = {{-1, 0, 0}, {m_outputOpen ? m_output : -1, POLLIN, 0}};
            if (::poll(rest, 2, 0) > 0)
                readReadyInput(rest); // this job's last model output, not the next one's
            return true;              // alive, its model freed: ready for the next job
        }
        if (m_gotDone && m_channelOpen && secondsSince(m_lastLife) > m_limits.answerSeconds)
            killWorker(RunOutcome::Completed, ""); // finished but does not exit: stop it, keep the answer
        reaped = reap();
    }
    ::kill(-m_pid, SIGKILL); // anything the model forked
    return false;
}

// Reads what the channel and the model output have ready; the output keeps its last 16 KiB.
void WorkerSupervisor::readReadyInput(const pollfd (&fds)[2])
{
    if (m_channelOpen && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
        m_channelOpen = readReady(m_channel, [&](const char *data, std::size_t size) {
            m_reader.append(data, size);
            m_lastLife = Clock::now();
        });
    if (m_outputOpen && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
        m_outputOpen = readReady(m_output, [&](const char *data, std::size_t size) {
            std::string &tail = m_result.modelOutput;
            tail.append(data, size);
            if (tail.size() > 16384)
                tail.erase(0, tail.size() - 16384);
        });
}

// Takes every complete frame received so far; a malformed one stops the worker.
void WorkerSupervisor::takeFrames(const std::function<void(double)> &progress)
{
    FrameType type;
    std::string payload;
    bool corrupt = false;
    while (m_reader.next(type, payload, corrupt)) {
        if (type == FrameType::Rows && payload.size() >= 4) {
            takeRows(payload, progress);
            continue;
        }
        if (type == FrameType::Reply) {
            m_result.reply = std::move(payload);
            continue;
        }
        if (type == FrameType::State && payload.size() >= sizeof(double)) {
            std::memcpy(&m_result.savedStateTime, payload.data(), sizeof(double));
            m_result.savedState.assign(payload.begin() + sizeof(double), payload.end());
            continue;
        }
        try {
            takeMessage(nlohmann::json::parse(payload));
        } catch (const nlohmann::json::exception &e) {
            corrupt = true;
        }
    }
    if (corrupt)
        killWorker(RunOutcome::WorkerFailed, m_label + ": the worker sent a malformed message");
}

// A rows frame: the row width (uint32), then the rows' doubles back to back.
void WorkerSupervisor::takeRows(const std::string &payload, const std::function<void(double)> &progress)
{
    std::uint32_t n = 0;
    std::memcpy(&n, payload.data(), 4);
    const std::size_t count = (payload.size() - 4) / sizeof(double);
    const auto *values = reinterpret_cast<const double *>(payload.data() + 4);
    for (std::size_t i = 0; n > 0 && i + n <= count; i += n)
        m_result.rows.emplace_back(values + i, values + i + n);
    if (!m_result.rows.empty()) {
        m_result.reached = m_result.rows.back().front();
        if (progress)
            progress(m_result.reached);
    }
}

// A JSON message: the output columns, a warning, or "done" with the worker's outcome.
void WorkerSupervisor::takeMessage(const nlohmann::json &message)
{
    const std::string kind = message.value("type", std::string());
    if (kind == "columns") {
        m_result.columns = {"time"};
        for (const auto &name : message["names"])
            m_result.columns.push_back(name.get<std::string>());
    } else if (kind == "textColumns") {
        m_result.textColumns = message.value("names", std::vector<std::string>());
    } else if (kind == "text") {
        m_result.textRows.push_back(message.value("values", std::vector<std::string>()));
    } else if (kind == "warning") {
        m_result.warnings.push_back(message.value("text", std::string()));
    } else if (kind == "idle") {
        m_gotIdle = m_gotDone;
        if (!m_keepAlive) // a one-run worker: close the channel, so it exits
            ::shutdown(m_channel, SHUT_WR);
    } else if (kind == "done") {
        m_gotDone = true;
        m_result.outcome = outcomeFromWorker(message.value("outcome", std::string()));
        m_result.message = message.value("message", std::string());
        m_result.reached = message.value("reached", m_result.reached);
        m_result.seconds = message.value("seconds", 0.0);
    } else if (m_message) {
        m_message(message.dump());
    }
}

// A new beacon beat counts as an answer, as a received frame does.
void WorkerSupervisor::noteHeartbeat()
{
    if (const std::uint64_t beat = m_beacon->beats.load(std::memory_order_acquire); beat != m_lastBeat) {
        m_lastBeat = beat;
        m_lastLife = Clock::now();
    }
}

// SIGTERM on cancel; a kill after the grace period, over the wall-time limit or after too long a silence.
void WorkerSupervisor::enforceLimits(const std::atomic<bool> &cancel)
{
    if (cancel.load() && !m_cancelSent) {
        ::kill(m_pid, SIGTERM);
        m_cancelSent = true;
        m_cancelAt = Clock::now();
    }
    if (m_cancelSent && secondsSince(m_cancelAt) > m_limits.killGraceSeconds)
        killWorker(RunOutcome::Cancelled, m_label + ": cancelled; the worker did not stop within " +
                                              number(m_limits.killGraceSeconds) + " s and was killed (in " +
                                              where() + ")");
    else if (secondsSince(m_started) > m_limits.wallSeconds)
        killWorker(RunOutcome::TimedOut, m_label + ": over the wall-time limit of " +
                                             number(m_limits.wallSeconds) + " s (in " + where() +
                                             "); the worker was stopped");
    else if (secondsSince(m_lastLife) > m_limits.answerSeconds)
        killWorker(RunOutcome::TimedOut, m_label + ": no answer within " + number(m_limits.answerSeconds) +
                                             " s (hung in " + where() + "); the worker was stopped");
}

// After the channel closed or a kill: the exit status and usage (waits only after a kill); true once reaped.
bool WorkerSupervisor::reap()
{
    if (m_channelOpen && !m_killed)
        return false;
    return ::wait4(m_pid, &m_status, m_killed ? 0 : WNOHANG, &m_usage) == m_pid;
}

void WorkerSupervisor::classifyEnd(const std::string &worker)
{
    if (m_killed && !(m_gotDone && m_killOutcome == RunOutcome::Completed)) {
        m_result.reached = std::max(m_result.reached, m_beacon->time.load());
        m_result.outcome = m_killOutcome;
        m_result.message = m_killMessage;
    } else if (!m_gotDone) {
        m_result.reached = std::max(m_result.reached, m_beacon->time.load());
        classifyExit(worker);
    } else if (WIFSIGNALED(m_status) && !m_killed) {
        m_result.warnings.push_back(m_label + ": the worker died from " + signalName(WTERMSIG(m_status)) +
                                    " after the run finished (while freeing the model)");
    }
}

// The worker ended on its own without a result: over the memory limit, a signal, not started, or an exit.
void WorkerSupervisor::classifyExit(const std::string &worker)
{
    const int status = m_status;
    const bool memorySuspect =
        m_limits.memoryBytes > 0 && std::uint64_t(m_usage.ru_maxrss) * 1024 >= m_limits.memoryBytes * 7 / 10;
    const bool outOfMemory = (WIFEXITED(status) && WEXITSTATUS(status) == kWorkerExitOutOfMemory) ||
                             (WIFSIGNALED(status) && memorySuspect);
    if (outOfMemory) {
        m_result.outcome = RunOutcome::MemoryLimit;
        m_result.message = m_label + ": exceeded the memory limit of " +
                           std::to_string(m_limits.memoryBytes >> 20) + " MiB in " + where() +
                           (WIFSIGNALED(status) ? " (" + signalName(WTERMSIG(status)) + ")" : "");
    } else if (WIFSIGNALED(status)) {
        m_result.outcome = RunOutcome::Crashed;
        m_result.message = signalName(WTERMSIG(status)) + " in " + where();
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        m_result.outcome = RunOutcome::WorkerFailed;
        m_result.message = m_label + ": cannot start the simulation worker " + worker;
    } else {
        m_result.outcome = RunOutcome::WorkerFailed;
        m_result.message = m_label + ": the worker exited (code " +
                           std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ") in " + where() +
                           " without a result";
    }
}

} // namespace

const char *outcomeName(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Completed:
        return "completed";
    case RunOutcome::Discarded:
        return "discarded";
    case RunOutcome::ModelError:
        return "model error";
    case RunOutcome::Crashed:
        return "crashed";
    case RunOutcome::TimedOut:
        return "timed out";
    case RunOutcome::MemoryLimit:
        return "memory limit";
    case RunOutcome::Cancelled:
        return "cancelled";
    case RunOutcome::WorkerFailed:
        return "worker failed";
    }
    return "unknown";
}

SimulationRunner::SimulationRunner(std::string workerPath) : m_worker(std::move(workerPath)) {}

std::string SimulationRunner::defaultWorkerPath()
{
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return (exe.parent_path() / "twin-simworker").string();
}

namespace {
constexpr std::size_t kMaxJobsPerWorker = 2000;
}

struct SimulationRunner::Kept
{
    pid_t pid = -1;
    RunLimits limits;
    WorkerPipes pipes;
    // Closes the channel (the worker exits on end of file), waits briefly, then kills and reaps.
    ~Kept()
    {
        if (pid <= 0)
            return;
        pipes.channel.reset();
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid, nullptr, WNOHANG) == pid) {
                ::kill(-pid, SIGKILL); // what the model started in the worker's group
                return;
            }
            ::usleep(2000);
        }
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    // Reaps a worker that died meanwhile (its pid is then forgotten, never signalled again).
    bool alive()
    {
        if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0)
            return true;
        pid = -1;
        return false;
    }
    std::size_t jobs = 0; // run on this worker so far
};

SimulationRunner::~SimulationRunner() = default;

bool SimulationRunner::start(const RunLimits &limits, const std::string &pluginDir,
                             const std::string &pluginId)
{
    if (!m_reuse || (m_kept && m_kept->alive()))
        return m_reuse;
    auto worker = std::make_unique<Kept>();
    worker->limits = limits;
    std::string error;
    if (::access(m_worker.c_str(), X_OK) != 0 || !openWorkerPipes(worker->pipes, error))
        return false;
    worker->pid = spawnWorker(m_worker, limits, worker->pipes, error, false, true, {pluginDir, pluginId});
    if (worker->pid < 0)
        return false;
    ++m_started;
    m_kept = std::move(worker);
    return true;
}

SimulationResult SimulationRunner::run(const SimulationJob &job, const RunLimits &limits,
                                       const std::function<void(double)> &progress,
                                       const std::function<void(const std::string &)> &message)
{
    SimulationResult result;
    result.reached = job.start;
    const std::string label = job.label.empty() ? job.pluginId : job.label;
    auto failed = [&](std::string message) {
        result.outcome = RunOutcome::WorkerFailed;
        result.message = label + ": " + message;
        m_cancel.store(false);
        return result;
    };
    if (::access(m_worker.c_str(), X_OK) != 0)
        return failed("cannot run the simulation worker " + m_worker + ": " + std::strerror(errno));

    std::unique_ptr<Kept> worker = std::move(m_kept);
    const bool sameLimits = worker && worker->limits.memoryBytes == limits.memoryBytes;
    // A kept worker is retired after many jobs (memory a model leaks stays with the process).
    if (worker && !(m_reuse && sameLimits && worker->jobs < kMaxJobsPerWorker && worker->alive()))
        worker.reset(); // ends it
    const bool reused = worker != nullptr;
    if (!worker) {
        worker = std::make_unique<Kept>();
        worker->limits = limits;
        std::string error;
        if (!openWorkerPipes(worker->pipes, error))
            return failed(error);
        worker->pid = spawnWorker(m_worker, limits, worker->pipes, error, !m_reuse);
        if (worker->pid < 0)
            return failed(error);
        ++m_started;
    }
    ++worker->jobs;
    WorkerSupervisor supervisor(worker->pid, worker->pipes, job, limits, label, result, m_reuse, message);
    supervisor.sendJob(detail::jobToJson(job), job.attachment);
    const bool idle = supervisor.supervise(m_cancel, progress);
    supervisor.classifyEnd(m_worker);
    const bool reusable = result.outcome == RunOutcome::Completed ||
                          result.outcome == RunOutcome::Discarded || result.outcome == RunOutcome::ModelError;
    const bool cancelled = supervisor.cancelSent() || m_cancel.load();
    if (idle && reusable && !cancelled)
        m_kept = std::move(worker);
    else if (!idle)
        worker->pid = -1; // reaped by the supervisor
    worker.reset();
    // A worker that served earlier jobs may have died of what they left behind (a leak, state in a plugin),
    // not of this job: run it once more on a fresh worker before blaming the model.
    const bool workerTrouble = result.outcome == RunOutcome::Crashed ||
                               result.outcome == RunOutcome::MemoryLimit ||
                               result.outcome == RunOutcome::WorkerFailed;
    if (reused && workerTrouble && !cancelled)
        return run(job, limits, progress, message);
    m_cancel.store(false);
    return result;
}

} // namespace twin::model::sim
