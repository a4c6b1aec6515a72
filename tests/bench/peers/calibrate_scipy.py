#!/usr/bin/env python3
"""The peer of bench_calibration's ODE case: the sim-ode motor (power balance, first-order winding
temperature) fitted with scipy.optimize.least_squares (method "trf") over scipy.integrate.solve_ivp (RK45,
rtol 1e-8, atol 1e-10, as the benchmark's DOPRI5), on the same data, weights (1/sigma per output), bounds and
start. Reads the JSON the benchmark writes; fits twice in this process (the first fit, then the same fit again,
as the benchmark times our worker's first and next fit); prints one JSON line:
{"x": [eta, Cth, Rth], "seconds" (first fit), "next_seconds" (second fit), "nfev"}."""
import json
import math
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares

data = json.load(open(sys.argv[1]))
t_obs = np.array(data["time"])
T_obs, I_obs = np.array(data["T"]), np.array(data["I"])
sigma_T, sigma_I = data["sigma"]
V, PF, T_AMB, T0 = 400.0, 0.85, 20.0, 20.0
SEGMENTS = [(0.0, 1200.0, 20e3), (1200.0, 2400.0, 45e3), (2400.0, 3600.0, 10e3)]


def simulate(p):
    """Segment by segment (the load is constant on each); every segment ends on an observation time."""
    eta, cth, rth = p
    temps, currents, T = [], [], T0
    for t0, t1, power in SEGMENTS:
        loss = power / eta - power
        mask = (t_obs > t0) & (t_obs <= t1)
        sol = solve_ivp(lambda t, y: [(loss - (y[0] - T_AMB) / rth) / cth], (t0, t1), [T], method="RK45",
                        rtol=1e-8, atol=1e-10, t_eval=t_obs[mask])
        temps.append(sol.y[0])
        currents.append(np.full(mask.sum(), power / eta / (math.sqrt(3.0) * V * PF)))
        T = sol.y[0, -1]
    return np.concatenate(temps), np.concatenate(currents)


def residuals(p):
    T, I = simulate(p)
    return np.concatenate([(T - T_obs) / sigma_T, (I - I_obs) / sigma_I])


def timed_fit():
    start = time.perf_counter()
    fit = least_squares(residuals, data["start"], bounds=(data["lower"], data["upper"]), method="trf",
                        x_scale="jac", ftol=1e-10, xtol=1e-10, gtol=1e-10)
    return fit, time.perf_counter() - start


fit, seconds = timed_fit()
_, next_seconds = timed_fit()
print(json.dumps({"x": list(fit.x), "seconds": seconds, "next_seconds": next_seconds, "nfev": int(fit.nfev)}))
