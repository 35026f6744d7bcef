import { type WasmBackendOptions, createBackend, kernelBuild } from './create.js';
import type { WasmBackend } from './wasm-backend.js';

export type { WasmBackendOptions } from './create.js';
export type { WasmSource } from './kernels.js';
export type { WasmBackend, WasmMemoryStats } from './wasm-backend.js';
export { OutOfMemoryError } from './errors.js';

/**
 * The opt-in entry `@gd/backend-wasm/url`: like the default `wasmBackend`, but the kernels are
 * fetched from the `.wasm` files shipped next to this module (streaming compile when served as
 * application/wasm), which keeps the JavaScript bundle small. Needs a bundler or server that
 * serves those files; in Node use the default entry.
 */
export async function wasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  if (options.wasm !== undefined) return createBackend(options.wasm, options);
  const build = kernelBuild(options);
  const file = build === 'baseline' ? 'gd-kernels.wasm' : `gd-kernels-${build}.wasm`;
  return createBackend(new URL(`./${file}`, import.meta.url), options);
}
