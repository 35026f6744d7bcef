/** The element types gd supports, named as PyTorch names them (without `torch.`). */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

export const DTYPES: readonly DType[] = ['bool', 'int32', 'int64', 'float32', 'float64'];

/**
 * The typed array that holds each dtype on the CPU. int64 lives in a Float64Array: exact for
 * every integer up to 2^53, which covers indices and counts without BigInt's cost.
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface TypedArrayConstructor {
  new (n: number): TypedArray;
  from(data: ArrayLike<number>, map?: (v: number, i: number) => number): TypedArray;
}

export function typedArrayFor(dtype: DType): TypedArrayConstructor {
  switch (dtype) {
    case 'float32':
      return Float32Array;
    case 'float64':
    case 'int64':
      return Float64Array;
    case 'int32':
      return Int32Array;
    case 'bool':
      return Uint8Array;
  }
}

export function isFloatingPoint(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function isIntegral(dtype: DType, includeBool = false): boolean {
  return dtype === 'int32' || dtype === 'int64' || (includeBool && dtype === 'bool');
}

/** PyTorch's name for the dtype in messages: `Float`, `Double`, `Int`, `Long`, `Bool`. */
export function scalarTypeName(dtype: DType): string {
  return { float32: 'Float', float64: 'Double', int32: 'Int', int64: 'Long', bool: 'Bool' }[dtype];
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, int64: 2, float32: 3, float64: 4 };

/** torch.promote_types for gd's dtypes: the lattice is a chain bool < int32 < int64 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

type Category = 0 | 1 | 2; // bool, integral, floating
function category(dtype: DType): Category {
  return dtype === 'bool' ? 0 : isFloatingPoint(dtype) ? 2 : 1;
}

/** Whether a value of dtype `from` may be written into `to` by an in-place op (torch.can_cast). */
export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}

/** A Python-style scalar as seen by type promotion. */
export function scalarDType(value: number | boolean): DType {
  if (typeof value === 'boolean') return 'bool';
  return Number.isInteger(value) ? 'int64' : 'float32';
}

export interface DTypeOperand {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/**
 * torch.result_type: tensors with dims decide first, 0-d tensors only when they are of a higher
 * category (bool < integral < floating), and plain numbers only when higher still. A float number
 * counts as the default float dtype (float32).
 */
export function resultType(...operands: (DTypeOperand | number | boolean)[]): DType {
  let dimResult: DType | undefined;
  let zeroResult: DType | undefined;
  let wrappedResult: DType | undefined;
  for (const op of operands) {
    if (typeof op === 'number' || typeof op === 'boolean') {
      const d = scalarDType(op);
      wrappedResult = wrappedResult ? promoteTypes(wrappedResult, d) : d;
    } else if (op.shape.length === 0) {
      zeroResult = zeroResult ? promoteTypes(zeroResult, op.dtype) : op.dtype;
    } else {
      dimResult = dimResult ? promoteTypes(dimResult, op.dtype) : op.dtype;
    }
  }
  return combineCategories(dimResult, combineCategories(zeroResult, wrappedResult)) ?? 'float32';
}

function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined) return higher;
  if (isFloatingPoint(higher)) return higher;
  if (higher === 'bool' || isFloatingPoint(lower)) return promoteTypes(higher, lower);
  return higher;
}
