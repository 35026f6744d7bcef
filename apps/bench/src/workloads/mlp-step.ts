import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@gd/nn';
import { Adam } from '@gd/optim';
import { manualSeed, randint, randn, scope } from '@gd/tensor';
import { gdWasm, tf, useTfjs, withGdBackend } from '../contenders.js';
import type { Setup, Workload } from '../harness.js';

const BATCH = 128;
const IN = 784;
const HIDDEN = 128;
const CLASSES = 10;
const LR = 1e-3;

function gdSetup(backend: 'cpu' | 'wasm'): Setup {
  return async () => {
    if (backend === 'wasm') {
      const w = await gdWasm();
      if (typeof w === 'string') throw new Error(w);
    }
    return withGdBackend(backend, () => {
      manualSeed(0);
      const model = new Sequential(new Linear(IN, HIDDEN), new ReLU(), new Linear(HIDDEN, CLASSES));
      const lossFn = new CrossEntropyLoss();
      const optimizer = new Adam(model.parameters(), LR);
      const x = randn(BATCH, IN);
      const y = randint(0, CLASSES, [BATCH]);
      // scope() frees the step's tensors at once, as tf.tidy does for tfjs.
      return () =>
        withGdBackend(backend, () =>
          scope(() => {
            optimizer.zeroGrad();
            const loss = lossFn.call(model.call(x), y);
            loss.backward();
            optimizer.step();
          }),
        );
    });
  };
}

function tfSetup(backend: 'cpu' | 'wasm'): Setup {
  return async () => {
    await useTfjs(backend);
    // torch.nn.Linear's default init: U(±1/√fan_in) for weights and bias.
    const uniform = (shape: number[], fanIn: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
    const w1 = uniform([IN, HIDDEN], IN);
    const b1 = uniform([HIDDEN], IN);
    const w2 = uniform([HIDDEN, CLASSES], HIDDEN);
    const b2 = uniform([CLASSES], HIDDEN);
    const optimizer = tf.train.adam(LR);
    const x = tf.randomNormal([BATCH, IN]);
    const labels = tf.oneHot(tf.randomUniform([BATCH], 0, CLASSES, 'int32') as tf.Tensor1D, CLASSES);
    return () =>
      tf.tidy(() => {
        optimizer.minimize(() => {
          const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
          const logits = tf.add(tf.matMul(h, w2), b2);
          return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
        });
      });
  };
}

/** W3: one Adam training step (forward, backward, step) of a 784-128-10 MLP on a batch of 128. */
export const mlpStepWorkload: Workload = {
  id: 'mlp-step',
  title: 'MLP 784-128-10 train step, batch 128',
  setups: { 'gd-cpu': gdSetup('cpu'), 'gd-wasm': gdSetup('wasm'), 'tfjs-cpu': tfSetup('cpu'), 'tfjs-wasm': tfSetup('wasm') },
  pytorch: `
def setup():
    model = torch.nn.Sequential(torch.nn.Linear(${IN}, ${HIDDEN}), torch.nn.ReLU(), torch.nn.Linear(${HIDDEN}, ${CLASSES}))
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=${LR})
    x = torch.randn(${BATCH}, ${IN}); y = torch.randint(0, ${CLASSES}, (${BATCH},))
    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return step`,
};
