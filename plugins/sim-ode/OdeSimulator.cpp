#include "OdeSimulator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace twin::simode {

using sdk::Status;

namespace {
std::string singleComponent(const std::string &type)
{
    return R"({"components": [{"name": "", "type": ")" + type + R"("}]})";
}
} // namespace

sdk::SimCapability OdeSimulator::capabilities() const
{
    using C = sdk::SimCapability;
    return C::FixedStep | C::VariableStep | C::Events | C::Inputs | C::SaveRestore;
}

std::vector<sdk::ModelInfo> OdeSimulator::models(const std::string &)
{
    std::vector<sdk::ModelInfo> out;
    std::string error;
    for (const auto &type : componentTypes()) {
        Network n;
        if (n.build(singleComponent(type.id), error))
            out.push_back({type.id, type.description, "1.0", n.variables(), 0, 100, 1, {}});
    }
    Network station;
    if (station.build(pumpStationConfig(), error))
        out.push_back(
            {"pumpstation",
             "Pump and motor feed a tank through a valve; the tank drains; the valve closes at a high "
             "level and reopens at a low level",
             "1.0",
             station.variables(),
             0,
             600,
             1,
             {}});
    return out;
}

Status OdeSimulator::failWith(std::string message)
{
    m_state = State::Failed;
    m_failure = message;
    return Status::error(std::move(message));
}

Status OdeSimulator::load(const std::string &modelId, const std::string &jsonConfig)
{
    if (m_state != State::Empty)
        return failWith("load: a model is already loaded (create a new instance)");
    nlohmann::json config = nlohmann::json::object();
    try {
        if (!jsonConfig.empty())
            config = nlohmann::json::parse(jsonConfig);
    } catch (const nlohmann::json::exception &e) {
        return failWith(std::string("load: malformed config JSON: ") + e.what());
    }
    if (!config.is_object())
        return failWith("load: config is not a JSON object");
    nlohmann::json net;
    if (modelId == "network") {
        net = config;
    } else if (modelId == "pumpstation") {
        net = nlohmann::json::parse(pumpStationConfig());
        if (config.contains("events"))
            net["events"] = config["events"];
    } else if (findComponentType(modelId)) {
        net = nlohmann::json::parse(singleComponent(modelId));
    } else {
        return failWith("load: unknown model \"" + modelId + "\"");
    }
    if (config.contains("parameters"))
        net["parameters"] = config["parameters"];
    std::string error;
    if (!m_network.build(net.dump(), error))
        return failWith("load " + modelId + ": " + error);
    m_solverName = config.value("solver", std::string("dopri5"));
    if (m_solverName != "dopri5" && m_solverName != "cvode")
        return failWith("load: solver \"" + m_solverName + "\" is neither \"dopri5\" nor \"cvode\"");
    m_options.rtol = config.value("rtol", 1e-6);
    m_options.atol = config.value("atol", 1e-9);
    // Output times by dense output rather than by shortened steps (DOPRI5, networks without events).
    m_options.interpolate = config.value("interpolate", true);
    if (config.contains("maxStep"))
        m_options.maxStep = config["maxStep"].get<double>();
    m_modelId = modelId;
    m_state = State::Loaded;
    return Status::ok();
}

Status OdeSimulator::setReal(const std::string &name, double value)
{
    if (m_state != State::Loaded && m_state != State::Running)
        return Status::error("setReal: no model loaded" + (m_failure.empty() ? "" : " (" + m_failure + ")"));
    if (!std::isfinite(value))
        return Status::error("setReal " + name + ": value is not finite");
    double before = 0;
    const bool known = m_network.get(name, before);
    std::string error;
    if (!m_network.set(name, value, error))
        return Status::error("setReal: " + error);
    // A parameter or input change restarts the step history; hosts set every input before every step, and an
    // unchanged value must not cost a restart.
    if (m_state == State::Running && m_solver && !(known && before == value))
        m_solver->reset(m_solver->y());
    return Status::ok();
}

