import { type WasmBackendOptions, createBackend, threadCount } from './create.js';
import type { WasmBackend } from './wasm-backend.js';

export type { WasmBackendOptions } from './create.js';
export type { WasmSource } from './kernels.js';
export type { WasmBackend, WasmMemoryStats } from './wasm-backend.js';
export { OutOfMemoryError } from './errors.js';

/** A minimal module using one v128 instruction: valid exactly where wasm SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 11,
]);

/**
 * The opt-in entry `@gd/backend-wasm/url`: like the default `wasmBackend`, but the kernels are
 * fetched from the `.wasm` files shipped next to this module (streaming compile when served as
 * application/wasm), which keeps the JavaScript bundle small. Needs a bundler or server that
 * serves those files; in Node use the default entry.
 */
export async function wasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  if (options.wasm !== undefined) return createBackend(options.wasm, options);
  const simd = options.simd !== false && WebAssembly.validate(SIMD_PROBE);
  const file = threadCount(options) > 1 ? 'gd-kernels-simd-threads.wasm' : simd ? 'gd-kernels-simd.wasm' : 'gd-kernels.wasm';
  return createBackend(new URL(`./${file}`, import.meta.url), options);
}
