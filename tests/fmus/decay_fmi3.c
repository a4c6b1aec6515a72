/* The FMI 3.0 co-simulation version of the decay test model: y' = -k*y, y(0) = y0, output y = y0*exp(-k*t).
 * Value references: 0 time (independent), 1 y (output), 2 y0 (parameter), 3 k (tunable parameter). */
#include "fmi/TwinFmi3.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))
enum
{
    VR_TIME = 0,
    VR_Y = 1,
    VR_Y0 = 2,
    VR_K = 3
};

typedef struct
{
    double time, y, y0, k;
    fmi3InstanceEnvironment env;
    fmi3LogMessageCallback log;
} Instance;

EXPORT const char *fmi3GetVersion(void)
{
    return "3.0";
}

EXPORT fmi3Instance fmi3InstantiateCoSimulation(fmi3String name, fmi3String token, fmi3String resources,
                                                fmi3Boolean visible, fmi3Boolean loggingOn,
                                                fmi3Boolean eventModeUsed, fmi3Boolean earlyReturnAllowed,
                                                const fmi3ValueReference required[], size_t nRequired,
                                                fmi3InstanceEnvironment env, fmi3LogMessageCallback log,
                                                fmi3IntermediateUpdateCallback update)
{
    (void)name, (void)token, (void)resources, (void)visible, (void)loggingOn, (void)eventModeUsed;
    (void)earlyReturnAllowed, (void)required, (void)nRequired, (void)update;
    Instance *inst = calloc(1, sizeof(Instance));
    inst->y0 = 1.0;
    inst->k = 1.0;
    inst->env = env;
    inst->log = log;
    return inst;
}

EXPORT void fmi3FreeInstance(fmi3Instance instance)
{
    free(instance);
}

EXPORT fmi3Status fmi3EnterInitializationMode(fmi3Instance instance, fmi3Boolean tolDefined, fmi3Float64 tol,
                                              fmi3Float64 start, fmi3Boolean stopDefined, fmi3Float64 stop)
{
    (void)tolDefined, (void)tol, (void)stopDefined, (void)stop;
    ((Instance *)instance)->time = start;
    return fmi3OK;
}

EXPORT fmi3Status fmi3ExitInitializationMode(fmi3Instance instance)
{
    Instance *inst = instance;
    if (inst->k < 0) {
        if (inst->log)
            inst->log(inst->env, fmi3Error, "logError", "decay rate k must be >= 0");
        return fmi3Error;
    }
    inst->y = inst->y0;
    return fmi3OK;
}

EXPORT fmi3Status fmi3Terminate(fmi3Instance instance)
{
    (void)instance;
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetFloat64(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                 const fmi3Float64 v[], size_t nValues)
{
    Instance *inst = instance;
    if (nValues != n)
        return fmi3Error;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_Y0)
            inst->y0 = v[i];
        else if (vr[i] == VR_K)
            inst->k = v[i];
        else
            return fmi3Error;
    }
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetFloat64(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                 fmi3Float64 v[], size_t nValues)
{
    Instance *inst = instance;
    if (nValues != n)
        return fmi3Error;
    for (size_t i = 0; i < n; ++i)
        v[i] = vr[i] == VR_TIME ? inst->time : vr[i] == VR_Y ? inst->y : vr[i] == VR_Y0 ? inst->y0 : inst->k;
    return fmi3OK;
}

EXPORT fmi3Status fmi3DoStep(fmi3Instance instance, fmi3Float64 t, fmi3Float64 h, fmi3Boolean noSetPrior,
                             fmi3Boolean *eventHandlingNeeded, fmi3Boolean *terminateSimulation,
                             fmi3Boolean *earlyReturn, fmi3Float64 *lastSuccessfulTime)
{
    (void)noSetPrior;
    Instance *inst = instance;
    inst->y *= exp(-inst->k * h);
    inst->time = t + h;
    *eventHandlingNeeded = false;
    *terminateSimulation = false;
    *earlyReturn = false;
    *lastSuccessfulTime = inst->time;
    return fmi3OK;
}
