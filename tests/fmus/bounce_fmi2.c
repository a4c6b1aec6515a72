/* FMI 2.0 model-exchange-only test FMU around bounce_model.h. */
#include "bounce_model.h"
#include "fmi/TwinFmi2.h"

#include <stdio.h>

#define EXPORT __attribute__((visibility("default")))

typedef struct
{
    Bounce b;
    bool continuousTime; /* the standard's Continuous-Time Mode; false in Initialization and Event Mode */
    fmi2CallbackFunctions cb;
    char name[64];
} Instance;

static fmi2Status error(Instance *inst, const char *text)
{
    if (inst->cb.logger)
        inst->cb.logger(inst->cb.componentEnvironment, inst->name, fmi2Error, "logStatusError", "%s", text);
    return fmi2Error;
}

EXPORT const char *fmi2GetTypesPlatform(void)
{
    return "default";
}
EXPORT const char *fmi2GetVersion(void)
{
    return "2.0";
}

EXPORT fmi2Component fmi2Instantiate(fmi2String instanceName, fmi2Type fmuType, fmi2String guid,
                                     fmi2String resources, const fmi2CallbackFunctions *functions,
                                     fmi2Boolean visible, fmi2Boolean loggingOn)
{
    (void)guid, (void)resources, (void)visible, (void)loggingOn;
    if (fmuType != fmi2ModelExchange || !functions || !functions->allocateMemory)
        return NULL;
    Instance *inst = functions->allocateMemory(1, sizeof(Instance));
    inst->cb = *functions;
    snprintf(inst->name, sizeof inst->name, "%s", instanceName ? instanceName : "bounce");
    bounceDefaults(&inst->b);
    return inst;
}

EXPORT void fmi2FreeInstance(fmi2Component c)
{
    Instance *inst = c;
    if (inst)
        inst->cb.freeMemory(inst);
}

EXPORT fmi2Status fmi2SetupExperiment(fmi2Component c, fmi2Boolean tolDefined, fmi2Real tol, fmi2Real start,
                                      fmi2Boolean stopDefined, fmi2Real stop)
{
    (void)tolDefined, (void)tol, (void)stopDefined, (void)stop;
    ((Instance *)c)->b.time = start;
    return fmi2OK;
}

EXPORT fmi2Status fmi2EnterInitializationMode(fmi2Component c)
{
    (void)c;
    return fmi2OK;
}

EXPORT fmi2Status fmi2ExitInitializationMode(fmi2Component c)
{
    Instance *inst = c;
    if (!(inst->b.e >= 0 && inst->b.e <= 1))
        return error(inst, "coefficient of restitution e must lie in [0, 1]");
    bounceInitialize(&inst->b);
    return fmi2OK;
}

EXPORT fmi2Status fmi2Terminate(fmi2Component c)
{
    (void)c;
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, const fmi2Real v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i)
        if (!bounceSet(&inst->b, vr[i], v[i]))
            return error(inst, "fmi2SetReal: unknown or read-only value reference");
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Real v[])
{
    Instance *inst = c;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i)
        v[i] = bounceGet(&inst->b, vr[i], &ok);
    return ok ? fmi2OK : error(inst, "fmi2GetReal: unknown value reference");
}

EXPORT fmi2Status fmi2SetInteger(fmi2Component c, const fmi2ValueReference vr[], size_t n,
                                 const fmi2Integer v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i)
        if (vr[i] != VR_MAXBOUNCES || !bounceSet(&inst->b, vr[i], v[i]))
            return error(inst, "fmi2SetInteger: unknown or read-only value reference");
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetInteger(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Integer v[])
{
    Instance *inst = c;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i)
        v[i] = (fmi2Integer)bounceGet(&inst->b, vr[i], &ok);
    return ok ? fmi2OK : error(inst, "fmi2GetInteger: unknown value reference");
}

EXPORT fmi2Status fmi2SetTime(fmi2Component c, fmi2Real time)
{
    ((Instance *)c)->b.time = time;
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetContinuousStates(fmi2Component c, const fmi2Real x[], size_t nx)
{
    Instance *inst = c;
    if (!inst->continuousTime) /* as strict as the Reference FMUs: only in Continuous-Time Mode */
        return error(inst, "fmi2SetContinuousStates is not allowed outside Continuous-Time Mode");
    if (nx != 2)
        return error(inst, "fmi2SetContinuousStates: expected 2 states");
    inst->b.h = x[0];
    inst->b.v = x[1];
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetContinuousStates(fmi2Component c, fmi2Real x[], size_t nx)
{
    Instance *inst = c;
    if (nx != 2)
        return error(inst, "fmi2GetContinuousStates: expected 2 states");
    x[0] = inst->b.h;
    x[1] = inst->b.v;
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetDerivatives(fmi2Component c, fmi2Real dx[], size_t nx)
{
    Instance *inst = c;
    if (nx != 2)
        return error(inst, "fmi2GetDerivatives: expected 2 states");
    bounceDerivatives(&inst->b, dx);
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetEventIndicators(fmi2Component c, fmi2Real z[], size_t nz)
{
    Instance *inst = c;
    if (nz != 1)
        return error(inst, "fmi2GetEventIndicators: expected 1 indicator");
    z[0] = bounceIndicator(&inst->b);
    return fmi2OK;
}

EXPORT fmi2Status fmi2EnterEventMode(fmi2Component c)
{
    ((Instance *)c)->continuousTime = false;
    return fmi2OK;
}

EXPORT fmi2Status fmi2NewDiscreteStates(fmi2Component c, fmi2EventInfo *info)
{
    Instance *inst = c;
    info->valuesOfContinuousStatesChanged = bounceEvent(&inst->b);
    info->newDiscreteStatesNeeded = fmi2False;
    info->terminateSimulation = inst->b.terminate;
    info->nominalsOfContinuousStatesChanged = fmi2False;
    info->nextEventTimeDefined = inst->b.period > 0;
    info->nextEventTime = inst->b.nextTick;
    return fmi2OK;
}

EXPORT fmi2Status fmi2EnterContinuousTimeMode(fmi2Component c)
{
    ((Instance *)c)->continuousTime = true;
    return fmi2OK;
}

EXPORT fmi2Status fmi2CompletedIntegratorStep(fmi2Component c, fmi2Boolean noSetPrior,
                                              fmi2Boolean *enterEventMode, fmi2Boolean *terminateSimulation)
{
    (void)noSetPrior;
    Instance *inst = c;
    *enterEventMode = bounceCompletedStep(&inst->b);
    *terminateSimulation = fmi2False;
    return fmi2OK;
}
