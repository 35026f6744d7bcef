import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { noGrad } from '@gd/autograd';
import { type Tensor, tensor } from '@gd/tensor';
import { gdWasm, tf, useTfjs, withGdBackend } from '../contenders.js';
import type { Setup, Workload } from '../harness.js';

const SEEDS = '/work/shared/seeds';
export const EPOCHS = 5000;
const LR = 1e-2;

interface Lesson {
  tC: number[];
  tU: number[];
  /** The lesson's printed result of the 5000-epoch loop: final loss ('%f') and params. */
  loss: string;
  params: string;
}

/** Lesson 004's data and its printed output, read from the lesson text rather than retyped. */
function lesson(): Lesson {
  const file = readdirSync(SEEDS).find((f) => f.startsWith('004'));
  if (!file) throw new Error(`no lesson 004 in ${SEEDS}`);
  const text = readFileSync(path.join(SEEDS, file), 'utf8');
  const list = (name: string) => {
    const m = new RegExp(`${name} = torch\\.tensor\\(\\[([^\\]]*)\\]`).exec(text);
    if (!m) throw new Error(`lesson 004 defines no ${name}`);
    return m[1]!.split(',').map(Number);
  };
  const run = text.slice(text.indexOf(`n_epochs=${EPOCHS},\n    learning_rate=1e-2`));
  const loss = /Epoch 5000, Loss ([-\d.]+)/.exec(run)?.[1];
  const params = /\ntensor\(\[([^\]]*)\], requires_grad=True\)/.exec(run)?.[1];
  if (!loss || !params) throw new Error('lesson 004 prints no result for the 5000-epoch loop');
  return { tC: list('t_c'), tU: list('t_u'), loss, params: params.trim().split(/,\s*/).join(', ') };
}

export const data = lesson();

/** The lesson's loop with gd (5000 epochs unless told); returns the final params and loss. */
export function gdLoop(tUn: Tensor, tC: Tensor, epochs = EPOCHS): { params: Tensor; loss: Tensor } {
  const params = tensor([1, 0], { requiresGrad: true });
  let loss!: Tensor;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    params.grad?.zero_();
    const [w, b] = params.unbind();
    const tP = w!.mul(tUn).add(b!);
    loss = tP.sub(tC).pow(2).mean();
    loss.backward();
    noGrad(() => params.sub_(params.grad!.mul(LR)));
  }
  return { params, loss };
}

function gdSetup(backend: 'cpu' | 'wasm'): Setup {
  return async () => {
    if (backend === 'wasm') {
      const w = await gdWasm();
      if (typeof w === 'string') throw new Error(w);
    }
    return () =>
      withGdBackend(backend, () => {
        const tUn = tensor(data.tU).mul(0.1);
        gdLoop(tUn, tensor(data.tC));
      });
  };
}

function tfSetup(backend: 'cpu' | 'wasm'): Setup {
  return async () => {
    await useTfjs(backend);
    const tUn = tf.mul(tf.tensor1d(data.tU), 0.1);
    const tC = tf.tensor1d(data.tC);
    return () => {
      const params = tf.variable(tf.tensor1d([1, 0]));
      for (let epoch = 1; epoch <= EPOCHS; epoch++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            const [w, b] = tf.unstack(params);
            const tP = tf.add(tf.mul(w!, tUn), b!);
            return tf.mean(tf.square(tf.sub(tP, tC))) as tf.Scalar;
          }, [params]);
          params.assign(tf.sub(params, tf.mul(grads[params.name]!, LR)));
        });
      }
      params.dispose();
    };
  };
}

function formatParam(v: number): string {
  return v.toFixed(4);
}

/** W1: lesson 004's hand-written training loop (5000 epochs of tiny ops plus backward). */
export const seedLoopWorkload: Workload = {
  id: 'seed-loop',
  title: 'seed loop (lesson 004, 5000 epochs)',
  setups: { 'gd-cpu': gdSetup('cpu'), 'gd-wasm': gdSetup('wasm'), 'tfjs-cpu': tfSetup('cpu'), 'tfjs-wasm': tfSetup('wasm') },
  pytorch: `
def setup():
    t_c = torch.tensor(${JSON.stringify(data.tC)})
    t_u = torch.tensor(${JSON.stringify(data.tU)})
    t_un = 0.1 * t_u
    def run():
        params = torch.tensor([1.0, 0.0], requires_grad=True)
        for epoch in range(1, ${EPOCHS + 1}):
            if params.grad is not None:
                params.grad.zero_()
            w, b = params
            t_p = w * t_un + b
            loss = ((t_p - t_c) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                params -= ${LR} * params.grad
        return params
    return run`,
  verify: () => {
    const tUn = tensor(data.tU).mul(0.1);
    const { params, loss } = gdLoop(tUn, tensor(data.tC));
    const got = (params.tolist() as number[]).map(formatParam);
    const expected = data.params.split(', ').map((s) => formatParam(Number(s)));
    const gotLoss = (loss.item() as number).toFixed(6);
    const ok = got.join() === expected.join() && gotLoss === data.loss;
    return `${ok ? 'matches' : 'DIFFERS from'} the lesson: gd params [${got.join(', ')}], loss ${gotLoss}; lesson [${expected.join(', ')}], loss ${data.loss}`;
  },
};
