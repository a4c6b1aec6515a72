#include "sim/SimulationRunner.h"

#include "sim/WorkerProtocol.h"

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

std::string jobToJson(const SimulationJob &job)
{
    nlohmann::json j = {{"pluginDir", job.pluginDir}, {"plugin", job.pluginId}, {"model", job.modelId},
                        {"config", job.config},       {"label", job.label},     {"start", job.start},
                        {"stop", job.stop},           {"step", job.step},       {"outputs", job.outputs}};
    j["parameters"] = nlohmann::json::array();
    for (const auto &[name, value] : job.parameters)
        j["parameters"].push_back({name, value});
    nlohmann::json columns = nlohmann::json::object();
    for (const auto &[name, values] : job.inputs.columns)
        columns[name] = values;
    j["inputs"] = {{"time", job.inputs.time}, {"columns", columns}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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

SimulationResult SimulationRunner::run(const SimulationJob &job, const RunLimits &limits,
                                       const std::function<void(double)> &progress)
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

    int sv[2], out[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return failed(std::string("socketpair: ") + std::strerror(errno));
    Fd channel{sv[0]}, childChannel{sv[1]};
    if (::pipe2(out, O_CLOEXEC) != 0)
        return failed(std::string("pipe: ") + std::strerror(errno));
    Fd output{out[0]}, childOutput{out[1]};
    Fd beaconFd{::memfd_create("twin-sim-beacon", MFD_CLOEXEC)};
    if (beaconFd.fd < 0 || ::ftruncate(beaconFd.fd, 4096) != 0)
        return failed(std::string("memfd: ") + std::strerror(errno));
    void *page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, beaconFd.fd, 0);
    if (page == MAP_FAILED)
        return failed(std::string("mmap: ") + std::strerror(errno));
    std::unique_ptr<void, void (*)(void *)> unmap(page, [](void *p) { ::munmap(p, 4096); });
    auto *beacon = new (page) WorkerBeacon;

    // Everything the child needs is prepared before fork(): after it only async-signal-safe calls.
    const int highChannel = ::fcntl(childChannel.fd, F_DUPFD_CLOEXEC, 100);
    const int highBeacon = ::fcntl(beaconFd.fd, F_DUPFD_CLOEXEC, 100);
    const int highOutput = ::fcntl(childOutput.fd, F_DUPFD_CLOEXEC, 100);
    Fd h1{highChannel}, h2{highBeacon}, h3{highOutput};
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    Fd h4{devNull};
    std::string arg0 = m_worker, arg1 = "--channel", arg2 = std::to_string(kWorkerChannelFd),
                arg3 = "--beacon", arg4 = std::to_string(kWorkerBeaconFd);
    char *argv[] = {arg0.data(), arg1.data(), arg2.data(), arg3.data(), arg4.data(), nullptr};
    const rlimit memory{rlim_t(limits.memoryBytes), rlim_t(limits.memoryBytes)};
    const rlimit noCore{0, 0};
    const std::string jobJson = jobToJson(job);

    const pid_t pid = ::fork();
    if (pid < 0)
        return failed(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::setrlimit(RLIMIT_CORE, &noCore);
        // AddressSanitizer reserves terabytes of address space: an RLIMIT_AS would kill every worker of a
        // sanitizer build at start-up, so sanitizer builds run without the memory limit.
        if (limits.memoryBytes > 0 && !kSanitized)
            ::setrlimit(RLIMIT_AS, &memory);
        if (::dup2(highChannel, kWorkerChannelFd) < 0 || ::dup2(highBeacon, kWorkerBeaconFd) < 0 ||
            ::dup2(devNull, 0) < 0 || ::dup2(highOutput, 1) < 0 || ::dup2(highOutput, 2) < 0)
            ::_exit(126);
        ::execv(argv[0], argv);
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    childChannel.reset();
    childOutput.reset();
    h1.reset();
    h2.reset();
    h3.reset();
    h4.reset();

    const auto started = Clock::now();
    auto lastLife = started;
    std::uint64_t lastBeat = 0;
    bool killed = false, cancelSent = false, gotDone = false, channelOpen = true, outputOpen = true;
    RunOutcome killOutcome = RunOutcome::TimedOut;
    std::string killMessage;
    Clock::time_point cancelAt{};
    auto where = [&] {
        const auto phase = WorkerPhase(beacon->phase.load());
        return phaseText(phase, job.stepName) + " of " + label + " at t=" + number(beacon->time.load());
    };
    auto kill = [&](RunOutcome outcome, std::string message) {
        if (killed)
            return;
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        killed = true;
        killOutcome = outcome;
        killMessage = std::move(message);
    };

    if (!writeJson(channel.fd, jobJson))
        kill(RunOutcome::WorkerFailed, label + ": could not send the job to the worker");
    ::fcntl(channel.fd, F_SETFL, O_NONBLOCK);
    ::fcntl(output.fd, F_SETFL, O_NONBLOCK);

    FrameReader reader;
    char chunk[65536];
    int status = 0;
    rusage usage{};
    bool reaped = false;
    while (!reaped) {
        pollfd fds[2] = {{channelOpen ? channel.fd : -1, POLLIN, 0},
                         {outputOpen ? output.fd : -1, POLLIN, 0}};
        ::poll(fds, 2, 50);
        if (channelOpen && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            const ssize_t n = ::read(channel.fd, chunk, sizeof chunk);
            if (n > 0) {
                reader.append(chunk, std::size_t(n));
                lastLife = Clock::now();
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                channelOpen = false;
            }
        }
        if (outputOpen && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            const ssize_t n = ::read(output.fd, chunk, sizeof chunk);
            if (n > 0) {
                result.modelOutput.append(chunk, std::size_t(n));
                if (result.modelOutput.size() > 16384)
                    result.modelOutput.erase(0, result.modelOutput.size() - 16384);
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                outputOpen = false;
            }
        }
        FrameType type;
        std::string payload;
        bool corrupt = false;
        while (reader.next(type, payload, corrupt)) {
            if (type == FrameType::Rows && payload.size() >= 4) {
                std::uint32_t n = 0;
                std::memcpy(&n, payload.data(), 4);
                const std::size_t count = (payload.size() - 4) / sizeof(double);
                const auto *values = reinterpret_cast<const double *>(payload.data() + 4);
                for (std::size_t i = 0; n > 0 && i + n <= count; i += n)
                    result.rows.emplace_back(values + i, values + i + n);
                if (!result.rows.empty()) {
                    result.reached = result.rows.back().front();
                    if (progress)
                        progress(result.reached);
                }
                continue;
            }
            try {
                const auto message = nlohmann::json::parse(payload);
                const std::string kind = message.value("type", std::string());
                if (kind == "columns") {
                    result.columns = {"time"};
                    for (const auto &name : message["names"])
                        result.columns.push_back(name.get<std::string>());
                } else if (kind == "warning") {
                    result.warnings.push_back(message.value("text", std::string()));
                } else if (kind == "done") {
                    gotDone = true;
                    const std::string outcome = message.value("outcome", std::string());
                    result.outcome = outcome == "completed"   ? RunOutcome::Completed
                                     : outcome == "discarded" ? RunOutcome::Discarded
                                     : outcome == "cancelled" ? RunOutcome::Cancelled
                                                              : RunOutcome::ModelError;
                    result.message = message.value("message", std::string());
                    result.reached = message.value("reached", result.reached);
                }
            } catch (const nlohmann::json::exception &e) {
                corrupt = true;
            }
        }
        if (corrupt)
            kill(RunOutcome::WorkerFailed, label + ": the worker sent a malformed message");
        if (const std::uint64_t beat = beacon->beats.load(std::memory_order_acquire); beat != lastBeat) {
            lastBeat = beat;
            lastLife = Clock::now();
        }
        if (!killed && !gotDone) {
            if (m_cancel.load() && !cancelSent) {
                ::kill(pid, SIGTERM);
                cancelSent = true;
                cancelAt = Clock::now();
            }
            if (cancelSent && secondsSince(cancelAt) > limits.killGraceSeconds)
                kill(RunOutcome::Cancelled, label + ": cancelled; the worker did not stop within " +
                                                number(limits.killGraceSeconds) + " s and was killed (in " +
                                                where() + ")");
            else if (secondsSince(started) > limits.wallSeconds)
                kill(RunOutcome::TimedOut, label + ": over the wall-time limit of " +
                                               number(limits.wallSeconds) + " s (in " + where() +
                                               "); the worker was stopped");
            else if (secondsSince(lastLife) > limits.answerSeconds)
                kill(RunOutcome::TimedOut, label + ": no answer within " + number(limits.answerSeconds) +
                                               " s (hung in " + where() + "); the worker was stopped");
        }
        if (gotDone && channelOpen && secondsSince(lastLife) > limits.answerSeconds)
            kill(RunOutcome::Completed, ""); // finished but does not exit: stop it, keep the answer
        if (!channelOpen || killed) {
            const pid_t w = ::wait4(pid, &status, killed ? 0 : WNOHANG, &usage);
            reaped = w == pid;
        }
    }
    ::kill(-pid, SIGKILL); // anything the model forked

    if (killed && !(gotDone && killOutcome == RunOutcome::Completed)) {
        result.reached = std::max(result.reached, beacon->time.load());
        result.outcome = killOutcome;
        result.message = killMessage;
    } else if (!gotDone) {
        result.reached = std::max(result.reached, beacon->time.load());
        const bool memorySuspect =
            limits.memoryBytes > 0 && std::uint64_t(usage.ru_maxrss) * 1024 >= limits.memoryBytes * 7 / 10;
        const bool outOfMemory = (WIFEXITED(status) && WEXITSTATUS(status) == kWorkerExitOutOfMemory) ||
                                 (WIFSIGNALED(status) && memorySuspect);
        if (outOfMemory) {
            result.outcome = RunOutcome::MemoryLimit;
            result.message = label + ": exceeded the memory limit of " +
                             std::to_string(limits.memoryBytes >> 20) + " MiB in " + where() +
                             (WIFSIGNALED(status) ? " (" + signalName(WTERMSIG(status)) + ")" : "");
        } else if (WIFSIGNALED(status)) {
            result.outcome = RunOutcome::Crashed;
            result.message = signalName(WTERMSIG(status)) + " in " + where();
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
            result.outcome = RunOutcome::WorkerFailed;
            result.message = label + ": cannot start the simulation worker " + m_worker;
        } else {
            result.outcome = RunOutcome::WorkerFailed;
            result.message = label + ": the worker exited (code " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ") in " +
                             where() + " without a result";
        }
    } else if (WIFSIGNALED(status) && !killed) {
        result.warnings.push_back(label + ": the worker died from " + signalName(WTERMSIG(status)) +
                                  " after the run finished (while freeing the model)");
    }
    m_cancel.store(false);
    return result;
}

} // namespace twin::model::sim
