import { type WasmBackendOptions, createBackend, threadCount } from './create.js';
import { BASELINE_WASM_BASE64, SIMD_WASM_BASE64, THREADS_WASM_BASE64 } from './generated/wasm-bytes.js';
import { decodeBase64 } from './kernels.js';
import type { WasmBackend } from './wasm-backend.js';

export type { WasmBackendOptions } from './create.js';
export type { WasmSource } from './kernels.js';
export type { WasmBackend, WasmMemoryStats } from './wasm-backend.js';
export { OutOfMemoryError } from './errors.js';

/**
 * A WebAssembly backend, ready to use with no configuration: the kernels are inlined in this
 * module (SIMD build where the engine validates it, baseline build otherwise; the SIMD + threads
 * build for `threads` above 1).
 * `setBackend(await wasmBackend())` makes it the default; `t.to('wasm')` moves a tensor to it.
 */
export async function wasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  if (options.wasm !== undefined) return createBackend(options.wasm, options);
  if (threadCount(options) > 1) return createBackend(decodeBase64(THREADS_WASM_BASE64), options);
  const simd = decodeBase64(SIMD_WASM_BASE64);
  const useSimd = options.simd !== false && WebAssembly.validate(simd);
  return createBackend(useSimd ? simd : decodeBase64(BASELINE_WASM_BASE64), options);
}
