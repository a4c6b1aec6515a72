/* An FMI 3.0 co-simulation test model with typed scalars: Int16 "count", UInt8 "gain", Boolean "enabled"
 * (parameters); Float32 "y32" = enabled ? count * gain * t : 0, Int64 "steps" (doSteps taken), Boolean
 * "above" (y32 > 1) as outputs; and a Float64 array parameter "v" of 3 elements, got and set whole
 * (nValues = 3), which hosts see as the elements v[1], v[2], v[3]; a String parameter "tag" with a String
 * output "label" = "<tag>:<steps>", and a Binary parameter "key" with a Binary output "echo" (the key's
 * bytes in reverse order). Given strings and bytes are copied, as the standard asks. */
#include "fmi/TwinFmi3.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
enum
{
    VR_TIME = 0,
    VR_Y32 = 1,
    VR_COUNT = 2,
    VR_GAIN = 3,
    VR_ENABLED = 4,
    VR_STEPS = 5,
    VR_ABOVE = 6,
    VR_V = 7,
    VR_TAG = 8,
    VR_LABEL = 9,
    VR_KEY = 10,
    VR_ECHO = 11
};

typedef struct
{
    double time;
    float y32;
    int16_t count;
    uint8_t gain;
    bool enabled;
    int64_t steps;
    double v[3];
    char tag[64], label[96];
    uint8_t key[32], echo[32];
    size_t keySize;
} Instance;

static void update(Instance *inst)
{
    inst->y32 = inst->enabled ? (float)(inst->count * inst->gain * inst->time) : 0.0f;
    snprintf(inst->label, sizeof inst->label, "%s:%lld", inst->tag, (long long)inst->steps);
    for (size_t i = 0; i < inst->keySize; ++i)
        inst->echo[i] = inst->key[inst->keySize - 1 - i];
}

EXPORT const char *fmi3GetVersion(void)
{
    return "3.0";
}

EXPORT fmi3Instance fmi3InstantiateCoSimulation(fmi3String name, fmi3String token, fmi3String resources,
                                                fmi3Boolean visible, fmi3Boolean loggingOn,
                                                fmi3Boolean eventModeUsed, fmi3Boolean earlyReturnAllowed,
                                                const fmi3ValueReference required[], size_t nRequired,
                                                fmi3InstanceEnvironment env, fmi3LogMessageCallback log,
                                                fmi3IntermediateUpdateCallback intermediate)
{
    (void)name, (void)token, (void)resources, (void)visible, (void)loggingOn, (void)eventModeUsed;
    (void)earlyReturnAllowed, (void)required, (void)nRequired, (void)env, (void)log, (void)intermediate;
    Instance *inst = calloc(1, sizeof(Instance));
    inst->count = -2;
    inst->gain = 2;
    inst->enabled = true;
    inst->v[0] = 1, inst->v[1] = 2, inst->v[2] = 3;
    strcpy(inst->tag, "x");
    inst->key[0] = 0x0a, inst->key[1] = 0x0b, inst->keySize = 2;
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
    update((Instance *)instance);
    return fmi3OK;
}

EXPORT fmi3Status fmi3Terminate(fmi3Instance instance)
{
    (void)instance;
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetFloat64(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                 fmi3Float64 v[], size_t nv)
{
    Instance *inst = instance;
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_TIME && k < nv)
            v[k++] = inst->time;
        else if (vr[i] == VR_V && k + 3 <= nv)
            for (int j = 0; j < 3; ++j)
                v[k++] = inst->v[j];
        else
            return fmi3Error;
    }
    return k == nv ? fmi3OK : fmi3Error;
}

