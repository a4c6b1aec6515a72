#pragma once
// What the FMU and SSP verbs (fmu-info, fmu-run, ssp-info, ssp-run, calibrate --fmu) share: the FMU's
// description from the FMI plugin, and the plain numeric CSV tables they read (time first, then one column
// per model variable).
#include "CliOutput.h"
#include "twin/model/simrunner/SimulationRunner.h"
#include "twin/sdk/Simulator.h"
#include "twin/util/Result.h"

#include <optional>
#include <string>
#include <vector>

namespace twin::cli {

// Whole text as a number (no trailing characters).
bool parseNumber(const std::string &text, double &value);
// The FMU's description from the FMI plugin in `pluginDir` (no model code runs).
Result<sdk::ModelInfo> describeFmu(const std::string &pluginDir, const std::string &fmu);
// time,<input>... with a header row (RFC 4180 quoting); errors name file:line. A cell of space-separated
// numbers is an array: its column "u" becomes the inputs u[1], u[2], ... (FMI 3 arrays; one column per
// element works too). With the model's description, a String input's cells are taken as text and a Binary
// input's as hex digits (held from their row to the next, InputTable::textColumns).
bool readInputs(const std::string &path, model::sim::InputTable &table, std::string &error,
                const sdk::ModelInfo *model = nullptr);
// The options every model-file runner takes: --start/--stop/--step (over the model's defaults), --timeout S,
// --memory MiB and --set NAME=VALUE (repeatable). `error` names a bad one.
struct ModelRunOptions
{
    std::optional<double> start, stop, step;
    model::sim::RunLimits limits;
    std::vector<std::pair<std::string, std::string>> sets; // --set name=value, as typed
    std::string error;
};
ModelRunOptions takeModelRunOptions(std::vector<std::string> &args);
// Applies the options over the job's defaults; false with `error` when the span or step is impossible or a
// --set value does not suit its variable. With the model's description, a String variable takes the text as
// it is and a Binary one hex digits; every other value must be a number.
bool applyModelRunOptions(const ModelRunOptions &options, model::sim::SimulationJob &job, std::string &error,
                          const sdk::ModelInfo *model = nullptr);

// A saved model state in a file: a "twinworks-state 1" line, a "time=T" line, then the backend's bytes.
bool writeStateFile(const std::string &path, const std::vector<std::uint8_t> &state, double time,
                    std::string &error);
bool readStateFile(const std::string &path, std::vector<std::uint8_t> &state, double &time,
                   std::string &error);

// Runs `job` in a worker process, writes its rows as CSV to `out` and reports it (fmu-run, ssp-run): a model
// that stopped early (a discard, terminateSimulation) is a result up to there, with a note. `resultOut`, when
// given, receives the run (its saved state, say).
Report runAndWrite(const char *verb, const model::sim::SimulationJob &job,
                   const model::sim::RunLimits &limits, const std::string &file, const std::string &out,
                   model::sim::SimulationResult *resultOut = nullptr);

} // namespace twin::cli
