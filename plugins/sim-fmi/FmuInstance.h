#pragma once
// One instance of an unpacked FMI 1.0 / 2.0 / 3.0 FMU, as co-simulation or model exchange: finds and dlopens
// the platform binary, resolves the functions its interface needs and calls them in the order the standard
// requires. Model exchange is driven by ModelExchange.h. Messages the model logs
// through the logger callback are kept (the last 200) so errors can quote them.
//
// Threads: one thread calls everything. Not copyable.
#include "FmuDescription.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace twin::fmi {

class FmuInstance
{
public:
    enum class StepStatus
    {
        Ok,
        Discard,    // the FMU could not complete the step; `reached` holds its last successful time
        Terminated, // the FMU asked to end the simulation (FMI 3 terminateSimulation) at `reached`
        Error,      // fmiError / fmiFatal: terminal; the message quotes what the model logged
        Cancelled,  // model exchange only: the host's cancel flag stopped the integration at `reached`
    };

    enum class Interface
    {
        CoSimulation,
        ModelExchange,
    };
    // What fmi2NewDiscreteStates / fmi3UpdateDiscreteStates reported.
    struct EventInfo
    {
        bool newDiscreteStatesNeeded = false;
        bool terminateSimulation = false;
        bool nominalsChanged = false;
        bool valuesOfContinuousStatesChanged = false;
        std::optional<double> nextEventTime;
    };

    FmuInstance() = default;
    ~FmuInstance();
    FmuInstance(const FmuInstance &) = delete;
    FmuInstance &operator=(const FmuInstance &) = delete;

    // Loads binaries/<platform>/<modelIdentifier>.so under `unpackedDir`; a lone .so of another name is used
    // with a warning. `label` (the FMU's file name) prefixes messages.
    bool load(const FmuDescription &description, Interface interface, const std::string &unpackedDir,
              const std::string &label, std::string &error, std::vector<std::string> &warnings);
    bool instantiate(const std::string &instanceName, std::string &error);
    bool setReals(const std::uint32_t *refs, const double *values, std::size_t n, std::string &error);
    bool getReals(const std::uint32_t *refs, double *values, std::size_t n, std::string &error);
    // Any numeric scalar (FmuVariable::isNumeric) as a double: the integer types and Enumeration take whole
    // numbers in their range, Boolean 0 or 1; anything else is an error naming the variable. The typed
    // functions are looked up when first needed (an FMU only using reals need not export them).
    bool setValue(const FmuVariable &variable, double value, std::string &error);
    // Whether `value` fits the variable's type (whole and in range; 0 or 1 for Boolean); `why` when not.
    static bool representable(const FmuVariable &variable, double value, int fmiMajor, std::string &why);
    bool getValue(const FmuVariable &variable, double &value, std::string &error);
    // String variables (FMI 1, 2, 3) and Binary variables (FMI 3): the FMU copies what it is given and
    // what it returns is copied at once (its buffers are only valid until the next call).
    bool setText(const FmuVariable &variable, const std::string &value, std::string &error);
    bool getText(const FmuVariable &variable, std::string &value, std::string &error);
    bool setBytes(const FmuVariable &variable, const std::vector<std::uint8_t> &value, std::string &error);
    bool getBytes(const FmuVariable &variable, std::vector<std::uint8_t> &value, std::string &error);
    // FMI 2: setupExperiment + enterInitializationMode; FMI 3: enterInitializationMode.
    bool enterInitialization(double start, std::optional<double> stop, std::optional<double> tolerance,
                             std::string &error);
    bool exitInitialization(std::string &error);
    StepStatus doStep(double time, double stepSize, double &reached, std::string &message);
    void terminate(); // terminate (when initialized) and free the instance; idempotent

    // The FMU state, serialized (FMI 2 / 3 get + serialize, and deserialize + set); errors name the FMU and
    // say when it does not offer them.
    bool serializeState(std::vector<std::uint8_t> &bytes, std::string &error);
    bool deserializeState(const std::vector<std::uint8_t> &bytes, std::string &error);

    // Model exchange (Interface::ModelExchange only).
    bool setTime(double time, std::string &error);
    bool setContinuousStates(const double *x, std::size_t n, std::string &error);
    bool getContinuousStates(double *x, std::size_t n, std::string &error);
    bool getDerivatives(double *dx, std::size_t n, std::string &error);
    bool getEventIndicators(double *z, std::size_t n, std::string &error);
    bool enterEventMode(std::string &error);
    bool updateDiscreteStates(EventInfo &info, std::string &error);
    bool enterContinuousTimeMode(std::string &error);
    bool completedIntegratorStep(bool &enterEventMode, bool &terminateSimulation, std::string &error);
    // FMI 3 asks the instance (the numbers may depend on structural parameters); FMI 2 uses the description.
    bool stateAndIndicatorCounts(std::size_t &states, std::size_t &indicators, std::string &error);
    Interface interface() const { return m_interface; }

    // Warnings the model logged (status Warning) since the last call.
    std::vector<std::string> takeWarnings();
    int fmiMajor() const { return m_major; }
    // Called by the logger callbacks.
    void logged(int status, const char *category, const char *message);

private:
    bool check(int status, const char *function, std::string &error);
    bool arrayElement(const FmuVariable &variable, double *get, const double *set, std::string &error);
    std::string recentErrors() const;
    void *symbol(const char *name, std::string &error);
    void *typedFunction(const std::string &name, std::string &error); // cached dlsym of an optional function

    int m_major = 0;
    Interface m_interface = Interface::CoSimulation;
    std::size_t m_declaredStates = 0, m_declaredIndicators = 0; // from the description (FMI 2)
    std::string m_label, m_token, m_resourceDir, m_unpackedDir;
    std::string m_prefix; // FMI 1.0: the model identifier and "_" in front of every function name
    // FMI 1.0: the experiment, kept until fmiInitialize(Slave); the event info fmiInitialize returned.
    double m_start = 0;
    std::optional<double> m_stop, m_tolerance;
    std::optional<EventInfo> m_initEvent;
    void *m_library = nullptr;  // Owned: dlclose in the destructor.
    void *m_instance = nullptr; // Owned: the FMU's freeInstance.
    bool m_initialized = false;
    bool m_fatal = false;
    std::vector<std::string> m_errors, m_warnings; // all non-OK messages; warnings not yet taken
    struct Functions;
    Functions *m_fn = nullptr;             // Owned.
    std::map<std::string, void *> m_typed; // name -> function (null: looked up, missing)
    char m_callbacks[64] = {};             // fmi2CallbackFunctions storage; must outlive the instance
};

} // namespace twin::fmi
