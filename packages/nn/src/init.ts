import {
  empty,
  fromArray,
  type Generator,
  normal_ as tensorNormal_,
  readArgs,
  type Tensor,
  tensor,
  uniform_ as tensorUniform_,
  ValueError,
  withGradMode,
} from '@gd/tensor';

/**
 * torch.nn.init: in-place initialisers that run without recording gradients and draw from the
 * seeded generator in PyTorch's order, so `manualSeed(0); new Linear(3, 2)` gives torch's weights.
 */

export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';
export type FanMode = 'fan_in' | 'fan_out';

type GeneratorOption = {
  generator?: Generator;
};

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param: number | null = null): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number') throw new ValueError(`negative_slope ${String(slope)} not a valid number`);
      return Math.sqrt(2.0 / (1 + slope ** 2));
    }
    case 'selu':
      return 3.0 / 4;
    default:
      throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** fan_in = size(1) · receptive field, fan_out = size(0) · receptive field. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.dim() < 2) throw new ValueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (const s of t.shape.slice(2)) receptive *= s;
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

function correctFan(t: Tensor, mode: FanMode): number {
  if (mode !== 'fan_in' && mode !== 'fan_out')
    throw new ValueError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return mode === 'fan_in' ? fanIn : fanOut;
}

/** Writes values (row-major, t's dtype) into t without recording. */
function overwrite(t: Tensor, values: ArrayLike<number>): Tensor {
  withGradMode(false, () => t.copy_(fromArray(values as Float64Array, t.shape, { dtype: t.dtype, backend: t.backend })));
  return t;
}

/** Fills t with U(a, b). */
export function uniform_(
  t: Tensor,
  a: number | ({ a?: number; b?: number } & GeneratorOption) = 0,
  b?: number,
  options?: GeneratorOption,
): Tensor {
  const o = readArgs<{ a: number; b: number } & GeneratorOption>([a, b, options], ['a', 'b'], { a: 0, b: 1, ...options });
  return withGradMode(false, () => tensorUniform_(t, o.a, o.b, { generator: o.generator }));
}

/** Fills t with N(mean, std²). */
export function normal_(
  t: Tensor,
  mean: number | ({ mean?: number; std?: number } & GeneratorOption) = 0,
  std?: number,
  options?: GeneratorOption,
): Tensor {
  const o = readArgs<{ mean: number; std: number } & GeneratorOption>([mean, std, options], ['mean', 'std'], {
    mean: 0,
    std: 1,
    ...options,
  });
  return withGradMode(false, () => tensorNormal_(t, o.mean, o.std, { generator: o.generator }));
}

/**
 * Fills t with N(mean, std²) truncated to [a, b], by PyTorch's method: uniform in the CDF
 * range, then the inverse CDF (erfinv), then clamp.
 */
export function truncNormal_(
  t: Tensor,
  mean: number | ({ mean?: number; std?: number; a?: number; b?: number } & GeneratorOption) = 0,
  std?: number,
  a?: number,
  b?: number,
  options?: GeneratorOption,
): Tensor {
  const o = readArgs<{ mean: number; std: number; a: number; b: number } & GeneratorOption>(
    [mean, std, a, b, options],
    ['mean', 'std', 'a', 'b'],
    {
      mean: 0,
      std: 1,
      a: -2,
      b: 2,
      ...options,
    },
  );
  const normCdf = (x: number) => (1 + erf(x / Math.sqrt(2))) / 2;
  const l = normCdf((o.a - o.mean) / o.std);
  const u = normCdf((o.b - o.mean) / o.std);
  return withGradMode(false, () => {
    uniform_(t, 2 * l - 1, 2 * u - 1, { generator: o.generator });
    const values = t
      .erfinv()
      .mul(o.std * Math.sqrt(2))
      .add(o.mean)
      .clamp(o.a, o.b);
    return t.copy_(values);
  });
}

export function constant_(t: Tensor, value: number): Tensor {
  return withGradMode(false, () => t.fill_(value));
}

export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

/** Fills a 2-D tensor with the identity matrix. */
export function eye_(t: Tensor): Tensor {
  if (t.dim() !== 2) throw new ValueError('Only tensors with 2 dimensions are supported');
  const [rows, cols] = t.shape as [number, number];
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  return overwrite(t, values);
}

/** Glorot uniform: U(±gain·√(6 / (fan_in + fan_out))). */
export function xavierUniform_(t: Tensor, gain: number | ({ gain?: number } & GeneratorOption) = 1, options?: GeneratorOption): Tensor {
  const o = readArgs<{ gain: number } & GeneratorOption>([gain, options], ['gain'], { gain: 1, ...options });
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = o.gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, -bound, bound, { generator: o.generator });
}

