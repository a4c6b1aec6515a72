#include "FmiSimulator.h"
#include "FmuDetails.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>

namespace twin::fmi {

namespace {

struct Config
{
    std::string fmu, interface, solver;
    std::optional<double> tolerance, stopTime;
    std::string error;
};

Config readConfig(const std::string &json)
{
    Config c;
    try {
        const auto doc = nlohmann::json::parse(json.empty() ? "{}" : json);
        c.fmu = doc.value("fmu", std::string());
        if (doc.contains("tolerance") && doc["tolerance"].is_number())
            c.tolerance = doc["tolerance"].get<double>();
        if (doc.contains("stopTime") && doc["stopTime"].is_number())
            c.stopTime = doc["stopTime"].get<double>();
        c.interface = doc.value("interface", std::string());
        c.solver = doc.value("solver", std::string());
        if (c.fmu.empty())
            c.error = "FMI config lacks \"fmu\" (the path of the .fmu file)";
        else if (!c.interface.empty() && c.interface != "cs" && c.interface != "me")
            c.error = "FMI config: \"interface\" is \"" + c.interface + "\"; use \"cs\" or \"me\"";
        else if (!c.solver.empty() && c.solver != "cvode" && c.solver != "dopri5")
            c.error = "FMI config: \"solver\" is \"" + c.solver + "\"; use \"cvode\" or \"dopri5\"";
    } catch (const nlohmann::json::exception &e) {
        c.error = std::string("FMI config is not valid JSON: ") + e.what();
    }
    return c;
}

std::string fileName(const std::string &path)
{
    return std::filesystem::path(path).filename().string();
}

} // namespace

FmiSimulator::FmiSimulator() = default;
FmiSimulator::~FmiSimulator()
{
    terminate();
}

sdk::SimCapability FmiSimulator::capabilities() const
{
    const auto base = sdk::SimCapability::FixedStep | sdk::SimCapability::Inputs;
    const bool me = m_interface == FmuInstance::Interface::ModelExchange;
    const bool once = me ? m_description.modelExchange.canBeInstantiatedOnlyOncePerProcess
                         : m_description.capabilities.canBeInstantiatedOnlyOncePerProcess;
    const bool state = me ? m_description.modelExchange.canGetAndSetFMUState &&
                                m_description.modelExchange.canSerializeFMUState
                          : m_description.capabilities.canGetAndSetFMUState &&
                                m_description.capabilities.canSerializeFMUState;
    auto caps = once ? base | sdk::SimCapability::OncePerProcess : base;
    return state ? caps | sdk::SimCapability::SaveRestore : caps;
}

bool FmiSimulator::readDescription(const std::string &fmuPath, FmuDescription &out, std::string &error)
{
    std::string xml;
    if (!FmuArchive::readEntry(fmuPath, "modelDescription.xml", xml, error))
        return false;
    return parseModelDescription(xml, fileName(fmuPath), out, error);
}

sdk::Causality FmiSimulator::causalityOf(const FmuVariable &v)
{
    if (v.causality == "parameter")
        return sdk::Causality::Parameter;
    if (v.causality == "input")
        return sdk::Causality::Input;
    if (v.causality == "output")
        return sdk::Causality::Output;
    return sdk::Causality::Local;
}

sdk::ModelInfo FmiSimulator::toModelInfo(const FmuDescription &d)
{
    sdk::ModelInfo info;
    info.id = d.modelIdentifier;
    info.description = d.description;
    info.version = "FMI " + d.fmiVersion + (d.hasCoSimulation ? "" : " (model exchange)");
    for (const auto &v : d.variables) {
        if (!(v.isNumeric() || v.isString() || v.isBinary()) || v.causality == "independent")
            continue; // clocks and whole arrays are not offered (array elements are, as numbers)
        sdk::VariableInfo info1;
        info1.name = v.name;
        info1.causality = causalityOf(v);
        info1.unit = v.unit;
        info1.start = v.start.value_or(0);
        info1.description = v.description;
        info1.type = v.isString()              ? sdk::ValueType::String
                     : v.isBinary()            ? sdk::ValueType::Binary
                     : v.isReal()              ? sdk::ValueType::Real
                     : v.type == "Boolean"     ? sdk::ValueType::Boolean
                     : v.type == "Enumeration" ? sdk::ValueType::Enumeration
                                               : sdk::ValueType::Integer;
        info1.startText = v.startText.value_or("");
        info.variables.push_back(std::move(info1));
    }
    info.defaultStart = d.startTime.value_or(0);
    info.defaultStop = d.stopTime.value_or(info.defaultStart + 10);
    info.defaultStep = d.stepSize.value_or((info.defaultStop - info.defaultStart) / 500);
    return info;
}

std::vector<sdk::ModelInfo> FmiSimulator::models(const std::string &jsonConfig)
{
    const Config config = readConfig(jsonConfig);
    FmuDescription d;
    std::string error;
    if (!config.error.empty() || !readDescription(config.fmu, d, error))
        return {};
    return {toModelInfo(d)};
}

sdk::Status FmiSimulator::describe(const std::string &jsonConfig, sdk::ModelInfo &out)
{
    const Config config = readConfig(jsonConfig);
    if (!config.error.empty())
        return sdk::Status::error(config.error);
    FmuDescription d;
    std::string error;
    if (!readDescription(config.fmu, d, error))
        return sdk::Status::error(error);
    out = toModelInfo(d);
    out.detailsJson = detailsJson(d);
    return sdk::Status::ok();
}

sdk::Status FmiSimulator::fail(std::string message)
{
    m_state = State::Failed;
    m_failure = message;
    if (m_instance)
        m_instance->terminate();
    return sdk::Status::error(std::move(message));
}

const FmuVariable *FmiSimulator::variable(const std::string &name) const
{
    // Hosts read the same few outputs after every step: a one-entry cache saves the hash on the hot path.
    if (m_lastVariable && name == m_lastVariable->name)
        return m_lastVariable;
    const auto it = m_index.find(name);
    if (it == m_index.end())
        return nullptr;
    m_lastVariable = &m_description.variables[it->second];
    return m_lastVariable;
}

sdk::Status FmiSimulator::load(const std::string &modelId, const std::string &jsonConfig)
{
    if (m_state != State::Empty)
        return sdk::Status::error("load() called twice; create a new simulator instead");
    const Config config = readConfig(jsonConfig);
    if (!config.error.empty())
        return fail(config.error);
    m_label = fileName(config.fmu);
    m_tolerance = config.tolerance;
    m_stopTime = config.stopTime;
    m_archive = std::make_unique<FmuArchive>();
    std::string error, xml;
    if (!m_archive->unpack(config.fmu, error))
        return fail(error);
    if (!FmuArchive::readEntry(config.fmu, "modelDescription.xml", xml, error) ||
        !parseModelDescription(xml, m_label, m_description, error))
        return fail(error);
    if (!modelId.empty() && modelId != m_description.modelIdentifier)
        return fail(m_label + ": the FMU provides model \"" + m_description.modelIdentifier + "\", not \"" +
                    modelId + "\"");
    const bool me = m_description.modelExchange.present;
    if (config.interface == "me" && !me)
        return fail(m_label + ": the FMU has no model-exchange interface (<ModelExchange>)");
    if (config.interface == "cs" && !m_description.hasCoSimulation)
        return fail(m_label + ": the FMU has no co-simulation interface (<CoSimulation>); run it as model "
                              "exchange");
    m_interface = config.interface == "me" || !m_description.hasCoSimulation
                      ? FmuInstance::Interface::ModelExchange
                      : FmuInstance::Interface::CoSimulation;
    if (!config.solver.empty())
        m_meOptions.solver = config.solver;
    m_meOptions.tolerance = m_tolerance.value_or(m_description.tolerance.value_or(1e-6));
    if (m_interface == FmuInstance::Interface::ModelExchange && !m_tolerance)
        m_tolerance = m_meOptions.tolerance; // the FMU is told the integrator's tolerance
    m_warnings = m_description.warnings;
    for (std::size_t i = 0; i < m_description.variables.size(); ++i)
        m_index.emplace(m_description.variables[i].name, i);
    m_instance = std::make_unique<FmuInstance>();
    if (!m_instance->load(m_description, m_interface, m_archive->directory(), m_label, error, m_warnings) ||
        !m_instance->instantiate(m_description.modelIdentifier, error))
        return fail(error);
    m_state = State::Loaded;
    return sdk::Status::ok();
}

sdk::Status FmiSimulator::setReal(const std::string &name, double value)
{
    if (m_state == State::Failed)
        return sdk::Status::error(m_failure);
    if (m_state == State::Empty)
        return sdk::Status::error("setReal(\"" + name + "\") before load()");
    sdk::Status refused = sdk::Status::ok();
    const FmuVariable *v = settable(name, "setReal", refused);
    if (!v)
        return refused;
    if (!v->isNumeric())
        return sdk::Status::error(m_label + ": \"" + name + "\" is a" +
                                  (v->isArray ? "n array" : " " + v->type) + " variable, not a number" +
                                  (v->isString()   ? " (set it as text)"
                                   : v->isBinary() ? " (set it as bytes)"
                                                   : ""));
    if (std::string why; !FmuInstance::representable(*v, value, m_description.fmiMajor, why))
        return sdk::Status::error(m_label + ": " + why);
    const std::size_t index = m_index.at(name);
    if (m_state == State::Loaded) {
        m_pending.emplace_back(index, value);
        return sdk::Status::ok();
    }
    if (v->causality != "input" && v->variability != "tunable")
        return sdk::Status::error(m_label + ": \"" + name + "\" is a " + v->variability + " " + v->causality +
                                  "; set it before initialize()");
    if (m_me) {
        m_changes.emplace_back(index, value);
        return sdk::Status::ok();
    }
    std::string error;
    if (!m_instance->setValue(*v, value, error))
        return fail(error);
    return sdk::Status::ok();
}

sdk::Status FmiSimulator::initialize(double startTime)
{
    if (m_state != State::Loaded)
        return sdk::Status::error(m_state == State::Failed ? m_failure : "initialize() needs a loaded model");
    std::string error;
    auto apply = [&](bool initializationMode) {
        for (const auto &[index, value] : m_pending) {
            const FmuVariable &v = m_description.variables[index];
            const bool exact = v.initial == "exact" || (v.initial.empty() && v.causality == "parameter");
            if (initializationMode && !exact && v.causality != "input")
                continue; // the standard allows only exact-initial variables and inputs in this mode
            if (!initializationMode && v.arrayLength > 0)
                continue; // an element is set by reading the whole array, which needs initialization mode
            if (!m_instance->setValue(v, value, error)) {
                error += " (setting \"" + v.name + "\")";
                return false;
            }
        }
        auto wanted = [&](const FmuVariable &v) {
            const bool exact = v.initial == "exact" || (v.initial.empty() && v.causality == "parameter");
            return !initializationMode || exact || v.causality == "input";
        };
        for (const auto &[index, text] : m_pendingText)
            if (const FmuVariable &v = m_description.variables[index];
                wanted(v) && !m_instance->setText(v, text, error))
                return error += " (setting \"" + v.name + "\")", false;
        for (const auto &[index, bytes] : m_pendingBytes)
            if (const FmuVariable &v = m_description.variables[index];
                wanted(v) && !m_instance->setBytes(v, bytes, error))
                return error += " (setting \"" + v.name + "\")", false;
        return true;
    };
    if (!apply(false) || !m_instance->enterInitialization(startTime, m_stopTime, m_tolerance, error) ||
        !apply(true) || !m_instance->exitInitialization(error))
        return fail(error);
    if (m_interface == FmuInstance::Interface::ModelExchange) {
        m_me = std::make_unique<ModelExchange>(*m_instance, m_label,
                                               m_description.modelExchange.needsCompletedIntegratorStep);
        if (!m_me->start(startTime, m_meOptions, error))
            return fail(error);
    }
    m_time = startTime;
    m_state = State::Running;
    return sdk::Status::ok();
}

sdk::StepResult FmiSimulator::step(double dt, double &reached, std::string &message)
{
    reached = m_time;
    if (m_state != State::Running) {
        message = m_state == State::Failed ? m_failure : "step() before initialize()";
        return sdk::StepResult::Error;
    }
    if (cancelRequested.load(std::memory_order_relaxed))
        return sdk::StepResult::Cancelled;
    const FmuInstance::StepStatus status =
        m_me ? advanceModelExchange(dt, reached, message) : m_instance->doStep(m_time, dt, reached, message);
    switch (status) {
    case FmuInstance::StepStatus::Ok: {
        m_time = reached;
        for (auto &w : m_instance->takeWarnings())
            m_warnings.push_back(m_label + ": " + w);
        for (std::size_t i = 0; i < m_warnings.size(); ++i)
            message += (i ? "\n" : "") + m_warnings[i];
        m_warnings.clear();
        return sdk::StepResult::Ok;
    }
    case FmuInstance::StepStatus::Cancelled:
        m_time = reached;
        return sdk::StepResult::Cancelled;
    case FmuInstance::StepStatus::Discard:
    case FmuInstance::StepStatus::Terminated:
        m_time = reached;
        return sdk::StepResult::Discard;
    case FmuInstance::StepStatus::Error:
        fail(message);
        return sdk::StepResult::Error;
    }
    return sdk::StepResult::Error;
}

FmuInstance::StepStatus FmiSimulator::advanceModelExchange(double dt, double &reached, std::string &message)
{
    // Changed values first, all in one event-mode visit.
    std::vector<std::pair<std::size_t, double>> changes;
    for (const auto &[index, value] : m_changes) {
        const auto it = m_applied.find(index);
        if (it == m_applied.end() || it->second != value)
            changes.emplace_back(index, value);
    }
    m_changes.clear();
    if (!changes.empty()) {
        const bool ok = m_me->changeInEventMode(
            [&](std::string &error) {
                for (const auto &[index, value] : changes) {
                    const FmuVariable &v = m_description.variables[index];
                    if (!m_instance->setValue(v, value, error))
                        return error += " (setting \"" + v.name + "\")", false;
                    m_applied[index] = value;
                }
                return true;
            },
            message);
        if (!ok)
            return FmuInstance::StepStatus::Error;
    }
    switch (m_me->advance(m_time + dt, reached, message, cancelRequested)) {
    case ModelExchange::Outcome::Ok:
        return FmuInstance::StepStatus::Ok;
    case ModelExchange::Outcome::Terminated:
        return FmuInstance::StepStatus::Terminated;
    case ModelExchange::Outcome::Cancelled:
        return FmuInstance::StepStatus::Cancelled;
    case ModelExchange::Outcome::Error:
        break;
    }
    return FmuInstance::StepStatus::Error;
}

sdk::Status FmiSimulator::getReal(const std::string &name, double &value) const
{
    if (m_state != State::Running && m_state != State::Loaded)
        return sdk::Status::error(m_state == State::Failed ? m_failure : "getReal() before load()");
    const FmuVariable *v = variable(name);
    if (!v || !v->isNumeric())
        return sdk::Status::error(m_label + ": no numeric variable \"" + name + "\"");
    std::string error;
    if (!m_instance->getValue(*v, value, error))
        return sdk::Status::error(error);
    return sdk::Status::ok();
}

const FmuVariable *FmiSimulator::settable(const std::string &name, const char *what, sdk::Status &error) const
{
    if (m_state == State::Failed || m_state == State::Empty) {
        error = sdk::Status::error(
            m_state == State::Failed ? m_failure : std::string(what) + "(\"" + name + "\") before load()");
        return nullptr;
    }
    const FmuVariable *v = variable(name);
    if (!v) {
        error = sdk::Status::error(m_label + ": no variable \"" + name + "\"");
        return nullptr;
    }
    if (v->variability == "constant" || v->causality == "output" || v->causality == "calculatedParameter" ||
        v->causality == "independent" || v->causality == "structuralParameter" ||
        v->initial == "calculated") {
        error = sdk::Status::error(m_label + ": \"" + name + "\" (" + v->causality + ", " + v->variability +
                                   ") cannot be set");
        return nullptr;
    }
    return v;
}

sdk::Status FmiSimulator::setTyped(const std::string &name, const std::string *text,
                                   const std::vector<std::uint8_t> *bytes)
{
    sdk::Status refused = sdk::Status::ok();
    const FmuVariable *v = settable(name, text ? "setString" : "setBinary", refused);
    if (!v)
        return refused;
    if (text ? !v->isString() : !v->isBinary())
        return sdk::Status::error(m_label + ": \"" + name + "\" is a" +
                                  (v->isArray ? "n array" : " " + v->type) + " variable, not " +
                                  (text ? "a String" : "a Binary"));
    const std::size_t index = m_index.at(name);
    if (m_state == State::Loaded) {
        if (text)
            m_pendingText.emplace_back(index, *text);
        else
            m_pendingBytes.emplace_back(index, *bytes);
        return sdk::Status::ok();
    }
    if (v->causality != "input" && v->variability != "tunable")
        return sdk::Status::error(m_label + ": \"" + name + "\" is a " + v->variability + " " + v->causality +
                                  "; set it before initialize()");
    std::string error;
    if (text ? !m_instance->setText(*v, *text, error) : !m_instance->setBytes(*v, *bytes, error))
        return fail(error);
    return sdk::Status::ok();
}

sdk::Status FmiSimulator::setString(const std::string &name, const std::string &value)
{
    return setTyped(name, &value, nullptr);
}

sdk::Status FmiSimulator::setBinary(const std::string &name, const std::vector<std::uint8_t> &value)
{
    return setTyped(name, nullptr, &value);
}

sdk::Status FmiSimulator::getString(const std::string &name, std::string &value) const
{
    if (m_state != State::Running && m_state != State::Loaded)
        return sdk::Status::error(m_state == State::Failed ? m_failure : "getString() before load()");
    const FmuVariable *v = variable(name);
    if (!v || !v->isString())
        return sdk::Status::error(m_label + ": no String variable \"" + name + "\"");
    std::string error;
    if (!m_instance->getText(*v, value, error))
        return sdk::Status::error(error);
    return sdk::Status::ok();
}

sdk::Status FmiSimulator::getBinary(const std::string &name, std::vector<std::uint8_t> &value) const
{
    if (m_state != State::Running && m_state != State::Loaded)
        return sdk::Status::error(m_state == State::Failed ? m_failure : "getBinary() before load()");
    const FmuVariable *v = variable(name);
    if (!v || !v->isBinary())
        return sdk::Status::error(m_label + ": no Binary variable \"" + name + "\"");
    std::string error;
    if (!m_instance->getBytes(*v, value, error))
        return sdk::Status::error(error);
    return sdk::Status::ok();
}

namespace {
// A saved state: magic, format version, the simulator's time, then the FMU's own serialized state.
constexpr char kStateMagic[4] = {'T', 'W', 'F', 'S'};
constexpr std::uint32_t kStateFormat = 1;
constexpr std::size_t kStateHeader = sizeof kStateMagic + sizeof kStateFormat + sizeof(double);
} // namespace

sdk::Status FmiSimulator::saveState(std::vector<std::uint8_t> &state)
{
    if (m_state != State::Running)
        return sdk::Status::error(m_state == State::Failed ? m_failure
                                                           : "saveState() needs an initialized model");
    if (!sdk::hasCapability(capabilities(), sdk::SimCapability::SaveRestore))
        return sdk::Status::error(m_label + ": the FMU does not declare canGetAndSetFMUState and "
                                            "canSerializeFMUState; its state cannot be saved");
    std::vector<std::uint8_t> fmu;
    std::string error;
    if (!m_instance->serializeState(fmu, error))
        return sdk::Status::error(error);
    state.resize(kStateHeader);
    std::memcpy(state.data(), kStateMagic, sizeof kStateMagic);
    std::memcpy(state.data() + 4, &kStateFormat, sizeof kStateFormat);
    std::memcpy(state.data() + 8, &m_time, sizeof m_time);
    state.insert(state.end(), fmu.begin(), fmu.end());
    return sdk::Status::ok();
}

sdk::Status FmiSimulator::restoreState(const std::vector<std::uint8_t> &state)
{
    if (m_state != State::Running)
        return sdk::Status::error(m_state == State::Failed ? m_failure
                                                           : "restoreState() needs an initialized model");
    std::uint32_t format = 0;
    if (state.size() > 4)
        std::memcpy(&format, state.data() + 4, sizeof format);
    if (state.size() < kStateHeader || std::memcmp(state.data(), kStateMagic, sizeof kStateMagic) != 0 ||
        format != kStateFormat)
        return sdk::Status::error(m_label + ": not a state saved by this backend");
    double time = 0;
    std::memcpy(&time, state.data() + 8, sizeof time);
    std::string error;
    if (!m_instance->deserializeState(std::vector<std::uint8_t>(state.begin() + kStateHeader, state.end()),
                                      error))
        return fail(error);
    m_time = time;
    m_changes.clear();
    m_applied.clear();
    if (m_me && !m_me->resume(time, error))
        return fail(error);
    return sdk::Status::ok();
}

void FmiSimulator::terminate()
{
    m_me.reset();
    if (m_instance)
        m_instance->terminate();
    if (m_state == State::Running || m_state == State::Loaded)
        m_state = State::Empty;
}

} // namespace twin::fmi
