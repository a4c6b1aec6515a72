#pragma once
// The FMI backend behind the Simulator contract (plugins/sdk/include/twin/sdk/Simulator.h): one FMI 2.0
// or 3.0 FMU per instance, run as co-simulation (the FMU steps itself) or as model exchange (we integrate it:
// ModelExchange.h).
//
// Config JSON (models() and load()): {"fmu": "/path/model.fmu", "tolerance": 1e-6 (optional; the
// integrator's relative tolerance for model exchange, the DefaultExperiment's or 1e-6 when absent),
// "stopTime": 10 (optional, passed to the FMU as the defined stop time), "interface": "cs" | "me" (optional;
// co-simulation when the FMU has it, else model exchange), "solver": "cvode" | "dopri5" (model exchange;
// default cvode)}. The model id is the FMU's modelIdentifier (or empty: the one FMU in the config).
//
// Model exchange: values set after initialize() are applied together in event mode before the next step (the
// standard lets inputs and tunable parameters change there); an unchanged value is not set again.
//
// Values given with setReal() before initialize() are applied twice: after instantiation and again inside
// initialization mode (many exported FMUs only take parameters there). After initialize(), inputs and tunable
// parameters may be set between steps. Warnings (binary name mismatch, Latin-1 text, model warnings) are
// returned in step()'s message when the step is Ok.
#include "FmuArchive.h"
#include "FmuDescription.h"
#include "FmuInstance.h"
#include "ModelExchange.h"

#include "twin/sdk/Simulator.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace twin::fmi {

class FmiSimulator final : public sdk::Simulator
{
public:
    FmiSimulator();
    ~FmiSimulator() override;

    sdk::SimCapability capabilities() const override;
    std::vector<sdk::ModelInfo> models(const std::string &jsonConfig) override;
    // The FMU of the config, with its whole modelDescription in detailsJson (FmuDetails.h).
    sdk::Status describe(const std::string &jsonConfig, sdk::ModelInfo &out) override;
    sdk::Status load(const std::string &modelId, const std::string &jsonConfig) override;
    sdk::Status setReal(const std::string &name, double value) override;
    sdk::Status initialize(double startTime) override;
    sdk::StepResult step(double dt, double &reached, std::string &message) override;
    sdk::Status getReal(const std::string &name, double &value) const override;
    // String (FMI 1, 2, 3) and Binary (FMI 3) scalars, with the same rules for when they may be set.
    sdk::Status setString(const std::string &name, const std::string &value) override;
    sdk::Status getString(const std::string &name, std::string &value) const override;
    sdk::Status setBinary(const std::string &name, const std::vector<std::uint8_t> &value) override;
    sdk::Status getBinary(const std::string &name, std::vector<std::uint8_t> &value) const override;
    void terminate() override;
    // The FMU's serialized state with the simulator's time (FMUs declaring canGetAndSetFMUState and
    // canSerializeFMUState); a model-exchange run resumes its integration from the restored point.
    sdk::Status saveState(std::vector<std::uint8_t> &state) override;
    sdk::Status restoreState(const std::vector<std::uint8_t> &state) override;

    // Reads modelDescription.xml of `fmuPath` without unpacking or loading code.
    static bool readDescription(const std::string &fmuPath, FmuDescription &out, std::string &error);
    static sdk::ModelInfo toModelInfo(const FmuDescription &description);
    // The SDK's causality of an FMI variable (calculated parameters, locals and the rest are Local).
    static sdk::Causality causalityOf(const FmuVariable &variable);
    const FmuDescription &description() const { return m_description; }

private:
    sdk::Status fail(std::string message);
    // The variable `name` when it may be set now (else the error); `what` names the setter in messages.
    const FmuVariable *settable(const std::string &name, const char *what, sdk::Status &error) const;
    // Text or bytes to a String / Binary variable: kept until initialize() or set now.
    sdk::Status setTyped(const std::string &name, const std::string *text,
                         const std::vector<std::uint8_t> *bytes);
    FmuInstance::StepStatus advanceModelExchange(double dt, double &reached, std::string &message);
    const FmuVariable *variable(const std::string &name) const;

    enum class State
    {
        Empty,
        Loaded,
        Running,
        Failed
    };
    State m_state = State::Empty;
    std::string m_label, m_failure;
    FmuDescription m_description;
    std::unique_ptr<FmuArchive> m_archive;   // Owned; declared before m_instance so it outlives the binary
    std::unique_ptr<FmuInstance> m_instance; // Owned.
    std::unique_ptr<ModelExchange> m_me;     // Owned; model exchange after initialize()
    FmuInstance::Interface m_interface = FmuInstance::Interface::CoSimulation;
    ModelExchangeOptions m_meOptions;
    std::vector<std::pair<std::size_t, double>>
        m_changes;                                     // model exchange: set after initialize(), not applied
    std::unordered_map<std::size_t, double> m_applied; // model exchange: the last value applied per variable
    std::unordered_map<std::string, std::size_t> m_index; // variable name -> index in m_description.variables
    mutable const FmuVariable *m_lastVariable = nullptr;  // Not owned: the last variable looked up
    std::vector<std::pair<std::size_t, double>> m_pending;          // values set before initialize()
    std::vector<std::pair<std::size_t, std::string>> m_pendingText; // String values, likewise
    std::vector<std::pair<std::size_t, std::vector<std::uint8_t>>> m_pendingBytes; // Binary values
    std::vector<std::string> m_warnings;                                           // not yet reported
    std::optional<double> m_stopTime, m_tolerance;
    double m_time = 0;
};

} // namespace twin::fmi
