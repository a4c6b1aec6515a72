#include "FmuInstance_p.h"

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
using detail::number;
using detail::toEventInfo;

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

const char *statusName(int status)
{
    static const char *names[] = {"OK", "Warning", "Discard", "Error", "Fatal", "Pending"};
    return status >= 0 && status <= 5 ? names[status] : "an unknown status";
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
    m_prefix = m_major == 1 ? identifier + "_" : "";
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
