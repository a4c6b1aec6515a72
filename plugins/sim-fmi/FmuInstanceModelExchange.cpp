// The model-exchange calls of FmuInstance (FMI 1.0 prefixed functions, FMI 2, FMI 3), and FMU state
// save / restore.
#include "FmuInstance_p.h"

#include <cstdint>
#include <vector>

namespace twin::fmi {

using detail::toEventInfo;

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

} // namespace twin::fmi
