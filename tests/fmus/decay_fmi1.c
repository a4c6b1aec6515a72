/* FMI 1.0 co-simulation test FMU: y' = -k*y, y(0) = y0, each step integrated exactly; functions carry the
 * "decay1_" prefix. With discardAt >= 0 it discards every step from that time on (fmiGetRealStatus then gives
 * the last successful time), as a solver that gives up would. */
#include "fmi/TwinFmi1.h"

#include <math.h>
#include <stdio.h>

#define EXPORT __attribute__((visibility("default")))
#define F(name) decay1_##name

enum
{
    VR_Y = 0,
    VR_Y0 = 1,
    VR_K = 2,
    VR_DISCARD_AT = 3
};

typedef struct
{
    double time, y, y0, k, discardAt;
    fmiCoSimCallbackFunctions cb;
    char name[64];
} Instance;

EXPORT const char *F(fmiGetTypesPlatform)(void)
{
    return "standard32";
}
EXPORT const char *F(fmiGetVersion)(void)
{
    return "1.0";
}

EXPORT fmiComponent F(fmiInstantiateSlave)(fmiString instanceName, fmiString guid, fmiString location,
                                           fmiString mimeType, fmiReal timeout, fmiBoolean visible,
                                           fmiBoolean interactive, fmiCoSimCallbackFunctions functions,
                                           fmiBoolean loggingOn)
{
    (void)guid, (void)timeout, (void)visible, (void)interactive, (void)loggingOn, (void)mimeType;
    if (!functions.allocateMemory || !location || !*location)
        return NULL;
    Instance *inst = functions.allocateMemory(1, sizeof(Instance));
    inst->cb = functions;
    snprintf(inst->name, sizeof inst->name, "%s", instanceName ? instanceName : "decay1");
    inst->y0 = 1;
    inst->k = 1;
    inst->discardAt = -1;
    return inst;
}

EXPORT void F(fmiFreeSlaveInstance)(fmiComponent c)
{
    Instance *inst = c;
    inst->cb.freeMemory(inst);
}

EXPORT fmiStatus F(fmiInitializeSlave)(fmiComponent c, fmiReal tStart, fmiBoolean stopDefined, fmiReal tStop)
{
    (void)stopDefined, (void)tStop;
    Instance *inst = c;
    if (inst->k < 0) {
        inst->cb.logger(c, inst->name, fmiError, "error", "decay rate k must be >= 0 (got %g)", inst->k);
        return fmiError;
    }
    inst->time = tStart;
    inst->y = inst->y0;
    return fmiOK;
}

EXPORT fmiStatus F(fmiTerminateSlave)(fmiComponent c)
{
    (void)c;
    return fmiOK;
}

EXPORT fmiStatus F(fmiSetReal)(fmiComponent c, const fmiValueReference vr[], size_t n, const fmiReal v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_Y0)
            inst->y0 = v[i];
        else if (vr[i] == VR_K)
            inst->k = v[i];
        else if (vr[i] == VR_DISCARD_AT)
            inst->discardAt = v[i];
        else
            return fmiError;
    }
    return fmiOK;
}

EXPORT fmiStatus F(fmiGetReal)(fmiComponent c, const fmiValueReference vr[], size_t n, fmiReal v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i)
        v[i] = vr[i] == VR_Y    ? inst->y
               : vr[i] == VR_Y0 ? inst->y0
               : vr[i] == VR_K  ? inst->k
                                : inst->discardAt;
    return fmiOK;
}

EXPORT fmiStatus F(fmiDoStep)(fmiComponent c, fmiReal t, fmiReal h, fmiBoolean newStep)
{
    (void)newStep;
    Instance *inst = c;
    if (inst->discardAt >= 0 && t >= inst->discardAt - 1e-9) {
        inst->cb.logger(c, inst->name, fmiWarning, "warning", "step from t=%g discarded", t);
        return fmiDiscard;
    }
    inst->y *= exp(-inst->k * h);
    inst->time = t + h;
    return fmiOK;
}

EXPORT fmiStatus F(fmiGetRealStatus)(fmiComponent c, const fmiStatusKind kind, fmiReal *value)
{
    if (kind != fmiLastSuccessfulTime)
        return fmiDiscard;
    *value = ((Instance *)c)->time;
    return fmiOK;
}
