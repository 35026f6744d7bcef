import { describe, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  clamp,
  crossEntropy,
  gelu,
  huberLoss,
  l1Loss,
  leakyRelu,
  linear,
  mseLoss,
  nllLoss,
  type Reduction,
  smoothL1Loss,
  softplus,
  type Tensor,
} from '../src/index.js';
import { expectClose, fixtureInputs, goldenCases } from './golden-cases.js';

type Run = (inputs: (Tensor | null)[], attrs: Record<string, any>) => Tensor;

// Each golden op mapped onto gd's call, positional inputs as the fixture lists them.
const RUNNERS: Record<string, Run> = {
  leaky_relu: ([x], a) => leakyRelu(x!, a.negativeSlope),
  gelu: ([x], a) => gelu(x!, { approximate: a.approximate }),
  softplus: ([x], a) => softplus(x!, a.beta, a.threshold),
  clamp: ([x], a) => clamp(x!, a.min, a.max),
  linear: ([x, w, b]) => linear(x!, w!, b ?? null),
  mse_loss: ([x, t], a) => mseLoss(x!, t!, { reduction: a.reduction as Reduction }),
  l1_loss: ([x, t], a) => l1Loss(x!, t!, { reduction: a.reduction as Reduction }),
  smooth_l1_loss: ([x, t], a) => smoothL1Loss(x!, t!, { reduction: a.reduction, beta: a.beta }),
  huber_loss: ([x, t], a) => huberLoss(x!, t!, { reduction: a.reduction, delta: a.delta }),
  binary_cross_entropy: ([x, t, w], a) => binaryCrossEntropy(x!, t!, { weight: w ?? null, reduction: a.reduction }),
  binary_cross_entropy_with_logits: ([x, t, w, pw], a) =>
    binaryCrossEntropyWithLogits(x!, t!, { weight: w ?? null, posWeight: pw ?? null, reduction: a.reduction }),
  cross_entropy: ([x, t, w], a) =>
    crossEntropy(x!, t!, { weight: w ?? null, reduction: a.reduction, ignoreIndex: a.ignoreIndex, labelSmoothing: a.labelSmoothing }),
  nll_loss: ([x, t, w], a) => nllLoss(x!, t!, { weight: w ?? null, reduction: a.reduction, ignoreIndex: a.ignoreIndex }),
};

for (const [op, run] of Object.entries(RUNNERS)) {
  describe(`${op} matches PyTorch (golden forward)`, () => {
    for (const c of goldenCases(op)) {
      it(c.id, () => {
        expectClose(run(fixtureInputs(c), c.attrs), c.output, c.rtol, c.atol, c.id);
      });
    }
  });
}
