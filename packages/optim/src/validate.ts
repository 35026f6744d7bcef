import { ValueError } from '@gd/tensor';

/** PyTorch's constructor checks, with its messages. Each throws before anything is built. */
export function checkLr(lr: number): void {
  if (!(lr >= 0)) throw new ValueError(`Invalid learning rate: ${pyFloat(lr)}`);
}

export function checkEps(eps: number): void {
  if (!(eps >= 0)) throw new ValueError(`Invalid epsilon value: ${pyFloat(eps)}`);
}

export function checkWeightDecay(weightDecay: number): void {
  if (!(weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${pyFloat(weightDecay)}`);
}

export function checkMomentum(momentum: number): void {
  if (!(momentum >= 0)) throw new ValueError(`Invalid momentum value: ${pyFloat(momentum)}`);
}

export function checkBetas(betas: readonly [number, number]): void {
  betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) throw new ValueError(`Invalid beta parameter at index ${i}: ${pyFloat(b)}`);
  });
}

/** A number as Python prints a float: `1.0`, `-0.1`, `1e-08`. */
export function pyFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return String(x).replace(/e([+-])(\d)$/, 'e$10$2');
}
