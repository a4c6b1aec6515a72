#pragma once
// A simulation backend (ODE/physics, discrete-event, FMI co-simulation). Created by a plugin's factory,
// owned by the host (in a worker process for isolation), destroyed through the plugin's destroy function.
//
// Lifecycle: describe models -> load(model, config) -> setParameter/setInput (initialization) ->
// initialize(start) -> step(...) repeatedly, getting outputs -> terminate(). An error anywhere is terminal
// for that instance (state Failed, message kept); create a new instance to retry.
//
// Threads: every call comes from one host thread, never concurrently. A step may run long: it must check
// `cancel()` (the host sets it from another thread) at least every few milliseconds of work and return
// StepResult::Cancelled. Capabilities are typed flags (SimCapability), read from metadata and from
// capabilities() after load.
//
// ABI: C++ with std types, same rules as Connector.h (same compiler family and libstdc++ ABI).
#include "twin/sdk/Status.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace twin::sdk {

enum class SimCapability : std::uint32_t
{
    None = 0,
    FixedStep = 1u << 0,    // step(dt) with a given communication step
    VariableStep = 1u << 1, // internal adaptive steps within a communication step
    Events = 1u << 2,       // state/time events (e.g. a valve closing at a level)
    SaveRestore = 1u << 3,  // saveState / restoreState
    Stochastic = 1u << 4,   // results depend on a seed
    Inputs = 1u << 5,       // accepts inputs between steps
    // After load: the loaded model may be instantiated only once per process (FMI's
    // canBeInstantiatedOnlyOncePerProcess): hosts must not run a second model in the same process.
    OncePerProcess = 1u << 6,
};
constexpr SimCapability operator|(SimCapability a, SimCapability b)
{
    return SimCapability(std::uint32_t(a) | std::uint32_t(b));
}
constexpr bool hasCapability(SimCapability set, SimCapability flag)
{
    return (std::uint32_t(set) & std::uint32_t(flag)) != 0;
}

enum class Causality : std::uint8_t
{
    Parameter, // set before initialize()
    Input,     // set between steps
    Output,    // read after steps
    Local      // internal state, readable
};

// What a variable holds. Numbers (Real, Integer, Boolean as 0 / 1, Enumeration as its integer) go through
// setReal / getReal; String through setString / getString; Binary through setBinary / getBinary.
enum class ValueType : std::uint8_t
{
    Real,
    Integer,
    Boolean,
    Enumeration,
    String,
    Binary,
};
constexpr bool isNumber(ValueType type)
{
    return type != ValueType::String && type != ValueType::Binary;
}
// "Real", "Integer", "Boolean", "Enumeration", "String", "Binary".
inline const char *valueTypeName(ValueType type)
{
    static const char *const names[] = {"Real", "Integer", "Boolean", "Enumeration", "String", "Binary"};
    return names[int(type)];
}

struct VariableInfo
{
    std::string name;
    Causality causality = Causality::Output;
    std::string unit; // DTDL unit name where known, else the model's unit text
    double start = 0; // default / start value of a number
    std::string description;
    ValueType type = ValueType::Real;
    std::string startText{}; // start value of a String, or of a Binary as hex digits
};

struct ModelInfo
{
    std::string id; // e.g. "pump", "tank", "mm1", or the FMU's modelIdentifier
    std::string description;
    std::string version;
    std::vector<VariableInfo> variables;
    double defaultStart = 0, defaultStop = 10, defaultStep = 0.1; // default experiment
    // What the backend knows beyond the fields above, as one JSON object (empty: nothing more), for tools
    // that show a model in full: FMI puts its modelDescription here (value references, variability,
    // capabilities, units, warnings). Hosts never interpret it to run a model.
    std::string detailsJson;
};

enum class StepResult : std::uint8_t
{
    Ok,
    Discard,   // the step could not be completed as asked (FMI Discard); time reached is reported
    Error,     // terminal
    Cancelled, // the host's cancel flag was set
};

class Simulator
{
public:
    virtual ~Simulator() = default;
    virtual SimCapability capabilities() const = 0;
    // Models this backend offers without loading anything (FMI: the one FMU named in the config).
    virtual std::vector<ModelInfo> models(const std::string &jsonConfig) = 0;
    // Describes the one model `jsonConfig` names (FMI: its "fmu") without running model code, or says why it
    // cannot (file, line or field). Backends with built-in models need not override it.
    virtual Status describe(const std::string &jsonConfig, ModelInfo &out)
    {
        std::vector<ModelInfo> all = models(jsonConfig);
        if (all.size() != 1)
            return Status::error(all.empty() ? "no model" : "the configuration names no single model");
        out = std::move(all.front());
        return Status::ok();
    }
    // Loads one model; jsonConfig is per backend (e.g. solver, tolerances, seed, FMU path).
    virtual Status load(const std::string &modelId, const std::string &jsonConfig) = 0;
    virtual Status setReal(const std::string &name, double value) = 0;
    virtual Status initialize(double startTime) = 0;
    // Advances from the current time by dt. `reached` is the time actually reached.
    virtual StepResult step(double dt, double &reached, std::string &message) = 0;
    virtual Status getReal(const std::string &name, double &value) const = 0;
    // Text and byte variables (ValueType::String / Binary), set and read as numbers are. Backends without
    // them need not override these.
    virtual Status setString(const std::string &name, const std::string &value)
    {
        (void)value;
        return Status::error("setString " + name + ": this backend has no text variables");
    }
    virtual Status getString(const std::string &name, std::string &value) const
    {
        (void)value;
        return Status::error("getString " + name + ": this backend has no text variables");
    }
    virtual Status setBinary(const std::string &name, const std::vector<std::uint8_t> &value)
    {
        (void)value;
        return Status::error("setBinary " + name + ": this backend has no binary variables");
    }
    virtual Status getBinary(const std::string &name, std::vector<std::uint8_t> &value) const
    {
        (void)value;
        return Status::error("getBinary " + name + ": this backend has no binary variables");
    }
    virtual void terminate() = 0;
    // The whole model state after initialize() as bytes (FMI: get and serialize the FMU state), to go on
    // later from exactly this point in this or another instance loaded with the same model and config.
    // Backends that cannot (no SimCapability::SaveRestore) answer with an error.
    virtual Status saveState(std::vector<std::uint8_t> &state)
    {
        (void)state;
        return Status::error("this backend cannot save a model state");
    }
    // Restores what saveState gave, on an initialized instance; time goes on from the saved one.
    virtual Status restoreState(const std::vector<std::uint8_t> &state)
    {
        (void)state;
        return Status::error("this backend cannot restore a model state");
    }
    // Set by the host from another thread to interrupt a long step.
    std::atomic<bool> cancelRequested{false};
};

} // namespace twin::sdk
