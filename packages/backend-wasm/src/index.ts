import { type KernelBuild, type WasmBackendOptions, createBackend, kernelBuild } from './create.js';
import {
  BASELINE_WASM_BASE64,
  RELAXED_THREADS_WASM_BASE64,
  RELAXED_WASM_BASE64,
  SIMD_WASM_BASE64,
  THREADS_WASM_BASE64,
} from './generated/wasm-bytes.js';
import { decodeBase64 } from './kernels.js';
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
  return createBackend(decodeBase64(INLINED[kernelBuild(options)]), options);
}

const INLINED: Record<KernelBuild, string> = {
  baseline: BASELINE_WASM_BASE64,
  simd: SIMD_WASM_BASE64,
  'simd-threads': THREADS_WASM_BASE64,
  'relaxed-simd': RELAXED_WASM_BASE64,
  'relaxed-simd-threads': RELAXED_THREADS_WASM_BASE64,
};
