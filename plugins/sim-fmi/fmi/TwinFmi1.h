/* FMI 1.0 declarations, written for Twinworks from the published FMI 1.0 specifications for model exchange
 * (section 3: fmiModelTypes.h / fmiModelFunctions.h) and co-simulation (section 3: fmiFunctions.h). Only the
 * parts the importer and the test FMUs use. Plain C so test FMUs can include it.
 *
 * FMI 1.0 functions are exported with the model identifier as prefix: "<modelIdentifier>_fmiSetReal". */
#ifndef TWIN_FMI1_H
#define TWIN_FMI1_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void *fmiComponent;
typedef unsigned int fmiValueReference;
typedef double fmiReal;
typedef int fmiInteger;
typedef char fmiBoolean; /* a char in FMI 1.0, unlike FMI 2.0 */
typedef const char *fmiString;

#define fmiTrue 1
#define fmiFalse 0

typedef enum
{
    fmiOK,
    fmiWarning,
    fmiDiscard,
    fmiError,
    fmiFatal,
    fmiPending
} fmiStatus;

typedef enum
{
    fmiDoStepStatus,
    fmiPendingStatus,
    fmiLastSuccessfulTime
} fmiStatusKind;

/* The logger gets the component, not an environment pointer, and a printf-style format. */
typedef void (*fmiCallbackLogger)(fmiComponent c, fmiString instanceName, fmiStatus status,
                                  fmiString category, fmiString message, ...);
typedef void *(*fmiCallbackAllocateMemory)(size_t nobj, size_t size);
typedef void (*fmiCallbackFreeMemory)(void *obj);
typedef void (*fmiStepFinished)(fmiComponent c, fmiStatus status);

typedef struct
{
    fmiCallbackLogger logger;
    fmiCallbackAllocateMemory allocateMemory;
    fmiCallbackFreeMemory freeMemory;
} fmiCallbackFunctions; /* model exchange */

typedef struct
{
    fmiCallbackLogger logger;
    fmiCallbackAllocateMemory allocateMemory;
    fmiCallbackFreeMemory freeMemory;
    fmiStepFinished stepFinished;
} fmiCoSimCallbackFunctions; /* co-simulation (called fmiCallbackFunctions in its own header) */

typedef struct
{
    fmiBoolean iterationConverged;
    fmiBoolean stateValueReferencesChanged;
    fmiBoolean stateValuesChanged;
    fmiBoolean terminateSimulation;
    fmiBoolean upcomingTimeEvent;
    fmiReal nextEventTime;
} fmiEventInfo;

/* Both interfaces. */
typedef fmiStatus fmi1SetRealTYPE(fmiComponent c, const fmiValueReference vr[], size_t nvr,
                                  const fmiReal value[]);
typedef fmiStatus fmi1GetRealTYPE(fmiComponent c, const fmiValueReference vr[], size_t nvr, fmiReal value[]);
typedef fmiStatus fmi1SetIntegerTYPE(fmiComponent c, const fmiValueReference vr[], size_t nvr,
                                     const fmiInteger value[]);
typedef fmiStatus fmi1GetIntegerTYPE(fmiComponent c, const fmiValueReference vr[], size_t nvr,
                                     fmiInteger value[]);
typedef fmiStatus fmi1SetBooleanTYPE(fmiComponent c, const fmiValueReference vr[], size_t nvr,
                                     const fmiBoolean value[]);
typedef fmiStatus fmi1GetBooleanTYPE(fmiComponent c, const fmiValueReference vr[], size_t nvr,
                                     fmiBoolean value[]);

/* Model exchange. */
typedef fmiComponent fmi1InstantiateModelTYPE(fmiString instanceName, fmiString GUID,
                                              fmiCallbackFunctions functions, fmiBoolean loggingOn);
typedef void fmi1FreeModelInstanceTYPE(fmiComponent c);
typedef fmiStatus fmi1SetTimeTYPE(fmiComponent c, fmiReal time);
typedef fmiStatus fmi1SetContinuousStatesTYPE(fmiComponent c, const fmiReal x[], size_t nx);
typedef fmiStatus fmi1CompletedIntegratorStepTYPE(fmiComponent c, fmiBoolean *callEventUpdate);
typedef fmiStatus fmi1InitializeTYPE(fmiComponent c, fmiBoolean toleranceControlled,
                                     fmiReal relativeTolerance, fmiEventInfo *eventInfo);
typedef fmiStatus fmi1GetDerivativesTYPE(fmiComponent c, fmiReal derivatives[], size_t nx);
typedef fmiStatus fmi1GetEventIndicatorsTYPE(fmiComponent c, fmiReal eventIndicators[], size_t ni);
typedef fmiStatus fmi1EventUpdateTYPE(fmiComponent c, fmiBoolean intermediateResults,
                                      fmiEventInfo *eventInfo);
typedef fmiStatus fmi1GetContinuousStatesTYPE(fmiComponent c, fmiReal states[], size_t nx);
typedef fmiStatus fmi1TerminateTYPE(fmiComponent c);

/* Co-simulation. */
typedef fmiComponent fmi1InstantiateSlaveTYPE(fmiString instanceName, fmiString fmuGUID,
                                              fmiString fmuLocation, fmiString mimeType, fmiReal timeout,
                                              fmiBoolean visible, fmiBoolean interactive,
                                              fmiCoSimCallbackFunctions functions, fmiBoolean loggingOn);
typedef fmiStatus fmi1InitializeSlaveTYPE(fmiComponent c, fmiReal tStart, fmiBoolean StopTimeDefined,
                                          fmiReal tStop);
typedef fmiStatus fmi1TerminateSlaveTYPE(fmiComponent c);
typedef void fmi1FreeSlaveInstanceTYPE(fmiComponent c);
typedef fmiStatus fmi1DoStepTYPE(fmiComponent c, fmiReal currentCommunicationPoint,
                                 fmiReal communicationStepSize, fmiBoolean newStep);
typedef fmiStatus fmi1GetRealStatusTYPE(fmiComponent c, const fmiStatusKind s, fmiReal *value);

#ifdef __cplusplus
}
#endif
#endif
