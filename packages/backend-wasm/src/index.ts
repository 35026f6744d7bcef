import { type WasmBackendOptions, createBackend, threadCount, useRelaxedSimd } from './create.js';
import {
  BASELINE_WASM_BASE64,
  RELAXED_THREADS_WASM_BASE64,
  RELAXED_WASM_BASE64,
  SIMD_WASM_BASE64,
  THREADS_WASM_BASE64,
} from './generated/wasm-bytes.js';
import { decodeBase64 } from './kernels.js';
import { SIMD_PROBE } from './probes.js';
import type { WasmBackend } from './wasm-backend.js';

export type { WasmBackendOptions } from './create.js';
export type { WasmSource } from './kernels.js';
export type { WasmBackend, WasmMemoryStats } from './wasm-backend.js';
export { OutOfMemoryError } from './errors.js';

/**
 * A WebAssembly backend, ready to use with no configuration: the kernels are inlined in this
 * module (the relaxed-SIMD build where the engine has relaxed SIMD, else the SIMD build where it
 * has SIMD, else the baseline build; their threads builds for `threads` above 1).
 * `setBackend(await wasmBackend())` makes it the default; `t.to('wasm')` moves a tensor to it.
 */
export async function wasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  if (options.wasm !== undefined) return createBackend(options.wasm, options);
  const relaxed = useRelaxedSimd(options);
  if (threadCount(options) > 1) return createBackend(decodeBase64(relaxed ? RELAXED_THREADS_WASM_BASE64 : THREADS_WASM_BASE64), options);
  if (relaxed) return createBackend(decodeBase64(RELAXED_WASM_BASE64), options);
  const useSimd = options.simd !== false && WebAssembly.validate(SIMD_PROBE);
  return createBackend(decodeBase64(useSimd ? SIMD_WASM_BASE64 : BASELINE_WASM_BASE64), options);
}
