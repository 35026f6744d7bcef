import * as gd from '@gd/tensor';
import type { Backend, DType, Tensor } from '@gd/tensor';
import fc from 'fast-check';

/** The ops a chain is made of; each reads its parameters from `a`, `b` and `seed`. */
export const SMOOTH_OPS = [
  'tanh',
  'sigmoid',
  'sin',
  'expTanh',
  'square',
  'scale',
  'addConst',
  'add',
  'sub',
  'mul',
  'div',
  'transpose',
  'permute',
  'slice',
  'expand',
  'unsqueeze',
  'reshape',
  'sum',
  'mean',
  'softmax',
  'logSoftmax',
  'logsumexp',
  'matmul',
  'clone',
] as const;
export type OpKind = (typeof SMOOTH_OPS)[number];

export interface Step {
  op: OpKind;
  a: number;
  b: number;
  seed: number;
}

export interface Chain {
  shape: number[];
  steps: Step[];
  seed: number;
}

const MAX_NUMEL = 48;

/** Deterministic values in [lo, hi) from a seed (the same on every backend). */
export function values(seed: number, n: number, lo = -1, hi = 1): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + ((s % 10007) / 10007) * (hi - lo);
  }
  return out;
}

export const chainArb = (ops: readonly OpKind[] = SMOOTH_OPS, maxSteps = 6): fc.Arbitrary<Chain> =>
  fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
    steps: fc.array(fc.record({ op: fc.constantFrom(...ops), a: fc.nat(7), b: fc.nat(7), seed: fc.integer() }), {
      minLength: 1,
      maxLength: maxSteps,
    }),
    seed: fc.integer(),
  });

const numel = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** A constant shaped like `shape`, on x's backend and dtype. */
function constant(x: Tensor, shape: readonly number[], seed: number, lo = -1, hi = 1): Tensor {
  return gd.fromArray(values(seed, numel(shape), lo, hi), shape, { dtype: x.dtype, backend: x.storage.backend });
}

/** A partner for a broadcasting binary op: x's shape with some dims set to 1 or dropped, or one leading dim added. */
function partnerShape(shape: readonly number[], a: number, b: number): number[] {
  const s = shape.map((d, i) => ((a >> i) & 1 ? 1 : d));
  if (b % 4 === 0 && numel(shape) * 2 <= MAX_NUMEL) return [2, ...s];
  return s.slice(b % 4 === 1 ? Math.min(1, s.length) : 0);
}

/**
 * Applies one step with parameters adapted to x's shape, so every chain is valid; a step that
 * does not fit (a rank-0 transpose, growth past MAX_NUMEL) leaves x as it is.
 */
export function applyStep(x: Tensor, { op, a, b, seed }: Step): Tensor {
  const r = x.dim();
  const shape = x.shape;
  switch (op) {
    case 'tanh':
      return x.tanh();
    case 'sigmoid':
      return x.sigmoid();
    case 'sin':
      return x.sin();
    case 'expTanh':
      return x.tanh().exp();
    case 'square':
      return x.mul(x);
    case 'scale':
      return x.mul((a - 3.5) / 2);
    case 'addConst':
      return x.add(b - 3.5);
    case 'add':
      return gd.add(x, constant(x, partnerShape(shape, a, b), seed));
    case 'sub':
      return gd.sub(x, constant(x, partnerShape(shape, a, b), seed));
    case 'mul':
      return gd.mul(x, constant(x, partnerShape(shape, a, b), seed));
    case 'div':
      return gd.div(x, constant(x, partnerShape(shape, a, b), seed, 0.5, 1.5));
    case 'transpose':
      return r < 2 ? x : x.transpose(a % r, b % r);
    case 'permute': {
      const dims = shape.map((_, i) => i).sort((i, j) => values(seed + i * 31 + j, 1)[0]! - 0.5);
      return x.permute(...dims);
    }
    case 'slice': {
      if (r === 0) return x;
      const d = a % r;
      const size = shape[d]!;
      return size === 0 ? x : gd.slice(x, d, b % size, size, 1 + (seed & 1));
    }
    case 'expand': {
      const d = shape.indexOf(1);
      if (d >= 0) return x.expand(...shape.map((s, i) => (i === d ? 2 + (a % 2) : s)));
      return numel(shape) * 2 <= MAX_NUMEL ? x.expand(2, ...shape) : x;
    }
    case 'unsqueeze':
      return r >= 4 ? x : x.unsqueeze(a % (r + 1));
    case 'reshape':
      return x.reshape(-1);
    case 'sum':
    case 'mean':
      return r === 0 ? x[op]() : x[op]({ dim: a % r, keepdim: b % 2 === 1 });
    case 'softmax':
    case 'logSoftmax':
      return r === 0 ? x : x[op](a % r);
    case 'logsumexp':
      return r === 0 ? x : x.logsumexp(a % r);
    case 'matmul': {
      if (r === 0) return x;
      const k = 1 + (b % 3);
      if ((numel(shape) / shape[r - 1]!) * k > MAX_NUMEL) return x;
      return gd.matmul(x, constant(x, [shape[r - 1]!, k], seed));
    }
    case 'clone':
      return x.clone();
  }
}

