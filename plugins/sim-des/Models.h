#pragma once
// The models the plugin offers and how a model id + JSON config + parameters become a NetworkSpec.
//   "mm1":         Poisson arrivals (lambda) -> 1 exponential server (mu), optional waiting capacity
//   "mmc":         the same with c servers
//   "maintenance": N pumps fail with rate lambdaF, k crews repair with rate muR (finite-source M/M/k//N)
//   "network":     any network written in the config (sources, stations, resources, assets, sinks)
// Every model has the parameters seed, warmup and horizon. Presets accept distribution overrides in the
// config ("interarrival", "service"; "life", "repair"), e.g. {"service": {"dist": "lognormal", "mean": 1,
// "sd": 0.5}}. Config format: plugins/sim-des/README.md.
#include "Engine.h"

#include "twin/sdk/Simulator.h"

#include <map>
#include <string>
#include <vector>

namespace twin::simdes {

class ModelSetup
{
public:
    static const std::vector<std::string> &modelIds();
    // Loads a model id with its defaults, then applies the config (parameters and overrides). Never throws:
    // malformed JSON and wrong values come back as the message (with the byte position or the JSON path).
    std::string init(const std::string &modelId, const std::string &jsonConfig);
    const std::string &modelId() const { return m_id; }
    bool hasParameter(const std::string &name) const { return m_params.count(name) != 0; }
    double parameter(const std::string &name) const { return m_params.at(name); }
    std::string setParameter(const std::string &name, double value);
    // The network for the current parameters; empty string or what is wrong.
    std::string buildSpec(NetworkSpec &spec) const;
    // Maps a preset alias ("L", "availability") to the engine's "<block>.<stat>" name.
    std::string resolve(const std::string &name) const;
    sdk::ModelInfo describe() const;

private:
    std::string m_id;
    std::map<std::string, double> m_params;
    std::map<std::string, Distribution> m_dists; // overrides from the config
    NetworkSpec m_network;                       // "network" only
};

} // namespace twin::simdes
