#!/usr/bin/env python3
"""T2Q peer for bench_detect: the same PCA fit and T2 / Q scoring with numpy (vectorized, BLAS).

Usage: t2q_numpy.py DATA.f64 ROWS COLS TRAIN_ROWS VARIANCE FALSE_ALARM_RATE
DATA.f64: ROWS x COLS doubles, row-major. Prints one JSON line: seconds (fit + scoring, file read excluded),
components, share of scored rows over the limit.
"""
import json
import sys
import time

import numpy as np


def main():
    path, rows, cols, train, variance, rate = sys.argv[1:7]
    rows, cols, train = int(rows), int(cols), int(train)
    variance, rate = float(variance), float(rate)
    data = np.fromfile(path, dtype=np.float64).reshape(rows, cols)
    start = time.perf_counter()
    x = data[:train]
    mean = x.mean(axis=0)
    sd = x.std(axis=0, ddof=1)
    z = (x - mean) / sd
    cov = np.cov(z, rowvar=False)
    values, vectors = np.linalg.eigh(cov)
    values, vectors = values[::-1], vectors[:, ::-1]
    share = np.cumsum(values) / values.sum()
    k = int(np.searchsorted(share, variance) + 1)
    k = max(1, min(k, cols - 1))
    p = vectors[:, :k]
    lam = values[:k]

    def stats(zz):
        t = zz @ p
        t2 = (t * t / lam).sum(axis=1)
        e = zz - t @ p.T
        return t2, (e * e).sum(axis=1)

    t2_train, q_train = stats(z)
    q_level = 1 - rate / 2
    lim_t2, lim_q = np.quantile(t2_train, q_level), np.quantile(q_train, q_level)
    t2, q = stats((data - mean) / sd)
    score = np.maximum(t2 / lim_t2, q / lim_q)
    seconds = time.perf_counter() - start
    over = float((score[train:] > 1).mean())
    print(json.dumps({"seconds": seconds, "components": k, "over": over}))


if __name__ == "__main__":
    main()
