// The asset model library: each component is a small set of algebraic and differential equations.
#include "Network.h"

#include <algorithm>
#include <cmath>

namespace twin::simode {
namespace {

constexpr double g0 = 9.80665;

// Centrifugal pump on a system curve. p: H0, k, nRated, etaMax, Qbep, rho; u: speed, hStatic, G;
// y: Q, H, eta, P. Pump curve H = H0 s^2 - k Q^2 with s = n / nRated (affinity laws: Q ~ s, H ~ s^2,
// P ~ s^3); the system needs hStatic + Q^2 / G^2 (G: valve/pipe conductance), so
// Q = G sqrt(max(0, H0 s^2 - hStatic) / (k G^2 + 1)). Efficiency eta = etaMax (1 - (Q / (Qbep s) - 1)^2),
// shaft power P = rho g Q H / eta.
void pump(const double *p, const double *u, const double *, double *y, double *)
{
    const double H0 = p[0], k = p[1], nRated = p[2], etaMax = p[3], qBep = p[4], rho = p[5];
    const double s = std::max(0.0, u[0] / nRated), hs = u[1], G = std::max(0.0, u[2]);
    const double head0 = H0 * s * s;
    const double q = G * std::sqrt(std::max(0.0, head0 - hs) / (k * G * G + 1));
    const double h = head0 - k * q * q;
    const double x = s > 0 ? q / (qBep * s) : 1;
    const double eta = std::clamp(etaMax * (1 - (x - 1) * (x - 1)), 0.05, std::max(etaMax, 0.05));
    y[0] = q;
    y[1] = h;
    y[2] = eta;
    y[3] = rho * g0 * q * h / eta;
}

// Induction motor as a power balance with a first-order winding temperature. p: eta, V, pf, Cth, Rth;
// u: Pshaft, Tamb; x: T; y: Pel, I, Ploss, T.
void motor(const double *p, const double *u, const double *x, double *y, double *dx)
{
    const double eta = p[0], V = p[1], pf = p[2], C = p[3], R = p[4];
    const double pel = u[0] / eta, loss = pel - u[0];
    y[0] = pel;
    y[1] = pel / (std::sqrt(3.0) * V * pf);
    y[2] = loss;
    y[3] = x[0];
    dx[0] = (loss - (x[0] - u[1]) / R) / C;
}

// Open tank with a free outlet (Torricelli). p: area, Cd, z0; u: Qin, demand; x: level;
// y: level, Qout (= Cd sqrt(level)), hStatic (= z0 + level).
void tank(const double *p, const double *u, const double *x, double *y, double *dx)
{
    const double h = std::max(0.0, x[0]);
    const double qOut = p[1] * std::sqrt(h);
    y[0] = x[0];
    y[1] = qOut;
    y[2] = p[2] + x[0];
    dx[0] = (u[0] - qOut - u[1]) / p[0];
    if (x[0] <= 0 && dx[0] < 0)
        dx[0] = 0;
}

// Control valve with a first-order actuator. p: Kv, tau, characteristic (0 linear, 1 equal percentage),
// rangeability; u: command; x: opening; y: opening, G (conductance: Q = G sqrt(dh)).
void valve(const double *p, const double *u, const double *x, double *y, double *dx)
{
    const double o = std::clamp(x[0], 0.0, 1.0);
    const double f = p[2] > 0.5 ? (o > 0 ? std::pow(p[3], o - 1) * o : 0.0) : o;
    y[0] = x[0];
    y[1] = p[0] * f;
    dx[0] = (std::clamp(u[0], 0.0, 1.0) - x[0]) / p[1];
}

// Straight pipe (Darcy–Weisbach): dh = f L / D * v^2 / (2 g). p: length, diameter, friction; u: dh;
// y: Q, G.
void pipe(const double *p, const double *u, const double *, double *y, double *)
{
    const double L = p[0], D = p[1], f = p[2];
    const double G = std::sqrt(M_PI * M_PI * g0 * std::pow(D, 5) / (8 * f * L));
    y[0] = std::copysign(G * std::sqrt(std::abs(u[0])), u[0]);
    y[1] = G;
}

// Thermal RC node: C dT/dt = P - (T - Tamb) / R. p: C, R; u: P, Tamb; x: T; y: T.
void thermalNode(const double *p, const double *u, const double *x, double *y, double *dx)
{
    y[0] = x[0];
    dx[0] = (u[0] - (x[0] - u[1]) / p[1]) / p[0];
}

} // namespace

const std::vector<ComponentType> &componentTypes()
{
    static const std::vector<ComponentType> types = {
        {"pump",
         "Centrifugal pump: H(Q) = H0 s^2 - k Q^2, affinity laws, efficiency curve, shaft power",
         {{"H0", "metre", 40, "shut-off head at rated speed"},
          {"k", "s2/m5", 2e4, "pump curve coefficient"},
          {"nRated", "revolutionPerMinute", 1450, "rated speed"},
          {"etaMax", "unity", 0.78, "best efficiency"},
          {"Qbep", "cubicMetrePerSecond", 0.03, "flow at best efficiency, rated speed"},
          {"rho", "kilogramPerCubicMetre", 998, "fluid density"}},
         {{"speed", "revolutionPerMinute", 1450, "shaft speed"},
          {"hStatic", "metre", 0, "static head to overcome"},
          {"G", "m2.5/s", 1e3, "system conductance (valve/pipe): dh = Q^2 / G^2"}},
         {{"Q", "cubicMetrePerSecond", 0, "flow"},
          {"H", "metre", 0, "head"},
          {"eta", "unity", 0, "efficiency"},
          {"P", "watt", 0, "shaft power"}},
         {},
         pump},
        {"motor",
         "Induction motor: power balance (efficiency, power factor) and first-order winding temperature",
         {{"eta", "unity", 0.92, "efficiency"},
          {"V", "volt", 400, "line voltage"},
          {"pf", "unity", 0.85, "power factor"},
          {"Cth", "J/K", 2e4, "winding heat capacity"},
          {"Rth", "K/W", 0.05, "thermal resistance to ambient"}},
         {{"Pshaft", "watt", 0, "mechanical load"}, {"Tamb", "degreeCelsius", 20, "ambient temperature"}},
         {{"Pel", "watt", 0, "electrical power"},
          {"I", "ampere", 0, "line current"},
          {"Ploss", "watt", 0, "losses"},
          {"T", "degreeCelsius", 20, "winding temperature", true}},
         {{"T", "degreeCelsius", 20, "winding temperature"}},
         motor},
        {"tank",
         "Open tank: A dh/dt = Qin - Cd sqrt(h) - demand",
         {{"area", "squareMetre", 2, "cross-section"},
          {"Cd", "m2.5/s", 0.02, "outlet coefficient: Qout = Cd sqrt(level)"},
          {"z0", "metre", 5, "bottom elevation above the pump"}},
         {{"Qin", "cubicMetrePerSecond", 0, "inflow"}, {"demand", "cubicMetrePerSecond", 0, "extra outflow"}},
         {{"level", "metre", 1, "level", true},
          {"Qout", "cubicMetrePerSecond", 0, "outlet flow", true},
          {"hStatic", "metre", 0, "water surface above the pump", true}},
         {{"level", "metre", 1, "level"}},
         tank},
        {"valve",
         "Control valve: conductance G = Kv f(opening), first-order actuator",
         {{"Kv", "m2.5/s", 0.02, "conductance when fully open"},
          {"tau", "second", 2, "actuator time constant"},
          {"characteristic", "unity", 0, "0 linear, 1 equal percentage"},
          {"rangeability", "unity", 50, "equal-percentage rangeability"}},
         {{"command", "unity", 1, "commanded opening 0..1"}},
         {{"opening", "unity", 1, "opening", true}, {"G", "m2.5/s", 0, "conductance", true}},
         {{"opening", "unity", 1, "opening"}},
         valve},
        {"pipe",
         "Pipe (Darcy-Weisbach): Q = G sqrt(dh)",
         {{"length", "metre", 100, "length"},
          {"diameter", "metre", 0.15, "inner diameter"},
          {"friction", "unity", 0.02, "Darcy friction factor"}},
         {{"dh", "metre", 0, "head difference"}},
         {{"Q", "cubicMetrePerSecond", 0, "flow"}, {"G", "m2.5/s", 0, "conductance", true}},
         {},
         pipe},
        {"thermalNode",
         "Thermal RC node: C dT/dt = P - (T - Tamb) / R",
         {{"C", "J/K", 1e5, "heat capacity"}, {"R", "K/W", 0.01, "thermal resistance to ambient"}},
         {{"P", "watt", 0, "heat input"}, {"Tamb", "degreeCelsius", 20, "ambient temperature"}},
         {{"T", "degreeCelsius", 20, "temperature", true}},
         {{"T", "degreeCelsius", 20, "temperature"}},
         thermalNode},
    };
    return types;
}

const ComponentType *findComponentType(const std::string &id)
{
    for (const auto &type : componentTypes())
        if (type.id == id)
            return &type;
    return nullptr;
}

const char *pumpStationConfig()
{
    return R"({
  "components": [
    {"name": "pump", "type": "pump"},
    {"name": "motor", "type": "motor"},
    {"name": "valve", "type": "valve"},
    {"name": "tank", "type": "tank"}
  ],
  "connections": [
    {"from": "tank.hStatic", "to": "pump.hStatic"},
    {"from": "valve.G", "to": "pump.G"},
    {"from": "pump.Q", "to": "tank.Qin"},
    {"from": "pump.P", "to": "motor.Pshaft"}
  ],
  "events": [
    {"name": "closeValve", "when": "tank.level", "rises": 3.0, "set": "valve.command", "value": 0},
    {"name": "openValve", "when": "tank.level", "falls": 1.0, "set": "valve.command", "value": 1}
  ]
})";
}

} // namespace twin::simode
