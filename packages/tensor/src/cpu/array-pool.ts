import { type DType, type TypedArray, typedArrayFor } from '../dtype.js';

/** Arrays below this many elements are cheap to make: pooling them would cost more than it saves. */
const MIN_POOLED_LENGTH = 1 << 14;
/** At most this many bytes wait in the pool, so disposed tensors do not pin memory for long. */
const MAX_POOLED_BYTES = 256 * 2 ** 20;

/**
 * Typed arrays of disposed storages, by dtype and length, for the next storage of the same size.
 * A large new typed array is fresh memory from the OS: zero-filled, then page-faulted in on first
 * write. A training step in scope() disposes the same sizes it allocates next step, so reusing
 * them skips both (and an output its kernel overwrites skips the zero fill too).
 */
const pools = new Map<string, TypedArray[]>();
let pooledBytes = 0;

const keyOf = (dtype: DType, length: number): string => `${dtype}:${length}`;

/** An array for a new storage: from the pool when one of this size waits there, else new. */
export function takeArray(dtype: DType, length: number, zeroed: boolean): TypedArray {
  // float32 spelled out: V8 allocates a known typed array inline, one picked at run time through a generic call.
  if (length < MIN_POOLED_LENGTH) return dtype === 'float32' ? new Float32Array(length) : new (typedArrayFor(dtype))(length);
  return takePooled(dtype, length, zeroed) ?? new (typedArrayFor(dtype))(length);
}

/**
 * A pooled array of this size, if one waits. Apart from takeArray, which is inlined into every
 * op: the smaller it is, the more of an op's other calls V8's inlining budget takes in.
 */
function takePooled(dtype: DType, length: number, zeroed: boolean): TypedArray | undefined {
  const a = pools.get(keyOf(dtype, length))?.pop();
  if (a === undefined) return undefined;
  pooledBytes -= a.byteLength;
  if (zeroed) a.fill(0);
  return a;
}

/** Hands a disposed storage's array back for reuse (no other storage ever shares it). */
export function returnArray(dtype: DType, a: TypedArray): void {
  if (a.length < MIN_POOLED_LENGTH || pooledBytes + a.byteLength > MAX_POOLED_BYTES) return;
  const key = keyOf(dtype, a.length);
  let list = pools.get(key);
  if (list === undefined) {
    list = [];
    pools.set(key, list);
  }
  list.push(a);
  pooledBytes += a.byteLength;
}
