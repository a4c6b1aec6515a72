#pragma once
// What the FMU verbs (fmu-info, fmu-run, calibrate --fmu) share: the FMU's description from the FMI plugin,
// and the plain numeric CSV tables they read (time first, then one column per model variable).
#include "twin/model/simrunner/SimulationRunner.h"
#include "twin/sdk/Simulator.h"
#include "twin/util/Result.h"

#include <string>

namespace twin::cli {

// Whole text as a number (no trailing characters).
bool parseNumber(const std::string &text, double &value);
// The FMU's description from the FMI plugin in `pluginDir` (no model code runs).
Result<sdk::ModelInfo> describeFmu(const std::string &pluginDir, const std::string &fmu);
// time,<input>... with a header row; numbers only; errors name file:line.
bool readInputs(const std::string &path, model::sim::InputTable &table, std::string &error);

} // namespace twin::cli
