"""Bytes that CPython allocates for 1,000,000 floats appended one by one to a list and to an
array('d'), measured with tracemalloc (every allocation, including the float objects and the
over-allocation). Prints {"python": version, "list": bytes, "array": bytes}."""
import array
import json
import platform
import random
import tracemalloc

N = 1_000_000
random.seed(1)


def measure(build):
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = build()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(kept) == N
    return after - before


def build_list():
    out = []
    for _ in range(N):
        out.append(random.random())
    return out


def build_array():
    out = array.array("d")
    for _ in range(N):
        out.append(random.random())
    return out


print(json.dumps({"python": platform.python_version(), "list": measure(build_list), "array": measure(build_array)}))
