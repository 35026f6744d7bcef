import { GdTypeError, IndexError, ValueError } from '../errors.js';
import { broadcastShapes, formatShape, numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromHostValues, hostValues } from './host-values.js';
import { indexSelect } from './indexing.js';
import { permute, reshape, select, slice, unsqueeze } from './shape.js';

/** Python's `start:end:step`; absent or null parts take the defaults. */
export interface SliceSpec {
  start?: number | null;
  end?: number | null;
  step?: number;
}

/**
 * One entry of a subscript, as written between Python's brackets:
 * - a number: picks that index and drops the dim (`x[0]`; negative counts from the end);
 * - a slice: the string `':'`, `'1:3'`, `'::2'`, `'-2:'`, or `{ start, end, step }` (`x[:, 1:3]`);
 * - `'...'`: Python's Ellipsis, as many full slices as needed;
 * - `null`: Python's None, a new dim of size 1;
 * - an int64/int32 tensor or a number array: advanced indexing along that dim (`x[idx]`);
 * - a bool tensor or boolean array: a mask over as many dims as it has (`x[mask]`).
 */
export type IndexSpec = number | string | SliceSpec | null | Tensor | readonly number[] | readonly boolean[];

type Parsed =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | null; end: number | null; step: number }
  | { kind: 'ellipsis' }
  | { kind: 'newaxis' }
  | { kind: 'tensor'; index: Tensor };

function parseBound(text: string, spec: string): number | null {
  if (text.trim() === '') return null;
  const v = Number(text);
  if (!Number.isInteger(v)) throw new GdTypeError(`invalid slice '${spec}': bounds must be integers`);
  return v;
}

function parse(spec: IndexSpec, x: Tensor): Parsed {
  if (spec === null) return { kind: 'newaxis' };
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec))
      throw new IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)');
    return { kind: 'int', value: spec };
  }
  if (typeof spec === 'string') {
    if (spec.trim() === '...') return { kind: 'ellipsis' };
    const parts = spec.split(':');
    if (parts.length === 1) return { kind: 'int', value: parseBound(spec, spec) ?? NaN };
    if (parts.length > 3) throw new GdTypeError(`invalid slice '${spec}'`);
    return {
      kind: 'slice',
      start: parseBound(parts[0]!, spec),
      end: parseBound(parts[1]!, spec),
      step: parseBound(parts[2] ?? '', spec) ?? 1,
    };
  }
  if (spec instanceof Tensor) return { kind: 'tensor', index: spec };
  if (Array.isArray(spec)) {
    const isBool = spec.length > 0 && typeof spec[0] === 'boolean';
    const values = (spec as readonly (number | boolean)[]).map(Number);
    return { kind: 'tensor', index: fromHostValues(values, [values.length], isBool ? 'bool' : 'int64', x.storage.backend) };
  }
  const s = spec as SliceSpec;
  return { kind: 'slice', start: s.start ?? null, end: s.end ?? null, step: s.step ?? 1 };
}

/** How many dims of the indexed tensor an entry consumes. */
function consumed(p: Parsed): number {
  if (p.kind === 'int' || p.kind === 'slice') return 1;
  if (p.kind === 'tensor') return p.index.dtype === 'bool' ? p.index.dim() : 1;
  return 0;
}

interface Advanced {
  dim: number;
  index: Tensor;
}

/** A bool mask over dims [d, d + mask.dim()) as one int64 index per dim. */
function maskIndices(y: Tensor, d: number, mask: Tensor): Advanced[] {
  mask.shape.forEach((s, k) => {
    if (s !== y.shape[d + k])
      throw new IndexError(
        `The shape of the mask ${formatShape(mask.shape)} at index ${k} does not match the shape of the indexed tensor ${formatShape(y.shape)} at index ${d + k}`,
      );
  });
  const flags = hostValues(mask);
  const coords: number[][] = mask.shape.map(() => []);
  const coord = new Array<number>(mask.dim()).fill(0);
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) coord.forEach((c, k) => coords[k]!.push(c));
    for (let k = mask.dim() - 1; k >= 0; k--) {
      if (++coord[k]! < mask.shape[k]!) break;
      coord[k] = 0;
    }
  }
  return coords.map((c, k) => ({ dim: d + k, index: fromHostValues(c, [c.length], 'int64', y.storage.backend) }));
}

