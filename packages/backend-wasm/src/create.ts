import { compileModule, instantiate, type WasmSource } from './kernels.js';
import { type WasmBackend, WasmBackendImpl } from './wasm-backend.js';

export interface WasmBackendOptions {
  /** The kernels module to use instead of the built-in one: its bytes, a URL, or a compiled module. */
  wasm?: WasmSource;
  /** Largest the heap may grow to, in MiB (default 4096, the wasm32 limit). */
  maxMemoryMB?: number;
  /** Set false to run the baseline (non-SIMD) build even where SIMD is supported. */
  simd?: boolean;
  /** The name the backend registers under (default 'wasm'). */
  name?: string;
  /** Report each storage the garbage-collection safety net frees (a tensor that was never disposed). */
  debug?: boolean;
}

const PAGE = 65536;
const MAX_PAGES = 65536;
const INITIAL_PAGES = 16;

/** Instantiates a kernels module into a fresh memory and wraps it as a Backend. */
export async function createBackend(source: WasmSource, options: WasmBackendOptions): Promise<WasmBackend> {
  const maxPages = Math.min(MAX_PAGES, Math.max(INITIAL_PAGES, Math.floor(((options.maxMemoryMB ?? 4096) * 2 ** 20) / PAGE)));
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages });
  const kernels = await instantiate(await compileModule(source), memory);
  return new WasmBackendImpl(kernels, memory, maxPages * PAGE, options.name, options.debug);
}
