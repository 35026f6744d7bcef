import { randn } from '@gd/tensor';
import { gdWasm, tf, useTfjs, withGdBackend } from '../contenders.js';
import type { Setup, Workload } from '../harness.js';

const N = 1_000_000;

function gdSetup(backend: 'cpu' | 'wasm'): Setup {
  return async () => {
    if (backend === 'wasm' && typeof (await gdWasm()) === 'string') throw new Error(String(await gdWasm()));
    const [x, y] = withGdBackend(backend, () => [randn(N), randn(N)] as const);
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
  setups: { 'gd-cpu': gdSetup('cpu'), 'gd-wasm': gdSetup('wasm'), 'tfjs-cpu': tfSetup('cpu'), 'tfjs-wasm': tfSetup('wasm') },
  pytorch: `
def setup():
    x = torch.randn(${N}); y = torch.randn(${N})
    return lambda: (x * y + x) * 0.5`,
};
