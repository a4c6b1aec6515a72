#include "FmuInstance.h"

#include "fmi/TwinFmi1.h"
#include "fmi/TwinFmi2.h"
#include "fmi/TwinFmi3.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <type_traits>
#include <unordered_map>

namespace twin::fmi {

namespace fs = std::filesystem;

struct FmuInstance::Functions
{
    fmi2InstantiateTYPE *instantiate2 = nullptr;
    fmi2FreeInstanceTYPE *free2 = nullptr;
    fmi2SetupExperimentTYPE *setup2 = nullptr;
    fmi2EnterInitializationModeTYPE *enterInit2 = nullptr;
    fmi2ExitInitializationModeTYPE *exitInit2 = nullptr;
    fmi2TerminateTYPE *terminate2 = nullptr;
    fmi2GetRealTYPE *getReal2 = nullptr;
    fmi2SetRealTYPE *setReal2 = nullptr;
    fmi2DoStepTYPE *doStep2 = nullptr;
    fmi2GetRealStatusTYPE *getRealStatus2 = nullptr;
    fmi3InstantiateCoSimulationTYPE *instantiate3 = nullptr;
    fmi3FreeInstanceTYPE *free3 = nullptr;
    fmi3EnterInitializationModeTYPE *enterInit3 = nullptr;
    fmi3ExitInitializationModeTYPE *exitInit3 = nullptr;
    fmi3TerminateTYPE *terminate3 = nullptr;
    fmi3GetFloat64TYPE *getFloat64 = nullptr;
    fmi3SetFloat64TYPE *setFloat64 = nullptr;
    fmi3DoStepTYPE *doStep3 = nullptr;
    // Model exchange.
    fmi2EnterEventModeTYPE *enterEvent2 = nullptr;
    fmi2NewDiscreteStatesTYPE *newDiscrete2 = nullptr;
    fmi2EnterContinuousTimeModeTYPE *enterCont2 = nullptr;
    fmi2CompletedIntegratorStepTYPE *completed2 = nullptr;
    fmi2SetTimeTYPE *setTime2 = nullptr;
    fmi2SetContinuousStatesTYPE *setStates2 = nullptr;
    fmi2GetDerivativesTYPE *getDer2 = nullptr;
    fmi2GetEventIndicatorsTYPE *getInd2 = nullptr;
    fmi2GetContinuousStatesTYPE *getStates2 = nullptr;
    fmi3InstantiateModelExchangeTYPE *instantiateMe3 = nullptr;
    fmi3EnterEventModeTYPE *enterEvent3 = nullptr;
    fmi3UpdateDiscreteStatesTYPE *update3 = nullptr;
    fmi3EnterContinuousTimeModeTYPE *enterCont3 = nullptr;
    fmi3CompletedIntegratorStepTYPE *completed3 = nullptr;
    fmi3SetTimeTYPE *setTime3 = nullptr;
    fmi3SetContinuousStatesTYPE *setStates3 = nullptr;
    fmi3GetContinuousStateDerivativesTYPE *getDer3 = nullptr;
    fmi3GetEventIndicatorsTYPE *getInd3 = nullptr;
    fmi3GetContinuousStatesTYPE *getStates3 = nullptr;
    fmi3GetNumberOfEventIndicatorsTYPE *numInd3 = nullptr;
    fmi3GetNumberOfContinuousStatesTYPE *numStates3 = nullptr;
    // FMI 1.0 (prefixed with the model identifier in the binary).
    fmi1SetRealTYPE *setReal1 = nullptr;
    fmi1GetRealTYPE *getReal1 = nullptr;
    fmi1SetIntegerTYPE *setInteger1 = nullptr;
    fmi1GetIntegerTYPE *getInteger1 = nullptr;
    fmi1SetBooleanTYPE *setBoolean1 = nullptr;
    fmi1GetBooleanTYPE *getBoolean1 = nullptr;
    fmi1InstantiateSlaveTYPE *instantiateSlave1 = nullptr;
    fmi1InitializeSlaveTYPE *initializeSlave1 = nullptr;
    fmi1DoStepTYPE *doStep1 = nullptr;
    fmi1GetRealStatusTYPE *getRealStatus1 = nullptr;
    fmi1TerminateSlaveTYPE *terminateSlave1 = nullptr;
    fmi1FreeSlaveInstanceTYPE *freeSlave1 = nullptr;
    fmi1InstantiateModelTYPE *instantiateModel1 = nullptr;
    fmi1FreeModelInstanceTYPE *freeModel1 = nullptr;
    fmi1SetTimeTYPE *setTime1 = nullptr;
    fmi1SetContinuousStatesTYPE *setStates1 = nullptr;
    fmi1CompletedIntegratorStepTYPE *completed1 = nullptr;
    fmi1InitializeTYPE *initialize1 = nullptr;
    fmi1GetDerivativesTYPE *getDer1 = nullptr;
    fmi1GetEventIndicatorsTYPE *getInd1 = nullptr;
    fmi1EventUpdateTYPE *eventUpdate1 = nullptr;
    fmi1GetContinuousStatesTYPE *getStates1 = nullptr;
    fmi1TerminateTYPE *terminate1 = nullptr;
};

static_assert(sizeof(fmi2CallbackFunctions) <= 64, "callback storage too small");

namespace {

void logger2(fmi2ComponentEnvironment env, fmi2String, fmi2Status status, fmi2String category,
             fmi2String message, ...)
{
    char text[2048];
    va_list args;
    va_start(args, message);
    std::vsnprintf(text, sizeof text, message ? message : "", args);
    va_end(args);
    static_cast<FmuInstance *>(env)->logged(int(status), category, text);
}

// FMI 1.0 loggers get the component, not an environment pointer: the instances are found through this table
// (and, during instantiation, before the component is known, through the instance being instantiated).
struct Fmi1Loggers
{
    std::mutex mutex;
    std::unordered_map<void *, FmuInstance *> byComponent;
    FmuInstance *instantiating = nullptr;
};
Fmi1Loggers &fmi1Loggers()
{
    static Fmi1Loggers table;
    return table;
}

void logger1(fmiComponent c, fmiString, fmiStatus status, fmiString category, fmiString message, ...)
{
    char text[2048];
    va_list args;
    va_start(args, message);
    std::vsnprintf(text, sizeof text, message ? message : "", args);
    va_end(args);
    FmuInstance *instance = nullptr;
    {
        Fmi1Loggers &table = fmi1Loggers();
        std::lock_guard lock(table.mutex);
        const auto it = table.byComponent.find(c);
        instance = it != table.byComponent.end() ? it->second : table.instantiating;
    }
    if (instance)
        instance->logged(int(status), category, text);
}

void logger3(fmi3InstanceEnvironment env, fmi3Status status, fmi3String category, fmi3String message)
{
    static_cast<FmuInstance *>(env)->logged(int(status), category, message ? message : "");
}

std::string number(double v)
{
    char text[40];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

const char *statusName(int status)
{
    static const char *names[] = {"OK", "Warning", "Discard", "Error", "Fatal", "Pending"};
    return status >= 0 && status <= 5 ? names[status] : "an unknown status";
}

FmuInstance::EventInfo toEventInfo(const fmiEventInfo &e)
{
    FmuInstance::EventInfo info;
    info.newDiscreteStatesNeeded = !e.iterationConverged;
    info.terminateSimulation = e.terminateSimulation;
    info.valuesOfContinuousStatesChanged = e.stateValuesChanged;
    if (e.upcomingTimeEvent)
        info.nextEventTime = e.nextEventTime;
    return info;
}

} // namespace

FmuInstance::~FmuInstance()
{
    terminate();
    delete m_fn;
    if (m_library)
        dlclose(m_library);
}

void FmuInstance::logged(int status, const char *category, const char *message)
{
    std::string line = toValidUtf8(message ? message : "");
    if (category && *category)
        line = "[" + toValidUtf8(category) + "] " + line;
    if (status == fmi2OK)
        return; // informational chatter is not kept
    for (auto *list : {&m_errors, status == fmi2Warning ? &m_warnings : nullptr}) {
        if (!list)
            continue;
        if (list->size() >= 200)
            list->erase(list->begin());
        list->push_back(line);
    }
}

std::vector<std::string> FmuInstance::takeWarnings()
{
    std::vector<std::string> out;
    out.swap(m_warnings);
    return out;
}

std::string FmuInstance::recentErrors() const
{
    if (m_errors.empty())
        return "the model logged no message";
    std::string text = "the model logged: ";
    const std::size_t first = m_errors.size() > 3 ? m_errors.size() - 3 : 0;
    for (std::size_t i = first; i < m_errors.size(); ++i)
        text += (i > first ? " | " : "") + m_errors[i];
    return text;
}

bool FmuInstance::check(int status, const char *function, std::string &error)
{
    if (status == fmi2OK || status == fmi2Warning)
        return true;
    if (status == fmi2Error)
        m_initialized = false; // after Error only freeInstance is allowed
    if (status == fmi2Fatal)
        m_fatal = true; // after Fatal no function may be called, not even freeInstance
    error = m_label + ": " + function + " returned " + statusName(status) + "; " + recentErrors();
    return false;
}

void *FmuInstance::symbol(const char *name, std::string &error)
{
    void *p = dlsym(m_library, name);
    if (!p && error.empty())
        error = m_label + ": the binary does not export " + name;
    return p;
}

bool FmuInstance::load(const FmuDescription &description, Interface interface, const std::string &unpackedDir,
                       const std::string &label, std::string &error, std::vector<std::string> &warnings)
{
    m_major = description.fmiMajor;
    m_interface = interface;
    m_declaredStates = description.continuousStates;
    m_declaredIndicators = description.eventIndicators;
    const bool me = interface == Interface::ModelExchange;
    const std::string &identifier =
        me ? description.modelExchange.modelIdentifier : description.modelIdentifier;
    m_label = label;
    m_token = description.token;
    m_resourceDir = unpackedDir + "/resources";
    m_unpackedDir = unpackedDir;
    const std::string platform = m_major == 3 ? "x86_64-linux" : "linux64";
    const fs::path binDir = fs::path(unpackedDir) / "binaries" / platform;
    fs::path binary = binDir / (identifier + ".so");
    std::error_code ec;
    if (!fs::exists(binary, ec)) {
        std::vector<fs::path> candidates;
        for (fs::directory_iterator it(binDir, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().extension() == ".so")
                candidates.push_back(it->path());
        if (candidates.size() != 1) {
            std::string platforms;
            for (fs::directory_iterator it(fs::path(unpackedDir) / "binaries", ec), end; !ec && it != end;
                 it.increment(ec))
                platforms += (platforms.empty() ? "" : ", ") + it->path().filename().string();
            error =
                label + ": no binary binaries/" + platform + "/" + identifier + ".so" +
                (candidates.empty()
                     ? " (platforms in the FMU: " + (platforms.empty() ? "none" : platforms) + ")"
                     : " and " + std::to_string(candidates.size()) + " other libraries there; cannot choose");
            return false;
        }
        binary = candidates.front();
        warnings.push_back(label + ": binary name binaries/" + platform + "/" + binary.filename().string() +
                           " does not match modelIdentifier \"" + identifier +
                           "\"; using it because it is the only one");
    }
    dlerror();
    m_library = dlopen(binary.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!m_library) {
        const char *why = dlerror();
        error = label + ": cannot load " + binary.filename().string() + ": " + (why ? why : "unknown error");
        return false;
    }
    m_fn = new Functions;
    Functions &f = *m_fn;
    auto get = [&](auto &slot, const char *name) {
        slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(symbol(name, error));
    };
    auto get1 = [&](auto &slot, const char *name) { get(slot, (identifier + "_" + name).c_str()); };
    if (m_major == 1) {
        auto optional1 = [&](auto &slot, const char *name) {
            slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(
                dlsym(m_library, (identifier + "_" + name).c_str()));
        };
        optional1(f.setInteger1, "fmiSetInteger"); // needed only for Integer / Boolean variables
        optional1(f.getInteger1, "fmiGetInteger");
        optional1(f.setBoolean1, "fmiSetBoolean");
        optional1(f.getBoolean1, "fmiGetBoolean");
        get1(f.setReal1, "fmiSetReal");
        get1(f.getReal1, "fmiGetReal");
        if (me) {
            get1(f.instantiateModel1, "fmiInstantiateModel");
            get1(f.freeModel1, "fmiFreeModelInstance");
            get1(f.setTime1, "fmiSetTime");
            get1(f.setStates1, "fmiSetContinuousStates");
            get1(f.completed1, "fmiCompletedIntegratorStep");
            get1(f.initialize1, "fmiInitialize");
            get1(f.getDer1, "fmiGetDerivatives");
            get1(f.getInd1, "fmiGetEventIndicators");
            get1(f.eventUpdate1, "fmiEventUpdate");
            get1(f.getStates1, "fmiGetContinuousStates");
            get1(f.terminate1, "fmiTerminate");
        } else {
            get1(f.instantiateSlave1, "fmiInstantiateSlave");
            get1(f.initializeSlave1, "fmiInitializeSlave");
            get1(f.doStep1, "fmiDoStep");
            get1(f.getRealStatus1, "fmiGetRealStatus");
            get1(f.terminateSlave1, "fmiTerminateSlave");
            get1(f.freeSlave1, "fmiFreeSlaveInstance");
        }
        return error.empty();
    }
    if (m_major == 2) {
        get(f.instantiate2, "fmi2Instantiate");
        if (me) {
            get(f.enterEvent2, "fmi2EnterEventMode");
            get(f.newDiscrete2, "fmi2NewDiscreteStates");
            get(f.enterCont2, "fmi2EnterContinuousTimeMode");
            get(f.completed2, "fmi2CompletedIntegratorStep");
            get(f.setTime2, "fmi2SetTime");
            get(f.setStates2, "fmi2SetContinuousStates");
            get(f.getDer2, "fmi2GetDerivatives");
            get(f.getInd2, "fmi2GetEventIndicators");
            get(f.getStates2, "fmi2GetContinuousStates");
        }
        get(f.free2, "fmi2FreeInstance");
        get(f.setup2, "fmi2SetupExperiment");
        get(f.enterInit2, "fmi2EnterInitializationMode");
        get(f.exitInit2, "fmi2ExitInitializationMode");
        get(f.terminate2, "fmi2Terminate");
        get(f.getReal2, "fmi2GetReal");
        get(f.setReal2, "fmi2SetReal");
        if (!me) {
            get(f.doStep2, "fmi2DoStep");
            get(f.getRealStatus2, "fmi2GetRealStatus");
        }
    } else if (me) {
        get(f.instantiateMe3, "fmi3InstantiateModelExchange");
        get(f.enterEvent3, "fmi3EnterEventMode");
        get(f.update3, "fmi3UpdateDiscreteStates");
        get(f.enterCont3, "fmi3EnterContinuousTimeMode");
        get(f.completed3, "fmi3CompletedIntegratorStep");
        get(f.setTime3, "fmi3SetTime");
        get(f.setStates3, "fmi3SetContinuousStates");
        get(f.getDer3, "fmi3GetContinuousStateDerivatives");
        get(f.getInd3, "fmi3GetEventIndicators");
        get(f.getStates3, "fmi3GetContinuousStates");
        get(f.numInd3, "fmi3GetNumberOfEventIndicators");
        get(f.numStates3, "fmi3GetNumberOfContinuousStates");
    }
    if (m_major == 3) {
        if (!me)
            get(f.instantiate3, "fmi3InstantiateCoSimulation");
        get(f.free3, "fmi3FreeInstance");
        get(f.enterInit3, "fmi3EnterInitializationMode");
        get(f.exitInit3, "fmi3ExitInitializationMode");
        get(f.terminate3, "fmi3Terminate");
        get(f.getFloat64, "fmi3GetFloat64");
        get(f.setFloat64, "fmi3SetFloat64");
        if (!me)
            get(f.doStep3, "fmi3DoStep");
    }
    return error.empty();
}

bool FmuInstance::instantiate(const std::string &instanceName, std::string &error)
{
    if (m_major == 1) {
        Fmi1Loggers &table = fmi1Loggers();
        {
            std::lock_guard lock(table.mutex);
            table.instantiating = this;
        }
        if (m_interface == Interface::ModelExchange) {
            m_instance =
                m_fn->instantiateModel1(instanceName.c_str(), m_token.c_str(),
                                        fmiCallbackFunctions{logger1, std::calloc, std::free}, fmiTrue);
        } else {
            const std::string location = "file://" + m_unpackedDir;
            m_instance = m_fn->instantiateSlave1(
                instanceName.c_str(), m_token.c_str(), location.c_str(), "application/x-fmu-sharedlibrary", 0,
                fmiFalse, fmiFalse, fmiCoSimCallbackFunctions{logger1, std::calloc, std::free, nullptr},
                fmiTrue);
        }
        std::lock_guard lock(table.mutex);
        table.instantiating = nullptr;
        if (m_instance)
            table.byComponent[m_instance] = this;
    } else if (m_major == 2) {
        auto *cb = new (m_callbacks) fmi2CallbackFunctions{logger2, std::calloc, std::free, nullptr, this};
        const std::string uri = "file://" + m_resourceDir;
        m_instance =
            m_fn->instantiate2(instanceName.c_str(),
                               m_interface == Interface::ModelExchange ? fmi2ModelExchange : fmi2CoSimulation,
                               m_token.c_str(), uri.c_str(), cb, fmi2False, fmi2True);
    } else if (m_interface == Interface::ModelExchange) {
        const std::string path = m_resourceDir + "/";
        m_instance = m_fn->instantiateMe3(instanceName.c_str(), m_token.c_str(), path.c_str(), false, true,
                                          this, logger3);
    } else {
        const std::string path = m_resourceDir + "/";
        m_instance = m_fn->instantiate3(instanceName.c_str(), m_token.c_str(), path.c_str(), false, true,
                                        false, false, nullptr, 0, this, logger3, nullptr);
    }
    if (!m_instance)
        error = m_label + ": instantiation failed; " + recentErrors();
    return m_instance != nullptr;
}

bool FmuInstance::setReals(const std::uint32_t *refs, const double *values, std::size_t n, std::string &error)
{
    if (m_major == 1)
        return check(m_fn->setReal1(m_instance, refs, n, values), "fmiSetReal", error);
    const int status = m_major == 2 ? int(m_fn->setReal2(m_instance, refs, n, values))
                                    : int(m_fn->setFloat64(m_instance, refs, n, values, n));
    return check(status, m_major == 2 ? "fmi2SetReal" : "fmi3SetFloat64", error);
}

bool FmuInstance::getReals(const std::uint32_t *refs, double *values, std::size_t n, std::string &error)
{
    if (m_major == 1)
        return check(m_fn->getReal1(m_instance, refs, n, values), "fmiGetReal", error);
    const int status = m_major == 2 ? int(m_fn->getReal2(m_instance, refs, n, values))
                                    : int(m_fn->getFloat64(m_instance, refs, n, values, n));
    return check(status, m_major == 2 ? "fmi2GetReal" : "fmi3GetFloat64", error);
}

void *FmuInstance::typedFunction(const std::string &name, std::string &error)
{
    auto it = m_typed.find(name);
    if (it == m_typed.end())
        it = m_typed.emplace(name, m_library ? dlsym(m_library, name.c_str()) : nullptr).first;
    if (!it->second)
        error = m_label + ": the FMU does not export " + name;
    return it->second;
}

namespace {
// The FMI 3 typed accessors all have one shape; FMI 2 Integer/Boolean have theirs.
template <class T> using Get3 = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, T[], size_t);
template <class T>
using Set3 = fmi3Status(fmi3Instance, const fmi3ValueReference[], size_t, const T[], size_t);
using Get2Int = fmi2Status(fmi2Component, const fmi2ValueReference[], size_t, fmi2Integer[]);
using Set2Int = fmi2Status(fmi2Component, const fmi2ValueReference[], size_t, const fmi2Integer[]);

// The C type and the function suffix of an FMI 3 type, called with a typed tag.
template <class F> bool withFmi3Type(const std::string &type, F &&f)
{
    if (type == "Float32")
        return f(float{}, "Float32");
    if (type == "Int8")
        return f(std::int8_t{}, "Int8");
    if (type == "UInt8")
        return f(std::uint8_t{}, "UInt8");
    if (type == "Int16")
        return f(std::int16_t{}, "Int16");
    if (type == "UInt16")
        return f(std::uint16_t{}, "UInt16");
    if (type == "Int32")
        return f(std::int32_t{}, "Int32");
    if (type == "UInt32")
        return f(std::uint32_t{}, "UInt32");
    if (type == "Int64" || type == "Enumeration")
        return f(std::int64_t{}, "Int64");
    if (type == "UInt64")
        return f(std::uint64_t{}, "UInt64");
    if (type == "Boolean")
        return f(bool{}, "Boolean");
    return f(double{}, "Float64");
}

// `value` as T when it is representable (whole, in range; 0/1 for bool).
template <class T> bool narrow(double value, T &out)
{
    if constexpr (std::is_same_v<T, bool>) {
        if (value != 0 && value != 1)
            return false;
        out = value == 1;
        return true;
    } else if constexpr (std::is_floating_point_v<T>) {
        out = T(value);
        return std::isfinite(value);
    } else {
        if (!std::isfinite(value) || value != std::floor(value) ||
            value < double(std::numeric_limits<T>::min()) || value > double(std::numeric_limits<T>::max()))
            return false;
        out = T(value);
        return true;
    }
}
} // namespace

bool FmuInstance::representable(const FmuVariable &v, double value, int fmiMajor, std::string &why)
{
    if (v.isReal() && v.type != "Float32")
        return true;
    const bool ok = fmiMajor != 3 ? (v.type == "Boolean" ? value == 0 || value == 1 : [&] {
        fmi2Integer i = 0;
        return narrow(value, i);
    }())
                                  : withFmi3Type(v.type, [&](auto tag, const char *) {
                                        decltype(tag) typed{};
                                        return narrow(value, typed);
                                    });
    if (!ok)
        why = "\"" + v.name + "\" is " +
              (v.type == "Integer" || v.type == "Int8" || v.type == "Int16" || v.type == "Int32" ||
                       v.type == "Int64"
                   ? "an "
                   : "a ") +
              v.type +
              " variable: " + (v.type == "Boolean" ? "give 0 or 1" : "give a whole number in its range") +
              " (not " + number(value) + ")";
    return ok;
}

// An element of an FMI 3 array: the whole array is read (and written back with the element changed).
bool FmuInstance::arrayElement(const FmuVariable &v, double *get, const double *set, std::string &error)
{
    if (m_major != 3) {
        error = m_label + ": \"" + v.name + "\" is an array element outside FMI 3";
        return false;
    }
    return withFmi3Type(v.type, [&](auto tag, const char *suffix) {
        using T = decltype(tag);
        std::unique_ptr<T[]> values(new T[v.arrayLength]());
        const std::string getName = std::string("fmi3Get") + suffix,
                          setName = std::string("fmi3Set") + suffix;
        auto *getter = reinterpret_cast<Get3<T> *>(typedFunction(getName, error));
        if (!getter || !check(getter(m_instance, &v.valueReference, 1, values.get(), v.arrayLength),
                              getName.c_str(), error))
            return false;
        if (get) {
            *get = double(values[v.element]);
            return true;
        }
        T typed{};
        if (!narrow(*set, typed))
            return error =
                       m_label + ": \"" + v.name + "\" is a " + v.type + " element: the value does not fit",
                   false;
        values[v.element] = typed;
        auto *setter = reinterpret_cast<Set3<T> *>(typedFunction(setName, error));
        return setter && check(setter(m_instance, &v.valueReference, 1, values.get(), v.arrayLength),
                               setName.c_str(), error);
    });
}

bool FmuInstance::setValue(const FmuVariable &v, double value, std::string &error)
{
    if (v.arrayLength > 0)
        return arrayElement(v, nullptr, &value, error);
    if (v.negated && v.type != "Boolean")
        value = -value;
    if (v.isReal() && v.type != "Float32")
        return setReals(&v.valueReference, &value, 1, error);
    const std::string what =
        m_label + ": \"" + v.name + "\" is " + (v.type == "Integer" ? "an " : "a ") + v.type;
    if (m_major == 1) {
        if (v.type == "Boolean") {
            if (value != 0 && value != 1)
                return error = what + " variable: give 0 or 1", false;
            const fmiBoolean b = value == 1 ? fmiTrue : fmiFalse;
            return check(m_fn->setBoolean1 ? m_fn->setBoolean1(m_instance, &v.valueReference, 1, &b)
                                           : fmiError,
                         "fmiSetBoolean", error);
        }
        fmiInteger i = 0;
        if (!narrow(value, i))
            return error = what + " variable: give a whole number", false;
        return check(m_fn->setInteger1 ? m_fn->setInteger1(m_instance, &v.valueReference, 1, &i) : fmiError,
                     "fmiSetInteger", error);
    }
    if (m_major == 2) {
        fmi2Integer i = 0;
        const bool boolean = v.type == "Boolean";
        if (boolean ? !(value == 0 || value == 1) : !narrow(value, i))
            return error = what + (boolean ? " variable: give 0 or 1" : " variable: give a whole number"),
                   false;
        if (boolean)
            i = value == 1;
        const std::string name = boolean ? "fmi2SetBoolean" : "fmi2SetInteger";
        auto *fn = reinterpret_cast<Set2Int *>(typedFunction(name, error));
        return fn && check(fn(m_instance, &v.valueReference, 1, &i), name.c_str(), error);
    }
    return withFmi3Type(v.type, [&](auto tag, const char *suffix) {
        using T = decltype(tag);
        T typed{};
        if (!narrow(value, typed))
            return error = what + " variable: " +
                           (std::is_same_v<T, bool> ? "give 0 or 1" : "the value does not fit"),
                   false;
        const std::string name = std::string("fmi3Set") + suffix;
        auto *fn = reinterpret_cast<Set3<T> *>(typedFunction(name, error));
        return fn && check(fn(m_instance, &v.valueReference, 1, &typed, 1), name.c_str(), error);
    });
}

bool FmuInstance::getValue(const FmuVariable &v, double &value, std::string &error)
{
    if (v.arrayLength > 0)
        return arrayElement(v, &value, nullptr, error);
    if (v.negated && v.type != "Boolean") {
        FmuVariable base = v;
        base.negated = false;
        if (!getValue(base, value, error))
            return false;
        value = -value;
        return true;
    }
    if (v.isReal() && v.type != "Float32")
        return getReals(&v.valueReference, &value, 1, error);
    if (m_major == 1) {
        if (v.type == "Boolean") {
            fmiBoolean b = fmiFalse;
            if (!check(m_fn->getBoolean1 ? m_fn->getBoolean1(m_instance, &v.valueReference, 1, &b) : fmiError,
                       "fmiGetBoolean", error))
                return false;
            value = b ? 1 : 0;
            return true;
        }
        fmiInteger i = 0;
        if (!check(m_fn->getInteger1 ? m_fn->getInteger1(m_instance, &v.valueReference, 1, &i) : fmiError,
                   "fmiGetInteger", error))
            return false;
        value = i;
        return true;
    }
    if (m_major == 2) {
        fmi2Integer i = 0;
        const std::string name = v.type == "Boolean" ? "fmi2GetBoolean" : "fmi2GetInteger";
        auto *fn = reinterpret_cast<Get2Int *>(typedFunction(name, error));
        if (!fn || !check(fn(m_instance, &v.valueReference, 1, &i), name.c_str(), error))
            return false;
        value = v.type == "Boolean" ? double(i != 0) : double(i);
        return true;
    }
    return withFmi3Type(v.type, [&](auto tag, const char *suffix) {
        using T = decltype(tag);
        T typed{};
        const std::string name = std::string("fmi3Get") + suffix;
        auto *fn = reinterpret_cast<Get3<T> *>(typedFunction(name, error));
        if (!fn || !check(fn(m_instance, &v.valueReference, 1, &typed, 1), name.c_str(), error))
            return false;
        value = double(typed);
        return true;
    });
}

bool FmuInstance::enterInitialization(double start, std::optional<double> stop,
                                      std::optional<double> tolerance, std::string &error)
{
    if (m_major == 1) { // FMI 1.0 initializes in one call: exitInitialization() makes it
        m_start = start;
        m_stop = stop;
        m_tolerance = tolerance;
        return m_interface == Interface::CoSimulation ||
               check(m_fn->setTime1(m_instance, start), "fmiSetTime", error);
    }
    if (m_major == 2) {
        if (!check(m_fn->setup2(m_instance, tolerance.has_value(), tolerance.value_or(0), start,
                                stop.has_value(), stop.value_or(0)),
                   "fmi2SetupExperiment", error))
            return false;
        return check(m_fn->enterInit2(m_instance), "fmi2EnterInitializationMode", error);
    }
    return check(m_fn->enterInit3(m_instance, tolerance.has_value(), tolerance.value_or(0), start,
                                  stop.has_value(), stop.value_or(0)),
                 "fmi3EnterInitializationMode", error);
}

bool FmuInstance::exitInitialization(std::string &error)
{
    if (m_major == 1) {
        m_initialized = true;
        if (m_interface == Interface::CoSimulation)
            return check(
                m_fn->initializeSlave1(m_instance, m_start, m_stop ? fmiTrue : fmiFalse, m_stop.value_or(0)),
                "fmiInitializeSlave", error);
        fmiEventInfo e{};
        if (!check(
                m_fn->initialize1(m_instance, m_tolerance ? fmiTrue : fmiFalse, m_tolerance.value_or(0), &e),
                "fmiInitialize", error))
            return false;
        m_initEvent = toEventInfo(e);
        return true;
    }
    const int status = m_major == 2 ? int(m_fn->exitInit2(m_instance)) : int(m_fn->exitInit3(m_instance));
    m_initialized = true; // terminate is due from here on, even after a failed exit
    return check(status, m_major == 2 ? "fmi2ExitInitializationMode" : "fmi3ExitInitializationMode", error);
}

FmuInstance::StepStatus FmuInstance::doStep(double time, double stepSize, double &reached,
                                            std::string &message)
{
    reached = time + stepSize;
    int status = 0;
    bool terminateRequested = false;
    if (m_major == 1) {
        status = m_fn->doStep1(m_instance, time, stepSize, fmiTrue);
        if (status == fmiDiscard) {
            fmiReal last = time;
            reached = m_fn->getRealStatus1(m_instance, fmiLastSuccessfulTime, &last) == fmiOK ? last : time;
        }
    } else if (m_major == 2) {
        status = m_fn->doStep2(m_instance, time, stepSize, fmi2True);
        if (status == fmi2Discard) {
            fmi2Real last = time;
            if (m_fn->getRealStatus2(m_instance, fmi2LastSuccessfulTime, &last) == fmi2OK)
                reached = last;
            else
                reached = time;
        }
    } else {
        fmi3Boolean eventNeeded = false, terminateSim = false, earlyReturn = false;
        fmi3Float64 last = time + stepSize;
        status =
            m_fn->doStep3(m_instance, time, stepSize, true, &eventNeeded, &terminateSim, &earlyReturn, &last);
        if (status <= fmi3Discard && (earlyReturn || status == fmi3Discard || terminateSim))
            reached = last;
        terminateRequested = terminateSim;
    }
    if (status == fmi2OK || status == fmi2Warning) {
        if (!terminateRequested)
            return StepStatus::Ok;
        message = m_label + ": the model asked to terminate the simulation at t=" + number(reached);
        return StepStatus::Terminated;
    }
    if (status == fmi2Discard) {
        message = m_label + ": doStep discarded the step from t=" + number(time) + " (last successful time " +
                  number(reached) + "); " + recentErrors();
        return StepStatus::Discard;
    }
    check(status, m_major == 1 ? "fmiDoStep" : m_major == 2 ? "fmi2DoStep" : "fmi3DoStep", message);
    message += " (at t=" + number(time) + ")";
    return StepStatus::Error;
}

namespace {
// FMI 2 fmi2FMUstate / FMI 3 fmi3FMUState are opaque pointers; the functions share one shape per version.
using GetState = int(void *, void **);
using SetState = int(void *, void *);
using FreeState = int(void *, void **);
using StateSize = int(void *, void *, std::size_t *);
using Serialize = int(void *, void *, std::uint8_t *, std::size_t);
using Deserialize = int(void *, const std::uint8_t *, std::size_t, void **);
} // namespace

bool FmuInstance::serializeState(std::vector<std::uint8_t> &bytes, std::string &error)
{
    if (m_major == 1) {
        error = m_label + ": FMI 1.0 has no FMU state to save";
        return false;
    }
    const std::string v = m_major == 2 ? "fmi2" : "fmi3", S = m_major == 2 ? "FMUstate" : "FMUState";
    auto *get = reinterpret_cast<GetState *>(typedFunction(v + "Get" + S, error));
    auto *release = reinterpret_cast<FreeState *>(typedFunction(v + "Free" + S, error));
    auto *size = reinterpret_cast<StateSize *>(typedFunction(v + "Serialized" + S + "Size", error));
    auto *serialize = reinterpret_cast<Serialize *>(typedFunction(v + "Serialize" + S, error));
    if (!get || !release || !size || !serialize)
        return false;
    void *state = nullptr;
    if (!check(get(m_instance, &state), (v + "Get" + S).c_str(), error))
        return false;
    std::size_t n = 0;
    bool ok = check(size(m_instance, state, &n), (v + "Serialized" + S + "Size").c_str(), error);
    if (ok) {
        bytes.assign(n, 0);
        ok = check(serialize(m_instance, state, bytes.data(), n), (v + "Serialize" + S).c_str(), error);
    }
    std::string ignored;
    check(release(m_instance, &state), (v + "Free" + S).c_str(), ignored);
    return ok;
}

bool FmuInstance::deserializeState(const std::vector<std::uint8_t> &bytes, std::string &error)
{
    if (m_major == 1) {
        error = m_label + ": FMI 1.0 has no FMU state to restore";
        return false;
    }
    const std::string v = m_major == 2 ? "fmi2" : "fmi3", S = m_major == 2 ? "FMUstate" : "FMUState";
    const std::string deName = v + (m_major == 2 ? "DeSerialize" : "Deserialize") + S;
    auto *deserialize = reinterpret_cast<Deserialize *>(typedFunction(deName, error));
    auto *set = reinterpret_cast<SetState *>(typedFunction(v + "Set" + S, error));
    auto *release = reinterpret_cast<FreeState *>(typedFunction(v + "Free" + S, error));
    if (!deserialize || !set || !release)
        return false;
    void *state = nullptr;
    if (!check(deserialize(m_instance, bytes.data(), bytes.size(), &state), deName.c_str(), error))
        return false;
    const bool ok = check(set(m_instance, state), (v + "Set" + S).c_str(), error);
    std::string ignored;
    check(release(m_instance, &state), (v + "Free" + S).c_str(), ignored);
    return ok;
}

bool FmuInstance::setTime(double time, std::string &error)
{
    if (m_major == 1)
        return check(m_fn->setTime1(m_instance, time), "fmiSetTime", error);
    return m_major == 2 ? check(m_fn->setTime2(m_instance, time), "fmi2SetTime", error)
                        : check(m_fn->setTime3(m_instance, time), "fmi3SetTime", error);
}

bool FmuInstance::setContinuousStates(const double *x, std::size_t n, std::string &error)
{
    if (m_major == 1)
        return check(m_fn->setStates1(m_instance, x, n), "fmiSetContinuousStates", error);
    return m_major == 2 ? check(m_fn->setStates2(m_instance, x, n), "fmi2SetContinuousStates", error)
                        : check(m_fn->setStates3(m_instance, x, n), "fmi3SetContinuousStates", error);
}

bool FmuInstance::getContinuousStates(double *x, std::size_t n, std::string &error)
{
    if (m_major == 1)
        return check(m_fn->getStates1(m_instance, x, n), "fmiGetContinuousStates", error);
    return m_major == 2 ? check(m_fn->getStates2(m_instance, x, n), "fmi2GetContinuousStates", error)
                        : check(m_fn->getStates3(m_instance, x, n), "fmi3GetContinuousStates", error);
}

bool FmuInstance::getDerivatives(double *dx, std::size_t n, std::string &error)
{
    if (m_major == 1)
        return check(m_fn->getDer1(m_instance, dx, n), "fmiGetDerivatives", error);
    return m_major == 2 ? check(m_fn->getDer2(m_instance, dx, n), "fmi2GetDerivatives", error)
                        : check(m_fn->getDer3(m_instance, dx, n), "fmi3GetContinuousStateDerivatives", error);
}

bool FmuInstance::getEventIndicators(double *z, std::size_t n, std::string &error)
{
    if (m_major == 1)
        return check(m_fn->getInd1(m_instance, z, n), "fmiGetEventIndicators", error);
    return m_major == 2 ? check(m_fn->getInd2(m_instance, z, n), "fmi2GetEventIndicators", error)
                        : check(m_fn->getInd3(m_instance, z, n), "fmi3GetEventIndicators", error);
}

bool FmuInstance::enterEventMode(std::string &error)
{
    if (m_major == 1)
        return true; // FMI 1.0 has no event mode to enter: fmiEventUpdate does the work
    return m_major == 2 ? check(m_fn->enterEvent2(m_instance), "fmi2EnterEventMode", error)
                        : check(m_fn->enterEvent3(m_instance), "fmi3EnterEventMode", error);
}

bool FmuInstance::updateDiscreteStates(EventInfo &info, std::string &error)
{
    info = {};
    if (m_major == 1) {
        if (m_initEvent) { // fmiInitialize already reported the first event update
            info = *m_initEvent;
            m_initEvent.reset();
            return true;
        }
        fmiEventInfo e{};
        if (!check(m_fn->eventUpdate1(m_instance, fmiFalse, &e), "fmiEventUpdate", error))
            return false;
        info = toEventInfo(e);
        return true;
    }
    if (m_major == 2) {
        fmi2EventInfo e{};
        if (!check(m_fn->newDiscrete2(m_instance, &e), "fmi2NewDiscreteStates", error))
            return false;
        info.newDiscreteStatesNeeded = e.newDiscreteStatesNeeded;
        info.terminateSimulation = e.terminateSimulation;
        info.nominalsChanged = e.nominalsOfContinuousStatesChanged;
        info.valuesOfContinuousStatesChanged = e.valuesOfContinuousStatesChanged;
        if (e.nextEventTimeDefined)
            info.nextEventTime = e.nextEventTime;
        return true;
    }
    fmi3Boolean needed = false, terminateSim = false, nominals = false, values = false, defined = false;
    fmi3Float64 next = 0;
    if (!check(m_fn->update3(m_instance, &needed, &terminateSim, &nominals, &values, &defined, &next),
               "fmi3UpdateDiscreteStates", error))
        return false;
    info.newDiscreteStatesNeeded = needed;
    info.terminateSimulation = terminateSim;
    info.nominalsChanged = nominals;
    info.valuesOfContinuousStatesChanged = values;
    if (defined)
        info.nextEventTime = next;
    return true;
}

bool FmuInstance::enterContinuousTimeMode(std::string &error)
{
    if (m_major == 1)
        return true;
    return m_major == 2 ? check(m_fn->enterCont2(m_instance), "fmi2EnterContinuousTimeMode", error)
                        : check(m_fn->enterCont3(m_instance), "fmi3EnterContinuousTimeMode", error);
}

bool FmuInstance::completedIntegratorStep(bool &enterEventMode, bool &terminateSimulation, std::string &error)
{
    if (m_major == 1) {
        fmiBoolean callEventUpdate = fmiFalse;
        if (!check(m_fn->completed1(m_instance, &callEventUpdate), "fmiCompletedIntegratorStep", error))
            return false;
        enterEventMode = callEventUpdate;
        terminateSimulation = false;
        return true;
    }
    if (m_major == 2) {
        fmi2Boolean event = fmi2False, stop = fmi2False;
        if (!check(m_fn->completed2(m_instance, fmi2True, &event, &stop), "fmi2CompletedIntegratorStep",
                   error))
            return false;
        enterEventMode = event;
        terminateSimulation = stop;
        return true;
    }
    fmi3Boolean event = false, stop = false;
    if (!check(m_fn->completed3(m_instance, true, &event, &stop), "fmi3CompletedIntegratorStep", error))
        return false;
    enterEventMode = event;
    terminateSimulation = stop;
    return true;
}

bool FmuInstance::stateAndIndicatorCounts(std::size_t &states, std::size_t &indicators, std::string &error)
{
    if (m_major != 3) {
        states = m_declaredStates;
        indicators = m_declaredIndicators;
        return true;
    }
    return check(m_fn->numStates3(m_instance, &states), "fmi3GetNumberOfContinuousStates", error) &&
           check(m_fn->numInd3(m_instance, &indicators), "fmi3GetNumberOfEventIndicators", error);
}

void FmuInstance::terminate()
{
    if (!m_instance)
        return;
    if (m_fatal) {
        m_instance = nullptr; // leaked on purpose: the standard forbids any further call
        return;
    }
    if (m_major == 1) {
        const bool me = m_interface == Interface::ModelExchange;
        if (m_initialized)
            me ? void(m_fn->terminate1(m_instance)) : void(m_fn->terminateSlave1(m_instance));
        me ? m_fn->freeModel1(m_instance) : m_fn->freeSlave1(m_instance);
        Fmi1Loggers &table = fmi1Loggers();
        std::lock_guard lock(table.mutex);
        table.byComponent.erase(m_instance);
    } else {
        if (m_initialized)
            m_major == 2 ? void(m_fn->terminate2(m_instance)) : void(m_fn->terminate3(m_instance));
        m_major == 2 ? m_fn->free2(m_instance) : m_fn->free3(m_instance);
    }
    m_instance = nullptr;
    m_initialized = false;
}

} // namespace twin::fmi
