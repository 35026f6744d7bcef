import { createRequire } from 'node:module';
import path from 'node:path';
import { type Backend, getBackend, registerBackend, setBackend } from '@gd/tensor';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone has no gradients; the union package registers them, so import them here.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export { tf };

let wasm: Backend | string | undefined;

/** gd's wasm backend, or why it is unavailable. */
export async function gdWasm(): Promise<Backend | string> {
  if (wasm !== undefined) return wasm;
  try {
    const mod = (await import('@gd/backend-wasm')) as { wasmBackend?: () => Promise<Backend> };
    if (!mod.wasmBackend) return (wasm = '@gd/backend-wasm has no wasmBackend() yet');
    wasm = await mod.wasmBackend();
    registerBackend(wasm);
  } catch (e) {
    wasm = `unavailable: ${(e as Error).message}`;
  }
  return wasm;
}

/** Runs `fn` with gd's default backend set to `name`. */
export function withGdBackend<T>(name: string, fn: () => T): T {
  const prev = getBackend();
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend(prev);
  }
}

/** Switches TensorFlow.js to 'cpu' or 'wasm' (the wasm binaries are loaded from its package). */
export async function useTfjs(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm' && !tf.findBackend('wasm')) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(`${path.join(dir, 'dist')}/`);
  }
  await tf.setBackend(name);
  await tf.ready();
}
