import { createRequire } from 'node:module';
import path from 'node:path';
import { type Backend, getBackend, registerBackend, setBackend } from '@gd/tensor';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone has no gradients; the union package registers them, so import them here.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export { tf };

const wasm = new Map<string, Backend | string>();

/** The name gd's wasm backend with `threads` threads (with fastMath off if `exact`) registers under: 'wasm', 'wasm-2t', 'wasm-exact', ... */
export const gdWasmName = (threads: number, exact = false): string =>
  `${threads === 1 ? 'wasm' : `wasm-${threads}t`}${exact ? '-exact' : ''}`;

/** gd's wasm backend with `threads` threads, with fastMath off (SLEEF's exact functions) if `exact`, or why it is unavailable. */
export async function gdWasm(threads = 1, exact = false): Promise<Backend | string> {
  const name = gdWasmName(threads, exact);
  const known = wasm.get(name);
  if (known !== undefined) return known;
  let made: Backend | string;
  try {
    const mod = (await import('@gd/backend-wasm')) as {
      wasmBackend?: (options: { threads: number; fastMath: boolean; name: string }) => Promise<Backend>;
    };
    if (!mod.wasmBackend) made = '@gd/backend-wasm has no wasmBackend() yet';
    else {
      made = await mod.wasmBackend({ threads, fastMath: !exact, name });
      registerBackend(made);
    }
  } catch (e) {
    made = `unavailable: ${(e as Error).message}`;
  }
  wasm.set(name, made);
  return made;
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
