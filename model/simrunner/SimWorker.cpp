// The child side of SimulationRunner: hosts Simulators from plugins and runs the jobs the parent sends, one
// after another. See WorkerProtocol.h.
#include "RunLoop_p.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <link.h>
#include <malloc.h>
#include <new>
#include <string_view>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

namespace twin::model::sim {

namespace {

extern "C" void onCancelSignal(int)
{
    detail::requestCancel();
}

void sendJson(int fd, const nlohmann::json &message)
{
    writeJson(fd, message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// A job's output as frames to the parent: the column names, rows batched (at most every 20 ms or 64 Ki
// values), warnings once each, saved states.
class FrameOutput final : public detail::RunOutput
{
public:
    explicit FrameOutput(int fd) : m_fd(fd) {}
    void columns(const std::vector<std::string> &names) override
    {
        sendJson(m_fd, {{"type", "columns"}, {"names", names}});
        m_columns = std::uint32_t(names.size() + 1);
    }
    void row(double t, const std::vector<double> &values) override
    {
        m_rows.push_back(t);
        m_rows.insert(m_rows.end(), values.begin(), values.end());
        if (m_rows.size() >= 65536)
            flush();
        else if (++m_sinceClock >= 64) { // the clock only now and then: rows are cheap
            m_sinceClock = 0;
            if (std::chrono::steady_clock::now() - m_lastFlush >= std::chrono::milliseconds(20))
                flush();
        }
    }
    void warning(const std::string &text) override
    {
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t end = std::min(text.find('\n', start), text.size());
            const std::string line = text.substr(start, end - start);
            if (!line.empty() && std::find(m_warned.begin(), m_warned.end(), line) == m_warned.end() &&
                m_warned.size() < 100) {
                m_warned.push_back(line);
                sendJson(m_fd, {{"type", "warning"}, {"text", line}});
            }
            start = end + 1;
        }
    }
    void textColumns(const std::vector<std::string> &names) override
    {
        sendJson(m_fd, {{"type", "textColumns"}, {"names", names}});
    }
    void textRow(const std::vector<std::string> &values) override
    {
        sendJson(m_fd, {{"type", "text"}, {"values", values}});
    }
    void state(double t, const std::vector<std::uint8_t> &bytes) override
    {
        flush();
        std::string payload(sizeof(double), '\0');
        std::memcpy(payload.data(), &t, sizeof t);
        payload.append(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        writeFrame(m_fd, FrameType::State, payload.data(), payload.size());
    }
    void flush() override
    {
        m_lastFlush = std::chrono::steady_clock::now();
        if (m_rows.empty())
            return;
        std::string payload(4, '\0');
        for (int i = 0; i < 4; ++i)
            payload[i] = char((m_columns >> (8 * i)) & 0xFF);
        payload.append(reinterpret_cast<const char *>(m_rows.data()), m_rows.size() * sizeof(double));
        writeFrame(m_fd, FrameType::Rows, payload.data(), payload.size());
        m_rows.clear();
    }

private:
    int m_fd;
    std::uint32_t m_columns = 1;
    int m_sinceClock = 0;
    std::vector<double> m_rows;
    std::vector<std::string> m_warned;
    std::chrono::steady_clock::time_point m_lastFlush = std::chrono::steady_clock::now();
};

// A run an extension makes: columns, warnings and a saved state into `result`, each row handed to `sink` as
// it comes.
class SinkOutput final : public detail::RunOutput
{
public:
    SinkOutput(SimulationResult &result, const WorkerContext::RowSink &sink) : m_result(result), m_sink(sink)
    {
    }
    void columns(const std::vector<std::string> &names) override
    {
        m_result.columns = {"time"};
        m_result.columns.insert(m_result.columns.end(), names.begin(), names.end());
    }
    void row(double t, const std::vector<double> &values) override { m_sink(t, values); }
    void warning(const std::string &line) override
    {
        if (std::find(m_result.warnings.begin(), m_result.warnings.end(), line) == m_result.warnings.end())
            m_result.warnings.push_back(line);
    }
    void state(double t, const std::vector<std::uint8_t> &bytes) override
    {
        m_result.savedStateTime = t;
        m_result.savedState = bytes;
    }

private:
    SimulationResult &m_result;
    const WorkerContext::RowSink &m_sink;
};

RunOutcome outcomeOf(const char *outcome)
{
    const std::string o = outcome;
    return o == "completed"   ? RunOutcome::Completed
           : o == "discarded" ? RunOutcome::Discarded
           : o == "cancelled" ? RunOutcome::Cancelled
           : o == "timedout"  ? RunOutcome::TimedOut
                              : RunOutcome::ModelError;
}

class Context final : public WorkerContext
{
public:
    Context(int fd, WorkerBeacon &beacon, PluginHost &host, std::string &hostDir)
        : m_fd(fd), m_beacon(beacon), m_host(host), m_hostDir(hostDir)
    {
    }
    SimulationResult run(const SimulationJob &job, double wallSeconds, const RowSink &rows) override
    {
        SimulationResult result;
        SinkOutput output(result, rows);
        return finish(detail::runJob(job, m_host, m_hostDir, m_beacon, output, wallSeconds), result);
    }
    void send(const std::string &json) override { writeJson(m_fd, json); }
    bool cancelled() const override { return detail::cancelRequested(); }

private:
    static SimulationResult &finish(const detail::RunEnd &end, SimulationResult &result)
    {
        result.outcome = outcomeOf(end.outcome);
        result.message = end.message;
        result.reached = end.reached;
        result.seconds = end.seconds;
        return result;
    }

    int m_fd;
    WorkerBeacon &m_beacon;
    PluginHost &m_host;
    std::string &m_hostDir;
};

// The "done" message with the job's outcome, appended to `out`.
void appendDone(std::string &out, const char *outcome, const std::string &message, double reached,
                double seconds = 0)
{
    const std::string json = nlohmann::json{
        {"type", "done"},
        {"outcome", outcome},
        {"message", message},
        {"reached", reached},
        {"seconds", seconds}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    appendFrame(out, FrameType::Json, json.data(), json.size());
}

// One job from its 'J' frame: simulated, or handed to the extension. Its last frames (an extension's reply,
// "done") go into `out` for the caller to send. False when the worker must end after it.
bool serve(int fd, WorkerBeacon &beacon, PluginHost &host, std::string &hostDir, const std::string &payload,
           std::string attachment, const WorkerExtension &extension, std::string &out)
{
    nlohmann::json extra;
    SimulationJob job = detail::jobFromJson(payload, extra);
    job.attachment = std::move(attachment);
    if (!extra.is_null()) {
        if (!extension) {
            appendDone(out, "error", "this worker has no extension for the job", job.start);
            return true;
        }
        Context context(fd, beacon, host, hostDir);
        std::string reply;
        const std::string error = extension(extra, job, context, reply);
        if (!reply.empty())
            appendFrame(out, FrameType::Reply, reply.data(), reply.size());
        appendDone(out, error.empty() ? "completed" : "error", error, job.stop);
        return true;
    }
    FrameOutput output(fd);
    const detail::RunEnd end = detail::runJob(job, host, hostDir, beacon, output);
    appendDone(out, end.outcome, end.message, end.reached, end.seconds);
    return !end.oncePerProcess;
}

} // namespace

int runSimWorker(int channelFd, int beaconFd, const WorkerExtension &extension,
                 const std::pair<std::string, std::string> &preload, const std::function<void()> &warmUp)
{
    // A worker runs job after job: memory a job frees stays in the process for the next one (glibc would
    // hand the heap's top and every block over 128 KiB back to the system, and each job would fault them in
    // again, page by page).
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
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
    std::string payload, attachment;
    char chunk[65536];
    PluginHost host;
    std::string hostDir;
    // A plugin named at start is loaded now (a failure is left for the job that needs it to report).
    if (!preload.second.empty() && host.scanFor(preload.first, preload.second).ok()) {
        hostDir = preload.first;
        (void)host.createSimulator(preload.second);
    }
    if (warmUp)
        warmUp();
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
        if (type == FrameType::Data) { // the next job's attachment
            attachment = std::move(payload);
            continue;
        }
        // The job's last frames and "idle" go in one write: the parent, waiting, wakes once for them.
        std::string out;
        try {
            std::string forJob;
            forJob.swap(attachment);
            if (!serve(channelFd, *beacon, host, hostDir, payload, std::move(forJob), extension, out)) {
                (void)writeFrames(channelFd, out);
                return 0; // no idle: the parent reaps this worker and starts a fresh one next time
            }
        } catch (const std::bad_alloc &) {
            return kWorkerExitOutOfMemory;
        } catch (const std::exception &e) {
            appendDone(out, "error", std::string("worker: ") + e.what(), 0);
        }
        detail::clearCancel(); // a cancelled worker is not reused; this only clears a late SIGTERM
        constexpr std::string_view idle = R"({"type":"idle"})";
        appendFrame(out, FrameType::Json, idle.data(), idle.size());
        if (!writeFrames(channelFd, out))
            return 0;
    }
}

namespace {

int populateReadOnlySegments(dl_phdr_info *info, std::size_t, void *)
{
    const auto page = std::uintptr_t(::sysconf(_SC_PAGESIZE));
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr) &segment = info->dlpi_phdr[i];
        if (segment.p_type != PT_LOAD || (segment.p_flags & PF_W))
            continue;
        const std::uintptr_t start = (info->dlpi_addr + segment.p_vaddr) & ~(page - 1);
        const std::uintptr_t end = info->dlpi_addr + segment.p_vaddr + segment.p_memsz;
        (void)::madvise(reinterpret_cast<void *>(start), end - start, MADV_POPULATE_READ);
    }
    return 0;
}

} // namespace

void prefaultLoadedCode()
{
    dl_iterate_phdr(populateReadOnlySegments, nullptr);
}

} // namespace twin::model::sim
