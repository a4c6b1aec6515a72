/* Motor winding thermal model, an FMI 2.0 co-simulation FMU of the Twinworks demo (our own model).
 *
 *   dT/dt = (P * R_th - (T - T_amb)) / tau,   T(0) = T0,   P = P_loss + 3 * R_w * I^2
 *
 * T winding temperature (degC, output), P_loss losses other than copper losses (W, input), I line current
 * (A, input; copper losses 3 R_w I^2 in a three-phase winding), R_w winding resistance per phase (ohm),
 * R_th thermal resistance winding -> ambient (K/W), tau thermal time constant (s), T_amb ambient temperature
 * (degC). Each doStep is the closed-form solution for inputs held constant over the step, so it is exact for
 * piecewise constant inputs whatever the step size:  T(t+h) = T_ss + (T(t) - T_ss) * exp(-h/tau),
 * T_ss = T_amb + P * R_th.
 * Its state (the time, T, the inputs and the parameters) can be saved, serialized and restored
 * (fmi2Get/SetFMUstate), so that a host can continue a run in another instance or process.
 */
#include "fmi/TwinFmi2.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
enum
{
    VR_T = 0,
    VR_T0 = 1,
    VR_P_LOSS = 2,
    VR_R_TH = 3,
    VR_TAU = 4,
    VR_T_AMB = 5,
    VR_I = 6,
    VR_R_W = 7
};

typedef struct
{
    double time, T, T0, pLoss, rTh, tau, tAmb, current, rW;
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
    if (!inst)
        return NULL;
    inst->cb = *functions;
    snprintf(inst->name, sizeof inst->name, "%s", instanceName ? instanceName : "motor-cooling");
    /* the start values of modelDescription.xml */
    inst->T0 = 40.0;
    inst->pLoss = 0.0;
    inst->rTh = 0.03;
    inst->tau = 1200.0;
    inst->tAmb = 25.0;
    inst->current = 0.0;
    inst->rW = 0.05;
    inst->T = inst->T0;
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
    (void)c;
    return fmi2OK;
}

EXPORT fmi2Status fmi2ExitInitializationMode(fmi2Component c)
{
    Instance *inst = c;
    if (!(inst->tau > 0) || !(inst->rTh >= 0) || !(inst->rW >= 0)) {
        char text[200];
        snprintf(text, sizeof text,
                 "tau must be > 0, R_th >= 0 and R_w >= 0 (got tau=%g s, R_th=%g K/W, R_w=%g ohm)", inst->tau,
                 inst->rTh, inst->rW);
        say(inst, fmi2Error, text);
        return fmi2Error;
    }
    inst->T = inst->T0;
    return fmi2OK;
}

EXPORT fmi2Status fmi2Terminate(fmi2Component c)
{
    (void)c;
    return fmi2OK;
}

EXPORT fmi2Status fmi2Reset(fmi2Component c)
{
    Instance *inst = c;
    inst->time = 0;
    inst->T = inst->T0;
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, const fmi2Real v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        switch (vr[i]) {
        case VR_T0:
            inst->T0 = v[i];
            break;
        case VR_P_LOSS:
            inst->pLoss = v[i];
            break;
        case VR_R_TH:
            inst->rTh = v[i];
            break;
        case VR_TAU:
            inst->tau = v[i];
            break;
        case VR_T_AMB:
            inst->tAmb = v[i];
            break;
        case VR_I:
            inst->current = v[i];
            break;
        case VR_R_W:
            inst->rW = v[i];
            break;
        default:
            say(inst, fmi2Error, "fmi2SetReal: unknown or read-only value reference");
            return fmi2Error;
        }
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2GetReal(fmi2Component c, const fmi2ValueReference vr[], size_t n, fmi2Real v[])
{
    Instance *inst = c;
    for (size_t i = 0; i < n; ++i) {
        switch (vr[i]) {
        case VR_T:
            v[i] = inst->T;
            break;
        case VR_T0:
            v[i] = inst->T0;
            break;
        case VR_P_LOSS:
            v[i] = inst->pLoss;
            break;
        case VR_R_TH:
            v[i] = inst->rTh;
            break;
        case VR_TAU:
            v[i] = inst->tau;
            break;
        case VR_T_AMB:
            v[i] = inst->tAmb;
            break;
        case VR_I:
            v[i] = inst->current;
            break;
        case VR_R_W:
            v[i] = inst->rW;
            break;
        default:
            say(inst, fmi2Error, "fmi2GetReal: unknown value reference");
            return fmi2Error;
        }
    }
    return fmi2OK;
}

EXPORT fmi2Status fmi2DoStep(fmi2Component c, fmi2Real t, fmi2Real h, fmi2Boolean noSetPrior)
{
    (void)noSetPrior;
    Instance *inst = c;
    if (h < 0) {
        say(inst, fmi2Error, "fmi2DoStep: negative step size");
        return fmi2Error;
    }
    const double losses = inst->pLoss + 3.0 * inst->rW * inst->current * inst->current;
    const double steady = inst->tAmb + losses * inst->rTh;
    inst->T = steady + (inst->T - steady) * exp(-h / inst->tau);
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

/* FMU state: the model's values (not the callbacks or the name), serialized as a tag and nine doubles. */
typedef struct
{
    double values[9];
} State;

static const char kStateTag[8] = {'m', 'c', 'o', 'o', 'l', 's', 't', '1'};

static void saveValues(const Instance *inst, State *state)
{
    const double v[9] = {inst->time, inst->T,    inst->T0,      inst->pLoss, inst->rTh,
                         inst->tau,  inst->tAmb, inst->current, inst->rW};
    memcpy(state->values, v, sizeof v);
}

EXPORT fmi2Status fmi2GetFMUstate(fmi2Component c, void **state)
{
    Instance *inst = c;
    State *copy = *state ? *state : inst->cb.allocateMemory(1, sizeof(State));
    if (!copy)
        return fmi2Error;
    saveValues(inst, copy);
    *state = copy;
    return fmi2OK;
}

EXPORT fmi2Status fmi2SetFMUstate(fmi2Component c, void *state)
{
    Instance *inst = c;
    const double *v = ((const State *)state)->values;
    inst->time = v[0], inst->T = v[1], inst->T0 = v[2], inst->pLoss = v[3], inst->rTh = v[4];
    inst->tau = v[5], inst->tAmb = v[6], inst->current = v[7], inst->rW = v[8];
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
    *size = sizeof kStateTag + sizeof(State);
    return fmi2OK;
}

EXPORT fmi2Status fmi2SerializeFMUstate(fmi2Component c, void *state, char bytes[], size_t size)
{
    (void)c;
    if (size != sizeof kStateTag + sizeof(State))
        return fmi2Error;
    memcpy(bytes, kStateTag, sizeof kStateTag);
    memcpy(bytes + sizeof kStateTag, state, sizeof(State));
    return fmi2OK;
}

EXPORT fmi2Status fmi2DeSerializeFMUstate(fmi2Component c, const char bytes[], size_t size,
                                          void **state)
{
    Instance *inst = c;
    if (size != sizeof kStateTag + sizeof(State) || memcmp(bytes, kStateTag, sizeof kStateTag) != 0) {
        say(inst, fmi2Error, "fmi2DeSerializeFMUstate: not a state of the motor-cooling model");
        return fmi2Error;
    }
    State *copy = inst->cb.allocateMemory(1, sizeof(State));
    if (!copy)
        return fmi2Error;
    memcpy(copy, bytes + sizeof kStateTag, sizeof(State));
    *state = copy;
    return fmi2OK;
}
