// A small realistic program against the published package: summarise a batch of sensor readings
// with views and accurate reductions, reuse scratch memory from a pool, and fan a CPU-heavy
// elementwise kernel out to worker threads over shared memory.
import assert from "node:assert/strict";
import {
  add,
  array,
  BufferError,
  BufferPool,
  GrowableBuffer,
  mean,
  NDArray,
  std,
  sum,
  zeros,
} from "@heapwise/buffer";
import { ParallelPool } from "@heapwise/buffer/node";

async function main(): Promise<void> {
  // Readings arrive one by one: a growable float32 buffer holds them compactly.
  using readings = new GrowableBuffer("float32");
  for (let i = 0; i < 10_000; i++) readings.push(20 + Math.sin(i / 100));
  {
    using view = readings.view(); // zero-copy; resizing is refused while it is exported
    assert.throws(() => readings.push(1), BufferError);
    const m = view.toNDArray().reshape([100, 100]);
    const perRow = mean(m, { axis: 1 });
    assert.equal(perRow.shape[0], 100);
    assert.ok(Math.abs(mean(m) - 20) < 0.1);
    assert.ok(std(m) > 0.5);
  }
  readings.push(21);
  assert.equal(readings.length, 10_001);

  // Scratch space from a pool: zeroed, returned at the end of the block.
  const pool = new BufferPool();
  for (let batch = 0; batch < 3; batch++) {
    using lease = pool.acquire("float64", 1000);
    const scratch = new NDArray(lease.array);
    assert.equal(sum(scratch), 0);
    scratch.fill(batch);
  }
  assert.equal(pool.stats().allocations, 1);
  pool[Symbol.dispose]();

  // Broadcasting arithmetic.
  const grid = add(array([[0], [10], [20]]), array([1, 2, 3]));
  assert.deepEqual(grid.toArray(), [
    [1, 2, 3],
    [11, 12, 13],
    [21, 22, 23],
  ]);

  // Worker threads over a SharedArrayBuffer.
  await using workers = new ParallelPool({ threads: 2 });
  const x = zeros([200_000], { shared: true }).fill(1);
  assert.equal(await workers.sum(x), 200_000);
  const e = await workers.unary("exp", x);
  assert.equal(e.get(199_999), Math.E);
  console.log("usage: ok");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
