/* FMI 1.0 model-exchange test FMU around bounce_model.h; functions carry the "bounce1_" prefix FMI 1.0
 * requires (the model identifier). */
#include "bounce_model.h"
#include "fmi/TwinFmi1.h"

#include <stdio.h>

#define EXPORT __attribute__((visibility("default")))
#define F(name) bounce1_##name

typedef struct
{
    Bounce b;
    fmiCallbackFunctions cb;
    char name[64];
} Instance;

static fmiStatus error(Instance *inst, const char *text)
{
    inst->cb.logger(inst, inst->name, fmiError, "error", "%s", text);
    return fmiError;
}

EXPORT const char *F(fmiGetModelTypesPlatform)(void)
{
    return "standard32";
}
EXPORT const char *F(fmiGetVersion)(void)
{
    return "1.0";
}

EXPORT fmiComponent F(fmiInstantiateModel)(fmiString instanceName, fmiString guid,
                                           fmiCallbackFunctions functions, fmiBoolean loggingOn)
{
    (void)guid, (void)loggingOn;
    if (!functions.allocateMemory || !functions.logger)
        return NULL;
    Instance *inst = functions.allocateMemory(1, sizeof(Instance));
    inst->cb = functions;
    snprintf(inst->name, sizeof inst->name, "%s", instanceName ? instanceName : "bounce1");
    bounceDefaults(&inst->b);
    return inst;
}

EXPORT void F(fmiFreeModelInstance)(fmiComponent c)
{
    Instance *inst = c;
    inst->cb.freeMemory(inst);
}

static void eventInfo(Instance *inst, fmiEventInfo *info, fmiBoolean changed)
{
    info->iterationConverged = fmiTrue;
    info->stateValueReferencesChanged = fmiFalse;
    info->stateValuesChanged = changed;
    info->terminateSimulation = inst->b.terminate;
    info->upcomingTimeEvent = inst->b.period > 0;
    info->nextEventTime = inst->b.nextTick;
}

EXPORT fmiStatus F(fmiInitialize)(fmiComponent c, fmiBoolean toleranceControlled, fmiReal relativeTolerance,
                                  fmiEventInfo *info)
{
    (void)toleranceControlled, (void)relativeTolerance;
    Instance *inst = c;
    if (!(inst->b.e >= 0 && inst->b.e <= 1))
        return error(inst, "coefficient of restitution e must lie in [0, 1]");
    bounceInitialize(&inst->b);
    eventInfo(inst, info, fmiFalse);
    return fmiOK;
}

EXPORT fmiStatus F(fmiTerminate)(fmiComponent c)
{
    (void)c;
    return fmiOK;
}

EXPORT fmiStatus F(fmiSetReal)(fmiComponent c, const fmiValueReference vr[], size_t n, const fmiReal v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i)
        if (!bounceSet(&inst->b, vr[i], v[i]))
            return error(inst, "fmiSetReal: unknown or read-only value reference");
    return fmiOK;
}

EXPORT fmiStatus F(fmiGetReal)(fmiComponent c, const fmiValueReference vr[], size_t n, fmiReal v[])
{
    Instance *inst = c;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i)
        v[i] = bounceGet(&inst->b, vr[i], &ok);
    return ok ? fmiOK : error(inst, "fmiGetReal: unknown value reference");
}

EXPORT fmiStatus F(fmiSetInteger)(fmiComponent c, const fmiValueReference vr[], size_t n,
                                  const fmiInteger v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i)
        if (vr[i] != VR_MAXBOUNCES || !bounceSet(&inst->b, vr[i], v[i]))
            return error(inst, "fmiSetInteger: unknown or read-only value reference");
    return fmiOK;
}

EXPORT fmiStatus F(fmiGetInteger)(fmiComponent c, const fmiValueReference vr[], size_t n, fmiInteger v[])
{
    Instance *inst = c;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i)
        v[i] = (fmiInteger)bounceGet(&inst->b, vr[i], &ok);
    return ok ? fmiOK : error(inst, "fmiGetInteger: unknown value reference");
}

EXPORT fmiStatus F(fmiSetTime)(fmiComponent c, fmiReal time)
{
    ((Instance *)c)->b.time = time;
    return fmiOK;
}

EXPORT fmiStatus F(fmiSetContinuousStates)(fmiComponent c, const fmiReal x[], size_t nx)
{
    Instance *inst = c;
    if (nx != 2)
        return error(inst, "fmiSetContinuousStates: expected 2 states");
    inst->b.h = x[0];
    inst->b.v = x[1];
    return fmiOK;
}

EXPORT fmiStatus F(fmiGetContinuousStates)(fmiComponent c, fmiReal x[], size_t nx)
{
    Instance *inst = c;
    if (nx != 2)
        return error(inst, "fmiGetContinuousStates: expected 2 states");
    x[0] = inst->b.h;
    x[1] = inst->b.v;
    return fmiOK;
}

EXPORT fmiStatus F(fmiGetDerivatives)(fmiComponent c, fmiReal dx[], size_t nx)
{
    Instance *inst = c;
    if (nx != 2)
        return error(inst, "fmiGetDerivatives: expected 2 states");
    bounceDerivatives(&inst->b, dx);
    return fmiOK;
}

EXPORT fmiStatus F(fmiGetEventIndicators)(fmiComponent c, fmiReal z[], size_t nz)
{
    Instance *inst = c;
    if (nz != 1)
        return error(inst, "fmiGetEventIndicators: expected 1 indicator");
    z[0] = bounceIndicator(&inst->b);
    return fmiOK;
}

EXPORT fmiStatus F(fmiEventUpdate)(fmiComponent c, fmiBoolean intermediateResults, fmiEventInfo *info)
{
    (void)intermediateResults;
    Instance *inst = c;
    eventInfo(inst, info, bounceEvent(&inst->b));
    return fmiOK;
}

EXPORT fmiStatus F(fmiCompletedIntegratorStep)(fmiComponent c, fmiBoolean *callEventUpdate)
{
    *callEventUpdate = bounceCompletedStep(&((Instance *)c)->b);
    return fmiOK;
}
