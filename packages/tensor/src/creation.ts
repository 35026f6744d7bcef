import { isOptions } from './args.js';
import type { Backend } from './backend/backend.js';
import { getBackend } from './backend/registry.js';
import { cNumber } from './c-number.js';
import { fillNormal, fillPermutation, fillRandomFromTo, fillUniform, type FloatArray } from './distributions.js';
import { type DType, scalarTypeName, type TypedArray, typedArrayFor } from './dtype.js';
import { RuntimeError, ValueError } from './errors.js';
import { castScalar } from './ops/elementwise.js';
import { emptyTensor } from './ops/util.js';
import { defaultGenerator, type Generator } from './random.js';
import { checkSizes, contiguousStrides, numelOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** Backend name or object; default: the current backend. */
  backend?: string | Backend;
  device?: string;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

function backendOf(o: TensorOptions): Backend {
  const b = o.backend ?? o.device;
  if (b === undefined) return getBackend();
  return typeof b === 'string' ? getBackend(b) : b;
}

function finish(t: Tensor, o: TensorOptions): Tensor {
  if (o.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Splits `(2, 3, opts)` / `([2, 3], opts)` into sizes and options. */
export function sizesAndOptions<O extends object>(args: readonly unknown[]): [number[], O] {
  let opts = {} as O;
  let rest = args;
  if (rest.length > 0 && isOptions(rest[rest.length - 1])) {
    opts = rest[rest.length - 1] as O;
    rest = rest.slice(0, -1);
  }
  const sizes = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as number[]).slice() : (rest as number[]);
  checkSizes(sizes);
  return [sizes, opts];
}

function fromFlat(flat: TypedArray | number[], shape: number[], o: TensorOptions, dtype: DType): Tensor {
  const backend = backendOf(o);
  const Ctor = typedArrayFor(dtype);
  // int64 is held in a Float64Array, so fractions are truncated here (as torch.tensor(..., dtype=torch.int64) does).
  const convert = dtype === 'bool' ? (v: number) => (v ? 1 : 0) : dtype === 'int64' ? Math.trunc : undefined;
  const arr = flat instanceof Ctor && convert === undefined ? flat : Ctor.from(flat as ArrayLike<number>, convert);
  const storage = backend.fromArray(dtype, arr as TypedArray);
  return finish(new Tensor(storage, shape, contiguousStrides(shape), 0, dtype), o);
}

/**
 * torch.tensor: from a number, a boolean, nested arrays or a typed array. Numbers become
 * float32 unless a dtype is given; booleans become bool; typed arrays keep their type
 * (Float64Array → float64, Int32Array → int32, BigInt64Array → int64).
 */
export function tensor(data: NestedArray | TypedArray | BigInt64Array | Tensor, options: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) return finish(data.detach().to(options.dtype ?? data.dtype, { copy: true }), options);
  if (ArrayBuffer.isView(data)) {
    const dtype: DType =
      options.dtype ??
      (data instanceof Float64Array
        ? 'float64'
        : data instanceof Int32Array
          ? 'int32'
          : data instanceof BigInt64Array
            ? 'int64'
            : data instanceof Uint8Array
              ? 'bool'
              : 'float32');
    const numbers = data instanceof BigInt64Array ? Float64Array.from(data, (v) => Number(v)) : (data as TypedArray);
    return fromFlat(numbers, [numbers.length], options, dtype);
  }
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = (probe as NestedArray[])[0]!;
  }
  const flat: number[] = [];
  let sawBool = false;
  let sawNumber = false;
  const walk = (v: NestedArray, d: number): void => {
    if (d === shape.length) {
      if (Array.isArray(v))
        throw new ValueError(`expected sequence of length ${shape[d - 1]} at dim ${d - 1} (got ${(v as NestedArray[]).length})`);
      if (typeof v === 'boolean') {
        sawBool = true;
        flat.push(v ? 1 : 0);
      } else if (typeof v === 'number') {
        sawNumber = true;
        flat.push(v);
      } else
        throw new TypeError(
          `Could not infer dtype of ${v === null ? 'None' : typeof v}: tensor() takes numbers, booleans or nested arrays of them`,
        );
      return;
    }
    if (!Array.isArray(v)) throw new ValueError(`expected sequence of length ${shape[d]} at dim ${d} (got a scalar)`);
    if (v.length !== shape[d]) throw new ValueError(`expected sequence of length ${shape[d]} at dim ${d} (got ${v.length})`);
    for (const e of v as NestedArray[]) walk(e, d + 1);
  };
  walk(data, 0);
  const dtype = options.dtype ?? (sawBool && !sawNumber ? 'bool' : 'float32');
  return fromFlat(dtype === 'float32' ? Float32Array.from(flat) : flat, shape, options, dtype);
}