/**
 * Advanced indexing: the index tensors broadcast together into shape B, and the result has B in
 * place of the indexed dims: where the first of them was if they were adjacent, else in front.
 */
function gatherAdvanced(y: Tensor, adv: readonly Advanced[]): Tensor {
  const B = adv.map((a) => a.index.shape).reduce<number[]>((acc, s) => broadcastShapes(acc, s), []);
  const dims = adv.map((a) => a.dim);
  const sizes = dims.map((d) => y.shape[d]!);
  const rest = y.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const flat = reshape(permute(y, [...dims, ...rest]), [numelOf(sizes), ...rest.map((i) => y.shape[i]!)]);
  // One linear index into the flattened indexed dims.
  const linear = new Float64Array(numelOf(B));
  let scale = 1;
  for (let k = adv.length - 1; k >= 0; k--) {
    const { index } = adv[k]!;
    if (index.dtype !== 'int64' && index.dtype !== 'int32')
      throw new IndexError('tensors used as indices must be long, int, byte or bool tensors');
    const size = sizes[k]!;
    const values = hostValues(index.expand(B));
    values.forEach((v, i) => {
      // PyTorch numbers the dim among the tensor indices, not in x.
      if (v < -size || v >= size) throw new IndexError(`index ${v} is out of bounds for dimension ${k} with size ${size}`);
      linear[i]! += (v < 0 ? v + size : v) * scale;
    });
    scale *= size;
  }
  const picked = indexSelect(flat, 0, fromHostValues(linear, [linear.length], 'int64', y.storage.backend));
  const out = reshape(picked, [...B, ...rest.map((i) => y.shape[i]!)]);
  const adjacent = dims.every((d, k) => k === 0 || d === dims[k - 1]! + 1);
  const before = dims[0]!;
  if (!adjacent || before === 0) return out;
  // Put B back where the indexed dims were: the rest dims before them, B, the other rest dims.
  const b = B.length;
  const restDims = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => b + from + i);
  return permute(out, [...restDims(0, before), ...B.map((_, i) => i), ...restDims(before, rest.length)]);
}

/**
 * Python's `x[...]`: `index(x, 0)` is `x[0]`, `index(x, ':', '1:3')` is `x[:, 1:3]`,
 * `index(x, idx)` is `x[idx]`, `index(x, mask)` is `x[mask]`. See `IndexSpec`. Basic entries give
 * views; tensor entries give copies (via indexSelect), recorded for autograd as the ops used.
 */
export function index(x: Tensor, ...specs: IndexSpec[]): Tensor {
  const parsed = specs.map((s) => parse(s, x));
  const ellipses = parsed.filter((p) => p.kind === 'ellipsis').length;
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const used = parsed.reduce((n, p) => n + consumed(p), 0);
  if (used > x.dim()) throw new IndexError(`too many indices for tensor of dimension ${x.dim()}`);
  let y = x;
  let d = 0;
  const adv: Advanced[] = [];
  for (const p of parsed) {
    switch (p.kind) {
      case 'int': {
        // Unlike NumPy, PyTorch selects ints first: they never count as tensor indices.
        const size = y.shape[d]!;
        if (p.value < -size || p.value >= size)
          throw new IndexError(`index ${p.value} is out of bounds for dimension ${d} with size ${size}`);
        y = select(y, d, p.value);
        break;
      }
      case 'slice':
        if (p.step <= 0) throw new ValueError('step must be greater than zero');
        y = slice(y, d, p.start, p.end, p.step);
        d++;
        break;
      case 'newaxis':
        y = unsqueeze(y, d);
        d++;
        break;
      case 'ellipsis':
        d += x.dim() - used;
        break;
      case 'tensor':
        if (p.index.dtype === 'bool') {
          adv.push(...maskIndices(y, d, p.index));
          d += p.index.dim();
        } else {
          adv.push({ dim: d, index: p.index });
          d++;
        }
        break;
    }
  }
  return adv.length === 0 ? y : gatherAdvanced(y, adv);
}
