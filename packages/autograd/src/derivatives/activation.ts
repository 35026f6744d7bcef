import { type DifferentiableOpName, type Tensor, where } from '@gd/tensor';
import { type Rule, rule } from './rule.js';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_KAPPA = 0.044715;

/** An activation rule reading its input x and attrs A. */
function fromInput<A>(name: string, f: (g: Tensor, x: Tensor, attrs: A) => Tensor): Rule<A> {
  return rule<A>({ name, saveInputs: [0], backward: (g, c) => [f(g, c.inputs[0]!, c.attrs)] });
}

function geluGrad(g: Tensor, x: Tensor, approximate: 'none' | 'tanh'): Tensor {
  if (approximate === 'tanh') {
    const x2 = x.square();
    const t = x.add(x2.mul(x).mul(GELU_KAPPA)).mul(SQRT_2_OVER_PI).tanh();
    const left = x.mul(0.5);
    const dInner = x2
      .mul(3 * GELU_KAPPA)
      .add(1)
      .mul(SQRT_2_OVER_PI);
    const dRight = left.mul(t.square().neg().add(1)).mul(dInner);
    return g.mul(t.add(1).mul(0.5).add(dRight));
  }
  // Phi(x) + x phi(x)
  const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
  const pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
  return g.mul(cdf.add(x.mul(pdf)));
}

/** d softmax: y * (g - sum(g * y)) along dim. */
function softmaxGrad(g: Tensor, y: Tensor, dim: number): Tensor {
  const gy = g.mul(y);
  return y.mul(g.sub(y.dim() === 0 ? gy : gy.sum(dim, true)));
}

/** d logSoftmax: g - exp(y) * sum(g) along dim. */
function logSoftmaxGrad(g: Tensor, y: Tensor, dim: number): Tensor {
  return g.sub(y.exp().mul(y.dim() === 0 ? g : g.sum(dim, true)));
}

export const activationRules = {
  leakyRelu: fromInput<{ negativeSlope: number }>('LeakyReluBackward0', (g, x, a) => where(x.gt(0), g, g.mul(a.negativeSlope))),
  gelu: fromInput<{ approximate: 'none' | 'tanh' }>('GeluBackward0', (g, x, a) => geluGrad(g, x, a.approximate)),
  softplus: fromInput<{ beta: number; threshold: number }>('SoftplusBackward0', (g, x, { beta, threshold }) => {
    const z = x.mul(beta).exp();
    return where(x.mul(beta).gt(threshold), g, g.mul(z).div(z.add(1)));
  }),
  elu: fromInput<{ alpha: number }>('EluBackward0', (g, x, { alpha }) => where(x.gt(0), g, g.mul(x.exp().mul(alpha)))),
  selu: fromInput('EluBackward0', (g, x) => where(x.gt(0), g.mul(SELU_SCALE), g.mul(x.exp().mul(SELU_ALPHA * SELU_SCALE)))),
  celu: fromInput<{ alpha: number }>('CeluBackward0', (g, x, { alpha }) => where(x.gt(0), g, g.mul(x.div(alpha).exp()))),
  silu: fromInput('SiluBackward0', (g, x) => {
    const s = x.sigmoid();
    return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
  }),
  mish: fromInput('MishBackward0', (g, x) => {
    const t = x.exp().log1p().tanh();
    return g.mul(t.add(x.mul(x.sigmoid()).mul(t.square().neg().add(1))));
  }),
  hardtanh: fromInput<{ minVal: number; maxVal: number }>('HardtanhBackward0', (g, x, { minVal, maxVal }) =>
    where(x.gt(minVal).logicalAnd(x.lt(maxVal)), g, 0),
  ),
  hardsigmoid: fromInput('HardsigmoidBackward0', (g, x) => where(x.gt(-3).logicalAnd(x.lt(3)), g.div(6), 0)),
  hardswish: fromInput('HardswishBackward0', (g, x) => where(x.lt(-3), 0, where(x.le(3), g.mul(x.div(3).add(0.5)), g))),
  logSigmoid: fromInput('LogSigmoidBackward0', (g, x) => g.mul(x.neg().sigmoid())),
  softmax: rule<{ dim: number }>({
    name: 'SoftmaxBackward0',
    saveOutputs: [0],
    backward: (g, c) => [softmaxGrad(g, c.outputs[0]!, c.attrs.dim)],
  }),
  logSoftmax: rule<{ dim: number }>({
    name: 'LogSoftmaxBackward0',
    saveOutputs: [0],
    backward: (g, c) => [logSoftmaxGrad(g, c.outputs[0]!, c.attrs.dim)],
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
