import { cat, type Generator, ones, rand, randn, stack, type Tensor, tensor, zeros } from '@gd/tensor';

export interface Moons {
  /** [n, 2] float32 points, centred on the origin. */
  x: Tensor;
  /** [n] int64 labels: 0 for the upper moon, 1 for the lower one. */
  y: Tensor;
}

/** scikit-learn's two interleaving half circles, with Gaussian noise, drawn from `generator`. */
export function makeMoons(n: number, noise: number, generator: Generator): Moons {
  const half = Math.floor(n / 2);
  const angle = rand([n], { generator }).mul(Math.PI);
  const upper = stack([angle.cos(), angle.sin()], 1).slice(0, 0, half);
  const lower = stack([angle.cos().neg().add(1), angle.sin().neg().add(0.5)], 1).slice(0, half, n);
  const jitter = randn([n, 2], { generator }).mul(noise);
  const x = cat([upper, lower])
    .add(jitter)
    .sub(tensor([0.5, 0.25]));
  const y = cat([zeros([half], { dtype: 'int64' }), ones([n - half], { dtype: 'int64' })]);
  return { x, y };
}
