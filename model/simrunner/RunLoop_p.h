#pragma once
// Internal to the worker: one simulation job run in this process, from load to terminate, with what it
// produces handed to a RunOutput (frames to the parent in twin-simworker, memory for runs an extension
// makes).
#include "twin/model/pluginhost/PluginHost.h"
#include "twin/model/simrunner/SimulationRunner.h"
#include "twin/model/simrunner/WorkerProtocol.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace twin::model::sim::detail {

class RunOutput
{
public:
    virtual ~RunOutput() = default;
    virtual void columns(const std::vector<std::string> &names) = 0; // the outputs, without "time"
    virtual void row(double t, const std::vector<double> &values) = 0;
    virtual void warning(const std::string &line) = 0; // each distinct line once
    virtual void state(double t, const std::vector<std::uint8_t> &bytes) = 0;
    // String and Binary outputs (Binary as hex digits): their names once, then one row of text per row.
    virtual void textColumns(const std::vector<std::string> &names) { (void)names; }
    virtual void textRow(const std::vector<std::string> &values) { (void)values; }
    virtual void flush() {}
};

struct RunEnd
{
    const char *outcome = "error"; // "completed", "discarded", "error", "cancelled", "timedout" ("done"'s)
    std::string message;
    double reached = 0;
    double seconds = 0;          // from the model's load to the end (not the plugin's load)
    bool oncePerProcess = false; // the model asked not to share its process with another instance
};

// The plugins of `job.pluginDir` are scanned into `host` once (`hostDir` remembers the folder). The beacon
// is marked before every call into the model; a cancel (cancelRequested) ends the run between steps, and so
// does a run longer than `wallSeconds` (0: no limit), as an error.
RunEnd runJob(const SimulationJob &job, PluginHost &host, std::string &hostDir, WorkerBeacon &beacon,
              RunOutput &output, double wallSeconds = 0);

// The cancel flag SIGTERM sets (and the simulator it tells to stop within a step).
void requestCancel();
void clearCancel();
bool cancelRequested();

// Decodes a job sent by jobToJson, its "extension" object into `extension` (null when none); throws
// nlohmann::json::exception on malformed text.
SimulationJob jobFromJson(const std::string &text, nlohmann::json &extension);
std::string jobToJson(const SimulationJob &job);

} // namespace twin::model::sim::detail
