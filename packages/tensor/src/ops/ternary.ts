import type { Backend, BinaryOp, View } from '../backend/backend.js';
import { dispatch } from '../dispatch.js';
import { type DType, isFloatingPoint, isIntegral, resultType, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { castScalar } from './elementwise.js';
import { applyInplace } from './inplace.js';
import { castCopy } from './reduction.js';
import { broadcastView, commonBackend, emptyTensor } from './util.js';

// Pointwise ops over three operands that optimizers use for their updates, rounding like PyTorch's
// CPU kernels: addcdiv one operation at a time in PyTorch's order; addcmul and lerp end in a fused
// multiply-add there, which a backend provides as `fused.addcmul` / `fused.lerp` (the cpu backend
// does). Without them the decomposition below can differ from PyTorch in the last bit.

/** out = self + (value * t1) * t2 with the final multiply-add fused; operands in out's dtype and shape. */
type AddcmulKernel = (out: View, self: View, t1: View, t2: View, value: number) => void;
/** out = lerp(self, end, weight), PyTorch's two-sided formula with fused multiply-adds. */
type LerpKernel = (out: View, self: View, end: View, weight: View | number) => void;

interface Plan {
  backend: Backend;
  shape: number[];
  dtype: DType;
}

function planOf(...ts: Tensor[]): Plan {
  const backend = commonBackend(...ts);
  const shape = ts.map((t) => t.shape).reduce<number[]>((a, b) => broadcastShapes(a, b), []);
  return { backend, shape, dtype: resultType(...ts) };
}

/** t converted to the plan's dtype and broadcast to its shape. */
function operand(p: Plan, t: Tensor): View {
  return broadcastView(t.dtype === p.dtype ? t : castCopy(t, p.dtype), p.shape);
}

/** value * t1 (op) t2, rounded after each step. */
function scaledProduct(p: Plan, op: BinaryOp, t1: Tensor, t2: Tensor, value: number): Tensor {
  const tmp = emptyTensor(p.shape, p.dtype, p.backend);
  p.backend.binaryScalar('mul', tmp, operand(p, t1), castScalar(value, p.dtype), false);
  p.backend.binary(op, tmp, tmp, operand(p, t2));
  return tmp;
}

export interface ValueOptions {
  /** The scale of t1 * t2 (or t1 / t2); default 1. */
  value?: number;
}

function checkAddcdiv(t1: Tensor, t2: Tensor): void {
  if (isIntegral(t1.dtype, true) && isIntegral(t2.dtype, true))
    throw new RuntimeError(
      'Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.',
    );
}

/** Writes self + value * t1 (op) t2 into out (out may be self). */
function addcInto(op: 'addcmul' | 'addcdiv', p: Plan, out: View, self: Tensor, t1: Tensor, t2: Tensor, value: number): void {
  const fused = p.backend.fused?.addcmul as AddcmulKernel | undefined;
  if (op === 'addcmul' && fused && out.dtype === p.dtype) {
    fused(out, operand(p, self), operand(p, t1), operand(p, t2), castScalar(value, p.dtype));
    return;
  }
  p.backend.binary('add', out, operand(p, self), scaledProduct(p, op === 'addcmul' ? 'mul' : 'div', t1, t2, value));
}

function addc(op: 'addcmul' | 'addcdiv', self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  const p = planOf(self, t1, t2);
  return dispatch(op, [self, t1, t2], { value }, () => {
    const out = emptyTensor(p.shape, p.dtype, p.backend);
    addcInto(op, p, out, self, t1, t2, value);
    return out;
  });
}

function addc_(op: 'addcmul' | 'addcdiv', self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  const p = planOf(self, t1, t2);
  return applyInplace(
    self,
    [t1, t2],
    p.dtype,
    p.shape,
    (s) => addc(op, s, t1, t2, value),
    () => addcInto(op, p, self, self, t1, t2, value),
  );
}

/** self + value * t1 * t2. Dispatch: 'addcmul', inputs [self, t1, t2], attrs {value}, 1 output. */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, o: ValueOptions = {}): Tensor {
  return addc('addcmul', self, t1, t2, o.value ?? 1);
}

export function addcmul_(self: Tensor, t1: Tensor, t2: Tensor, o: ValueOptions = {}): Tensor {
  return addc_('addcmul', self, t1, t2, o.value ?? 1);
}

/** self + value * t1 / t2 (float division). Dispatch: 'addcdiv', inputs [self, t1, t2], attrs {value}, 1 output. */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, o: ValueOptions = {}): Tensor {
  checkAddcdiv(t1, t2);
  return addc('addcdiv', self, t1, t2, o.value ?? 1);
}

