#pragma once
// What the FmuInstance sources share: the FMI declarations, the table of the binary's functions, and small
// helpers. Private to plugins/sim-fmi.
#include "FmuInstance.h"

#include "fmi/TwinFmi1.h"
#include "fmi/TwinFmi2.h"
#include "fmi/TwinFmi3.h"

#include <cstdio>
#include <string>

namespace twin::fmi {

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

namespace detail {

// A number for messages ("%g").
inline std::string number(double v)
{
    char text[40];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

// FMI 1.0's event info in the terms of FMI 2 / 3 event iteration.
inline FmuInstance::EventInfo toEventInfo(const fmiEventInfo &e)
{
    FmuInstance::EventInfo info;
    info.newDiscreteStatesNeeded = !e.iterationConverged;
    info.terminateSimulation = e.terminateSimulation;
    info.valuesOfContinuousStatesChanged = e.stateValuesChanged;
    if (e.upcomingTimeEvent)
        info.nextEventTime = e.nextEventTime;
    return info;
}

} // namespace detail

} // namespace twin::fmi
