/* FMI 3.0 model-exchange-only test FMU around bounce_model.h. */
#include "bounce_model.h"
#include "fmi/TwinFmi3.h"

#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))

typedef struct
{
    Bounce b;
    bool continuousTime; /* the standard's Continuous-Time Mode; false in Initialization and Event Mode */
    fmi3InstanceEnvironment env;
    fmi3LogMessageCallback log;
} Instance;

static fmi3Status error(Instance *inst, const char *text)
{
    if (inst->log)
        inst->log(inst->env, fmi3Error, "logStatusError", text);
    return fmi3Error;
}

EXPORT const char *fmi3GetVersion(void)
{
    return "3.0";
}

EXPORT fmi3Instance fmi3InstantiateModelExchange(fmi3String name, fmi3String token, fmi3String resources,
                                                 fmi3Boolean visible, fmi3Boolean loggingOn,
                                                 fmi3InstanceEnvironment env, fmi3LogMessageCallback log)
{
    (void)name, (void)token, (void)resources, (void)visible, (void)loggingOn;
    Instance *inst = calloc(1, sizeof(Instance));
    inst->env = env;
    inst->log = log;
    bounceDefaults(&inst->b);
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
    ((Instance *)instance)->b.time = start;
    return fmi3OK;
}

EXPORT fmi3Status fmi3ExitInitializationMode(fmi3Instance instance)
{
    Instance *inst = instance;
    if (!(inst->b.e >= 0 && inst->b.e <= 1))
        return error(inst, "coefficient of restitution e must lie in [0, 1]");
    bounceInitialize(&inst->b);
    return fmi3OK;
}

EXPORT fmi3Status fmi3Terminate(fmi3Instance instance)
{
    (void)instance;
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetFloat64(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                 fmi3Float64 v[], size_t nValues)
{
    Instance *inst = instance;
    bool ok = nValues == n;
    for (size_t i = 0; i < n && ok; ++i)
        v[i] = bounceGet(&inst->b, vr[i], &ok);
    return ok ? fmi3OK : error(inst, "fmi3GetFloat64: unknown value reference");
}

EXPORT fmi3Status fmi3SetFloat64(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                 const fmi3Float64 v[], size_t nValues)
{
    Instance *inst = instance;
    for (size_t i = 0; i < n; ++i)
        if (nValues != n || !bounceSet(&inst->b, vr[i], v[i]))
            return error(inst, "fmi3SetFloat64: unknown or read-only value reference");
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetInt32(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, int32_t v[],
                               size_t nValues)
{
    Instance *inst = instance;
    bool ok = nValues == n;
    for (size_t i = 0; i < n && ok; ++i)
        v[i] = (int32_t)bounceGet(&inst->b, vr[i], &ok);
    return ok ? fmi3OK : error(inst, "fmi3GetInt32: unknown value reference");
}

EXPORT fmi3Status fmi3SetInt32(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                               const int32_t v[], size_t nValues)
{
    Instance *inst = instance;
    for (size_t i = 0; i < n; ++i)
        if (nValues != n || vr[i] != VR_MAXBOUNCES || !bounceSet(&inst->b, vr[i], v[i]))
            return error(inst, "fmi3SetInt32: unknown or read-only value reference");
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetTime(fmi3Instance instance, fmi3Float64 time)
{
    ((Instance *)instance)->b.time = time;
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetContinuousStates(fmi3Instance instance, const fmi3Float64 x[], size_t nx)
{
    Instance *inst = instance;
    if (!inst->continuousTime) /* as strict as the Reference FMUs: only in Continuous-Time Mode */
        return error(inst, "fmi3SetContinuousStates is not allowed outside Continuous-Time Mode");
    if (nx != 2)
        return error(inst, "fmi3SetContinuousStates: expected 2 states");
    inst->b.h = x[0];
    inst->b.v = x[1];
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetContinuousStates(fmi3Instance instance, fmi3Float64 x[], size_t nx)
{
    Instance *inst = instance;
    if (nx != 2)
        return error(inst, "fmi3GetContinuousStates: expected 2 states");
    x[0] = inst->b.h;
    x[1] = inst->b.v;
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetContinuousStateDerivatives(fmi3Instance instance, fmi3Float64 dx[], size_t nx)
{
    Instance *inst = instance;
    if (nx != 2)
        return error(inst, "fmi3GetContinuousStateDerivatives: expected 2 states");
    bounceDerivatives(&inst->b, dx);
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetEventIndicators(fmi3Instance instance, fmi3Float64 z[], size_t nz)
{
    Instance *inst = instance;
    if (nz != 1)
        return error(inst, "fmi3GetEventIndicators: expected 1 indicator");
    z[0] = bounceIndicator(&inst->b);
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetNumberOfContinuousStates(fmi3Instance instance, size_t *n)
{
    (void)instance;
    *n = 2;
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetNumberOfEventIndicators(fmi3Instance instance, size_t *n)
{
    (void)instance;
    *n = 1;
    return fmi3OK;
}

EXPORT fmi3Status fmi3EnterEventMode(fmi3Instance instance)
{
    ((Instance *)instance)->continuousTime = false;
    return fmi3OK;
}

EXPORT fmi3Status fmi3UpdateDiscreteStates(fmi3Instance instance, fmi3Boolean *needUpdate,
                                           fmi3Boolean *terminate, fmi3Boolean *nominalsChanged,
                                           fmi3Boolean *valuesChanged, fmi3Boolean *nextDefined,
                                           fmi3Float64 *next)
{
    Instance *inst = instance;
    *valuesChanged = bounceEvent(&inst->b);
    *needUpdate = false;
    *terminate = inst->b.terminate;
    *nominalsChanged = false;
    *nextDefined = inst->b.period > 0;
    *next = inst->b.nextTick;
    return fmi3OK;
}

EXPORT fmi3Status fmi3EnterContinuousTimeMode(fmi3Instance instance)
{
    ((Instance *)instance)->continuousTime = true;
    return fmi3OK;
}

EXPORT fmi3Status fmi3CompletedIntegratorStep(fmi3Instance instance, fmi3Boolean noSetPrior,
                                              fmi3Boolean *enterEventMode, fmi3Boolean *terminate)
{
    (void)noSetPrior;
    Instance *inst = instance;
    *enterEventMode = bounceCompletedStep(&inst->b);
    *terminate = false;
    return fmi3OK;
}
