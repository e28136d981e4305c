/**
 * Free lists and what moves count0 (FACTS §3.2): a full collection empties the free lists;
 * dropping 100 lists parks 80 of them (count0 −20 of 100 allocations); tuples of length 20 are
 * parked and never reused, length 21 are freed; `dict()` bypasses the free list, `{}` does not.
 * Each scenario is written the same way in Python and on the heap (including the tuple each
 * `gc.get_count()` allocates after reading the counts), and compared with CPython live.
 */
import { describe, expect, it } from "vitest";
import { Heap } from "../src/index.ts";
import { pythonFor, runPython } from "./helpers/oracle.ts";

const PY = `
import gc, json
gc.disable()
out = {}

gc.collect()
xs = []
for i in range(100): xs.append([])
c0 = gc.get_count()[0]; del xs; c1 = gc.get_count()[0]
out["drop_100_lists"] = c1 - c0

gc.collect()
c0 = gc.get_count()[0]
xs = []
for i in range(100): xs.append([])
c1 = gc.get_count()[0]
out["make_100_lists"] = c1 - c0
del xs
c0 = gc.get_count()[0]
xs = []
for i in range(100): xs.append([])
c1 = gc.get_count()[0]
out["remake_100_lists_from_free_list"] = c1 - c0
del xs

gc.collect()
xs = []
for i in range(100): xs.append(dict())
c0 = gc.get_count()[0]; del xs; c1 = gc.get_count()[0]
out["drop_100_dict_calls"] = c1 - c0
gc.collect()
c0 = gc.get_count()[0]
xs = []
for i in range(100): xs.append(dict())
c1 = gc.get_count()[0]
out["make_100_dict_calls"] = c1 - c0
del xs
c0 = gc.get_count()[0]
xs = []
for i in range(100): xs.append({})
c1 = gc.get_count()[0]
out["make_100_dict_displays_after"] = c1 - c0
del xs

for n in (19, 20, 21):
    gc.collect()
    xs = []
    for i in range(100): xs.append(tuple(range(n)))
    c0 = gc.get_count()[0]; del xs; c1 = gc.get_count()[0]
    out["drop_100_tuples_%d" % n] = c1 - c0
    c0 = gc.get_count()[0]
    xs = []
    for i in range(100): xs.append(tuple(range(n)))
    c1 = gc.get_count()[0]
    out["remake_100_tuples_%d" % n] = c1 - c0
    del xs
print(json.dumps(out))
`;

function simulate(): Record<string, number> {
  const py = new Heap();
  py.gc.disable();
  const out: Record<string, number> = {};
  using f = py.frame();
  const c = () => py.gc.getCount()[0]; // allocates its tuple after reading, like CPython
  const fill = (make: () => ReturnType<Heap["list"]>) => {
    f.set("xs", py.list());
    for (let i = 0; i < 100; i++) f.get("xs").append(make());
  };
  let c0: number;

  py.gc.collect();
  fill(() => py.list());
  c0 = c();
  f.del("xs");
  out.drop_100_lists = c() - c0;

  py.gc.collect();
  c0 = c();
  fill(() => py.list());
  out.make_100_lists = c() - c0;
  f.del("xs");
  c0 = c();
  fill(() => py.list());
  out.remake_100_lists_from_free_list = c() - c0;
  f.del("xs");

  py.gc.collect();
  fill(() => py.dictFromPairs());
  c0 = c();
  f.del("xs");
  out.drop_100_dict_calls = c() - c0;
  py.gc.collect();
  c0 = c();
  fill(() => py.dictFromPairs());
  out.make_100_dict_calls = c() - c0;
  f.del("xs");
  c0 = c();
  fill(() => py.dict());
  out.make_100_dict_displays_after = c() - c0;
  f.del("xs");

  for (const n of [19, 20, 21]) {
    py.gc.collect();
    const items = Array.from({ length: n }, (_, i) => i);
    fill(() => py.tuple(items));
    c0 = c();
    f.del("xs");
    out[`drop_100_tuples_${n}`] = c() - c0;
    c0 = c();
    fill(() => py.tuple(items));
    out[`remake_100_tuples_${n}`] = c() - c0;
    f.del("xs");
  }
  expect(py.check()).toEqual([]);
  return out;
}

describe("free lists and count0", () => {
  it("follow CPython's rules", () => {
    const got = simulate();
    // 101 lists freed (the holder and its items): 80 parked, 21 freed; +1 for the probe tuple
    expect(got.drop_100_lists).toBe(-20);
    expect(got.remake_100_lists_from_free_list).toBe(21); // 80 of the 101 come from the free list
    expect(got.drop_100_tuples_20).toBe(1); // parked 20-tuples (and the holder list)
    expect(got.remake_100_tuples_20).toBe(100); // ...are never reused
    expect(got.drop_100_tuples_21).toBe(-99); // 21-tuples are freed
    expect(got.remake_100_tuples_19).toBe(0); // 19-tuples come back from their free list
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)("match CPython live, scenario by scenario", () => {
    expect(simulate()).toEqual(runPython<Record<string, number>>(python!, PY));
  });
});
