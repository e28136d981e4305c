/**
 * Oracle i (`i_gc_semantics.py`): PEP 442 order inside one collection (external weakref callbacks,
 * then every `__del__`, then tp_clear), weakrefs to garbage cleared before finalizers, callbacks
 * of garbage weakrefs never run, resurrection, gc.garbage / DEBUG_SAVEALL, generations, tuple and
 * dict untracking, freeze, gc.callbacks. All exact.
 */
import { describe, expect, it } from "vitest";
import { Heap, type PythonError } from "../src/index.ts";
import { oracle } from "./helpers/oracle.ts";

type I = Record<string, Record<string, unknown>>;

function lab() {
  const py = new Heap();
  py.gc.disable();
  const LOG: string[] = [];
  const D = py.defineClass("D", {
    del: (self) => {
      const peer = self.hasAttr("peer_wr") ? self.getAttr("peer_wr") : undefined;
      const alive = peer === undefined ? "None" : peer.deref() !== undefined ? "True" : "False";
      LOG.push(`__del__ ${self.getAttr("name").value as string} (weakref to peer alive: ${alive})`);
    },
  });
  const Clr = py.defineClass("Clr");
  return { py, LOG, D, Clr };
}

describe("oracle i: collector semantics", () => {
  const want = oracle<I>("i_gc_semantics");

  it("order in one collection: external callbacks, then __del__s, then tp_clear; 5 found", () => {
    const { py, LOG, D } = lab();
    py.gc.collect();
    using f = py.frame();
    f.set("a", py.new(D, { name: "A" }));
    f.set("b", py.new(D, { name: "B" }));
    f.get("a").setAttr("peer", f.get("b"));
    f.get("b").setAttr("peer", f.get("a"));
    f.get("a").setAttr("peer_wr", py.weakref.ref(f.get("b")));
    f.get("b").setAttr("peer_wr", py.weakref.ref(f.get("a")));
    const mustNotRun = py.function(() =>
      LOG.push("callback of weakref held BY garbage (must not run)"),
    );
    f.get("a").setAttr("inner_wr", py.weakref.ref(f.get("b"), mustNotRun));
    mustNotRun.dispose(); // the lambda lives only in the weakref
    const cbA = py.function(() => LOG.push("callback of external weakref to A"));
    const cbB = py.function(() => LOG.push("callback of external weakref to B"));
    f.set("external", py.list([py.weakref.ref(f.get("a"), cbA), py.weakref.ref(f.get("b"), cbB)]));
    f.set("probe", py.weakref.ref(f.get("a"))); // shares b.peer_wr: a callback-less ref is reused
    f.del("a");
    f.del("b");
    LOG.push("-- gc.collect() start --");
    const n = py.gc.collect();
    LOG.push(`-- gc.collect() returned ${n} --`);
    expect({
      log: LOG,
      collected: n,
      A_alive_after: f.get("probe").deref() !== undefined,
      external_weakrefs_dead: f
        .get("external")
        .toArray()
        .map((w) => w.deref() === undefined),
    }).toEqual(want.order_in_one_collection);
    cbA.dispose();
    cbB.dispose();
    expect(py.check()).toEqual([]);
  });

  it("resurrection: a __del__ that stores self keeps the cycle alive once, without weakrefs", () => {
    const { py } = lab();
    const LOG: string[] = [];
    py.gc.collect();
    using f = py.frame();
    f.set("saved", py.list());
    const R = py.defineClass("R", {
      del: (self) => {
        const name = self.getAttr("name").value as string;
        LOG.push(`__del__ ${name}`);
        if (name === "C") f.get("saved").append(self);
      },
    });
    f.set("c", py.new(R, { name: "C" }));
    f.set("d", py.new(R, { name: "D" }));
    f.get("c").setAttr("peer", f.get("d"));
    f.get("d").setAttr("peer", f.get("c"));
    f.set("wc", py.weakref.ref(f.get("c")));
    f.del("c");
    f.del("d");
    const n1 = py.gc.collect();
    const saved = f.get("saved").toArray();
    const after1 = {
      collected: n1,
      resurrected_objects_in_saved: saved.map((o) => o.getAttr("name").value),
      D_still_reachable_from_C: saved[0]?.getAttr("peer").getAttr("name").value ?? null,
      weakref_to_C_returns_None: f.get("wc").deref() === undefined,
      log: [...LOG],
    };
    LOG.length = 0;
    f.get("saved").clear();
    const n2 = py.gc.collect();
    const w = want.resurrection as Record<string, Record<string, unknown>>;
    const { note: _n1, ...first } = w.first_collect!;
    const { note: _n2, ...second } = w.second_collect!;
    expect(after1).toEqual(first);
    expect({ collected: n2, log: LOG }).toEqual(second);
  });

  it("gc.garbage stays empty for __del__ cycles; DEBUG_SAVEALL keeps everything found", () => {
    const { py, D, Clr } = lab();
    py.gc.collect();
    using f = py.frame();
    f.set("a", py.new(D, { name: "x" }));
    f.set("b", py.new(D, { name: "y" }));
    f.get("a").setAttr("peer", f.get("b"));
    f.get("b").setAttr("peer", f.get("a"));
    f.del("a");
    f.del("b");
    const n = py.gc.collect();
    const res: Record<string, unknown> = {
      cycle_with___del__: { collected: n, len_gc_garbage: py.gc.garbage.len() },
    };
    py.gc.setDebug(py.gc.DEBUG_SAVEALL);
    f.set("l1", py.list());
    f.set("l2", py.list([f.get("l1")]));
    f.get("l1").append(f.get("l2"));
    f.set("c", py.new(Clr));
    f.get("c").setAttr("self", f.get("c"));
    f.del("l1");
    f.del("l2");
    f.del("c");
    const n2 = py.gc.collect();
    res.DEBUG_SAVEALL = {
      collected: n2,
      len_gc_garbage: py.gc.garbage.len(),
      types_in_garbage: py.gc.garbage
        .toArray()
        .map((o) => o.type)
        .sort(),
    };
    py.gc.setDebug(0);
    for (const o of py.gc.garbage) {
      if (o.type === "list") o.clear();
      else o.delAttr("self");
    }
    py.gc.garbage.clear();
    py.gc.collect();
    expect(res).toEqual(want.garbage_and_saveall);
    expect(py.check()).toEqual([]);
  });

  it("generations: collect(0) does not see garbage already in generation 1", () => {
    const { py } = lab();
    py.gc.collect();
    using f = py.frame();
    f.set("out", py.dict()); // out = {} after a full collection: from the GC allocator
    const out: Record<string, unknown> = {};
    out.count_after_full_collect = py.gc.getCount();
    f.set("l1", py.list());
    f.set("l2", py.list([f.get("l1")]));
    f.get("l1").append(f.get("l2"));
    const n0 = py.gc.collect(0);
    out["count_after_collect(0)"] = py.gc.getCount();
    f.del("l1");
    f.del("l2");
    out["collect(0)_after_dropping_cycle_now_in_gen1"] = py.gc.collect(0);
    out["collect(1)"] = py.gc.collect(1);
    out["first_collect(0)_while_referenced"] = n0;
    out["count_after_collect(1)"] = py.gc.getCount();
    try {
      py.gc.collect(3);
    } catch (e) {
      out["collect(3)"] =
        `${(e as PythonError).pythonType}: ${(e as Error).message.split(": ")[1]}`;
    }
    expect(out).toEqual(want.generations);
  });

  it("untracking: atomic tuples in any collection, dicts only in full collections", () => {
    const { py, Clr } = lab();
    py.gc.collect();
    using f = py.frame();
    f.set("t", py.tuple([1, "a", 2.5]));
    f.set("t_nested", py.tuple([f.get("t"), 3]));
    f.set("t_with_list", py.tuple([py.list(), 1]));
    f.set("d", py.dict([["a", py.list()]]));
    f.get("d").setItem("a", 1);
    f.set("d_new", py.dictFromPairs([["a", 1]]));
    const tracked = (n: string) => py.gc.isTracked(f.get(n));
    const out: Record<string, unknown> = {
      tuple_atomic_at_creation: tracked("t"),
      dict_atomic_created: tracked("d_new"),
      dict_after_replacing_list_value: tracked("d"),
    };
    py.gc.collect(0);
    const snap = () => ({
      tuple_atomic: tracked("t"),
      tuple_nested_atomic: tracked("t_nested"),
      tuple_with_list: tracked("t_with_list"),
      dict: tracked("d"),
    });
    out["after_collect(0)"] = snap();
    py.gc.collect(2);
    out["after_collect(2)"] = snap();
    const isT = (o: ReturnType<Heap["int"]>) => {
      const r = py.gc.isTracked(o);
      o.dispose();
      return r;
    };
    out.never_tracked = {
      int: isT(py.int(10n ** 20n)),
      str: isT(py.str("sss")),
      float: isT(py.float(1.5)),
      bytes: isT(py.bytes([120, 121])),
      empty_tuple: isT(py.tuple()),
    };
    out.instance_and_list_tracked = { instance: isT(py.new(Clr)), list: isT(py.list()) };
    expect(out).toEqual(want.untracking);
  });

  it("freeze: frozen garbage is not collected until unfreeze", () => {
    const { py } = lab();
    py.gc.collect();
    using f = py.frame();
    f.set("l1", py.list());
    f.set("l2", py.list([f.get("l1")]));
    f.get("l1").append(f.get("l2"));
    const before = py.gc.getFreezeCount();
    py.gc.freeze();
    const frozen = py.gc.getFreezeCount() - before;
    f.del("l1");
    f.del("l2");
    const nFrozen = py.gc.collect();
    py.gc.unfreeze();
    const nAfter = py.gc.collect();
    expect({
      collect_while_frozen: nFrozen,
      collect_after_unfreeze: nAfter,
      freeze_moved_objects_positive: frozen > 0,
      freeze_count_after_unfreeze: py.gc.getFreezeCount(),
    }).toEqual(want.freeze);
  });

  it("gc.callbacks receive start and stop with the generation and counts", () => {
    const { py } = lab();
    py.gc.collect();
    const seen: [string, Record<string, number>][] = [];
    const cb = (
      phase: string,
      info: { generation: number; collected: number; uncollectable: number },
    ) =>
      seen.push([
        phase,
        {
          collected: info.collected,
          generation: info.generation,
          uncollectable: info.uncollectable,
        },
      ]);
    py.gc.callbacks.push(cb);
    using f = py.frame();
    f.set("l1", py.list());
    f.set("l2", py.list([f.get("l1")]));
    f.get("l1").append(f.get("l2"));
    f.del("l1");
    f.del("l2");
    const n = py.gc.collect(1);
    py.gc.callbacks.splice(py.gc.callbacks.indexOf(cb), 1);
    expect({ returned: n, events: seen }).toEqual(want.callbacks);
  });
});
