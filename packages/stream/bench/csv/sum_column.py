"""python3 sum_column.py <csv|pandas> <file>: sums column b, streaming, like sum-column.mjs.

Prints {"ms", "sum", "rows", "maxRssMiB"} as its last line; peak RSS from getrusage (KiB on Linux).
"""
import csv
import json
import resource
import sys
import time

kind, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
total = 0
rows = 0
if kind == "csv":
    with open(path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for rec in reader:
            total += int(rec[2])
            rows += 1
elif kind == "pandas":
    import pandas as pd

    for chunk in pd.read_csv(path, usecols=["b"], chunksize=10_000, engine="c"):
        total += int(chunk["b"].sum())
        rows += len(chunk)
else:
    raise SystemExit(f"unknown kind {kind}")
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "sum": total, "rows": rows, "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
