#pragma once
// The wire between SimulationRunner (parent) and twin-simworker (child). Never stdout: models print there.
//
// Channel: a socketpair, the child's end is fd 3. Frames: u32 length (little endian, counts the type byte and
// the payload), u8 type, payload. 'J' frames carry one JSON object; 'R' frames carry result rows as raw
// doubles (u32 column count including time, then rows of that many doubles).
//   parent -> child: one 'J' job (see JobJson.cpp); a job with an "extension" object goes to the worker's
//                    extension instead of being simulated (twin-fitworker: a whole calibration fit). A 'D'
//                    frame just before it carries the job's attachment (bytes).
//   child -> parent: {"type":"columns","names":[...]}, 'R' rows (batched), 'S' a saved state (when the job
//   asks
//                    with "saveStateAt"), {"type":"warning","text":...},
//                    {"type":"done","outcome":"completed|discarded|error|cancelled","message":...,"reached":t};
//                    for an extension: its own JSON messages and one 'P' reply (bytes) before "done".
// Cancel: the parent sends SIGTERM; the child finishes the current step and answers "cancelled".
//
// Beacon: a shared memory page (memfd, the child's fd 4) where the child writes its phase and model time
// before each call into the model, so the parent can say where a crash or hang happened even when no message
// got out.
#include "twin/model/simrunner/SimulationRunner.h"

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace twin::model::sim {

enum class FrameType : std::uint8_t
{
    Json = 'J',
    Rows = 'R',
    State = 'S', // child -> parent: the model time (double), then the bytes of a saved model state
    Reply = 'P', // child -> parent: an extension's answer (bytes it defines)
    Data = 'D',  // parent -> child: the attachment of the job that follows (SimulationJob::attachment)
};

enum class WorkerPhase : std::int32_t
{
    Starting,
    Loading,
    Initializing,
    Stepping,
    Reading,
    Terminating,
    Finished,
};

struct WorkerBeacon
{
    std::atomic<std::uint64_t> beats{0};
    std::atomic<std::int32_t> phase{0};
    std::atomic<double> time{0};
};
static_assert(std::atomic<double>::is_always_lock_free && std::atomic<std::uint64_t>::is_always_lock_free);

constexpr int kWorkerChannelFd = 3;
constexpr int kWorkerBeaconFd = 4;
constexpr int kWorkerExitOutOfMemory = 3;

// Writes one frame, retrying on EINTR/partial writes (blocking fds; MSG_NOSIGNAL on sockets). False on error.
bool writeFrame(int fd, FrameType type, const void *data, std::size_t size);
// Appends one frame to `out`; writeFrames then sends frames gathered so in one write (the reader wakes once).
void appendFrame(std::string &out, FrameType type, const void *data, std::size_t size);
bool writeFrames(int fd, const std::string &frames);
inline bool writeJson(int fd, const std::string &json)
{
    return writeFrame(fd, FrameType::Json, json.data(), json.size());
}

// Accumulates bytes and splits them into frames.
class FrameReader
{
public:
    void append(const char *data, std::size_t size) { m_buffer.append(data, size); }
    // Takes the next complete frame. False when none is complete yet; `corrupt` is set on an impossible
    // length.
    bool next(FrameType &type, std::string &payload, bool &corrupt);

private:
    std::string m_buffer;
    std::size_t m_offset = 0;
};

// "load", "initialize", `stepName` (e.g. "doStep"), "reading outputs", "terminate".
std::string phaseText(WorkerPhase phase, const std::string &stepName);

// What a worker extension may do while it handles a job: simulate in the worker's own process (no round trip
// per run; the beacon is marked as for any job, so the parent still sees a crash or a hang and where), send
// JSON messages to the parent (e.g. progress), and see a cancel.
class WorkerContext
{
public:
    virtual ~WorkerContext() = default;
    // One simulation; each row is handed to `rows` as it comes (values in the order of the job's outputs,
    // which the job must name); runs longer than `wallSeconds` (0: none) end as model errors.
    using RowSink = std::function<void(double t, const std::vector<double> &values)>;
    virtual SimulationResult run(const SimulationJob &job, double wallSeconds, const RowSink &rows) = 0;
    virtual void send(const std::string &json) = 0;
    virtual bool cancelled() const = 0;
};

// Handles a job that carries an "extension" object: fills `reply` (sent as the 'P' frame) and returns an
// error message, empty when it succeeded.
using WorkerExtension = std::function<std::string(const nlohmann::json &extension, const SimulationJob &job,
                                                  WorkerContext &context, std::string &reply)>;

// Runs the worker side on the given fds (what twin-simworker's main calls), first loading the plugin
// `preload` names (folder, id) when it names one, then running `warmUp` when set (for a worker started ahead
// of its first job: work that makes that job as quick as later ones, done while the caller prepares it).
// Returns the exit code.
int runSimWorker(int channelFd, int beaconFd, const WorkerExtension &extension = {},
                 const std::pair<std::string, std::string> &preload = {},
                 const std::function<void()> &warmUp = {});

// Maps in the code and read-only data of every object loaded so far (the worker, its libraries, a preloaded
// plugin): pages a first job would otherwise fault in one at a time, each a trap into the kernel. Kernels
// before 5.14 refuse it (MADV_POPULATE_READ); nothing is lost then.
void prefaultLoadedCode();

} // namespace twin::model::sim
