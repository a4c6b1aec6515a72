/* Three FMI 2.0 co-simulation blocks for the SSP tests, chosen by a compile definition:
 *   TWIN_BLOCK_GAIN        y = k * u, read at any time (its output depends directly on its input)
 *   TWIN_BLOCK_SUM         y = u + k * w, read at any time (direct feedthrough from both inputs)
 *   TWIN_BLOCK_INTEGRATOR  y = x, x' = u with u held over each step (x += u * h); x(0) = x0; its output does
 *                          not depend directly on its input */
#include "fmi/TwinFmi2.h"

#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))
enum
{
    VR_U = 0,
    VR_Y = 1,
    VR_P = 2, /* k for the gain and the sum, x0 for the integrator */
    VR_W = 3  /* the sum's second input */
};

typedef struct
{
    double u, w, x, p, time;
} Instance;

static double output(const Instance *inst)
{
#if defined(TWIN_BLOCK_GAIN)
    return inst->p * inst->u;
#elif defined(TWIN_BLOCK_SUM)
    return inst->u + inst->p * inst->w;
#else
    return inst->x;
#endif
}

EXPORT const char *fmi2GetTypesPlatform(void)
{
    return "default";
}
EXPORT const char *fmi2GetVersion(void)
{
    return "2.0";
}

EXPORT fmi2Component fmi2Instantiate(fmi2String name, fmi2Type type, fmi2String guid, fmi2String resources,
                                     const fmi2CallbackFunctions *functions, fmi2Boolean visible,
                                     fmi2Boolean loggingOn)
{
    (void)name, (void)guid, (void)resources, (void)functions, (void)visible, (void)loggingOn;
    if (type != fmi2CoSimulation)
        return NULL;
    Instance *inst = calloc(1, sizeof(Instance));
#if defined(TWIN_BLOCK_GAIN) || defined(TWIN_BLOCK_SUM)
    inst->p = 1;
#endif
    return inst;
}

EXPORT void fmi2FreeInstance(fmi2Component c)
{
    free(c);
}

EXPORT fmi2Status fmi2SetupExperiment(fmi2Component c, fmi2Boolean tolDefined, fmi2Real tol, fmi2Real start,
                                      fmi2Boolean stopDefined, fmi2Real stop)
{
    (void)tolDefined, (void)tol, (void)stopDefined, (void)stop;
    ((Instance *)c)->time = start;
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
    inst->x = inst->p;
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
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_U)
            inst->u = v[i];
        else if (vr[i] == VR_P)
            inst->p = v[i];
        else if (vr[i] == VR_W)
            inst->w = v[i];
        else
            return fmi2Error;
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Real v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i)
        v[i] = vr[i] == VR_U ? inst->u : vr[i] == VR_Y ? output(inst) : vr[i] == VR_W ? inst->w : inst->p;
    return fmi2OK;
}

EXPORT fmi2Status fmi2DoStep(fmi2Component c, fmi2Real t, fmi2Real h, fmi2Boolean noSetPrior)
{
    (void)noSetPrior;
    Instance *inst = c;
    inst->x += inst->u * h;
    inst->time = t + h;
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetRealStatus(fmi2Component c, const fmi2StatusKind kind, fmi2Real *value)
{
    if (kind != fmi2LastSuccessfulTime)
        return fmi2Discard;
    *value = ((Instance *)c)->time;
    return fmi2OK;
}
