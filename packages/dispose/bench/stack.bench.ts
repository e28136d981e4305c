/**
 * DisposableStack / AsyncDisposableStack: cost per entry of registering N resources (`use`) or
 * callbacks (`defer`) and disposing the stack, against the peers a user would otherwise pick, the
 * host's classes (Node 24) and the floor: a hand-written array and a reverse loop of try/catch
 * that aggregates errors. Every contestant has its own copy of the driver loop (this file is
 * written out, not generated at run time), and every sample's dispose count is checked.
 *
 * The work of one stack is a function of its own (`…_stack`), called once per stack, so that it is
 * hot and optimised the ordinary way. Written inline in the sample's loop (called a dozen times in
 * a run), it is only ever entered through on-stack replacement, and on Node 24 the floor then keeps
 * cycling between Maglev and TurboFan OSR code (`--trace-deopt`: "exit from OSR'd inner loop",
 * "prepare for on stack replacement"), running at a third of its speed and flattering every ratio.
 *
 * Run: `pnpm bench dispose` and `pnpm bench --node24 dispose` from the repository root.
 */
import { compare } from "@heapwise/bench";
import {
  esShims,
  heapwise,
  heapwisePonyfill,
  native,
  nativeAvailable,
  Suppressed,
  whatwg,
} from "./peers.ts";

let disposed = 0;
const syncResource: Disposable = {
  [Symbol.dispose]() {
    disposed++;
  },
};
const syncCallback = () => {
  disposed++;
};
const asyncResource: AsyncDisposable = {
  async [Symbol.asyncDispose]() {
    disposed++;
  },
};
const asyncCallback = async () => {
  disposed++;
};
const MESSAGE = "An error was suppressed during disposal";
const ponyfillNote = () =>
  nativeAvailable ? undefined : "same classes as @heapwise/dispose on this runtime";
const ROUNDS = { rounds: 10, minRounds: 5, warmup: 2, budgetMs: 45_000 };

