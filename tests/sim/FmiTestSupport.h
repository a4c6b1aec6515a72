#pragma once
// Shared by the FMI tests: the test FMUs built by tests/fmus, a job over one of them, and limits that keep a
// misbehaving FMU's run short.
#include "twin/model/simrunner/SimulationRunner.h"

#include <string>

namespace twin::fmitest {

inline const std::string kBin = TWIN_BINARY_DIR;

inline std::string fmuPath(const std::string &name)
{
    return kBin + "/tests/fmus/" + name + ".fmu";
}

inline twin::model::sim::SimulationJob fmuJob(const std::string &name, double stop = 1, double step = 0.1)
{
    twin::model::sim::SimulationJob job;
    job.pluginDir = kBin + "/plugins";
    job.pluginId = "twin.sim-fmi";
    job.config = "{\"fmu\": \"" + fmuPath(name) + "\"}";
    job.label = name + ".fmu";
    job.stepName = "doStep";
    job.stop = stop;
    job.step = step;
    return job;
}

inline twin::model::sim::RunLimits quickLimits()
{
    twin::model::sim::RunLimits limits;
    limits.answerSeconds = 1.5;
    limits.wallSeconds = 20;
    limits.memoryBytes = 256ull << 20;
    return limits;
}

} // namespace twin::fmitest