export const runChain = (x: Tensor, steps: readonly Step[]): Tensor => steps.reduce(applyStep, x);

/** The chain's input on a backend, as a leaf that requires grad. */
export const input = (chain: Chain, dtype: DType, backend?: Backend): Tensor =>
  gd.fromArray(values(chain.seed, numel(chain.shape)), chain.shape, { dtype, backend, requiresGrad: true });

/** Steps with raw, unadapted parameters: dims out of range, shapes that do not fit, mixed dtypes. */
export const WILD_OPS = [
  ...SMOOTH_OPS,
  'wildTranspose',
  'wildPermute',
  'wildSlice',
  'wildSelect',
  'wildExpand',
  'wildUnsqueeze',
  'wildSqueeze',
  'wildView',
  'wildReshape',
  'wildFlatten',
  'wildSum',
  'wildSoftmax',
  'wildBinary',
  'wildMatmul',
  'wildCat',
  'wildStack',
  'wildIndexSelect',
  'wildGather',
  'wildTopk',
  'wildChunk',
  'wildItem',
  'wildMax',
  'wildMeanInt',
] as const;
export type WildOpKind = (typeof WILD_OPS)[number];

const DTYPES: DType[] = ['float32', 'float64', 'int64', 'bool'];

/** A shape of rank 0..3 with sizes 0..3 from a seed (0 makes empty tensors). */
function wildShape(seed: number): number[] {
  const v = values(seed, 4, 0, 4);
  return Array.from({ length: Math.floor(v[0]!) }, (_, i) => Math.floor(v[i + 1]!));
}

export function applyWildStep(x: Tensor, step: Omit<Step, 'op'> & { op: WildOpKind }): Tensor {
  const { op, seed } = step;
  const a = step.a - 4;
  const b = step.b - 4;
  const other = (dtype: DType = x.dtype) =>
    gd.fromArray(values(seed, numel(wildShape(seed)), 0, 3), wildShape(seed), { dtype, backend: x.storage.backend });
  switch (op) {
    case 'wildTranspose':
      return x.transpose(a, b);
    case 'wildPermute':
      return x.permute(...wildShape(seed).map((d) => d - 1));
    case 'wildSlice':
      return gd.slice(x, a, b, b + (seed & 3), 1 + ((seed >> 2) & 1));
    case 'wildSelect':
      return x.select(a, b);
    case 'wildExpand':
      return x.expand(...wildShape(seed));
    case 'wildUnsqueeze':
      return x.unsqueeze(a);
    case 'wildSqueeze':
      return x.squeeze(a);
    case 'wildView':
      return x.view(...wildShape(seed).map((d) => (d === 0 ? -1 : d)));
    case 'wildReshape':
      return x.reshape(...wildShape(seed).map((d) => (d === 0 ? -1 : d)));
    case 'wildFlatten':
      return x.flatten(a, b);
    case 'wildSum':
      return x.sum(a);
    case 'wildSoftmax':
      return x.softmax(a);
    case 'wildBinary':
      return [gd.add, gd.mul, gd.sub, gd.div][seed & 3]!(x, other(DTYPES[(seed >> 2) & 3]));
    case 'wildMatmul':
      return gd.matmul(x, other(DTYPES[(seed >> 2) & 1]));
    case 'wildCat':
      return gd.cat([x, other()], a);
    case 'wildStack':
      return gd.stack([x, other()], a);
    case 'wildIndexSelect':
      return gd.indexSelect(x, a, gd.tensor([b], { dtype: 'int64', backend: x.storage.backend }));
    case 'wildGather':
      return gd.gather(x, a, other('int64'));
    case 'wildTopk':
      return x.topk(step.a).values;
    case 'wildChunk':
      return x.chunk(step.a)[0]!;
    case 'wildItem':
      return gd.tensor(x.item(), { backend: x.storage.backend });
    case 'wildMax':
      return x.max();
    case 'wildMeanInt':
      return x.to('int64').mean();
    default:
      return applyStep(x, step as Step);
  }
}

export const wildChainArb = (): fc.Arbitrary<{
  shape: number[];
  steps: (Omit<Step, 'op'> & { op: WildOpKind })[];
  seed: number;
  dtype: DType;
}> =>
  fc.record({
    shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    steps: fc.array(fc.record({ op: fc.constantFrom(...WILD_OPS), a: fc.nat(8), b: fc.nat(8), seed: fc.integer() }), {
      minLength: 1,
      maxLength: 5,
    }),
    seed: fc.integer(),
    dtype: fc.constantFrom<DType>('float32', 'float64'),
  });