/** A tensor over an existing typed array's values (copied), with a shape. */
export function fromArray(data: TypedArray | readonly number[], shape: readonly number[], options: TensorOptions = {}): Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  if (n !== data.length) throw new RuntimeError(`shape '[${shape.join(', ')}]' is invalid for input of size ${data.length}`);
  const dtype =
    options.dtype ??
    (data instanceof Float64Array ? 'float64' : data instanceof Int32Array ? 'int32' : data instanceof Uint8Array ? 'bool' : 'float32');
  return fromFlat(data as TypedArray, shape.slice(), options, dtype);
}

export function full(size: readonly number[], value: number | boolean, options: TensorOptions = {}): Tensor {
  checkSizes(size);
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const t = emptyTensor(size, dtype, backendOf(options));
  if (value !== 0) t.storage.backend.fill(t, castScalar(value, dtype));
  return finish(t, options);
}

type SizeArgs<O> = (number | readonly number[] | O)[];

export function zeros(...args: SizeArgs<TensorOptions>): Tensor {
  const [s, o] = sizesAndOptions<TensorOptions>(args);
  return full(s, 0, o);
}
export function ones(...args: SizeArgs<TensorOptions>): Tensor {
  const [s, o] = sizesAndOptions<TensorOptions>(args);
  return full(s, 1, o);
}
/** Uninitialised in PyTorch; zero-filled here, so reading one is harmless. */
export function empty(...args: SizeArgs<TensorOptions>): Tensor {
  const [s, o] = sizesAndOptions<TensorOptions>(args);
  return full(s, 0, o);
}

function likeOptions(x: Tensor, o: TensorOptions): TensorOptions {
  return { dtype: x.dtype, backend: x.storage.backend, ...o };
}
export const zerosLike = (x: Tensor, o: TensorOptions = {}): Tensor => full(x.shape, 0, likeOptions(x, o));
export const onesLike = (x: Tensor, o: TensorOptions = {}): Tensor => full(x.shape, 1, likeOptions(x, o));
export const emptyLike = (x: Tensor, o: TensorOptions = {}): Tensor => full(x.shape, 0, likeOptions(x, o));
export const fullLike = (x: Tensor, value: number | boolean, o: TensorOptions = {}): Tensor => full(x.shape, value, likeOptions(x, o));

/** torch.arange(end) / arange(start, end, step?). Integral arguments give int64, like PyTorch. */
export function arange(
  startOrEnd: number,
  end?: number | TensorOptions,
  step?: number | TensorOptions,
  options: TensorOptions = {},
): Tensor {
  let opts = options;
  if (isOptions(end)) [opts, end] = [end as TensorOptions, undefined];
  if (isOptions(step)) [opts, step] = [step as TensorOptions, undefined];
  const [s, e] = end === undefined ? [0, startOrEnd] : [startOrEnd, end as number];
  const st = (step as number | undefined) ?? 1;
  if (st === 0) throw new RuntimeError('step must be nonzero');
  if (!Number.isFinite(s) || !Number.isFinite(e)) throw new RuntimeError(`unsupported range: ${cNumber(s)} -> ${cNumber(e)}`);
  if ((e - s) / st < 0) throw new RuntimeError('upper bound and larger bound inconsistent with step sign');
  const n = Math.ceil((e - s) / st);
  const dtype = opts.dtype ?? ([s, e, st].every(Number.isInteger) ? 'int64' : 'float32');
  const data = new (typedArrayFor(dtype))(n);
  for (let i = 0; i < n; i++) data[i] = s + i * st;
  return fromFlat(data, [n], opts, dtype);
}

/** torch.linspace, computed as PyTorch does (from both ends toward the middle). */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RuntimeError('number of steps must be non-negative');
  const dtype = options.dtype ?? 'float32';
  const data = new (typedArrayFor(dtype))(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return fromFlat(data, [steps], options, dtype);
}

export function eye(n: number, m?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  let opts = options;
  if (isOptions(m)) [opts, m] = [m as TensorOptions, undefined];
  const cols = (m as number | undefined) ?? n;
  checkSizes([n, cols]);
  const dtype = opts.dtype ?? 'float32';
  const data = new (typedArrayFor(dtype))(n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) data[i * cols + i] = 1;
  return fromFlat(data, [n, cols], opts, dtype);
}

// ------------------------------------------------------------ random

