import { IndexError, RuntimeError } from './errors.js';

export type Shape = readonly number[];

export function numelOf(shape: Shape): number {
  // An indexed loop: where V8 does not inline this call, `for...of` allocates an iterator per call.
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    if (size === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= size;
  }
  return true;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Broadcasts shapes right-aligned, with PyTorch's message on a mismatch. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  if (shapesEqual(a, b)) return a.slice();
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const ai = a.length - n + i;
    const bi = b.length - n + i;
    const sa = ai >= 0 ? a[ai]! : 1;
    const sb = bi >= 0 ? b[bi]! : 1;
    if (sa === sb || sb === 1) out[i] = sa;
    else if (sa === 1) out[i] = sb;
    else throw new RuntimeError(`The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`);
  }
  return out;
}

/** Whether a tensor of `shape` broadcasts to `desired` (PyTorch's is_expandable_to): their broadcast is then `desired`. */
export function isExpandableTo(shape: Shape, desired: Shape): boolean {
  const lead = desired.length - shape.length;
  if (lead < 0) return false;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (s !== desired[lead + i] && s !== 1) return false;
  }
  return true;
}

/** `list` with `value` inserted at `at` (a new array, made at its final length). */
export function insertAt(list: readonly number[], at: number, value: number): number[] {
  const out = new Array<number>(list.length + 1);
  for (let i = 0; i < out.length; i++) out[i] = i < at ? list[i]! : i === at ? value : list[i - 1]!;
  return out;
}

/** `list` without its element at `at` (a new array, made at its final length). */
export function removeAt(list: readonly number[], at: number): number[] {
  const out = new Array<number>(list.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = list[i < at ? i : i + 1]!;
  return out;
}

/** Wraps a possibly negative dim into [0, rank), with PyTorch's message when out of range. */
export function normalizeDim(dim: number, rank: number): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + r : dim;
}

/** Normalizes a dim list (null = all dims), rejecting repeats as PyTorch does. */
export function normalizeDims(dims: number | readonly number[] | null | undefined, rank: number): number[] {
  if (dims === null || dims === undefined) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  if (typeof dims === 'number') {
    const nd = normalizeDim(dims, rank);
    return rank === 0 ? [] : [nd];
  }
  // Lists of dims are short: the array itself is a cheaper `seen` set than a Set (reductions call
  // this per op), made at its final length (an empty array grows by 16 slots at its first push).
  const seen = new Array<number>(dims.length);
  for (let i = 0; i < dims.length; i++) {
    const nd = normalizeDim(dims[i]!, rank);
    for (let j = 0; j < i; j++) if (seen[j] === nd) throw new RuntimeError(`dim ${nd} appears multiple times in the list of dims`);
    seen[i] = nd;
  }
  if (rank === 0) return [];
  return seen.length > 1 ? seen.sort((x, y) => x - y) : seen;
}

/** Validates sizes given to a creation function or view. */
export function checkSizes(shape: readonly number[], what = 'size'): void {
  for (const s of shape) {
    if (!Number.isInteger(s)) throw new TypeError(`${what} must be a sequence of integers, but got ${formatShape(shape)}`);
    if (s < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: ${formatShape(shape)}`);
  }
}

/** Resolves one -1 in a requested shape, with PyTorch's message for an impossible request. */
export function inferShape(shape: readonly number[], numel: number): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (s === -1) {
      if (infer >= 0) throw new RuntimeError('only one dimension can be inferred');
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new RuntimeError(`invalid shape dimension ${s}`);
    } else known *= s;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) throw new RuntimeError(`shape '${formatShape(shape)}' is invalid for input of size ${numel}`);
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw new RuntimeError(`shape '${formatShape(shape)}' is invalid for input of size ${numel}`);
  }
  return out;
}

/**
 * Strides for viewing (shape, strides) as newShape without a copy, or null when impossible
 * (PyTorch's computeStride).
 */
export function viewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | null {
  const n = numelOf(shape);
  // Empty and 0-d tensors have no layout to respect: any shape of the same numel is a view.
  if (n === 0 || shape.length === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = strides[shape.length - 1] ?? 1;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d]!;
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}
