import type { Backend, UnaryOp } from '../backend/backend.js';
import { dispatch } from '../dispatch.js';
import { type DType, isFloatingPoint, resultType } from '../dtype.js';
import { getBackend as backendByName } from '../backend/registry.js';
import { RuntimeError } from '../errors.js';
import { contiguousStrides as contiguousOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { binary, binaryInplace, castScalar, unary, unaryInplace } from './elementwise.js';
import { applyInplace, checkInplaceAllowed, inplaceRecordable } from './inplace.js';
import { broadcastView, commonBackend, emptyTensor, type Scalar, type TensorOrScalar } from './util.js';

export interface AlphaOptions {
  alpha?: number;
}

export const add = (a: TensorOrScalar, b: TensorOrScalar, o?: AlphaOptions): Tensor => binary('add', 'add', a, b, 'arith', o?.alpha);
export const sub = (a: TensorOrScalar, b: TensorOrScalar, o?: AlphaOptions): Tensor => binary('sub', 'sub', a, b, 'arith', o?.alpha);
export const mul = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('mul', 'mul', a, b, 'arith');
export const add_ = (a: Tensor, b: TensorOrScalar, o?: AlphaOptions): Tensor => binaryInplace('add', 'add', a, b, 'arith', o?.alpha);
export const sub_ = (a: Tensor, b: TensorOrScalar, o?: AlphaOptions): Tensor => binaryInplace('sub', 'sub', a, b, 'arith', o?.alpha);
export const mul_ = (a: Tensor, b: TensorOrScalar): Tensor => binaryInplace('mul', 'mul', a, b, 'arith');
export const div_ = (a: Tensor, b: TensorOrScalar): Tensor => binaryInplace('div', 'div', a, b, 'float');

/** True division, or rounded with `roundingMode` 'trunc' / 'floor' (then integral inputs stay integral). */
export function div(a: TensorOrScalar, b: TensorOrScalar, o?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor {
  if (o?.roundingMode === 'floor') return binary('floorDivide', 'floorDivide', a, b, 'arith');
  if (o?.roundingMode === 'trunc') return binary('truncDivide', 'truncDivide', a, b, 'arith');
  return binary('div', 'div', a, b, 'float');
}

export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (a instanceof Tensor && !(b instanceof Tensor) && !isFloatingPoint(a.dtype) && typeof b === 'number' && Number.isInteger(b) && b < 0)
    throw new RuntimeError('Integers to negative integer powers are not allowed.');
  return binary('pow', 'pow', a, b, 'arith');
}
export const pow_ = (a: Tensor, b: TensorOrScalar): Tensor => binaryInplace('pow', 'pow', a, b, 'arith');

export const maximum = (a: Tensor, b: Tensor): Tensor => binary('maximum', 'maximum', a, b, 'arith');
export const minimum = (a: Tensor, b: Tensor): Tensor => binary('minimum', 'minimum', a, b, 'arith');
export const fmax = (a: Tensor, b: Tensor): Tensor => binary('fmax', 'fmax', a, b, 'arith');
export const fmin = (a: Tensor, b: Tensor): Tensor => binary('fmin', 'fmin', a, b, 'arith');
export const atan2 = (a: Tensor, b: Tensor): Tensor => binary('atan2', 'atan2', a, b, 'float');
export const remainder = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('remainder', 'remainder', a, b, 'arith');
export const fmod = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('fmod', 'fmod', a, b, 'arith');
export const floorDivide = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('floorDivide', 'floorDivide', a, b, 'arith');
export const hypot = (a: Tensor, b: Tensor): Tensor => binary('hypot', 'hypot', a, b, 'float');
export const xlogy = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('xlogy', 'xlogy', a, b, 'float');

export const eq = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('eq', 'eq', a, b, 'compare');
export const ne = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('ne', 'ne', a, b, 'compare');
export const lt = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('lt', 'lt', a, b, 'compare');
export const le = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('le', 'le', a, b, 'compare');
export const gt = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('gt', 'gt', a, b, 'compare');
export const ge = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('ge', 'ge', a, b, 'compare');
export const logicalAnd = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('logicalAnd', 'logicalAnd', a, b, 'logical');
export const logicalOr = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('logicalOr', 'logicalOr', a, b, 'logical');
export const logicalXor = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binary('logicalXor', 'logicalXor', a, b, 'logical');

const u =
  (op: UnaryOp) =>
  (x: Tensor): Tensor =>
    unary(op, op, x);
const ui =
  (op: UnaryOp) =>
  (x: Tensor): Tensor =>
    unaryInplace(op, op, x);
/** PyTorch refuses `-mask`: a bool tensor is inverted with logicalNot. */
function refuseBoolNegation(x: Tensor): void {
  if (x.dtype === 'bool')
    throw new RuntimeError(
      'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
    );
}
export function neg(x: Tensor): Tensor {
  refuseBoolNegation(x);
  return unary('neg', 'neg', x);
}
export const abs = u('abs');
export const sign = u('sign');
export const exp = u('exp');
export const expm1 = u('expm1');
export const exp2 = u('exp2');
export const log = u('log');
export const log1p = u('log1p');
export const log2 = u('log2');
export const log10 = u('log10');
export const sqrt = u('sqrt');
export const rsqrt = u('rsqrt');
export const reciprocal = u('reciprocal');
export const square = u('square');
export const sin = u('sin');
export const cos = u('cos');
export const tan = u('tan');
export const asin = u('asin');
export const acos = u('acos');
export const atan = u('atan');
export const sinh = u('sinh');
export const cosh = u('cosh');
export const tanh = u('tanh');
export const asinh = u('asinh');
export const acosh = u('acosh');
export const atanh = u('atanh');
export const sigmoid = u('sigmoid');
export const relu = u('relu');
export const floor = u('floor');
export const ceil = u('ceil');
export const round = u('round');
export const trunc = u('trunc');
export const frac = u('frac');
export const erf = u('erf');
export const erfc = u('erfc');
export const erfinv = u('erfinv');
export const logicalNot = u('logicalNot');
export const isnan = u('isnan');
export const isinf = u('isinf');
export const isfinite = u('isfinite');
export function neg_(x: Tensor): Tensor {
  refuseBoolNegation(x);
  return unaryInplace('neg', 'neg', x);
}
export const abs_ = ui('abs');
export const exp_ = ui('exp');
export const log_ = ui('log');
export const sqrt_ = ui('sqrt');
export const tanh_ = ui('tanh');
export const sigmoid_ = ui('sigmoid');
export const relu_ = ui('relu');

export function nanToNum(x: Tensor, o: { nan?: number; posinf?: number; neginf?: number } = {}): Tensor {
  const big = x.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  return unary('nanToNum', 'nanToNum', x, { a: o.nan ?? 0, b: o.posinf ?? big, c: o.neginf ?? -big }, o);
}

/** clamp with number bounds (a unary kernel) or tensor bounds (maximum/minimum). */
export function clamp(x: Tensor, min: number | Tensor | null = null, max: number | Tensor | null = null): Tensor {
  if (min === null && max === null) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (min instanceof Tensor || max instanceof Tensor) {
    let r = x;
    if (min !== null) r = maximum(r, min instanceof Tensor ? min : fullLike(x, min));
    if (max !== null) r = minimum(r, max instanceof Tensor ? max : fullLike(x, max));
    return r;
  }
  const dtype = (min !== null && !Number.isInteger(min)) || (max !== null && !Number.isInteger(max)) ? resultType(x, 0.5) : x.dtype;
  return unary('clamp', 'clamp', x, { a: min ?? NaN, b: max ?? NaN }, { min, max }, dtype);
}

export function clamp_(x: Tensor, min: number | null = null, max: number | null = null): Tensor {
  if (min === null && max === null) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  return unaryInplace('clamp', 'clamp', x, { a: min ?? NaN, b: max ?? NaN }, { min, max });
}

function fullLike(x: Tensor, value: number): Tensor {
  const t = emptyTensor([], x.dtype, x.storage.backend);
  x.storage.backend.fill(t, castScalar(value, x.dtype));
  return t;
}

/** torch.where(condition, x, y); x and y may be numbers. */
export function where(condition: Tensor, x: TensorOrScalar, y: TensorOrScalar): Tensor {
  if (condition.dtype !== 'bool')
    throw new RuntimeError(
      `where expected condition to be a boolean tensor, but got a tensor with dtype ${condition.dtype === 'float32' ? 'Float' : condition.dtype}`,
    );
  const backend = commonBackend(condition, x instanceof Tensor ? x : null, y instanceof Tensor ? y : null);
  const dtype = resultType(x as never, y as never);
  const tx = x instanceof Tensor ? x : null;
  const ty = y instanceof Tensor ? y : null;
  const attrs: Record<string, unknown> = {};
  if (!tx) attrs.x = x;
  if (!ty) attrs.y = y;
  return dispatch('where', [condition, tx, ty], attrs, () => {
    let shape = condition.shape.slice();
    const asTensor = (v: TensorOrScalar): Tensor => (v instanceof Tensor ? v : fullLike(emptyTensor([], dtype, backend), v as number));
    const vx = asTensor(x);
    const vy = asTensor(y);
    shape = broadcastAll([shape, vx.shape, vy.shape]);
    const out = emptyTensor(shape, dtype, backend);
    backend.where(out, broadcastView(condition, shape), broadcastView(vx, shape), broadcastView(vy, shape));
    return out;
  });
}

function broadcastAll(shapes: readonly (readonly number[])[]): number[] {
  return shapes.reduce<number[]>((acc, s) => {
    const n = Math.max(acc.length, s.length);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = acc[acc.length - n + i] ?? 1;
      const b = s[s.length - n + i] ?? 1;
      if (a !== b && a !== 1 && b !== 1)
        throw new RuntimeError(`The size of tensor a (${a}) must match the size of tensor b (${b}) at non-singleton dimension ${i}`);
      out.push(a === 1 ? b : a);
    }
    return out;
  }, []);
}

