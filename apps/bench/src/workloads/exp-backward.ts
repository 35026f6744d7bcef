import { randn, scope } from '@gd/tensor';
import { gdWasm, gdWasmName, tf, useTfjs, withGdBackend } from '../contenders.js';
import type { Setup, Workload } from '../harness.js';

const N = 1_000_000;

/** gd on the cpu backend, or on the wasm backend (with SLEEF's bit-exact exp instead of the polynomial if `exact`). */
function gdSetup(backend: 'cpu' | 'wasm', exact = false): Setup {
  return async () => {
    if (backend === 'wasm') {
      const w = await gdWasm(1, exact);
      if (typeof w === 'string') throw new Error(w);
    }
    const x = withGdBackend(backend === 'wasm' ? gdWasmName(1, exact) : backend, () => randn(N).requiresGrad_());
    // scope() frees the step's tensors at once, as tf.tidy does for tfjs.
    return () =>
      scope(() => {
        x.grad = null;
        x.exp().mul(x).add(1).sum().backward();
      });
  };
}

function tfSetup(backend: 'cpu' | 'wasm'): Setup {
  return async () => {
    await useTfjs(backend);
    const x = tf.randomNormal([N]);
    const gradOf = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(tf.exp(v), v), 1)));
    return () => tf.tidy(() => gradOf(x));
  };
}

/** W4: y = sum(exp(x) * x + 1) over 1e6 elements, then backward to x. */
export const expBackwardWorkload: Workload = {
  id: 'exp-backward',
  title: 'sum(exp(x)*x+1) backward, 1e6',
  setups: {
    'gd-cpu': gdSetup('cpu'),
    'gd-wasm': gdSetup('wasm'),
    'gd-wasm-exact': gdSetup('wasm', true),
    'tfjs-cpu': tfSetup('cpu'),
    'tfjs-wasm': tfSetup('wasm'),
  },
  pytorch: `
def setup():
    x = torch.randn(${N}, requires_grad=True)
    def step():
        x.grad = None
        (torch.exp(x) * x + 1).sum().backward()
    return step`,
};
