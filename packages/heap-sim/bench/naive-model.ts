/**
 * The peer of the benchmarks: the simulation one would write first, with one JS object per
 * simulated object (refcount, size, references, GC list links as properties) and CPython's
 * collection algorithm (update_refs, subtract_refs, move_unreachable) over those objects.
 * It models much less than @heapwise/heap-sim (no pymalloc, no sizes per type, no weakrefs, no
 * finalizers): it is the lower bound of what an object-per-object model costs.
 */

export class NaiveObject {
  rc = 1;
  gcRefs = 0;
  gen = 0;
  prev: NaiveObject | null = null;
  next: NaiveObject | null = null;
  refs: NaiveObject[] | null;
  constructor(
    readonly type: number,
    readonly size: number,
    tracked: boolean,
  ) {
    this.refs = tracked ? [] : null;
  }
}

class GcList {
  readonly head = new NaiveObject(0, 0, false);
  count = 0;
  constructor() {
    this.head.prev = this.head;
    this.head.next = this.head;
  }
  push(o: NaiveObject): void {
    const last = this.head.prev!;
    last.next = o;
    o.prev = last;
    o.next = this.head;
    this.head.prev = o;
    this.count++;
  }
  remove(o: NaiveObject): void {
    o.prev!.next = o.next;
    o.next!.prev = o.prev;
    o.prev = o.next = null;
    this.count--;
  }
}

export class NaiveHeap {
  readonly young = new GcList();
  readonly old = new GcList();
  objects = 0;
  bytes = 0;

  alloc(type: number, size: number, tracked: boolean): NaiveObject {
    const o = new NaiveObject(type, size, tracked);
    this.objects++;
    this.bytes += size;
    if (tracked) this.young.push(o);
    return o;
  }

  append(container: NaiveObject, item: NaiveObject): void {
    item.rc++;
    container.refs!.push(item);
  }

  decref(o: NaiveObject): void {
    if (--o.rc !== 0) return;
    // Iterative cascade, like a trashcan: no recursion limit.
    const stack = [o];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.prev !== null) (x.gen === 0 ? this.young : this.old).remove(x);
      this.objects--;
      this.bytes -= x.size;
      if (x.refs) for (const r of x.refs) if (--r.rc === 0) stack.push(r);
      x.refs = null;
    }
  }

  /** A full collection: returns how many objects were unreachable (and frees them). */
  collect(): number {
    // Merge young into old.
    while (this.young.count > 0) {
      const o = this.young.head.next!;
      this.young.remove(o);
      o.gen = 1;
      this.old.push(o);
    }
    const all: NaiveObject[] = [];
    for (let o = this.old.head.next!; o !== this.old.head; o = o.next!) all.push(o);
    for (const o of all) o.gcRefs = o.rc;
    for (const o of all) for (const r of o.refs!) if (r.prev !== null) r.gcRefs--;
    // move_unreachable: a mark from every object with outside references.
    const reachable = new Set<NaiveObject>();
    const stack: NaiveObject[] = [];
    for (const o of all) {
      if (o.gcRefs > 0 && !reachable.has(o)) {
        reachable.add(o);
        stack.push(o);
        while (stack.length > 0) {
          const x = stack.pop()!;
          for (const r of x.refs!) {
            if (r.prev !== null && !reachable.has(r)) {
              reachable.add(r);
              stack.push(r);
            }
          }
        }
      }
    }
    let unreachable = 0;
    for (const o of all) if (!reachable.has(o)) unreachable++;
    // Break the garbage's references (tp_clear), which frees it by refcount.
    for (const o of all) {
      if (!reachable.has(o) && o.refs) {
        const refs = o.refs;
        o.refs = [];
        for (const r of refs) this.decref(r);
      }
    }
    return unreachable;
  }
}