/** The other tensors of an in-place op that has none. */
const NO_TENSORS: readonly Tensor[] = [];

export function fill_(x: Tensor, value: Scalar): Tensor {
  // Unrecorded (zeroing gradients): straight into x, without applyInplace's closures.
  if (!inplaceRecordable(x, NO_TENSORS)) {
    checkInplaceAllowed(x);
    x.storage.backend.fill(x, castScalar(value, x.dtype));
    x.storage.version++;
    return x;
  }
  return applyInplace(
    x,
    [],
    x.dtype,
    x.shape,
    (s) => add(mul(s, 0), value),
    () => x.storage.backend.fill(x, castScalar(value, x.dtype)),
  );
}

/** Copies src (broadcast to self's shape, any dtype and backend) into self. */
export function copy_(self: Tensor, src: Tensor): Tensor {
  const shape = broadcastAll([self.shape, src.shape]);
  const source = src.storage.backend === self.storage.backend ? src : to(src, self.storage.backend.name);
  return applyInplace(
    self,
    [src],
    self.dtype,
    shape,
    (s) => add(mul(s, 0), source).to(self.dtype),
    () => self.storage.backend.copy(self, broadcastView(source, self.shape)),
  );
}

/** Whether a `to()` target given as an object is a Backend (rather than, say, PyTorch's `{ dtype }` keyword form). */
function isBackend(target: unknown): target is Backend {
  const b = target as Partial<Backend> | null;
  return typeof b === 'object' && b !== null && typeof b.name === 'string' && typeof b.fromArray === 'function';
}

