/* The model behind the "bounce" model-exchange test FMUs (FMI 2.0 and 3.0): a ball dropped from h0 = 1 m,
 *   h' = v,  v' = g + wind        (continuous states h, v; "wind" is a continuous input)
 * with three kinds of events, one of each kind the standard defines:
 *   - state event: indicator z = h; when the ball reaches the floor falling, v = -e*v and h = 0 ("bounces");
 *     below 0.1 m/s it comes to rest there (no Zeno point);
 *   - time event: every `period` seconds the counter "ticks" goes up (next event time announced);
 *   - step event: after an accepted integrator step in which v went from rising to falling,
 *     completedIntegratorStep asks for event mode and "apexes" goes up.
 * With maxBounces > 0 the model asks to terminate at that bounce. Exact solution between events:
 * h(t) = h(te) + v(te)(t-te) + (g+wind)(t-te)^2/2. */
#ifndef TWIN_BOUNCE_MODEL_H
#define TWIN_BOUNCE_MODEL_H

#include <math.h>
#include <stdbool.h>

enum
{
    VR_H = 0,
    VR_DER_H = 1,
    VR_V = 2,
    VR_DER_V = 3,
    VR_G = 4,
    VR_E = 5,
    VR_WIND = 6,
    VR_PERIOD = 7,
    VR_MAXBOUNCES = 8,
    VR_BOUNCES = 9,
    VR_TICKS = 10,
    VR_APEXES = 11
};

typedef struct
{
    double time, h, v, g, e, wind, period, nextTick, lastV;
    int maxBounces, bounces, ticks, apexes;
    bool apexPending, terminate, resting;
} Bounce;

static void bounceDefaults(Bounce *b)
{
    b->h = 1;
    b->v = 0;
    b->g = -9.81;
    b->e = 0.7;
    b->wind = 0;
    b->period = 0.25;
    b->maxBounces = 0;
}

static void bounceInitialize(Bounce *b)
{
    b->nextTick = b->time + b->period;
    b->lastV = b->v;
    b->bounces = b->ticks = b->apexes = 0;
    b->apexPending = b->terminate = b->resting = false;
}

static void bounceDerivatives(const Bounce *b, double *dx)
{
    dx[0] = b->resting ? 0 : b->v;
    dx[1] = b->resting ? 0 : b->g + b->wind;
}

static double bounceIndicator(const Bounce *b)
{
    return b->resting ? 1 : b->h;
}

/* One round of event handling; returns whether the continuous states changed. */
static bool bounceEvent(Bounce *b)
{
    bool changed = false;
    if (!b->resting && b->h <= 0 && b->v < 0) {
        b->h = 0;
        b->v = -b->e * b->v;
        if (b->v < 0.1) {
            b->v = 0;
            b->resting = true;
        }
        b->lastV = b->v;
        changed = true;
        if (++b->bounces == b->maxBounces && b->maxBounces > 0)
            b->terminate = true;
    }
    if (b->period > 0 && b->time >= b->nextTick - 1e-12) {
        ++b->ticks;
        b->nextTick += b->period;
    }
    if (b->apexPending) {
        ++b->apexes;
        b->apexPending = false;
    }
    return changed;
}

/* After an accepted step: whether a step event is due. */
static bool bounceCompletedStep(Bounce *b)
{
    const bool apex = b->lastV > 0 && b->v <= 0;
    b->lastV = b->v;
    if (apex)
        b->apexPending = true;
    return apex;
}

static double bounceGet(const Bounce *b, unsigned vr, bool *ok)
{
    *ok = true;
    switch (vr) {
    case VR_H:
        return b->h;
    case VR_DER_H:
        return b->v;
    case VR_V:
        return b->v;
    case VR_DER_V:
        return b->g + b->wind;
    case VR_G:
        return b->g;
    case VR_E:
        return b->e;
    case VR_WIND:
        return b->wind;
    case VR_PERIOD:
        return b->period;
    case VR_MAXBOUNCES:
        return b->maxBounces;
    case VR_BOUNCES:
        return b->bounces;
    case VR_TICKS:
        return b->ticks;
    case VR_APEXES:
        return b->apexes;
    }
    *ok = false;
    return 0;
}

static bool bounceSet(Bounce *b, unsigned vr, double value)
{
    switch (vr) {
    case VR_G:
        b->g = value;
        return true;
    case VR_E:
        b->e = value;
        return true;
    case VR_WIND:
        b->wind = value;
        return true;
    case VR_PERIOD:
        b->period = value;
        return true;
    case VR_MAXBOUNCES:
        b->maxBounces = (int)value;
        return true;
    }
    return false;
}

#endif