// ── use + dispose, 1,000 resources per stack (100 stacks per sample)
const syncUseSize = 1000;
const syncUseStacks = 100;
function syncUse_floor_stack(): void {
  const entries: Disposable[] = [];
  for (let i = 0; i < syncUseSize; i++) entries.push(syncResource);
  let failed = false;
  let error: unknown;
  for (let i = entries.length - 1; i >= 0; i--) {
    try {
      entries[i]![Symbol.dispose]();
    } catch (e) {
      error = failed ? new Suppressed(e, error, MESSAGE) : e;
      failed = true;
    }
  }
  if (failed) throw error;
}
function syncUse_floor(): number {
  const before = disposed;
  for (let s = 0; s < syncUseStacks; s++) syncUse_floor_stack();
  return disposed - before;
}
function syncUse_heapwise_stack(): void {
  const Stack = heapwise.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUse_heapwise(): number {
  const before = disposed;
  for (let s = 0; s < syncUseStacks; s++) syncUse_heapwise_stack();
  return disposed - before;
}
function syncUse_heapwisePonyfill_stack(): void {
  const Stack = heapwisePonyfill.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUse_heapwisePonyfill(): number {
  const before = disposed;
  for (let s = 0; s < syncUseStacks; s++) syncUse_heapwisePonyfill_stack();
  return disposed - before;
}
function syncUse_native_stack(): void {
  const Stack = native!.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUse_native(): number {
  const before = disposed;
  for (let s = 0; s < syncUseStacks; s++) syncUse_native_stack();
  return disposed - before;
}
function syncUse_whatwg_stack(): void {
  const Stack = whatwg.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUse_whatwg(): number {
  const before = disposed;
  for (let s = 0; s < syncUseStacks; s++) syncUse_whatwg_stack();
  return disposed - before;
}
function syncUse_esShims_stack(): void {
  const Stack = esShims.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUse_esShims(): number {
  const before = disposed;
  for (let s = 0; s < syncUseStacks; s++) syncUse_esShims_stack();
  return disposed - before;
}

await compare({
  suite: "use + dispose, 1,000 resources per stack",
  floor: "hand-written array + reverse loop",
  ops: syncUseSize * syncUseStacks,
  expect: (n) => n === syncUseSize * syncUseStacks || `disposed ${n}`,
  ...ROUNDS,
  contestants: {
    "hand-written array + reverse loop": () => syncUse_floor,
    "@heapwise/dispose": () => syncUse_heapwise,
    "@heapwise/dispose ponyfill (forced)": () => ponyfillNote() ?? syncUse_heapwisePonyfill,
    "native (V8)": () => (native ? syncUse_native : "needs Node 24"),
    "@whatwg-node/disposablestack": () => syncUse_whatwg,
    "es-shims disposablestack": () => syncUse_esShims,
  },
});

// ── defer + dispose, 1,000 callbacks per stack (100 stacks per sample)
const syncDeferSize = 1000;
const syncDeferStacks = 100;
function syncDefer_floor_stack(): void {
  const entries: (() => void)[] = [];
  for (let i = 0; i < syncDeferSize; i++) entries.push(syncCallback);
  let failed = false;
  let error: unknown;
  for (let i = entries.length - 1; i >= 0; i--) {
    try {
      entries[i]!();
    } catch (e) {
      error = failed ? new Suppressed(e, error, MESSAGE) : e;
      failed = true;
    }
  }
  if (failed) throw error;
}
function syncDefer_floor(): number {
  const before = disposed;
  for (let s = 0; s < syncDeferStacks; s++) syncDefer_floor_stack();
  return disposed - before;
}
function syncDefer_heapwise_stack(): void {
  const Stack = heapwise.sync;
  const stack = new Stack();
  for (let i = 0; i < syncDeferSize; i++) stack.defer(syncCallback);
  stack.dispose();
}
function syncDefer_heapwise(): number {
  const before = disposed;
  for (let s = 0; s < syncDeferStacks; s++) syncDefer_heapwise_stack();
  return disposed - before;
}
function syncDefer_heapwisePonyfill_stack(): void {
  const Stack = heapwisePonyfill.sync;
  const stack = new Stack();
  for (let i = 0; i < syncDeferSize; i++) stack.defer(syncCallback);
  stack.dispose();
}
function syncDefer_heapwisePonyfill(): number {
  const before = disposed;
  for (let s = 0; s < syncDeferStacks; s++) syncDefer_heapwisePonyfill_stack();
  return disposed - before;
}
function syncDefer_native_stack(): void {
  const Stack = native!.sync;
  const stack = new Stack();
  for (let i = 0; i < syncDeferSize; i++) stack.defer(syncCallback);
  stack.dispose();
}
function syncDefer_native(): number {
  const before = disposed;
  for (let s = 0; s < syncDeferStacks; s++) syncDefer_native_stack();
  return disposed - before;
}
function syncDefer_whatwg_stack(): void {
  const Stack = whatwg.sync;
  const stack = new Stack();
  for (let i = 0; i < syncDeferSize; i++) stack.defer(syncCallback);
  stack.dispose();
}
function syncDefer_whatwg(): number {
  const before = disposed;
  for (let s = 0; s < syncDeferStacks; s++) syncDefer_whatwg_stack();
  return disposed - before;
}
function syncDefer_esShims_stack(): void {
  const Stack = esShims.sync;
  const stack = new Stack();
  for (let i = 0; i < syncDeferSize; i++) stack.defer(syncCallback);
  stack.dispose();
}
function syncDefer_esShims(): number {
  const before = disposed;
  for (let s = 0; s < syncDeferStacks; s++) syncDefer_esShims_stack();
  return disposed - before;
}

await compare({
  suite: "defer + dispose, 1,000 callbacks per stack",
  floor: "hand-written array + reverse loop",
  ops: syncDeferSize * syncDeferStacks,
  expect: (n) => n === syncDeferSize * syncDeferStacks || `disposed ${n}`,
  ...ROUNDS,
  contestants: {
    "hand-written array + reverse loop": () => syncDefer_floor,
    "@heapwise/dispose": () => syncDefer_heapwise,
    "@heapwise/dispose ponyfill (forced)": () => ponyfillNote() ?? syncDefer_heapwisePonyfill,
    "native (V8)": () => (native ? syncDefer_native : "needs Node 24"),
    "@whatwg-node/disposablestack": () => syncDefer_whatwg,
    "es-shims disposablestack": () => syncDefer_esShims,
  },
});

// ── use + dispose, 10,000 resources per stack (10 stacks per sample)
const syncUseLargeSize = 10000;
const syncUseLargeStacks = 10;
function syncUseLarge_floor_stack(): void {
  const entries: Disposable[] = [];
  for (let i = 0; i < syncUseLargeSize; i++) entries.push(syncResource);
  let failed = false;
  let error: unknown;
  for (let i = entries.length - 1; i >= 0; i--) {
    try {
      entries[i]![Symbol.dispose]();
    } catch (e) {
      error = failed ? new Suppressed(e, error, MESSAGE) : e;
      failed = true;
    }
  }
  if (failed) throw error;
}
function syncUseLarge_floor(): number {
  const before = disposed;
  for (let s = 0; s < syncUseLargeStacks; s++) syncUseLarge_floor_stack();
  return disposed - before;
}
function syncUseLarge_heapwise_stack(): void {
  const Stack = heapwise.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseLargeSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUseLarge_heapwise(): number {
  const before = disposed;
  for (let s = 0; s < syncUseLargeStacks; s++) syncUseLarge_heapwise_stack();
  return disposed - before;
}
function syncUseLarge_heapwisePonyfill_stack(): void {
  const Stack = heapwisePonyfill.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseLargeSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUseLarge_heapwisePonyfill(): number {
  const before = disposed;
  for (let s = 0; s < syncUseLargeStacks; s++) syncUseLarge_heapwisePonyfill_stack();
  return disposed - before;
}
function syncUseLarge_native_stack(): void {
  const Stack = native!.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseLargeSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUseLarge_native(): number {
  const before = disposed;
  for (let s = 0; s < syncUseLargeStacks; s++) syncUseLarge_native_stack();
  return disposed - before;
}
function syncUseLarge_whatwg_stack(): void {
  const Stack = whatwg.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseLargeSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUseLarge_whatwg(): number {
  const before = disposed;
  for (let s = 0; s < syncUseLargeStacks; s++) syncUseLarge_whatwg_stack();
  return disposed - before;
}
function syncUseLarge_esShims_stack(): void {
  const Stack = esShims.sync;
  const stack = new Stack();
  for (let i = 0; i < syncUseLargeSize; i++) stack.use(syncResource);
  stack.dispose();
}
function syncUseLarge_esShims(): number {
  const before = disposed;
  for (let s = 0; s < syncUseLargeStacks; s++) syncUseLarge_esShims_stack();
  return disposed - before;
}

await compare({
  suite: "use + dispose, 10,000 resources per stack",
  floor: "hand-written array + reverse loop",
  ops: syncUseLargeSize * syncUseLargeStacks,
  expect: (n) => n === syncUseLargeSize * syncUseLargeStacks || `disposed ${n}`,
  ...ROUNDS,
  contestants: {
    "hand-written array + reverse loop": () => syncUseLarge_floor,
    "@heapwise/dispose": () => syncUseLarge_heapwise,
    "@heapwise/dispose ponyfill (forced)": () => ponyfillNote() ?? syncUseLarge_heapwisePonyfill,
    "native (V8)": () => (native ? syncUseLarge_native : "needs Node 24"),
    "@whatwg-node/disposablestack": () => {
      // Its disposal recurses once per entry, so whether this size fits depends on how deep the
      // call stack already is. Probe at four times the size: a contestant that may overflow
      // mid-run is left out rather than allowed to abort the suite.
      const probeSize = 4 * syncUseLargeSize;
      try {
        const probe = new whatwg.sync();
        for (let i = 0; i < probeSize; i++) probe.use(syncResource);
        probe.dispose();
        return syncUseLarge_whatwg;
      } catch (e) {
        return `left out: its recursive dispose throws ${(e as Error).name} (${(e as Error).message}) at ${probeSize.toLocaleString("en-US")} entries`;
      }
    },
    "es-shims disposablestack": () => syncUseLarge_esShims,
  },
});

// ── use + disposeAsync, 1,000 async resources per stack (20 stacks per sample)
const asyncUseSize = 1000;
const asyncUseStacks = 20;
async function asyncUse_floor_stack(): Promise<void> {
  const entries: AsyncDisposable[] = [];
  for (let i = 0; i < asyncUseSize; i++) entries.push(asyncResource);
  let failed = false;
  let error: unknown;
  for (let i = entries.length - 1; i >= 0; i--) {
    try {
      await entries[i]![Symbol.asyncDispose]();
    } catch (e) {
      error = failed ? new Suppressed(e, error, MESSAGE) : e;
      failed = true;
    }
  }
  if (failed) throw error;
}
async function asyncUse_floor(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncUseStacks; s++) await asyncUse_floor_stack();
  return disposed - before;
}
async function asyncUse_heapwise_stack(): Promise<void> {
  const Stack = heapwise.async;
  const stack = new Stack();
  for (let i = 0; i < asyncUseSize; i++) stack.use(asyncResource);
  await stack.disposeAsync();
}
async function asyncUse_heapwise(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncUseStacks; s++) await asyncUse_heapwise_stack();
  return disposed - before;
}
async function asyncUse_heapwisePonyfill_stack(): Promise<void> {
  const Stack = heapwisePonyfill.async;
  const stack = new Stack();
  for (let i = 0; i < asyncUseSize; i++) stack.use(asyncResource);
  await stack.disposeAsync();
}
async function asyncUse_heapwisePonyfill(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncUseStacks; s++) await asyncUse_heapwisePonyfill_stack();
  return disposed - before;
}
async function asyncUse_native_stack(): Promise<void> {
  const Stack = native!.async;
  const stack = new Stack();
  for (let i = 0; i < asyncUseSize; i++) stack.use(asyncResource);
  await stack.disposeAsync();
}
async function asyncUse_native(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncUseStacks; s++) await asyncUse_native_stack();
  return disposed - before;
}
async function asyncUse_whatwg_stack(): Promise<void> {
  const Stack = whatwg.async;
  const stack = new Stack();
  for (let i = 0; i < asyncUseSize; i++) stack.use(asyncResource);
  await stack.disposeAsync();
}
async function asyncUse_whatwg(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncUseStacks; s++) await asyncUse_whatwg_stack();
  return disposed - before;
}
async function asyncUse_esShims_stack(): Promise<void> {
  const Stack = esShims.async;
  const stack = new Stack();
  for (let i = 0; i < asyncUseSize; i++) stack.use(asyncResource);
  await stack.disposeAsync();
}
async function asyncUse_esShims(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncUseStacks; s++) await asyncUse_esShims_stack();
  return disposed - before;
}

await compare({
  suite: "use + disposeAsync, 1,000 async resources per stack",
  floor: "hand-written array + reverse loop",
  ops: asyncUseSize * asyncUseStacks,
  expect: (n) => n === asyncUseSize * asyncUseStacks || `disposed ${n}`,
  ...ROUNDS,
  contestants: {
    "hand-written array + reverse loop": () => asyncUse_floor,
    "@heapwise/dispose": () => asyncUse_heapwise,
    "@heapwise/dispose ponyfill (forced)": () => ponyfillNote() ?? asyncUse_heapwisePonyfill,
    "native (V8)": () => (native ? asyncUse_native : "needs Node 24"),
    "@whatwg-node/disposablestack": () => asyncUse_whatwg,
    "es-shims disposablestack": () => asyncUse_esShims,
  },
});

// ── defer + disposeAsync, 1,000 async callbacks per stack (20 stacks per sample)
const asyncDeferSize = 1000;
const asyncDeferStacks = 20;
async function asyncDefer_floor_stack(): Promise<void> {
  const entries: (() => Promise<void>)[] = [];
  for (let i = 0; i < asyncDeferSize; i++) entries.push(asyncCallback);
  let failed = false;
  let error: unknown;
  for (let i = entries.length - 1; i >= 0; i--) {
    try {
      await entries[i]!();
    } catch (e) {
      error = failed ? new Suppressed(e, error, MESSAGE) : e;
      failed = true;
    }
  }
  if (failed) throw error;
}
async function asyncDefer_floor(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncDeferStacks; s++) await asyncDefer_floor_stack();
  return disposed - before;
}
async function asyncDefer_heapwise_stack(): Promise<void> {
  const Stack = heapwise.async;
  const stack = new Stack();
  for (let i = 0; i < asyncDeferSize; i++) stack.defer(asyncCallback);
  await stack.disposeAsync();
}
async function asyncDefer_heapwise(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncDeferStacks; s++) await asyncDefer_heapwise_stack();
  return disposed - before;
}
async function asyncDefer_heapwisePonyfill_stack(): Promise<void> {
  const Stack = heapwisePonyfill.async;
  const stack = new Stack();
  for (let i = 0; i < asyncDeferSize; i++) stack.defer(asyncCallback);
  await stack.disposeAsync();
}
async function asyncDefer_heapwisePonyfill(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncDeferStacks; s++) await asyncDefer_heapwisePonyfill_stack();
  return disposed - before;
}
async function asyncDefer_native_stack(): Promise<void> {
  const Stack = native!.async;
  const stack = new Stack();
  for (let i = 0; i < asyncDeferSize; i++) stack.defer(asyncCallback);
  await stack.disposeAsync();
}
async function asyncDefer_native(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncDeferStacks; s++) await asyncDefer_native_stack();
  return disposed - before;
}
async function asyncDefer_whatwg_stack(): Promise<void> {
  const Stack = whatwg.async;
  const stack = new Stack();
  for (let i = 0; i < asyncDeferSize; i++) stack.defer(asyncCallback);
  await stack.disposeAsync();
}
async function asyncDefer_whatwg(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncDeferStacks; s++) await asyncDefer_whatwg_stack();
  return disposed - before;
}
async function asyncDefer_esShims_stack(): Promise<void> {
  const Stack = esShims.async;
  const stack = new Stack();
  for (let i = 0; i < asyncDeferSize; i++) stack.defer(asyncCallback);
  await stack.disposeAsync();
}
async function asyncDefer_esShims(): Promise<number> {
  const before = disposed;
  for (let s = 0; s < asyncDeferStacks; s++) await asyncDefer_esShims_stack();
  return disposed - before;
}

await compare({
  suite: "defer + disposeAsync, 1,000 async callbacks per stack",
  floor: "hand-written array + reverse loop",
  ops: asyncDeferSize * asyncDeferStacks,
  expect: (n) => n === asyncDeferSize * asyncDeferStacks || `disposed ${n}`,
  ...ROUNDS,
  contestants: {
    "hand-written array + reverse loop": () => asyncDefer_floor,
    "@heapwise/dispose": () => asyncDefer_heapwise,
    "@heapwise/dispose ponyfill (forced)": () => ponyfillNote() ?? asyncDefer_heapwisePonyfill,
    "native (V8)": () => (native ? asyncDefer_native : "needs Node 24"),
    "@whatwg-node/disposablestack": () => asyncDefer_whatwg,
    "es-shims disposablestack": () => asyncDefer_esShims,
  },
});
