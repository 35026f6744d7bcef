import type { BinaryOp, UnaryOp, UnaryParams } from '../backend/backend.js';
import { type Attrs, canRecord, dispatch, dispatchedBinary, dispatchedUnary } from '../dispatch.js';
import { type DType, isFloatingPoint, resultType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { broadcastShapes, isExpandableTo, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { applyInplace, checkInplaceAllowed } from './inplace.js';
import { broadcastView, commonBackend, disposeAndRethrow, emptyTensor, emptyTensorLike, type TensorOrScalar } from './util.js';

/** The attrs of a call without any (shared: attrs are never written). */
const NO_ATTRS: Attrs = Object.freeze({});

// ---------------------------------------------------------------- unary

/** Unary ops whose result keeps an integral input's dtype; all others compute in float. */
const KEEPS_DTYPE = new Set<UnaryOp>([
  'neg',
  'abs',
  'sign',
  'square',
  'relu',
  'floor',
  'ceil',
  'round',
  'trunc',
  'bitwiseNot',
  'clamp',
  'hardtanh',
  'powScalar',
]);
const BOOL_RESULT = new Set<UnaryOp>(['isnan', 'isinf', 'isfinite', 'logicalNot']);

export function unaryResultDtype(kernel: UnaryOp, dtype: DType): DType {
  if (BOOL_RESULT.has(kernel)) return 'bool';
  if (KEEPS_DTYPE.has(kernel)) {
    if (dtype === 'bool' && kernel !== 'bitwiseNot') return kernel === 'abs' || kernel === 'relu' ? 'bool' : 'int64';
    return dtype;
  }
  return isFloatingPoint(dtype) ? dtype : 'float32';
}

/** A recorded unary op `op` computed by the backend's `kernel`. */
export function unary(
  op: string,
  kernel: UnaryOp,
  x: Tensor,
  params?: UnaryParams,
  attrs: Attrs = NO_ATTRS,
  dtype = unaryResultDtype(kernel, x.dtype),
): Tensor {
  x.storage.checkLive();
  const backend = x.storage.backend;
  const out = emptyTensorLike(x, dtype, backend, true);
  try {
    backend.unary(kernel, out, x, params);
  } catch (e) {
    disposeAndRethrow(out, e);
  }
  return dispatchedUnary(op, x, attrs, out);
}

export function unaryInplace(op: string, kernel: UnaryOp, x: Tensor, params?: UnaryParams, attrs: Attrs = {}): Tensor {
  const dtype = unaryResultDtype(kernel, x.dtype);
  return applyInplace(
    x,
    [],
    dtype,
    x.shape,
    (s) => unary(op, kernel, s, params, attrs),
    () => x.storage.backend.unary(kernel, x, x, params),
  );
}

// ---------------------------------------------------------------- binary

export type BinaryKind = 'arith' | 'float' | 'compare' | 'logical';

/** resultType of two operands, with the common cases (per small op) decided without the general walk. */
function commonDtype(a: TensorOrScalar, b: TensorOrScalar): DType {
  if (a instanceof Tensor) {
    if (b instanceof Tensor ? b.dtype === a.dtype : typeof b === 'number' && isFloatingPoint(a.dtype)) return a.dtype;
  } else if (b instanceof Tensor && typeof a === 'number' && isFloatingPoint(b.dtype)) return b.dtype;
  return resultType(a as never, b as never);
}

function binaryDtypes(kind: BinaryKind, a: TensorOrScalar, b: TensorOrScalar): { compute: DType; out: DType } {
  const common = commonDtype(a, b);
  switch (kind) {
    case 'arith':
      return { compute: common, out: common };
    case 'float': {
      const f = isFloatingPoint(common) ? common : 'float32';
      return { compute: f, out: f };
    }
    case 'compare':
      return { compute: common, out: 'bool' };
    case 'logical':
      return { compute: common, out: 'bool' };
  }
}

/** Rounds a number the way PyTorch casts a Python scalar to the op's compute dtype. */
export function castScalar(v: number | boolean, dtype: DType): number {
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  if (dtype === 'float32') return Math.fround(n);
  if (dtype === 'int32' || dtype === 'int64') return Math.trunc(n);
  if (dtype === 'bool') return n !== 0 ? 1 : 0;
  return n;
}

function boolKernel(kernel: BinaryOp, out: DType): BinaryOp {
  if (out !== 'bool') return kernel;
  if (kernel === 'add') return 'logicalOr';
  if (kernel === 'mul') return 'logicalAnd';
  if (kernel === 'sub')
    throw new RuntimeError(
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.',
    );
  return kernel;
}

function operandsOf(a: TensorOrScalar, b: TensorOrScalar): [Tensor | null, Tensor | null] {
  const ta = a instanceof Tensor ? a : null;
  const tb = b instanceof Tensor ? b : null;
  if (!ta && !tb) throw new TypeError('expected at least one tensor operand');
  return [ta, tb];
}

function scalarAttrs(a: TensorOrScalar, b: TensorOrScalar, alpha: number | undefined): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  if (!(a instanceof Tensor)) attrs.a = a;
  if (!(b instanceof Tensor)) attrs.b = b;
  if (alpha !== undefined) attrs.alpha = alpha;
  return attrs;
}

/** Output shape of a binary op (the broadcast of the tensor operands). */
export function binaryShape(a: TensorOrScalar, b: TensorOrScalar): number[] {
  if (a instanceof Tensor && b instanceof Tensor) return broadcastShapes(a.shape, b.shape);
  return (a instanceof Tensor ? a : (b as Tensor)).shape.slice();
}

function checkAlpha(alpha: number | undefined, dtype: DType): void {
  if (alpha !== undefined && !isFloatingPoint(dtype) && !Number.isInteger(alpha))
    throw new RuntimeError('For integral input tensors, argument alpha must not be a floating point number.');
}

/** Computes a op b into `out` (already allocated with the broadcast shape). */
function runBinary(kernel: BinaryOp, out: Tensor, a: TensorOrScalar, b: TensorOrScalar, compute: DType, alpha?: number): void {
  const backend = out.storage.backend;
  if (a instanceof Tensor && b instanceof Tensor) {
    backend.binary(
      kernel,
      out,
      broadcastView(a, out.shape),
      broadcastView(b, out.shape),
      alpha === undefined ? 1 : castScalar(alpha, compute),
    );
  } else if (a instanceof Tensor) {
    let s = castScalar(b as number, compute);
    if (alpha !== undefined) s = castScalar(s * alpha, compute);
    backend.binaryScalar(kernel, out, broadcastView(a, out.shape), s, false);
  } else {
    const t = b as Tensor;
    if (alpha !== undefined && alpha !== 1) {
      // s - alpha * t: scale t first so the scalar kernel sees a plain tensor.
      const scaled = emptyTensor(t.shape, compute, backend);
      backend.binaryScalar('mul', scaled, t, castScalar(alpha, compute), false);
      backend.binaryScalar(kernel, out, broadcastView(scaled, out.shape), castScalar(a, compute), true);
    } else backend.binaryScalar(kernel, out, broadcastView(t, out.shape), castScalar(a, compute), true);
  }
}

export function binary(op: string, kernel: BinaryOp, a: TensorOrScalar, b: TensorOrScalar, kind: BinaryKind, alpha?: number): Tensor {
  // The common cases of a training step, decided without the general promotion and broadcast work.
  // ('float' ops such as div promote only integers, so on floats they are 'arith' ones.)
  if (a instanceof Tensor && alpha === undefined && (kind === 'arith' || kind === 'float') && isFloatingPoint(a.dtype)) {
    if (b instanceof Tensor && b.dtype === a.dtype && b.storage.backend === a.storage.backend) return sameDtypeBinary(op, kernel, a, b);
    if (typeof b === 'number') return floatScalarBinary(op, kernel, a, b);
  }
  return promotingBinary(op, kernel, a, b, kind, alpha);
}

/** Two float tensors of one dtype and backend: one kernel into a fresh output, dispatched without a closure. */
function sameDtypeBinary(op: string, kernel: BinaryOp, a: Tensor, b: Tensor): Tensor {
  a.storage.checkLive();
  b.storage.checkLive();
  const backend = a.storage.backend;
  // The output takes the shape (and layout) of an operand that has the broadcast shape already.
  let like: Tensor | null;
  if (shapesEqual(a.shape, b.shape)) like = a.isContiguous() ? a : b;
  else like = isExpandableTo(a.shape, b.shape) ? b : isExpandableTo(b.shape, a.shape) ? a : null;
  const result =
    like !== null ? emptyTensorLike(like, a.dtype, backend, true) : emptyTensor(broadcastShapes(a.shape, b.shape), a.dtype, backend, true);
  const shape = result.shape;
  try {
    backend.binary(kernel, result, broadcastView(a, shape), broadcastView(b, shape), 1);
  } catch (e) {
    disposeAndRethrow(result, e);
  }
  return dispatchedBinary(op, a, b, NO_ATTRS, result);
}

/** A float tensor and a number (see sameDtypeBinary). */
function floatScalarBinary(op: string, kernel: BinaryOp, a: Tensor, b: number): Tensor {
  a.storage.checkLive();
  const backend = a.storage.backend;
  const result = emptyTensorLike(a, a.dtype, backend, true);
  try {
    backend.binaryScalar(kernel, result, a, castScalar(b, a.dtype), false);
  } catch (e) {
    disposeAndRethrow(result, e);
  }
  return dispatchedBinary(op, a, null, { b }, result);
}

function promotingBinary(op: string, kernel: BinaryOp, a: TensorOrScalar, b: TensorOrScalar, kind: BinaryKind, alpha?: number): Tensor {
  const [ta, tb] = operandsOf(a, b);
  const backend = commonBackend(ta, tb);
  const shape = binaryShape(a, b);
  const { compute, out } = binaryDtypes(kind, a, b);
  checkAlpha(alpha, compute);
  const k = boolKernel(kernel, out);
  return dispatch(op, [ta, tb], scalarAttrs(a, b, alpha), () => {
    const result = emptyTensor(shape, out, backend, true);
    runBinary(k, result, a, b, compute, alpha);
    return result;
  });
}

export function binaryInplace(op: string, kernel: BinaryOp, self: Tensor, other: TensorOrScalar, kind: BinaryKind, alpha?: number): Tensor {
  // Gradient accumulation and plain update steps: same float dtype and shape need no promotion or broadcast.
  if (
    other instanceof Tensor &&
    alpha === undefined &&
    kind === 'arith' &&
    isFloatingPoint(self.dtype) &&
    other.dtype === self.dtype &&
    other.storage.backend === self.storage.backend &&
    shapesEqual(other.shape, self.shape)
  ) {
    return sameShapeInplace(op, kernel, self, other, kind);
  }
  return promotingInplace(op, kernel, self, other, kind, alpha);
}

/** self op= other, both of self's float dtype and shape (its own function: see binary). */
function sameShapeInplace(op: string, kernel: BinaryOp, self: Tensor, other: Tensor, kind: BinaryKind): Tensor {
  // Unrecorded (gradient accumulation, optimizer updates): straight into self, without applyInplace's closures.
  if (!(canRecord() && (self.requiresGrad || other.requiresGrad))) {
    checkInplaceAllowed(self);
    self.storage.backend.binary(kernel, self, self, other, 1);
    self.storage.version++;
    return self;
  }
  return applyInplace(
    self,
    [other],
    self.dtype,
    self.shape,
    (s) => binary(op, kernel, s, other, kind),
    () => self.storage.backend.binary(kernel, self, self, other, 1),
  );
}

function promotingInplace(op: string, kernel: BinaryOp, self: Tensor, other: TensorOrScalar, kind: BinaryKind, alpha?: number): Tensor {
  const tb = other instanceof Tensor ? other : null;
  commonBackend(self, tb);
  const shape = binaryShape(self, other);
  const { compute, out } = binaryDtypes(kind, self, other);
  checkAlpha(alpha, compute);
  const k = boolKernel(kernel, self.dtype === 'bool' ? out : 'float32');
  return applyInplace(
    self,
    [tb],
    out,
    shape,
    (s) => binary(op, kernel, s, other, kind, alpha),
    () => runBinary(k, self, self, other, compute, alpha),
  );
}
