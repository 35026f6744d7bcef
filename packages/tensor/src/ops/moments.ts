import { readArgs } from '../args.js';
import { dispatch } from '../dispatch.js';
import { isFloatingPoint } from '../dtype.js';
import { GdTypeError, RuntimeError } from '../errors.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { mul, sqrt, sub } from './arithmetic.js';
import { mean, sum } from './reduction.js';

export type VarOptions = {
  dim?: number | readonly number[] | null;
  /** Bessel's correction on (true, the default) or off; the older spelling of `correction`. */
  unbiased?: boolean;
  /** Divide by N - correction (default 1). */
  correction?: number;
  keepdim?: boolean;
};

/**
 * Reads `var`/`std` arguments as PyTorch takes them: `(dim?, unbiased?, keepdim?)`, `(unbiased)`,
 * or a trailing options object with any of dim, unbiased, correction, keepdim.
 */
export function readVarArgs(args: readonly unknown[]): VarOptions {
  const rest = typeof args[0] === 'boolean' ? [null, ...args] : args;
  return readArgs<VarOptions>(rest, ['dim', 'unbiased', 'keepdim'], {});
}

function correctionOf(name: string, o: VarOptions): number {
  if (o.unbiased !== undefined && o.correction !== undefined)
    throw new GdTypeError(`${name}(): pass either unbiased or correction, not both`);
  if (o.correction !== undefined) return o.correction;
  return o.unbiased === false ? 0 : 1;
}

/** Sum of squared deviations over dims / max(0, N - correction), computed in float64. */
function moment(name: 'var' | 'std', x: Tensor, o: VarOptions): Tensor {
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError('std and var only support floating point and complex dtypes');
  const correction = correctionOf(name, o);
  const dims = normalizeDims(o.dim, x.dim());
  const keepdim = o.keepdim ?? false;
  return dispatch(name, [x], { dim: dims, keepdim, correction }, () => {
    const xd = x.to('float64');
    let n = 1;
    for (const d of dims) n *= x.shape[d]!;
    const dev = sub(xd, mean(xd, { dim: dims, keepdim: true }));
    const v = sum(mul(dev, dev), { dim: dims, keepdim }).div(Math.max(0, n - correction));
    return (name === 'std' ? sqrt(v) : v).to(x.dtype);
  });
}

/**
 * Variance over `dim` (all dims when absent) with `correction` (default 1, Bessel's).
 * Dispatch: 'var', inputs [x], attrs {dim: number[] (normalized), keepdim, correction}, 1 output.
 * Exported as `var` (a reserved word in JS, so the local name differs).
 */
function variance(x: Tensor, o: VarOptions = {}): Tensor {
  return moment('var', x, o);
}
export { variance as var };

/** Standard deviation: sqrt of `var`. Dispatch: 'std', as 'var'. */
export function std(x: Tensor, o: VarOptions = {}): Tensor {
  return moment('std', x, o);
}