function floatingValues(n: number, dtype: DType, kernel: string): FloatArray {
  if (dtype !== 'float32' && dtype !== 'float64') throw new RuntimeError(`"${kernel}" not implemented for '${scalarTypeName(dtype)}'`);
  return new (typedArrayFor(dtype))(n) as FloatArray;
}

/** uniform_'s values: n samples in [from, to), drawn exactly as PyTorch's CPU generator draws them. */
export function uniformValues(n: number, from: number, to: number, dtype: DType, gen: Generator): TypedArray {
  const out = floatingValues(n, dtype, 'check_uniform_bounds');
  if (!(from <= to)) throw new RuntimeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  fillUniform(out, from, to, gen);
  return out;
}

/**
 * normal_'s values, drawn exactly as PyTorch's CPU generator draws them. Pass `contiguous: false`
 * when filling a non-contiguous tensor: PyTorch then samples one value at a time.
 */
export function normalValues(n: number, mean: number, std: number, dtype: DType, gen: Generator, contiguous = true): TypedArray {
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${cNumber(std)}`);
  const out = floatingValues(n, dtype, 'normal_kernel_cpu');
  fillNormal(out, mean, std, gen, contiguous);
  return out;
}

export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const [s, o] = sizesAndOptions<RandomOptions>(args);
  const dtype = o.dtype ?? 'float32';
  return fromFlat(uniformValues(numelOf(s), 0, 1, dtype, o.generator ?? defaultGenerator), s, o, dtype);
}

export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const [s, o] = sizesAndOptions<RandomOptions>(args);
  const dtype = o.dtype ?? 'float32';
  return fromFlat(normalValues(numelOf(s), 0, 1, dtype, o.generator ?? defaultGenerator), s, o, dtype);
}

/** Integer dtypes narrower than the int64 a randint range is checked against: [min, max, PyTorch's name]. */
const RANDINT_BOUNDS: Partial<Record<DType, [number, number, string]>> = { int32: [-(2 ** 31), 2 ** 31 - 1, 'int'], bool: [0, 1, 'bool'] };

/** torch.randint(low?, high, size): int64 by default. */
export function randint(
  low: number,
  high: number | readonly number[],
  size?: readonly number[] | RandomOptions,
  options: RandomOptions = {},
): Tensor {
  let lo = 0;
  let hi: number;
  let shape: readonly number[];
  let o = options;
  if (Array.isArray(high)) {
    hi = low;
    shape = high as readonly number[];
    if (isOptions(size)) o = size as RandomOptions;
  } else {
    lo = low;
    hi = high as number;
    shape = size as readonly number[];
  }
  checkSizes(shape);
  if (hi <= lo) throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${lo} >= to=${hi}`);
  const dtype = o.dtype ?? 'int64';
  const bounds = RANDINT_BOUNDS[dtype];
  if (bounds) {
    const [min, max, name] = bounds;
    if (lo < min || lo > max) throw new RuntimeError(`from is out of bounds for ${name}`);
    if (hi - 1 < min || hi - 1 > max) throw new RuntimeError(`to - 1 is out of bounds for ${name}`);
  }
  const data = new (typedArrayFor(dtype))(numelOf(shape));
  fillRandomFromTo(data, lo, hi - lo, o.generator ?? defaultGenerator);
  return fromFlat(data, shape.slice(), o, dtype);
}

/** The largest n a floating randperm can count to exactly, with PyTorch's wording. */
const RANDPERM_FLOAT_LIMITS: Partial<Record<DType, [number, string]>> = {
  float32: [2 ** 24 + 1, '2^24+1 for Float'],
  float64: [2 ** 53 + 1, '2^53+1 for Double'],
};

/** A random permutation of 0..n-1 (int64 by default). */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  checkSizes([n]);
  const dtype = options.dtype ?? 'int64';
  if (dtype === 'bool') throw new RuntimeError(`"randperm" not implemented for 'Bool'`);
  const limit = RANDPERM_FLOAT_LIMITS[dtype];
  if (limit && n > limit[0]) throw new RuntimeError(`n cannot be greater than ${limit[1]} type.`);
  const data = new (typedArrayFor(dtype))(n);
  fillPermutation(data, options.generator ?? defaultGenerator);
  return fromFlat(data, [n], options, dtype);
}

export const randLike = (x: Tensor, o: RandomOptions = {}): Tensor => rand(x.shape, { dtype: x.dtype, backend: x.storage.backend, ...o });
export const randnLike = (x: Tensor, o: RandomOptions = {}): Tensor => randn(x.shape, { dtype: x.dtype, backend: x.storage.backend, ...o });
