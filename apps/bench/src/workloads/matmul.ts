import { randn } from '@gd/tensor';
import { gdWasm, tf, useTfjs, withGdBackend } from '../contenders.js';
import type { Setup, Workload } from '../harness.js';

function gdSetup(backend: 'cpu' | 'wasm', n: number): Setup {
  return async () => {
    if (backend === 'wasm') {
      const w = await gdWasm();
      if (typeof w === 'string') throw new Error(w);
    }
    const [a, b] = withGdBackend(backend, () => [randn(n, n), randn(n, n)] as const);
    return () => a.matmul(b).dispose();
  };
}

function tfSetup(backend: 'cpu' | 'wasm', n: number): Setup {
  return async () => {
    await useTfjs(backend);
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    return () => tf.matMul(a, b).dispose();
  };
}

/** W2: square float32 matmul, reported in GFLOPS. */
export function matmulWorkload(n: number): Workload {
  return {
    id: `matmul-${n}`,
    title: `matmul ${n}×${n}`,
    flops: 2 * n * n * n,
    setups: { 'gd-cpu': gdSetup('cpu', n), 'gd-wasm': gdSetup('wasm', n), 'tfjs-cpu': tfSetup('cpu', n), 'tfjs-wasm': tfSetup('wasm', n) },
    pytorch: `
def setup():
    a = torch.randn(${n}, ${n}); b = torch.randn(${n}, ${n})
    return lambda: torch.mm(a, b)`,
  };
}