/** Glorot normal: N(0, gain² · 2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain: number | ({ gain?: number } & GeneratorOption) = 1, options?: GeneratorOption): Tensor {
  const o = readArgs<{ gain: number } & GeneratorOption>([gain, options], ['gain'], { gain: 1, ...options });
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, o.gain * Math.sqrt(2.0 / (fanIn + fanOut)), { generator: o.generator });
}

type KaimingOptions = GeneratorOption & {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
};

function kaimingStd(t: Tensor, o: Required<Omit<KaimingOptions, 'generator'>>): number {
  return calculateGain(o.nonlinearity, o.a) / Math.sqrt(correctFan(t, o.mode));
}

function readKaiming(args: unknown[]): Required<Omit<KaimingOptions, 'generator'>> & GeneratorOption {
  return readArgs<Required<Omit<KaimingOptions, 'generator'>> & GeneratorOption>(args, ['a', 'mode', 'nonlinearity'], {
    a: 0,
    mode: 'fan_in',
    nonlinearity: 'leaky_relu',
  });
}

/** He uniform: U(±gain·√(3 / fan)); `a` is the negative slope for leaky_relu's gain. */
export function kaimingUniform_(
  t: Tensor,
  a?: number | KaimingOptions,
  mode?: FanMode,
  nonlinearity?: Nonlinearity,
  options?: GeneratorOption,
): Tensor {
  const o = readKaiming([a, mode, nonlinearity, options]);
  if (t.numel() === 0) return t;
  const bound = Math.sqrt(3.0) * kaimingStd(t, o);
  return uniform_(t, -bound, bound, { generator: o.generator });
}

/** He normal: N(0, gain² / fan). */
export function kaimingNormal_(
  t: Tensor,
  a?: number | KaimingOptions,
  mode?: FanMode,
  nonlinearity?: Nonlinearity,
  options?: GeneratorOption,
): Tensor {
  const o = readKaiming([a, mode, nonlinearity, options]);
  if (t.numel() === 0) return t;
  return normal_(t, 0, kaimingStd(t, o), { generator: o.generator });
}

/**
 * A (semi-)orthogonal matrix, as PyTorch builds it: QR of a standard normal matrix, with Q's
 * columns signed by R's diagonal, scaled by gain. Dims after the first are flattened.
 */
export function orthogonal_(t: Tensor, gain: number | ({ gain?: number } & GeneratorOption) = 1, options?: GeneratorOption): Tensor {
  const o = readArgs<{ gain: number } & GeneratorOption>([gain, options], ['gain'], { gain: 1, ...options });
  if (t.dim() < 2) throw new ValueError('Only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  const normal = tensorNormal_(empty([rows, cols], { dtype: t.dtype }), 0, 1, { generator: o.generator }).dataSync();
  // QR of the tall orientation: A (m×n, m ≥ n) = rows×cols, or its transpose when rows < cols.
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[tall ? i * n + j : j * n + i] = normal[i * cols + j]!;
  const q = householderQ(a, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = o.gain * (tall ? q[i * n + j]! : q[j * n + i]!);
  return overwrite(t, out);
}

/**
 * The m×n Q factor (m ≥ n) of A by Householder reflections, with each column multiplied by the
 * sign of R's diagonal entry, which makes it the unique Q with a positive-diagonal R.
 */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m);
    const alpha = r[k * n + k]! >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i] = r[i * n + k]!;
    v[k]! -= alpha;
    let vnorm = 0;
    for (let i = k; i < m; i++) vnorm += v[i]! ** 2;
    if (vnorm > 0)
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i]! * r[i * n + j]!;
        const f = (2 * dot) / vnorm;
        for (let i = k; i < m; i++) r[i * n + j]! -= f * v[i]!;
      }
    vs.push(vnorm > 0 ? v.map((x) => x / Math.sqrt(vnorm)) : v);
  }
  // Q = H0 H1 … H(n-1) applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * q[i * n + j]!;
      for (let i = k; i < m; i++) q[i * n + j]! -= 2 * dot * v[i]!;
    }
  }
  for (let j = 0; j < n; j++) {
    const sign = Math.sign(r[j * n + j]!);
    for (let i = 0; i < m; i++) q[i * n + j]! *= sign;
  }
  return q;
}

/** math.erf, through the tensor kernel in float64. */
function erf(x: number): number {
  return tensor([x], { dtype: 'float64' }).erf().item() as number;
}