EXPORT fmi3Status fmi3SetFloat64(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                 const fmi3Float64 v[], size_t nv)
{
    Instance *inst = instance;
    if (n != 1 || vr[0] != VR_V || nv != 3)
        return fmi3Error; /* only the array parameter, whole */
    for (int j = 0; j < 3; ++j)
        inst->v[j] = v[j];
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetFloat32(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, float v[],
                                 size_t nv)
{
    if (nv < n)
        return fmi3Error;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] != VR_Y32)
            return fmi3Error;
        v[i] = ((Instance *)instance)->y32;
    }
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetInt16(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, int16_t v[],
                               size_t nv)
{
    if (nv < n || n != 1 || vr[0] != VR_COUNT)
        return fmi3Error;
    v[0] = ((Instance *)instance)->count;
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetInt16(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                               const int16_t v[], size_t nv)
{
    if (nv < n || n != 1 || vr[0] != VR_COUNT)
        return fmi3Error;
    ((Instance *)instance)->count = v[0];
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetUInt8(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, uint8_t v[],
                               size_t nv)
{
    if (nv < n || n != 1 || vr[0] != VR_GAIN)
        return fmi3Error;
    v[0] = ((Instance *)instance)->gain;
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetUInt8(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                               const uint8_t v[], size_t nv)
{
    if (nv < n || n != 1 || vr[0] != VR_GAIN)
        return fmi3Error;
    ((Instance *)instance)->gain = v[0];
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetBoolean(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, bool v[],
                                 size_t nv)
{
    Instance *inst = instance;
    if (nv < n)
        return fmi3Error;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_ENABLED)
            v[i] = inst->enabled;
        else if (vr[i] == VR_ABOVE)
            v[i] = inst->y32 > 1.0f;
        else
            return fmi3Error;
    }
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetBoolean(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                 const bool v[], size_t nv)
{
    if (nv < n || n != 1 || vr[0] != VR_ENABLED)
        return fmi3Error;
    ((Instance *)instance)->enabled = v[0];
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetInt64(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, int64_t v[],
                               size_t nv)
{
    if (nv < n || n != 1 || vr[0] != VR_STEPS)
        return fmi3Error;
    v[0] = ((Instance *)instance)->steps;
    return fmi3OK;
}

EXPORT fmi3Status fmi3DoStep(fmi3Instance instance, fmi3Float64 t, fmi3Float64 h, fmi3Boolean noSetPrior,
                             fmi3Boolean *eventNeeded, fmi3Boolean *terminate, fmi3Boolean *earlyReturn,
                             fmi3Float64 *last)
{
    (void)noSetPrior;
    Instance *inst = instance;
    inst->time = t + h;
    inst->steps += 1;
    update(inst);
    *eventNeeded = false;
    *terminate = false;
    *earlyReturn = false;
    *last = inst->time;
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetString(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, fmi3String v[],
                                size_t nv)
{
    Instance *inst = instance;
    if (nv < n)
        return fmi3Error;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_TAG)
            v[i] = inst->tag;
        else if (vr[i] == VR_LABEL)
            v[i] = inst->label;
        else
            return fmi3Error;
    }
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetString(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                const fmi3String v[], size_t nv)
{
    Instance *inst = instance;
    if (nv < n || n != 1 || vr[0] != VR_TAG || !v[0] || strlen(v[0]) >= sizeof inst->tag)
        return fmi3Error;
    strcpy(inst->tag, v[0]);
    return fmi3OK;
}

EXPORT fmi3Status fmi3GetBinary(fmi3Instance instance, const fmi3ValueReference vr[], size_t n, size_t sizes[],
                                const uint8_t *v[], size_t nv)
{
    Instance *inst = instance;
    if (nv < n)
        return fmi3Error;
    for (size_t i = 0; i < n; ++i) {
        if (vr[i] == VR_KEY)
            v[i] = inst->key;
        else if (vr[i] == VR_ECHO)
            v[i] = inst->echo;
        else
            return fmi3Error;
        sizes[i] = inst->keySize;
    }
    return fmi3OK;
}

EXPORT fmi3Status fmi3SetBinary(fmi3Instance instance, const fmi3ValueReference vr[], size_t n,
                                const size_t sizes[], const uint8_t *const v[], size_t nv)
{
    Instance *inst = instance;
    if (nv < n || n != 1 || vr[0] != VR_KEY || sizes[0] > sizeof inst->key)
        return fmi3Error;
    memcpy(inst->key, v[0], sizes[0]);
    inst->keySize = sizes[0];
    return fmi3OK;
}
