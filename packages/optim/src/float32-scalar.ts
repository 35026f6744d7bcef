import type { Tensor } from '@gd/tensor';

/**
 * LBFGS mixes Python floats with 0-d float32 tensors (dot products, norms) in its scalar
 * arithmetic, and which one a value is decides how it rounds. `F32` stands for such a tensor;
 * a plain number is a Python float. The helpers follow PyTorch's rules: an operation involving
 * an F32 casts the Python operand to float32 and rounds the result to float32, and Python
 * `x / tensor` is `tensor.reciprocal() * x`.
 */
export class F32 {
  readonly v: number;
  constructor(v: number) {
    this.v = Math.fround(v);
  }
  static of(t: Tensor): F32 {
    return new F32(t.item() as number);
  }
}

export type Num = number | F32;

const f32 = (x: Num): number => (x instanceof F32 ? x.v : Math.fround(x));
const isF32 = (a: Num, b: Num): boolean => a instanceof F32 || b instanceof F32;

/** The value a Num holds, as a JS number (Python's `float(x)`). */
export const val = (x: Num): number => (x instanceof F32 ? x.v : x);

export function add(a: Num, b: Num): Num {
  return isF32(a, b) ? new F32(f32(a) + f32(b)) : (a as number) + (b as number);
}
export function sub(a: Num, b: Num): Num {
  return isF32(a, b) ? new F32(f32(a) - f32(b)) : (a as number) - (b as number);
}
export function mul(a: Num, b: Num): Num {
  return isF32(a, b) ? new F32(f32(a) * f32(b)) : (a as number) * (b as number);
}
export function div(a: Num, b: Num): Num {
  if (!isF32(a, b)) return (a as number) / (b as number);
  if (!(a instanceof F32)) return new F32(Math.fround(1 / f32(b)) * f32(a));
  return new F32(f32(a) / f32(b));
}
export const neg = (a: Num): Num => (a instanceof F32 ? new F32(-a.v) : -a);
export const abs = (a: Num): Num => (a instanceof F32 ? new F32(Math.abs(a.v)) : Math.abs(a));
export const sqrt = (a: Num): Num => (a instanceof F32 ? new F32(Math.sqrt(a.v)) : Math.sqrt(a));
export const square = (a: Num): Num => mul(a, a);

export const lt = (a: Num, b: Num): boolean => (isF32(a, b) ? f32(a) < f32(b) : (a as number) < (b as number));
export const le = (a: Num, b: Num): boolean => (isF32(a, b) ? f32(a) <= f32(b) : (a as number) <= (b as number));
export const gt = (a: Num, b: Num): boolean => lt(b, a);
export const ge = (a: Num, b: Num): boolean => le(b, a);

/** Python's `min(a, b)`: the first argument unless the second is smaller. */
export const min = (a: Num, b: Num): Num => (lt(b, a) ? b : a);
/** Python's `max(a, b)`: the first argument unless the second is larger. */
export const max = (a: Num, b: Num): Num => (gt(b, a) ? b : a);
