import type { Allocator } from "./interfaces.ts";
import type { Runtime } from "./internal/runtime.ts";

/** Options of {@link Heap.allocator}. */
export interface AllocatorOptions {
  /**
   * Which CPython allocator the buffers are charged to. `"raw"` (default): `PyMem_RawMalloc`, libc
   * `malloc` whatever the size, as NumPy's data buffers are. `"mem"`: `PyMem_Malloc`, i.e. a
   * pymalloc block up to 512 bytes and `malloc` above, as `array.array` and `bytearray` buffers are.
   */
  readonly domain?: "raw" | "mem";
}

/** An {@link Allocator} charging its buffers to a simulated heap, with what it holds. */
export interface SimulatedAllocator extends Allocator {
  /** Buffers allocated and not released. */
  readonly outstanding: number;
  /** Bytes in those buffers. */
  readonly outstandingBytes: number;
}

/** @internal */
export function createAllocator(rt: Runtime, options: AllocatorOptions): SimulatedAllocator {
  const domain = options.domain ?? "raw";
  if (domain !== "raw" && domain !== "mem") {
    throw new RangeError(`domain must be "raw" or "mem", got ${String(domain)}`);
  }
  const live = new Map<ArrayBuffer, number>();
  let bytes = 0;
  return {
    allocate(byteLength: number): ArrayBuffer {
      if (typeof byteLength !== "number" || !Number.isSafeInteger(byteLength) || byteLength < 0) {
        throw new RangeError(
          `byteLength must be a non-negative integer, got ${String(byteLength)}`,
        );
      }
      const buffer = new ArrayBuffer(byteLength);
      const addr = domain === "raw" ? rt.pm.rawMalloc(byteLength) : rt.pm.malloc(byteLength);
      live.set(buffer, addr);
      bytes += byteLength;
      rt.externalBytes += byteLength;
      rt.externalCount++;
      return buffer;
    },
    release(buffer: ArrayBuffer): void {
      const addr = live.get(buffer);
      if (addr === undefined) {
        throw new TypeError(
          `release: this ArrayBuffer (${
            buffer instanceof ArrayBuffer ? `${buffer.byteLength} bytes` : String(buffer)
          }) was not allocated by this allocator, or was already released`,
        );
      }
      live.delete(buffer);
      bytes -= buffer.byteLength;
      rt.externalBytes -= buffer.byteLength;
      rt.externalCount--;
      rt.pm.free(addr);
    },
    get outstanding(): number {
      return live.size;
    },
    get outstandingBytes(): number {
      return bytes;
    },
  };
}
