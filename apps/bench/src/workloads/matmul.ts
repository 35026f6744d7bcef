import { randn } from '@gd/tensor';
import { gdWasm, gdWasmName, tf, useTfjs, withGdBackend } from '../contenders.js';
import type { Setup, Workload } from '../harness.js';

/** gd on the cpu backend, or on the wasm backend with `threads` threads. */
function gdSetup(backend: 'cpu' | 'wasm', n: number, threads = 1): Setup {
  return async () => {
    if (backend === 'wasm') {
      const w = await gdWasm(threads);
      if (typeof w === 'string') throw new Error(w);
    }
    const name = backend === 'wasm' ? gdWasmName(threads) : backend;
    const [a, b] = withGdBackend(name, () => [randn(n, n), randn(n, n)] as const);
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
    setups: {
      'gd-cpu': gdSetup('cpu', n),
      'gd-wasm': gdSetup('wasm', n),
      'gd-wasm-2t': gdSetup('wasm', n, 2),
      'tfjs-cpu': tfSetup('cpu', n),
      'tfjs-wasm': tfSetup('wasm', n),
    },
    pytorch: `
def setup():
    a = torch.randn(${n}, ${n}); b = torch.randn(${n}, ${n})
    return lambda: torch.mm(a, b)`,
  };
}
