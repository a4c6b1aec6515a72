/* An FMI 2.0 co-simulation test model with every numeric scalar type: Integer "count", Boolean "enabled",
 * Enumeration "mode" (1 or 2) as parameters; outputs y = enabled ? count * mode * t : 0 (Real), "steps"
 * (Integer, doSteps taken) and "above" (Boolean, y > 1); a String parameter "tag" and a String output
 * "label" = "<tag>:<steps>", both copied as the standard asks; a String input "note" and a String output
 * "heard", the note as it was at the last communication point. */
#include "fmi/TwinFmi2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
enum
{
    VR_Y = 0,
    VR_COUNT = 1,
    VR_ENABLED = 2,
    VR_MODE = 3,
    VR_STEPS = 4,
    VR_ABOVE = 5,
    VR_TAG = 6,
    VR_LABEL = 7,
    VR_NOTE = 8,
    VR_HEARD = 9
};

typedef struct
{
    double time, y;
    int count, enabled, mode, steps;
    char tag[64], label[96], note[64], heard[64];
    fmi2CallbackFunctions cb;
} Instance;

static void update(Instance *inst)
{
    inst->y = inst->enabled ? inst->count * inst->mode * inst->time : 0.0;
    snprintf(inst->label, sizeof inst->label, "%s:%d", inst->tag, inst->steps);
    strcpy(inst->heard, inst->note);
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
    (void)name, (void)guid, (void)resources, (void)visible, (void)loggingOn;
    if (type != fmi2CoSimulation || !functions)
        return NULL;
    Instance *inst = calloc(1, sizeof(Instance));
    inst->count = 3;
    inst->enabled = 1;
    inst->mode = 1;
    strcpy(inst->tag, "x");
    strcpy(inst->note, "-");
    inst->cb = *functions;
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
    update((Instance *)c);
    return fmi2OK;
}
EXPORT fmi2Status fmi2Terminate(fmi2Component c)
{
    (void)c;
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Real v[])
{
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] != VR_Y)
            return fmi2Error;
        v[i] = ((Instance *)c)->y;
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, const fmi2Real v[])
{
    (void)c, (void)vr, (void)n, (void)v;
    return fmi2Error; /* no settable reals */
}

EXPORT fmi2Status fmi2GetInteger(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Integer v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        switch (vr[i]) {
        case VR_COUNT:
            v[i] = inst->count;
            break;
        case VR_MODE:
            v[i] = inst->mode;
            break;
        case VR_STEPS:
            v[i] = inst->steps;
            break;
        default:
            return fmi2Error;
        }
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetInteger(fmi2Component c, const fmi2ValueReference vr[], size_t n,
                                 const fmi2Integer v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_COUNT)
            inst->count = v[i];
        else if (vr[i] == VR_MODE && (v[i] == 1 || v[i] == 2))
            inst->mode = v[i];
        else
            return fmi2Error;
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetBoolean(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Boolean v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_ENABLED)
            v[i] = inst->enabled;
        else if (vr[i] == VR_ABOVE)
            v[i] = inst->y > 1.0;
        else
            return fmi2Error;
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetBoolean(fmi2Component c, const fmi2ValueReference vr[], size_t n,
                                 const fmi2Boolean v[])
{
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] != VR_ENABLED)
            return fmi2Error;
        ((Instance *)c)->enabled = v[i] != 0;
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2DoStep(fmi2Component c, fmi2Real t, fmi2Real h, fmi2Boolean noSetPrior)
{
    (void)noSetPrior;
    Instance *inst = c;
    inst->time = t + h;
    inst->steps += 1;
    update(inst);
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetRealStatus(fmi2Component c, const fmi2StatusKind kind, fmi2Real *value)
{
    if (kind != fmi2LastSuccessfulTime)
        return fmi2Discard;
    *value = ((Instance *)c)->time;
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetString(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2String v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_TAG)
            v[i] = inst->tag;
        else if (vr[i] == VR_LABEL)
            v[i] = inst->label;
        else if (vr[i] == VR_NOTE)
            v[i] = inst->note;
        else if (vr[i] == VR_HEARD)
            v[i] = inst->heard;
        else
            return fmi2Error;
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetString(fmi2Component c, const fmi2ValueReference vr[], size_t n, const fmi2String v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        char *target = vr[i] == VR_TAG ? inst->tag : vr[i] == VR_NOTE ? inst->note : NULL;
        if (!target || !v[i] || strlen(v[i]) >= 64)
            return fmi2Error;
        strcpy(target, v[i]);
    }
    return fmi2OK;
}
