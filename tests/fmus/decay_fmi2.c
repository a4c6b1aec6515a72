/* A small FMI 2.0 co-simulation FMU for the Twinworks tests: y' = -k*y, y(0) = y0, output y = y0*exp(-k*t)
 * (each step is integrated exactly). Compile definitions turn it into the misbehaving test models:
 *   TWIN_FMU_CRASH    segfaults in doStep from t = 0.3
 *   TWIN_FMU_HANG     never returns from doStep from t = 0.2
 *   TWIN_FMU_HOG      allocates (and touches) 64 MiB per step without bound
 *   TWIN_FMU_NOISE    prints to stdout on every call and returns NaN from t = 0.5
 *   TWIN_FMU_DISCARD  returns fmi2Discard from t = 0.5
 * Like some exported FMUs, it only honours parameters set in initialization mode: entering it resets k.
 * Its state can be saved and restored (fmi2Get/SetFMUstate, serialized as the instance's bytes). */
#include "fmi/TwinFmi2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
#define K_DEFAULT 1.0
enum
{
    VR_Y = 0,
    VR_Y0 = 1,
    VR_K = 2,
    VR_SUBSTEPS = 3
};

typedef struct
{
    double time, y, y0, k, substeps;
    fmi2CallbackFunctions cb;
    char name[64];
} Instance;

static void say(Instance *inst, fmi2Status status, const char *text)
{
    if (inst->cb.logger)
        inst->cb.logger(inst->cb.componentEnvironment, inst->name, status,
                        status >= fmi2Error ? "logError" : "logAll", "%s", text);
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
    if (fmuType != fmi2CoSimulation || !functions || !functions->allocateMemory)
        return NULL;
    Instance *inst = functions->allocateMemory(1, sizeof(Instance));
    inst->cb = *functions;
    snprintf(inst->name, sizeof inst->name, "%s", instanceName ? instanceName : "decay");
    inst->y0 = 1.0;
    inst->k = K_DEFAULT;
#ifdef TWIN_FMU_NOISE
    printf("noise: instantiated %s\n", inst->name);
    fflush(stdout);
#endif
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
    ((Instance *)c)->time = start;
    return fmi2OK;
}

EXPORT fmi2Status fmi2EnterInitializationMode(fmi2Component c)
{
    ((Instance *)c)->k = K_DEFAULT; /* the messy part: values set before this call are forgotten */
    return fmi2OK;
}

EXPORT fmi2Status fmi2ExitInitializationMode(fmi2Component c)
{
    Instance *inst = c;
    if (inst->k < 0) {
        char text[128];
        snprintf(text, sizeof text, "decay rate k must be >= 0 (got %g)", inst->k);
        say(inst, fmi2Error, text);
        return fmi2Error;
    }
    inst->y = inst->y0;
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
        if (vr[i] == VR_Y0)
            inst->y0 = v[i];
        else if (vr[i] == VR_K)
            inst->k = v[i];
        else if (vr[i] == VR_SUBSTEPS)
            inst->substeps = v[i];
        else {
            say(inst, fmi2Error, "fmi2SetReal: unknown or read-only value reference");
            return fmi2Error;
        }
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Real v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i)
        v[i] = vr[i] == VR_Y ? inst->y : vr[i] == VR_Y0 ? inst->y0 : vr[i] == VR_K ? inst->k : inst->substeps;
    return fmi2OK;
}

EXPORT fmi2Status fmi2DoStep(fmi2Component c, fmi2Real t, fmi2Real h, fmi2Boolean noSetPrior)
{
    (void)noSetPrior;
    Instance *inst = c;
#ifdef TWIN_FMU_CRASH
    if (t >= 0.3 - 1e-9)
        *(volatile int *)0 = 42;
#endif
#ifdef TWIN_FMU_HANG
    if (t >= 0.2 - 1e-9) {
        volatile int spin = 1;
        while (spin) {
        }
    }
#endif
#ifdef TWIN_FMU_HOG
    {
        static void *volatile leaked[4096];
        static size_t count;
        const size_t chunk = 64u << 20;
        char *block = malloc(chunk); /* never freed, never checked: a careless model */
        memset(block, 1, chunk);
        leaked[count++ % 4096] = block;
        (void)leaked[0];
    }
#endif
#ifdef TWIN_FMU_DISCARD
    if (t >= 0.5 - 1e-9) {
        say(inst, fmi2Warning, "step size too large for the solver");
        return fmi2Discard;
    }
#endif
    if (inst->substeps >= 1) { /* classic RK4 with fixed substeps: the benchmark's "real work" variant */
        const int n = (int)inst->substeps;
        const double dt = h / n, k = inst->k;
        double y = inst->y;
        for (int i = 0; i < n; ++i) {
            const double k1 = -k * y, k2 = -k * (y + 0.5 * dt * k1), k3 = -k * (y + 0.5 * dt * k2),
                         k4 = -k * (y + dt * k3);
            y += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        inst->y = y;
    } else {
        inst->y *= exp(-inst->k * h);
    }
    inst->time = t + h;
#ifdef TWIN_FMU_NOISE
    printf("noise: stepped to t=%g\n", inst->time);
    fflush(stdout);
    if (inst->time >= 0.5 - 1e-9)
        inst->y = NAN;
#endif
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetRealStatus(fmi2Component c, const fmi2StatusKind kind, fmi2Real *value)
{
    if (kind != fmi2LastSuccessfulTime)
        return fmi2Discard;
    *value = ((Instance *)c)->time;
    return fmi2OK;
}

/* FMU state: a copy of the instance; serialized as its bytes. */
EXPORT fmi2Status fmi2GetFMUstate(fmi2Component c, void **state)
{
    Instance *inst = c;
    Instance *copy = *state ? *state : inst->cb.allocateMemory(1, sizeof(Instance));
    *copy = *inst;
    *state = copy;
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetFMUstate(fmi2Component c, void *state)
{
    Instance *inst = c;
    const fmi2CallbackFunctions cb = inst->cb;
    *inst = *(Instance *)state;
    inst->cb = cb;
    return fmi2OK;
}

EXPORT fmi2Status fmi2FreeFMUstate(fmi2Component c, void **state)
{
    ((Instance *)c)->cb.freeMemory(*state);
    *state = NULL;
    return fmi2OK;
}

EXPORT fmi2Status fmi2SerializedFMUstateSize(fmi2Component c, void *state, size_t *size)
{
    (void)c, (void)state;
    *size = sizeof(Instance);
    return fmi2OK;
}

EXPORT fmi2Status fmi2SerializeFMUstate(fmi2Component c, void *state, char bytes[], size_t size)
{
    (void)c;
    if (size != sizeof(Instance))
        return fmi2Error;
    memcpy(bytes, state, size);
    return fmi2OK;
}

EXPORT fmi2Status fmi2DeSerializeFMUstate(fmi2Component c, const char bytes[], size_t size, void **state)
{
    Instance *inst = c;
    if (size != sizeof(Instance)) {
        say(inst, fmi2Error, "fmi2DeSerializeFMUstate: not a state of this model");
        return fmi2Error;
    }
    Instance *copy = inst->cb.allocateMemory(1, sizeof(Instance));
    memcpy(copy, bytes, size);
    *state = copy;
    return fmi2OK;
}
