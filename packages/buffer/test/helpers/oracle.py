"""NumPy oracle for the @heapwise/buffer tests: reads cases (JSON), writes NumPy's results (JSON).

Arrays travel as base64 of their raw little-endian bytes (bit-exact), or as a raw file path for
large ones. No eval: view operations are data ([start, stop, step] slices, transposes).
"""
import base64
import json
import math
import sys

import numpy as np


def load(a):
    raw = base64.b64decode(a["b64"]) if "b64" in a else open(a["file"], "rb").read()
    x = np.frombuffer(raw, dtype=a["dtype"]).reshape(a["shape"])
    for op in a.get("view", []):
        if op[0] == "slice":
            x = x[tuple(slice(*s) if isinstance(s, list) else s for s in op[1])]
        elif op[0] == "transpose":
            x = x.transpose(op[1])
        elif op[0] == "broadcast":
            x = np.broadcast_to(x, op[1])
    return x


def enc(r):
    r = np.asarray(r)
    return {
        "dtype": str(r.dtype),
        "shape": list(r.shape),
        "b64": base64.b64encode(np.ascontiguousarray(r).tobytes()).decode(),
    }


REDUCE = {"sum", "mean", "var", "std", "min", "max", "argmin", "argmax"}
BINARY = {"add", "subtract", "multiply", "divide", "maximum", "minimum", "power"}
UNARY = {"sqrt", "exp", "log", "sin", "cos", "tanh", "abs", "negative", "rint", "square"}


def run(case):
    op = case["op"]
    x = load(case["x"])
    if case.get("as64"):
        x = x.astype(np.float64)
    with np.errstate(all="ignore"):
        if op in REDUCE:
            kw = {"axis": case.get("axis")}
            if op in ("var", "std") and "ddof" in case:
                kw["ddof"] = case["ddof"]
            return {"result": enc(getattr(np, op)(x, **kw))}
        if op == "fsum":  # exact float64 reference along axis 0 (or of everything)
            if case.get("axis") == 0:
                return {"result": enc(np.array([math.fsum(x[:, j].astype(np.float64)) for j in range(x.shape[1])]))}
            return {"result": enc(np.float64(math.fsum(x.astype(np.float64).ravel())))}
        if op in BINARY:
            return {"result": enc(getattr(np, op)(x, load(case["y"])))}
        if op in UNARY:
            return {"result": enc(getattr(np, op)(x))}
        if op == "dot":
            return {"result": enc(np.dot(x, load(case["y"])))}
        if op == "matmul":
            return {"result": enc(np.matmul(x, load(case["y"])))}
        if op == "shape":
            return {"result": enc(np.ascontiguousarray(x))}
    raise ValueError("unknown op " + op)


def main():
    cases = json.load(open(sys.argv[1]))
    out = []
    for case in cases:
        try:
            out.append(run(case))
        except Exception as e:  # reported per case, compared with our error
            out.append({"error": type(e).__name__ + ": " + str(e)})
    json.dump(out, open(sys.argv[2], "w"))


main()
