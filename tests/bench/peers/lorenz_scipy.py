#!/usr/bin/env python3
"""Lorenz t=0..100 with scipy solve_ivp RK45 at rtol 1e-6 (atol 1e-9), as bench_ode_lorenz does; median of
several runs; error at t=10 against a DOP853 rtol 1e-13 reference. Prints one JSON line."""
import json
import statistics
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp


def lorenz(t, y):
    return [10.0 * (y[1] - y[0]), y[0] * (28.0 - y[2]) - y[1], y[0] * y[1] - (8.0 / 3.0) * y[2]]


rtol = float(sys.argv[1]) if len(sys.argv) > 1 else 1e-6
atol = rtol * 1e-3
ref = solve_ivp(lorenz, (0, 10), [1, 1, 1], method="DOP853", rtol=1e-13, atol=1e-13).y[:, -1]
times, sol = [], None
for _ in range(5):
    start = time.perf_counter()
    sol = solve_ivp(lorenz, (0, 100), [1, 1, 1], method="RK45", rtol=rtol, atol=atol, t_eval=[10, 100])
    times.append(time.perf_counter() - start)
err = float(np.max(np.abs(sol.y[:, 0] - ref)))
print(json.dumps({"solver": "scipy solve_ivp RK45", "rtol": rtol, "atol": atol,
                  "medianMs": statistics.median(times) * 1e3, "steps": (sol.nfev - 2) // 6,
                  "rhsEvals": int(sol.nfev), "errorAt10": err}))
