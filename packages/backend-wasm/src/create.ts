import { RuntimeError } from '@gd/tensor';
import { Heap } from './heap.js';
import { compileModule, instantiate, type WasmSource } from './kernels.js';
import { RELAXED_SIMD_PROBE, SIMD_PROBE } from './probes.js';
import { ThreadPool } from './thread-pool.js';
import { type WasmBackend, WasmBackendImpl } from './wasm-backend.js';

export interface WasmBackendOptions {
  /** The kernels module to use instead of the built-in one: its bytes, a URL, or a compiled module. */
  wasm?: WasmSource;
  /** Largest the heap may grow to, in MiB (default 4096, the wasm32 limit). */
  maxMemoryMB?: number;
  /** Set false to run the baseline (non-SIMD) build even where SIMD is supported. */
  simd?: boolean;
  /**
   * Where the engine has relaxed SIMD (V8 11.4+: Chrome and Edge 114+, Node 21+), the float32
   * matmul kernel uses its fused multiply-add, about 1.3× faster (default true). Its results then
   * differ from the plain SIMD build's by float32 rounding (within the golden tolerances) and may
   * differ between machines with and without FMA. Set false for the plain SIMD build.
   */
  relaxedSimd?: boolean;
  /** The name the backend registers under (default 'wasm'). */
  name?: string;
  /** Report each storage the garbage-collection safety net frees (a tensor that was never disposed). */
  debug?: boolean;
  /**
   * Threads for large matmuls and elementwise ops (default 1): the calling thread and `threads - 1`
   * workers over a shared memory, which in a browser needs a cross-origin isolated page. Above 1,
   * the SIMD + threads build of the kernels runs (a custom `wasm` must be such a build).
   */
  threads?: number;
  /**
   * Float32 exp, sigmoid, tanh and log of contiguous tensors run as f32x4 polynomials, within 1 ulp
   * of PyTorch's results (3 for sigmoid) and several times faster than SLEEF's functions (default
   * true on the SIMD build). Set false for the SLEEF ports, whose results equal the cpu backend's
   * and PyTorch's bit for bit. Other ops, strided views and float64 always run the exact kernels.
   */
  fastMath?: boolean;
}

const PAGE = 65536;
const MAX_PAGES = 65536;
const INITIAL_PAGES = 16;
const MAX_THREADS = 64;

/** The kernel builds scripts/build-wasm.mjs makes; each ships as `gd-kernels-<build>.wasm` (the baseline as `gd-kernels.wasm`). */
export type KernelBuild = 'baseline' | 'simd' | 'simd-threads' | 'relaxed-simd' | 'relaxed-simd-threads';

/**
 * The build the built-in entries run for these options on this engine: relaxed SIMD where the
 * engine has it (unless `relaxedSimd: false`), else SIMD where it has that (unless `simd: false`),
 * else the baseline; the threads variant for `threads` above 1. Throws as threadCount does.
 */
export function kernelBuild(options: WasmBackendOptions): KernelBuild {
  const relaxed = options.simd !== false && options.relaxedSimd !== false && WebAssembly.validate(RELAXED_SIMD_PROBE);
  if (threadCount(options) > 1) return relaxed ? 'relaxed-simd-threads' : 'simd-threads';
  if (relaxed) return 'relaxed-simd';
  return options.simd !== false && WebAssembly.validate(SIMD_PROBE) ? 'simd' : 'baseline';
}

/** The thread count the options ask for, after checking it (nothing has been done yet when this throws). */
function threadCount(options: WasmBackendOptions): number {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)
    throw new RangeError(`wasmBackend: threads must be an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`);
  if (threads === 1) return 1;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (typeof SharedArrayBuffer !== 'function' || isolated === false)
    throw new RuntimeError(`wasmBackend: threads: ${threads} needs SharedArrayBuffer: serve the page cross-origin isolated (COOP/COEP)`);
  if (options.simd === false)
    throw new RangeError(`wasmBackend: threads: ${threads} runs the SIMD build; it cannot be combined with simd: false`);
  return threads;
}

/** Instantiates a kernels module into a fresh memory (shared when threaded) and wraps it as a Backend. */
export async function createBackend(source: WasmSource, options: WasmBackendOptions): Promise<WasmBackend> {
  const threads = threadCount(options);
  const maxPages = Math.min(MAX_PAGES, Math.max(INITIAL_PAGES, Math.floor(((options.maxMemoryMB ?? 4096) * 2 ** 20) / PAGE)));
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages, shared: threads > 1 });
  const module = await compileModule(source);
  const kernels = await instantiate(module, memory);
  const heap = new Heap(memory, kernels.heapBase(), maxPages * PAGE);
  const pool = threads > 1 ? await ThreadPool.start(module, kernels, heap, threads) : null;
  return new WasmBackendImpl(kernels, heap, pool, options.name, options.debug, options.fastMath);
}
