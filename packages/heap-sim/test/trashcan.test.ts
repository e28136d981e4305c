/**
 * The trashcan: deallocations nest at most 50 deep; deeper objects are freed later, in LIFO order.
 * So the free order of a long chain differs from plain recursion, and freeing a chain of
 * 200,000 nested lists does not overflow the JS stack. The order is compared with CPython live.
 */
import { describe, expect, it } from "vitest";
import { Heap } from "../src/index.ts";
import { pythonFor, runPython } from "./helpers/oracle.ts";

function chainOrder(n: number, viaList: boolean): number[] {
  const py = new Heap();
  py.gc.disable();
  const log: number[] = [];
  const Node = py.defineClass("Node", {
    del: (self) => log.push(self.getAttr("i").value as number),
  });
  using f = py.frame();
  f.set("head", py.new(Node, { i: 0 }));
  let cur = f.get("head");
  for (let i = 1; i < n; i++) {
    const next = py.new(Node, { i });
    if (viaList) {
      cur.setAttr("next", py.list([next]));
      cur = cur.getAttr("next").getItem(0);
    } else {
      cur.setAttr("next", next);
      cur = cur.getAttr("next");
    }
  }
  f.del("head");
  expect(py.check()).toEqual([]);
  return log;
}

describe("trashcan (deep deallocation chains)", () => {
  it("frees a chain of 200,000 nested lists without exhausting the stack", () => {
    const py = new Heap();
    using f = py.frame();
    f.set("head", py.list());
    let cur = f.get("head");
    for (let i = 0; i < 200_000; i++) {
      cur.append(py.list());
      cur = cur.getItem(0);
    }
    f.del("head");
    expect(py.memory().objects).toBeLessThan(100);
    expect(py.check()).toEqual([]);
  });

  it("the first 50 levels free in order; the rest wait on the trash list", () => {
    const order = chainOrder(200, false);
    expect(order.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  const python = pythonFor("3.11");
  it.skipIf(python === undefined)("matches CPython's free order live", () => {
    const code = `
import gc, json, sys
gc.disable()
log = []
class Node:
    def __del__(self): log.append(self.i)
def build(n, via_list):
    head = Node(); head.i = 0; cur = head
    for i in range(1, n):
        nxt = Node(); nxt.i = i
        if via_list:
            cur.next = [nxt]
        else:
            cur.next = nxt
        cur = nxt
    del cur, nxt
    return head
out = []
for n, via in json.loads(sys.argv[1]):
    log.clear()
    h = build(n, via)
    del h
    out.append(list(log))
print(json.dumps(out))
`;
    const cases: [number, boolean][] = [
      [120, false],
      [333, false],
      [90, true],
    ];
    const live = runPython<number[][]>(python!, code, [JSON.stringify(cases)]);
    expect(cases.map(([n, via]) => chainOrder(n, via))).toEqual(live);
  });
});
