import { noGrad } from '@gd/autograd';
import { CrossEntropyLoss, Linear, Sequential, Tanh } from '@gd/nn';
import { Adam } from '@gd/optim';
import { Generator, manualSeed, type Tensor } from '@gd/tensor';
import { BoundaryView } from './boundary.js';
import { runInFrames } from './frame-loop.js';
import { LossChart } from './loss-chart.js';
import { makeMoons } from './moons.js';

const POINTS = 200;
const MAX_STEPS = 1000;
const BOUNDARY_EVERY = 5;

/** The two-moons panel: Train / Pause, Reset, the live decision boundary and loss curve. */
export function mountMoons(root: HTMLElement): void {
  const trainButton = root.querySelector<HTMLButtonElement>('#moons-train')!;
  const resetButton = root.querySelector<HTMLButtonElement>('#moons-reset')!;
  const stats = root.querySelector<HTMLElement>('#moons-stats')!;
  const boundary = new BoundaryView(root.querySelector('#moons-boundary')!, 1.75);
  const chart = new LossChart(root.querySelector('#moons-loss')!, 'cross-entropy loss');

  const data = makeMoons(POINTS, 0.12, new Generator(7));
  const points = data.x.dataSync() as Float32Array;
  const labels = data.y.dataSync();
  const criterion = new CrossEntropyLoss();
  let seed = 0;
  let model: Sequential;
  let optimizer: Adam;
  let losses: number[] = [];
  let boundaryAt = 0;
  let stop: (() => void) | null = null;

  /** Loss and accuracy of the current model on the whole set, without recording a graph. */
  const evaluate = (): { loss: number; accuracy: number } =>
    noGrad(() => {
      const logits = model.call(data.x) as Tensor;
      return {
        loss: criterion.call(logits, data.y).item() as number,
        accuracy: logits.argmax(1).eq(data.y).float().mean().item() as number,
      };
    });

  /** Loss curve and stats every frame; the boundary and accuracy (a grid forward) every few steps. */
  const render = (force = false) => {
    chart.draw(losses);
    if (force || losses.length - boundaryAt >= BOUNDARY_EVERY) {
      boundaryAt = losses.length;
      boundary.draw(model, points, labels);
      const current = evaluate();
      stats.dataset.accuracy = String(current.accuracy);
      if (losses.length === 0) stats.dataset.loss = String(current.loss);
    }
    if (losses.length > 0) stats.dataset.loss = String(losses.at(-1));
    stats.dataset.step = String(losses.length);
    const loss = Number(stats.dataset.loss);
    const accuracy = Number(stats.dataset.accuracy);
    stats.textContent = `step ${losses.length} · loss ${loss.toFixed(4)} · accuracy ${(accuracy * 100).toFixed(1)}%${losses.length === 0 ? ' (untrained)' : ''}`;
  };

  const step = (): boolean => {
    optimizer.zeroGrad();
    const loss = criterion.call(model.call(data.x) as Tensor, data.y);
    loss.backward();
    optimizer.step();
    losses.push(loss.item() as number);
    return losses.length < MAX_STEPS;
  };

  const halt = () => {
    stop?.();
    stop = null;
    trainButton.textContent = losses.length >= MAX_STEPS ? 'Done' : 'Train';
    trainButton.disabled = losses.length >= MAX_STEPS;
    render(true);
  };

  const reset = () => {
    stop?.();
    stop = null;
    manualSeed(seed++);
    model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 16), new Tanh(), new Linear(16, 2));
    optimizer = new Adam(model.parameters(), { lr: 0.03 });
    losses = [];
    halt();
  };

  trainButton.addEventListener('click', () => {
    if (stop) return halt();
    trainButton.textContent = 'Pause';
    stop = runInFrames({ step, render: () => render(), done: halt });
  });
  resetButton.addEventListener('click', reset);
  reset();
  resetButton.disabled = false;
}
