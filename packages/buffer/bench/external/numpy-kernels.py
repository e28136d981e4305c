"""The NumPy contestant of the cross-process benchmark (run by bench/vs-c-numpy.bench.ts):
    python3 numpy-kernels.py <kernel> <n> <reps>
Times the idiomatic NumPy expression (median of reps after one warm-up); prints {"ms": ..., "check": ...}.
"""
import json
import sys
import time

import numpy as np

kernel, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(42)
x = rng.random(n)
y = 1.0 - x * x
z = np.zeros(n)
strided = x[::2]


def run():
    global y
    if kernel == "sum":
        return float(np.sum(x))
    if kernel == "dot":
        return float(np.dot(x, y))
    if kernel == "axpy":
        y += 0.5 * x
        return float(y[n // 2])
    if kernel == "add-new":
        return float((x + y)[n // 3])
    if kernel == "add-out":
        np.add(x, y, out=z)
        return float(z[n // 3])
    if kernel == "strided-sum":
        return float(strided.sum())
    raise SystemExit("unknown kernel " + kernel)


times = []
check = 0.0
for r in range(-1, reps):
    t0 = time.perf_counter()
    check = run()
    t1 = time.perf_counter()
    if r >= 0:
        times.append((t1 - t0) * 1e3)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "check": check}))