Status OdeSimulator::initialize(double startTime)
{
    if (m_state != State::Loaded)
        return failWith("initialize: expected a loaded, not yet initialized model");
    m_t = startTime;
    const ode::OdeSystem system = m_network.system();
    if (system.size > 0) {
        m_solver = m_solverName == "cvode" ? ode::makeCvode() : ode::makeDopri5();
        if (!m_solver->init(system, startTime, m_network.initialState(), m_options))
            return failWith("initialize: " + m_solver->error());
        m_network.evaluate(startTime, m_solver->y().data());
    } else {
        m_network.evaluate(startTime, nullptr);
    }
    m_state = State::Running;
    return Status::ok();
}

namespace {
constexpr char kStateMagic[8] = {'t', 'w', 'o', 'd', 'e', 's', 't', '1'};
}

Status OdeSimulator::saveState(std::vector<std::uint8_t> &state)
{
    if (m_state != State::Running)
        return Status::error("saveState: the model is not running");
    std::vector<double> values = m_network.values();
    values.insert(values.begin(), m_t);
    state.assign(kStateMagic, kStateMagic + sizeof kStateMagic);
    const auto *bytes = reinterpret_cast<const std::uint8_t *>(values.data());
    state.insert(state.end(), bytes, bytes + values.size() * sizeof(double));
    return Status::ok();
}

Status OdeSimulator::restoreState(const std::vector<std::uint8_t> &state)
{
    if (m_state != State::Running)
        return Status::error("restoreState: initialize the model first");
    if (state.size() < sizeof kStateMagic + sizeof(double) ||
        !std::equal(kStateMagic, kStateMagic + sizeof kStateMagic, state.begin()) ||
        (state.size() - sizeof kStateMagic) % sizeof(double) != 0)
        return Status::error("restoreState: not a sim-ode model state");
    std::vector<double> values((state.size() - sizeof kStateMagic) / sizeof(double));
    std::memcpy(values.data(), state.data() + sizeof kStateMagic, values.size() * sizeof(double));
    const double t = values.front();
    values.erase(values.begin());
    if (!m_network.setValues(values))
        return Status::error("restoreState: the state is of another model (" + std::to_string(values.size()) +
                             " values)");
    m_t = t;
    const ode::OdeSystem system = m_network.system();
    if (system.size > 0) {
        std::vector<double> x(values.end() - std::ptrdiff_t(system.size), values.end());
        m_solver = m_solverName == "cvode" ? ode::makeCvode() : ode::makeDopri5();
        if (!m_solver->init(system, t, x, m_options))
            return failWith("restoreState: " + m_solver->error());
        m_network.evaluate(t, m_solver->y().data());
    } else {
        m_network.evaluate(t, nullptr);
    }
    return Status::ok();
}

sdk::StepResult OdeSimulator::step(double dt, double &reached, std::string &message)
{
    reached = m_t;
    if (m_state != State::Running) {
        message = "step: model not initialized" + (m_failure.empty() ? "" : " (" + m_failure + ")");
        return sdk::StepResult::Error;
    }
    if (!(dt > 0) || !std::isfinite(dt)) {
        message = "step: dt must be positive";
        return sdk::StepResult::Error;
    }
    if (!m_solver) { // algebraic model
        m_t += dt;
        reached = m_t;
        m_network.evaluate(m_t, nullptr);
        return sdk::StepResult::Ok;
    }
    const ode::Advance r = m_solver->advance(m_t + dt, &cancelRequested);
    m_t = m_solver->t();
    reached = m_t;
    m_network.evaluate(m_t, m_solver->y().data());
    switch (r) {
    case ode::Advance::Reached:
        return sdk::StepResult::Ok;
    case ode::Advance::Stopped:
        message = "stopped by an event";
        return sdk::StepResult::Discard;
    case ode::Advance::Cancelled:
        message = "cancelled at t = " + std::to_string(m_t);
        return sdk::StepResult::Cancelled;
    case ode::Advance::Failed:
        break;
    }
    message = m_modelId + ": " + m_solver->error();
    failWith(message);
    return sdk::StepResult::Error;
}

Status OdeSimulator::getReal(const std::string &name, double &value) const
{
    if (m_state == State::Empty)
        return Status::error("getReal: no model loaded");
    if (!m_network.get(name, value))
        return Status::error("getReal: no variable \"" + name + "\"");
    return Status::ok();
}

void OdeSimulator::terminate()
{
    m_solver.reset();
    if (m_state != State::Failed)
        m_state = State::Terminated;
}

} // namespace twin::simode
