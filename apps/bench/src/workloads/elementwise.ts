import { randn } from '@gd/tensor';
import { gdWasm, gdWasmName, tf, useTfjs, withGdBackend } from '../contenders.js';
import type { Setup, Workload } from '../harness.js';

const N = 1_000_000;

/** gd on the cpu backend, or on the wasm backend with `threads` threads. */
function gdSetup(backend: 'cpu' | 'wasm', threads = 1): Setup {
  return async () => {
    const w = backend === 'wasm' ? await gdWasm(threads) : null;
    if (typeof w === 'string') throw new Error(w);
    const name = backend === 'wasm' ? gdWasmName(threads) : backend;
    const [x, y] = withGdBackend(name, () => [randn(N), randn(N)] as const);
    return () => {
      const a = x.mul(y);
      const b = a.add(x);
      const c = b.mul(0.5);
      a.dispose();
      b.dispose();
      c.dispose();
    };
  };
}

function tfSetup(backend: 'cpu' | 'wasm'): Setup {
  return async () => {
    await useTfjs(backend);
    const x = tf.randomNormal([N]);
    const y = tf.randomNormal([N]);
    return () => tf.tidy(() => tf.mul(tf.add(tf.mul(x, y), x), 0.5));
  };
}

/** An elementwise chain over 1e6 float32 elements: (x*y + x) * 0.5, three kernels. */
export const elementwiseWorkload: Workload = {
  id: 'elementwise-1e6',
  title: 'elementwise (x*y+x)*0.5, 1e6',
  setups: {
    'gd-cpu': gdSetup('cpu'),
    'gd-wasm': gdSetup('wasm'),
    'gd-wasm-2t': gdSetup('wasm', 2),
    'tfjs-cpu': tfSetup('cpu'),
    'tfjs-wasm': tfSetup('wasm'),
  },
  pytorch: `
def setup():
    x = torch.randn(${N}); y = torch.randn(${N})
    return lambda: (x * y + x) * 0.5`,
};
