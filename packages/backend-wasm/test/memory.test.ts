import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { RuntimeError, add, tensor, zeros } from '@gd/tensor';
import { OutOfMemoryError, type WasmBackend, wasmBackend } from '../src/index.js';

const MiB = 2 ** 20;

describe('heap allocator', () => {
  let w: WasmBackend;
  beforeAll(async () => {
    w = await wasmBackend();
  });

  it('reuses a freed block for the next request of its size class, zero-filled', () => {
    const a = w.alloc('float32', 1000);
    const ptr = a.data;
    w.write(a, new Float32Array(1000).fill(7));
    const inUse = w.memory().bytesInUse;
    a.free();
    expect(w.memory().bytesInUse).toBe(inUse - 4096);
    const b = w.alloc('float32', 1000);
    expect(b.data).toBe(ptr);
    expect(Array.from(w.read(b) as Float32Array).every((v) => v === 0)).toBe(true);
    b.free();
  });

  it('zero-fills a block that spans used and fresh memory when growth hands the top of the heap back', async () => {
    const own = await wasmBackend();
    const used = own.alloc('float32', 256 * 1024);
    const ptr = used.data;
    own.write(used, new Float32Array(256 * 1024).fill(7));
    used.free();
    const big = own.alloc('float32', 16 * MiB); // 64 MiB: growth returns the freed block to the bump pointer
    expect(big.data).toBe(ptr);
    const values = own.read(big) as Float32Array;
    expect(values.every((v) => v === 0)).toBe(true);
    big.free();
  });

  it('rounds requests up by at most a quarter, so nearby sizes share blocks', () => {
    const a = w.alloc('float64', 1100); // 8800 bytes -> the 10240-byte class
    const ptr = a.data;
    a.free();
    const b = w.alloc('float32', 2500); // 10000 bytes, same class
    expect(b.data).toBe(ptr);
    b.free();
  });

  it('counts live storages, bytes in use and the peak', () => {
    const before = w.memory();
    const ts = [zeros([256], { backend: w }), zeros([512], { backend: w })];
    const during = w.memory();
    expect(during.liveStorages).toBe(before.liveStorages + 2);
    expect(during.bytesInUse).toBe(before.bytesInUse + 1024 + 2048);
    expect(during.peakBytes).toBeGreaterThanOrEqual(during.bytesInUse);
    for (const t of ts) t.dispose();
    expect(w.memory().liveStorages).toBe(before.liveStorages);
    expect(w.memory().bytesInUse).toBe(before.bytesInUse);
  });

  it('keeps earlier tensors intact when a large allocation grows the memory', () => {
    const a = tensor([1.5, -2, 3], { backend: w });
    const heapBefore = w.memory().heapBytes;
    const big = zeros([8 * MiB], { backend: w }); // 32 MiB forces growth (and new typed-array views)
    expect(w.memory().heapBytes).toBeGreaterThan(heapBefore);
    expect(a.add(1).tolist()).toEqual([2.5, -1, 4]);
    big.dispose();
    a.dispose();
  });

  it('frees a storage when the last tensor over it is disposed, and refuses use after that', () => {
    const live = w.memory().liveStorages;
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { backend: w },
    );
    const v = t.transpose(0, 1);
    t.dispose();
    expect(w.memory().liveStorages).toBe(live + 1);
    v.dispose();
    expect(w.memory().liveStorages).toBe(live);
    expect(() => v.add(1)).toThrow(/disposed/);
  });
});

describe('running out of heap', () => {
  it('throws a catchable OutOfMemoryError naming the request and the heap size, then keeps working', async () => {
    const w = await wasmBackend({ maxMemoryMB: 8 });
    let error: unknown;
    try {
      zeros([4 * MiB], { backend: w }); // 16 MiB
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as Error).name).toBe('OutOfMemoryError');
    expect((error as Error).message).toContain('Tried to allocate 16.00 MiB (float32 storage of 4194304 elements)');
    expect((error as Error).message).toContain('may grow to 8.00 MiB');
    const t = tensor([1, 2, 3], { backend: w });
    expect(t.mul(2).tolist()).toEqual([2, 4, 6]);
  });

  it('recovers the space of freed blocks for a request of another size', async () => {
    const w = await wasmBackend({ maxMemoryMB: 8 });
    const small = Array.from({ length: 6 }, () => zeros([256 * 1024], { backend: w })); // 6 × 1 MiB
    expect(() => zeros([1536 * 1024], { backend: w })).toThrow(OutOfMemoryError); // 6 MiB more does not fit
    for (const t of small) t.dispose();
    const big = zeros([1536 * 1024], { backend: w });
    expect(big.sum().item()).toBe(0);
    big.dispose();
  });

  it('a failing op leaves its inputs usable', async () => {
    const w = await wasmBackend({ maxMemoryMB: 4 });
    const a = zeros([600 * 1024], { backend: w }); // 2.4 MiB
    expect(() => a.add(1)).toThrow(OutOfMemoryError);
    expect(a.sum().item()).toBe(0);
  });
});

describe('the garbage-collection safety net', () => {
  it('frees (and in debug mode reports) the storage of tensors dropped without dispose()', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const w = await wasmBackend({ debug: true });
    const warnings: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => void warnings.push(message));
    try {
      const before = w.memory();
      (() => {
        for (let i = 0; i < 20; i++) zeros([1024], { backend: w }).add(1);
      })();
      expect(w.memory().liveStorages).toBe(before.liveStorages + 40);
      for (let i = 0; i < 20 && w.memory().collectedStorages < 40; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(w.memory().collectedStorages).toBe(40);
      expect(w.memory().liveStorages).toBe(before.liveStorages);
      expect(w.memory().bytesInUse).toBe(before.bytesInUse);
      expect(warnings).toContain(
        'gd wasm: freed a float32 storage of 1024 elements whose tensors were garbage-collected without dispose()',
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('garbage-collection ballast', () => {
  it('passes a disposed storage its ballast to the next storage of that size, so freeing code allocates none', async () => {
    const w = await wasmBackend();
    const made = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      w.alloc('float32', 1 << 18).free();
      expect(made).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 5; i++) w.alloc('float32', 1 << 18).free();
      expect(made).toHaveBeenCalledTimes(1);
      const kept = w.alloc('float32', 1 << 18);
      w.alloc('float32', 1 << 18).free();
      expect(made).toHaveBeenCalledTimes(2);
      kept.free();
    } finally {
      made.mockRestore();
    }
  });
});

describe('tensors on two backends', () => {
  it('refuse to meet in one op, naming both backends', async () => {
    const w = await wasmBackend();
    const a = tensor([1, 2], { backend: w });
    const b = tensor([3, 4]);
    expect(() => add(a, b)).toThrow(RuntimeError);
    expect(() => add(a, b)).toThrow(/wasm and cpu/);
  });
});