/** Converts dtype or moves backend; returns x itself when nothing changes (unless copy). */
export function to(x: Tensor, target: DType | string | Backend, o: { copy?: boolean } = {}): Tensor {
  if (typeof target !== 'string' && !isBackend(target)) {
    const got = target === null ? 'null' : Array.isArray(target) ? 'list' : typeof target;
    throw new TypeError(
      `to() received an invalid combination of arguments - got (${got}), but expected one of: (DType dtype), (string backend), (Backend backend)`,
    );
  }
  const name = typeof target === 'string' ? target : target.name;
  const isDtype = name === 'float32' || name === 'float64' || name === 'int32' || name === 'int64' || name === 'bool';
  if (isDtype) {
    if (name === x.dtype && !o.copy) return x;
    return dispatch('to', [x], { dtype: name }, () => {
      const out = emptyTensor(x.shape, name as DType, x.storage.backend);
      x.storage.backend.copy(out, x);
      return out;
    });
  }
  if (name === x.storage.backend.name && !o.copy) return x;
  return dispatch('toBackend', [x], { backend: name }, () => {
    const dest = typeof target === 'string' ? backendByName(name) : (target as Backend);
    const src = x.contiguous();
    const data = src.storage.backend.read(src.storage).subarray(src.offset, src.offset + src.numel());
    const storage = dest.fromArray(x.dtype, data);
    return new Tensor(storage, x.shape.slice(), contiguousOf(x.shape), 0, x.dtype);
  });
}

export function equal(a: Tensor, b: Tensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) return false;
  return a.numel() === 0 || (eq(a, b).logicalNot().sum().item() as number) === 0;
}

export function allclose(a: Tensor, b: Tensor, o: { rtol?: number; atol?: number; equalNan?: boolean } = {}): boolean {
  return isclose(a, b, o).logicalNot().sum().item() === 0;
}

export function isclose(a: Tensor, b: Tensor, o: { rtol?: number; atol?: number; equalNan?: boolean } = {}): Tensor {
  const rtol = o.rtol ?? 1e-5;
  const atol = o.atol ?? 1e-8;
  const diff = abs(sub(a, b));
  const tol = add(mul(abs(b), rtol), atol);
  let close = logicalOr(le(diff, tol), eq(a, b));
  if (o.equalNan) close = logicalOr(close, logicalAnd(isnan(a), isnan(b)));
  return close;
}