export function addcdiv_(self: Tensor, t1: Tensor, t2: Tensor, o: ValueOptions = {}): Tensor {
  checkAddcdiv(t1, t2);
  return addc_('addcdiv', self, t1, t2, o.value ?? 1);
}

/** PyTorch's C++ type names, which lerp's dtype message prints. */
function cppName(dtype: DType): string {
  return { float32: 'float', float64: 'double', int32: 'int', int64: 'long int', bool: 'bool' }[dtype];
}

function checkLerp(self: Tensor, end: Tensor, weight: number | Tensor): void {
  if (end.dtype !== self.dtype)
    throw new RuntimeError(`expected dtype ${cppName(self.dtype)} for \`end\` but got dtype ${cppName(end.dtype)}`);
  if (weight instanceof Tensor && weight.dtype !== self.dtype)
    throw new RuntimeError(`expected dtype ${cppName(self.dtype)} for \`weight\` but got dtype ${cppName(weight.dtype)}`);
  if (!isFloatingPoint(self.dtype))
    throw new RuntimeError(
      `"lerp_kernel_${weight instanceof Tensor ? 'tensor' : 'scalar'}" not implemented for '${scalarTypeName(self.dtype)}'`,
    );
}

/**
 * Writes lerp into out: self + w * (end - self) where |w| < 0.5, else end - (end - self) * (1 - w),
 * PyTorch's two-sided formula (exact at both ends).
 */
function lerpInto(p: Plan, out: View, self: Tensor, end: Tensor, weight: number | Tensor): void {
  const { backend, shape, dtype } = p;
  const a = operand(p, self);
  const b = operand(p, end);
  const fused = backend.fused?.lerp as LerpKernel | undefined;
  if (fused && out.dtype === dtype) {
    fused(out, a, b, typeof weight === 'number' ? castScalar(weight, dtype) : operand(p, weight));
    return;
  }
  const diff = emptyTensor(shape, dtype, backend);
  backend.binary('sub', diff, b, a);
  const fromStart = (w: View | number): Tensor => {
    const t = emptyTensor(shape, dtype, backend);
    if (typeof w === 'number') backend.binaryScalar('mul', t, diff, w, false);
    else backend.binary('mul', t, w, diff);
    backend.binary('add', t, a, t);
    return t;
  };
  const fromEnd = (oneMinusW: View | number): Tensor => {
    const t = emptyTensor(shape, dtype, backend);
    if (typeof oneMinusW === 'number') backend.binaryScalar('mul', t, diff, oneMinusW, false);
    else backend.binary('mul', t, diff, oneMinusW);
    backend.binary('sub', t, b, t);
    return t;
  };
  if (typeof weight === 'number') {
    const w = castScalar(weight, dtype);
    backend.copy(out, Math.abs(w) < 0.5 ? fromStart(w) : fromEnd(castScalar(1 - w, dtype)));
    return;
  }
  const w = operand(p, weight);
  const oneMinusW = emptyTensor(shape, dtype, backend);
  backend.binaryScalar('sub', oneMinusW, w, 1, true);
  const absW = emptyTensor(shape, dtype, backend);
  backend.unary('abs', absW, w);
  const small = emptyTensor(shape, 'bool', backend);
  backend.binaryScalar('lt', small, absW, 0.5, false);
  backend.where(out, small, fromStart(w), fromEnd(oneMinusW));
}

/**
 * Linear interpolation from self to end by weight (a number or a tensor), floating dtypes only.
 * Dispatch: 'lerp', inputs [self, end, weight tensor or null], attrs {weight?: number}, 1 output.
 */
export function lerp(self: Tensor, end: Tensor, weight: number | Tensor): Tensor {
  checkLerp(self, end, weight);
  const w = weight instanceof Tensor ? weight : null;
  const p = w ? planOf(self, end, w) : planOf(self, end);
  return dispatch('lerp', [self, end, w], w ? {} : { weight }, () => {
    const out = emptyTensor(p.shape, p.dtype, p.backend);
    lerpInto(p, out, self, end, weight);
    return out;
  });
}

export function lerp_(self: Tensor, end: Tensor, weight: number | Tensor): Tensor {
  checkLerp(self, end, weight);
  const w = weight instanceof Tensor ? weight : null;
  const p = w ? planOf(self, end, w) : planOf(self, end);
  return applyInplace(
    self,
    [end, w],
    p.dtype,
    p.shape,
    (s) => lerp(s, end, weight),
    () => lerpInto(p, self, self, end, weight),
  );
}
