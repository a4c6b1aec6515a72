#pragma once
// twin::sdk::Simulator over the sim-ode model library and solvers. Models: each component type (pump, motor,
// tank, valve, pipe, thermalNode; unprefixed variable names), "pumpstation" (built-in network) and "network"
// (the config's own "components"/"connections"/"events", see Network.h).
//
// Config JSON for load(): {"solver": "dopri5" | "cvode", "rtol": 1e-6, "atol": 1e-9, "maxStep": inf,
// "interpolate": true (DOPRI5 without events: communication points by dense output, not shortened steps),
// "parameters": {"name": value}, and for "network"/"pumpstation" the Network keys (pumpstation's "events"
// replace the built-in ones when given)}.
//
// Threads: as in twin/sdk/Simulator.h; step() polls cancelRequested every solver step.
#include "Network.h"

#include "twin/sdk/Simulator.h"

#include <memory>

namespace twin::simode {

class OdeSimulator final : public sdk::Simulator
{
public:
    sdk::SimCapability capabilities() const override;
    std::vector<sdk::ModelInfo> models(const std::string &jsonConfig) override;
    sdk::Status load(const std::string &modelId, const std::string &jsonConfig) override;
    sdk::Status setReal(const std::string &name, double value) override;
    sdk::Status initialize(double startTime) override;
    sdk::StepResult step(double dt, double &reached, std::string &message) override;
    sdk::Status getReal(const std::string &name, double &value) const override;
    void terminate() override;
    // The time, parameters, inputs and states; restored into an initialized instance of the same model and
    // config, the solver starts afresh there (its step size is chosen again: results agree with an unbroken
    // run to the solver's tolerance, not bit for bit).
    sdk::Status saveState(std::vector<std::uint8_t> &state) override;
    sdk::Status restoreState(const std::vector<std::uint8_t> &state) override;

    const ode::SolverStats *solverStats() const { return m_solver ? &m_solver->stats() : nullptr; }

private:
    enum class State
    {
        Empty,
        Loaded,
        Running,
        Terminated,
        Failed
    };
    sdk::Status failWith(std::string message);

    State m_state = State::Empty;
    std::string m_failure, m_modelId;
    Network m_network;
    ode::SolverOptions m_options;
    std::string m_solverName = "dopri5";
    std::unique_ptr<ode::OdeSolver> m_solver;
    double m_t = 0;
};

} // namespace twin::simode
