import { OutOfMemoryError } from './errors.js';

const PAGE = 65536;
const SMALL_STEP = 16;
const SMALL_LIMIT = 256;

/**
 * Size class of a request: multiples of 16 bytes up to 256, then four classes per power of two
 * (2^k · {1.25, 1.5, 1.75, 2}), so at most a quarter of a block is ever wasted. Every class size
 * is a multiple of 16, which keeps every block 16-byte aligned for v128 loads.
 */
export function sizeClass(bytes: number): { index: number; size: number } {
  const b = Math.max(bytes, 1);
  if (b <= SMALL_LIMIT) {
    const index = Math.ceil(b / SMALL_STEP) - 1;
    return { index, size: (index + 1) * SMALL_STEP };
  }
  const k = Math.floor(Math.log2(b - 1));
  const base = 2 ** k;
  const quarter = base / 4;
  const sub = Math.ceil((b - base) / quarter);
  return { index: SMALL_LIMIT / SMALL_STEP + (k - 8) * 4 + sub - 1, size: base + sub * quarter };
}

export interface HeapStats {
  /** Bytes in blocks handed out (size-class rounded). */
  bytesInUse: number;
  /** Highest bytesInUse so far. */
  peakBytes: number;
  /** Current size of the wasm linear memory. */
  heapBytes: number;
  /** The most the linear memory may grow to. */
  maxBytes: number;
}

const fmt = (bytes: number): string => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(2)} MiB`);

/**
 * A size-class free-list allocator over the module's linear memory, run from the host: blocks
 * are carved from a bump pointer and recycled through one free list per class. The caller passes
 * the byte size back on free (a storage knows its dtype and length), so blocks carry no header.
 */
export class Heap {
  private top: number;
  /** Where memory no block has used yet begins: still zero as the engine handed it over. */
  private untouched: number;
  private readonly freeLists: number[][] = [];
  private inUse = 0;
  private peak = 0;
  private buffer: ArrayBuffer | null = null;
  private u8View!: Uint8Array;
  private i32View!: Int32Array;
  private f32View!: Float32Array;
  private f64View!: Float64Array;

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
    readonly maxBytes: number,
  ) {
    this.top = Math.ceil(base / SMALL_STEP) * SMALL_STEP;
    this.untouched = this.top;
  }

  /** A block of at least `bytes` bytes (contents undefined). `what` names the request in errors. */
  alloc(bytes: number, what: string): number {
    const { index, size } = sizeClass(bytes);
    const list = this.freeLists[index];
    let ptr: number;
    if (list !== undefined && list.length > 0) ptr = list.pop()!;
    else {
      this.ensure(this.top + size, bytes, what);
      ptr = this.top;
      this.top += size;
      if (this.top > this.untouched) this.untouched = this.top;
    }
    this.inUse += size;
    if (this.inUse > this.peak) this.peak = this.inUse;
    return ptr;
  }

  /**
   * A zero-filled block. Only the part that an earlier block used is cleared: memory fresh from
   * growth is zero already, and writing it would fault its pages in twice.
   */
  allocZeroed(bytes: number, what: string, zero: (ptr: number, bytes: number) => void): number {
    const untouched = this.untouched;
    const ptr = this.alloc(bytes, what);
    if (ptr < untouched) zero(ptr, Math.min(ptr + bytes, untouched) - ptr);
    return ptr;
  }

  free(ptr: number, bytes: number): void {
    const { index, size } = sizeClass(bytes);
    (this.freeLists[index] ??= []).push(ptr);
    this.inUse -= size;
  }

  stats(): HeapStats {
    return { bytesInUse: this.inUse, peakBytes: this.peak, heapBytes: this.memory.buffer.byteLength, maxBytes: this.maxBytes };
  }

  /** Grows the memory so that [0, end) exists, or throws OutOfMemoryError having changed nothing. */
  private ensure(end: number, bytes: number, what: string): void {
    const current = this.memory.buffer.byteLength;
    if (end <= current) return;
    // Before growing, give free blocks at the end of the heap back to the bump pointer.
    this.releaseTop();
    end = this.top + sizeClass(bytes).size;
    if (end <= current) return;
    if (end <= this.maxBytes) {
      // Grow at least by half again, so a sequence of allocations grows the memory O(log n) times.
      const target = Math.min(this.maxBytes, Math.max(end, Math.floor(current * 1.5)));
      try {
        this.memory.grow(Math.ceil((target - current) / PAGE));
        return;
      } catch {
        try {
          this.memory.grow(Math.ceil((end - current) / PAGE));
          return;
        } catch {
          // The engine refused to grow: report it like any other exhausted heap.
        }
      }
    }
    throw new OutOfMemoryError(
      `wasm out of memory. Tried to allocate ${fmt(bytes)} (${what}); the heap holds ${fmt(this.inUse)} in use ` +
        `and may grow to ${fmt(this.maxBytes)}. Free tensors with dispose(), or raise wasmBackend({ maxMemoryMB }).`,
    );
  }

  /** Returns free blocks that end at the bump pointer to it, so a large request can reuse their space. */
  private releaseTop(): void {
    const byEnd = new Map<number, { ptr: number; index: number }>();
    this.freeLists.forEach((list, index) => {
      if (!list) return;
      const size = classSize(index);
      for (const ptr of list) byEnd.set(ptr + size, { ptr, index });
    });
    for (let block = byEnd.get(this.top); block; block = byEnd.get(this.top)) {
      const list = this.freeLists[block.index]!;
      list.splice(list.lastIndexOf(block.ptr), 1);
      this.top = block.ptr;
    }
  }

  // Typed views over the memory; re-created whenever growth has replaced the buffer.
  private views(): void {
    if (this.buffer === this.memory.buffer) return;
    const b = this.memory.buffer;
    this.buffer = b;
    this.u8View = new Uint8Array(b);
    this.i32View = new Int32Array(b);
    this.f32View = new Float32Array(b);
    this.f64View = new Float64Array(b);
  }
  get u8(): Uint8Array {
    this.views();
    return this.u8View;
  }
  get i32(): Int32Array {
    this.views();
    return this.i32View;
  }
  get f32(): Float32Array {
    this.views();
    return this.f32View;
  }
  get f64(): Float64Array {
    this.views();
    return this.f64View;
  }
}

function classSize(index: number): number {
  if (index < SMALL_LIMIT / SMALL_STEP) return (index + 1) * SMALL_STEP;
  const rel = index - SMALL_LIMIT / SMALL_STEP;
  const k = 8 + Math.floor(rel / 4);
  const base = 2 ** k;
  return base + ((rel % 4) + 1) * (base / 4);
}
