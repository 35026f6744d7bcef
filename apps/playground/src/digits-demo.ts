import { noGrad } from '@gd/autograd';
import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@gd/nn';
import { Adam } from '@gd/optim';
import { fromArray, Generator, manualSeed, randperm, type Tensor } from '@gd/tensor';
import { DigitPad } from './digit-pad.js';
import { type DigitSet, fetchDigits, PIXELS, splitDigits } from './digits-data.js';
import { runInFrames } from './frame-loop.js';
import { LossChart } from './loss-chart.js';

const TRAIN = 2700;
const EPOCHS = 8;
const BATCH = 64;

const accuracy = (model: Sequential, set: DigitSet): number =>
  noGrad(() => (model.call(set.x) as Tensor).argmax(1).eq(set.y).float().mean().item() as number);

/** The digit panel: "Train digits" fetches and trains an MLP; the pad is classified after every stroke. */
export function mountDigits(root: HTMLElement): void {
  const trainButton = root.querySelector<HTMLButtonElement>('#digits-train')!;
  const clearButton = root.querySelector<HTMLButtonElement>('#pad-clear')!;
  const stats = root.querySelector<HTMLElement>('#digits-stats')!;
  const prediction = root.querySelector<HTMLElement>('#prediction')!;
  const bars = root.querySelector<HTMLOListElement>('#probabilities')!;
  const chart = new LossChart(root.querySelector('#digits-loss')!, 'digits: cross-entropy loss');
  let model: Sequential | null = null;

  const rows = Array.from({ length: 10 }, (_, digit) => {
    const row = document.createElement('li');
    row.innerHTML = `<span class="digit">${digit}</span><span class="bar"><span></span></span><span class="value"></span>`;
    bars.append(row);
    return row;
  });

  const classify = () => {
    const pixels = pad.pixels();
    if (!pixels || !model) {
      prediction.textContent = model ? 'draw a digit' : 'train first';
      prediction.dataset.class = '';
      return;
    }
    const trained = model;
    const probabilities = noGrad(() => (trained.call(fromArray(pixels, [1, PIXELS])) as Tensor).softmax(1).dataSync());
    let best = 0;
    probabilities.forEach((p, digit) => {
      if (p > probabilities[best]!) best = digit;
      rows[digit]!.querySelector<HTMLElement>('.bar > span')!.style.width = `${(p * 100).toFixed(1)}%`;
      rows[digit]!.querySelector('.value')!.textContent = `${(p * 100).toFixed(1)}%`;
      rows[digit]!.classList.toggle('best', false);
    });
    rows[best]!.classList.add('best');
    prediction.textContent = String(best);
    prediction.dataset.class = String(best);
    prediction.dataset.probability = String(probabilities[best]);
  };

  const pad = new DigitPad(root.querySelector('#pad')!, root.querySelector('#pad-preview')!, classify);
  clearButton.addEventListener('click', () => {
    pad.clear();
    classify();
  });

  const train = async () => {
    trainButton.disabled = true;
    stats.dataset.state = 'loading';
    stats.textContent = 'fetching digits…';
    const { train: trainSet, test } = splitDigits(await fetchDigits(), TRAIN);
    manualSeed(0);
    const candidate = new Sequential(new Linear(PIXELS, 128), new ReLU(), new Linear(128, 10));
    const optimizer = new Adam(candidate.parameters(), { lr: 2e-3 });
    const criterion = new CrossEntropyLoss();
    const shuffler = new Generator(1);
    const stepsPerEpoch = Math.ceil(TRAIN / BATCH);
    const losses: number[] = [];
    let order = randperm(TRAIN, { generator: shuffler });
    let testAccuracy = Number.NaN;
    stats.dataset.state = 'training';
    const step = (): boolean => {
      const s = losses.length % stepsPerEpoch;
      const idx = order.slice(0, s * BATCH, Math.min(TRAIN, (s + 1) * BATCH));
      optimizer.zeroGrad();
      const loss = criterion.call(candidate.call(trainSet.x.indexSelect(0, idx)) as Tensor, trainSet.y.indexSelect(0, idx));
      loss.backward();
      optimizer.step();
      losses.push(loss.item() as number);
      if (losses.length % stepsPerEpoch === 0) {
        order = randperm(TRAIN, { generator: shuffler });
        testAccuracy = accuracy(candidate, test);
      }
      return losses.length < EPOCHS * stepsPerEpoch;
    };
    const render = () => {
      const loss = losses.at(-1)!;
      const epoch = Math.min(EPOCHS, Math.floor(losses.length / stepsPerEpoch) + 1);
      stats.dataset.loss = String(loss);
      stats.textContent =
        `epoch ${epoch}/${EPOCHS} · step ${losses.length}/${EPOCHS * stepsPerEpoch} · loss ${loss.toFixed(4)}` +
        (Number.isNaN(testAccuracy) ? '' : ` · test accuracy ${(testAccuracy * 100).toFixed(1)}%`);
      chart.draw(losses);
    };
    const done = () => {
      model = candidate;
      stats.dataset.state = 'trained';
      stats.dataset.accuracy = String(testAccuracy);
      stats.textContent = `trained: ${losses.length} steps · loss ${losses.at(-1)!.toFixed(4)} · test accuracy ${(testAccuracy * 100).toFixed(1)}% on ${test.y.shape[0]} digits — draw one!`;
      trainButton.textContent = 'Train again';
      trainButton.disabled = false;
      classify();
    };
    runInFrames({ step, render, done });
  };

  trainButton.addEventListener('click', () => {
    train().catch((error: unknown) => {
      stats.dataset.state = 'failed';
      stats.textContent = `training failed: ${error instanceof Error ? error.message : String(error)}`;
      trainButton.disabled = false;
      throw error;
    });
  });
  trainButton.disabled = false;
  classify();
}
