import { dispatch } from '../dispatch.js';
import { type FloatArray, fillNormal, fillUniform } from '../distributions.js';
import { isFloatingPoint, scalarTypeName, type TypedArray, typedArrayFor } from '../dtype.js';
import { cNumber } from '../c-number.js';
import { RuntimeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { fromHostValues, hostValues } from './host-values.js';
import { applyInplace } from './inplace.js';

// In-place random fills, drawing from the generator in PyTorch's order so a seeded run matches.
// Each is recorded (when it must be) as an out-of-place op whose gradient is zero, as in PyTorch.

export type GeneratorOptions = {
  generator?: Generator;
};

/** A host array for x's values (x is floating point). */
function floatArray(x: Tensor): FloatArray {
  return new (typedArrayFor(x.dtype))(x.numel()) as FloatArray;
}

/** x's values in row-major order, produced on the host, written into x. */
function fill(op: string, x: Tensor, attrs: Record<string, unknown>, sample: () => TypedArray): Tensor {
  const write = (t: Tensor) => {
    const values = sample();
    // Values already in the dtype's array type go straight in; others (float64 draws) convert on copy.
    if (t.isContiguous() && values instanceof typedArrayFor(t.dtype)) t.storage.backend.write(t.storage, values, t.offset);
    else t.storage.backend.copy(t, fromHostValues(values, t.shape, 'float64', t.storage.backend));
  };
  return applyInplace(
    x,
    [],
    x.dtype,
    x.shape,
    (s) =>
      dispatch(op, [s], attrs, () => {
        const out = s.clone();
        write(out);
        return out;
      }),
    () => write(x),
  );
}

/**
 * Fills x with samples of N(mean, std²).
 * Recorded as 'normal', inputs [x], attrs {mean, std}, 1 output (zero gradient).
 */
export function normal_(x: Tensor, mean = 0, std = 1, o: GeneratorOptions = {}): Tensor {
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"normal_kernel_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${cNumber(std)}`);
  const gen = o.generator ?? defaultGenerator;
  return fill('normal', x, { mean, std }, () => {
    const values = floatArray(x);
    fillNormal(values, mean, std, gen, x.isContiguous());
    return values;
  });
}

/**
 * Fills x with samples of U[from, to).
 * Recorded as 'uniform', inputs [x], attrs {from, to}, 1 output (zero gradient).
 */
export function uniform_(x: Tensor, from = 0, to = 1, o: GeneratorOptions = {}): Tensor {
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"check_uniform_bounds" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (from > to) throw new RuntimeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  const gen = o.generator ?? defaultGenerator;
  return fill('uniform', x, { from, to }, () => {
    const values = floatArray(x);
    fillUniform(values, from, to, gen);
    return values;
  });
}

/** 1 where a uniform draw (float32-grained for float32 p, float64-grained otherwise) falls below p. */
function bernoulliValues(p: Float64Array, doublePrecision: boolean, gen: Generator): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = (doublePrecision ? gen.nextDouble() : gen.nextFloat()) < p[i]! ? 1 : 0;
  return out;
}

function checkProbabilities(p: Float64Array): void {
  for (const v of p)
    if (!(v >= 0 && v <= 1))
      throw new RuntimeError(
        'Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)',
      );
}

/**
 * Fills x with 0/1 samples, 1 with probability p (a number, or a tensor broadcast to x).
 * Recorded as 'bernoulli', inputs [x], attrs {p?: number (absent for a tensor p)}, 1 output (zero gradient).
 */
export function bernoulli_(x: Tensor, p: number | Tensor = 0.5, o: GeneratorOptions = {}): Tensor {
  const gen = o.generator ?? defaultGenerator;
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
    return fill('bernoulli', x, { p }, () => bernoulliValues(new Float64Array(x.numel()).fill(p), true, gen));
  }
  if (!isFloatingPoint(p.dtype)) throw new RuntimeError(`"bernoulli_tensor_cpu_p_" not implemented for '${scalarTypeName(p.dtype)}'`);
  const probs = hostValues(p.detach().expand(x.shape));
  checkProbabilities(probs);
  return fill('bernoulli', x, {}, () => bernoulliValues(probs, p.dtype === 'float64', gen));
}

/** A new tensor of x's dtype with 0/1 samples, 1 with probability x. Recorded as 'bernoulli', inputs [x], attrs {}. */
export function bernoulli(x: Tensor, o: GeneratorOptions = {}): Tensor {
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"bernoulli_tensor_cpu_p_" not implemented for '${scalarTypeName(x.dtype)}'`);
  const probs = hostValues(x);
  checkProbabilities(probs);
  const gen = o.generator ?? defaultGenerator;
  return dispatch('bernoulli', [x], {}, () =>
    fromHostValues(bernoulliValues(probs, x.dtype === 'float64', gen), x.shape, x.dtype, x.storage.backend),
  );
}
