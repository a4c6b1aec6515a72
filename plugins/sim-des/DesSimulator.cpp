#include "DesSimulator.h"

#include <cmath>

namespace twin::simdes {

using sdk::Status;
using sdk::StepResult;

sdk::SimCapability DesSimulator::capabilities() const
{
    return sdk::SimCapability::FixedStep | sdk::SimCapability::Events | sdk::SimCapability::Stochastic;
}

std::vector<sdk::ModelInfo> DesSimulator::models(const std::string &jsonConfig)
{
    std::vector<sdk::ModelInfo> out;
    for (const auto &id : ModelSetup::modelIds()) {
        ModelSetup setup;
        // A config meant for one model may not suit the others: describe those with their defaults.
        if (setup.init(id, jsonConfig).empty() || (id != "network" && setup.init(id, "{}").empty())) {
            out.push_back(setup.describe());
        } else {
            sdk::ModelInfo info; // "network" without a network in the config
            info.id = id;
            info.version = "1.0.0";
            info.description = "a network from the config: sources, stations, resources, assets, sinks "
                               "(none in this config)";
            out.push_back(info);
        }
    }
    return out;
}

Status DesSimulator::fail(const std::string &message)
{
    m_state = State::Failed;
    m_failure = message;
    m_engine.reset();
    return Status::error(message);
}

Status DesSimulator::wrongState(const char *call)
{
    if (m_state == State::Failed)
        return Status::error("sim-des failed earlier: " + m_failure);
    static const char *const names[] = {"not loaded", "loaded", "running", "terminated", "failed"};
    return fail(std::string(call) + " is not allowed when the simulator is " + names[int(m_state)]);
}

Status DesSimulator::load(const std::string &modelId, const std::string &jsonConfig)
{
    if (m_state != State::Empty)
        return wrongState("load()");
    if (auto e = m_setup.init(modelId, jsonConfig); !e.empty())
        return fail("sim-des model '" + modelId + "': " + e);
    m_state = State::Loaded;
    return Status::ok();
}

Status DesSimulator::setReal(const std::string &name, double value)
{
    if (m_state != State::Loaded)
        return wrongState("setReal() (parameters are set between load() and initialize())");
    if (auto e = m_setup.setParameter(name, value); !e.empty())
        return fail(e);
    return Status::ok();
}

Status DesSimulator::initialize(double startTime)
{
    if (m_state != State::Loaded)
        return wrongState("initialize()");
    if (!std::isfinite(startTime))
        return fail("initialize(): the start time must be finite");
    NetworkSpec spec;
    if (auto e = m_setup.buildSpec(spec); !e.empty())
        return fail(e);
    m_engine = std::make_unique<Engine>();
    if (auto e = m_engine->build(spec, startTime); !e.empty())
        return fail("model '" + m_setup.modelId() + "': " + e);
    m_end = startTime + m_setup.parameter("horizon");
    m_state = State::Running;
    return Status::ok();
}

StepResult DesSimulator::step(double dt, double &reached, std::string &message)
{
    if (m_state != State::Running) {
        message = wrongState("step()").message();
        reached = m_engine ? m_engine->now() : 0;
        return StepResult::Error;
    }
    reached = m_engine->now();
    if (!std::isfinite(dt) || dt < 0) {
        message = fail("step(): dt must be finite and >= 0").message();
        return StepResult::Error;
    }
    double target = reached + dt;
    StepResult result = StepResult::Ok;
    // Steps that land on the horizon up to rounding (many small steps) are not a Discard.
    const double slack = 1e-9 * std::max(1.0, std::abs(m_end));
    if (target > m_end + slack) {
        target = m_end;
        result = StepResult::Discard;
        message = "the horizon (t = " + std::to_string(m_end) + ") is reached";
    } else if (target > m_end) {
        target = m_end;
    }
    if (target < reached)
        target = reached;
    if (!m_engine->runUntil(target, &cancelRequested)) {
        reached = m_engine->now();
        message = "cancelled at t = " + std::to_string(reached);
        return StepResult::Cancelled;
    }
    reached = m_engine->now();
    return result;
}

Status DesSimulator::getReal(const std::string &name, double &value) const
{
    if (m_state == State::Failed)
        return Status::error("sim-des failed earlier: " + m_failure);
    if (m_state == State::Empty)
        return Status::error("getReal('" + name + "'): no model loaded");
    if (m_setup.hasParameter(name)) {
        value = m_setup.parameter(name);
        return Status::ok();
    }
    if (!m_engine)
        return Status::error("getReal('" + name + "'): outputs exist after initialize()");
    if (m_engine->output(m_setup.resolve(name), value))
        return Status::ok();
    return Status::error("getReal: model '" + m_setup.modelId() + "' has no variable '" + name + "'");
}

void DesSimulator::terminate()
{
    if (m_state != State::Failed)
        m_state = State::Terminated;
    m_engine.reset();
}

} // namespace twin::simdes
