#pragma once
// The sim-des Simulator: load(model, config) -> setReal(parameters) -> initialize(start) -> step(dt)... ->
// terminate(). step(dt) processes every event up to now + dt; outputs are the running statistics at that
// time (restarted at start + warmup). A step beyond start + horizon stops at the horizon and returns Discard.
// A set cancelRequested stops a step within 1024 events (the clock is left at the last event; the host may
// clear the flag and step on). Any returned error is terminal (state Failed).
//
// Threads: every call from one host thread (Simulator.h); cancelRequested from any thread.
#include "Engine.h"
#include "Models.h"

#include "twin/sdk/Simulator.h"

#include <memory>

namespace twin::simdes {

class DesSimulator final : public sdk::Simulator
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

private:
    enum class State
    {
        Empty,
        Loaded,
        Running,
        Terminated,
        Failed
    };
    sdk::Status fail(const std::string &message);
    sdk::Status wrongState(const char *call);

    State m_state = State::Empty;
    std::string m_failure;
    ModelSetup m_setup;
    std::unique_ptr<Engine> m_engine;
    double m_end = 0; // start + horizon
};

} // namespace twin::simdes
