import { readFileSync } from 'node:fs';
import { type DType, fromArray, type Tensor } from '@gd/tensor';

/** One case of a golden file: an `id` plus whatever its file's schema defines (shared/golden/README.md). */
export interface GoldenCase {
  readonly id: string;
  readonly rtol: number;
  readonly atol: number;
  readonly [field: string]: unknown;
}

export interface GoldenFile {
  readonly schemaVersion: number;
  /** The PyTorch version that generated the file ("1.13.0a0"). */
  readonly torch: string;
  readonly cases: readonly GoldenCase[];
}

/** A tensor as a fixture writes it: the logical values in row-major order, numbers only (bools as 0/1). */
export interface FixtureTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values: readonly number[];
  /** 'transposed': the op must see a non-contiguous tensor (the transpose of contiguous storage). */
  readonly layout: 'contiguous' | 'transposed';
  readonly requiresGrad: boolean;
}

/** One positional argument of an op case. */
export type FixtureArg =
  | { readonly kind: 'tensor'; readonly tensor: FixtureTensor }
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'tensors'; readonly tensors: readonly FixtureTensor[] }
  | { readonly kind: 'absent' };

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'bool'];
const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

export function loadGoldenFile(path: string): GoldenFile {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<GoldenFile>;
  if (!Array.isArray(parsed.cases)) throw new Error(`${path}: no "cases" array`);
  return { schemaVersion: parsed.schemaVersion ?? 0, torch: String(parsed.torch ?? ''), cases: parsed.cases };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A fixture number: a JSON number, a boolean, or one of the strings "NaN", "Infinity", "-Infinity". */
export function parseNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v]!;
  throw new Error(`not a fixture number: ${JSON.stringify(v)}`);
}

export function parseTensor(raw: unknown): FixtureTensor {
  if (!isRecord(raw) || !Array.isArray(raw.shape) || !Array.isArray(raw.data))
    throw new Error(`not a fixture tensor: ${JSON.stringify(raw)?.slice(0, 80)}`);
  const dtype = (raw.dtype ?? 'float32') as DType;
  if (!DTYPES.includes(dtype)) throw new Error(`unknown fixture dtype ${String(raw.dtype)}`);
  const shape = raw.shape.map(Number);
  const values = raw.data.map(parseNumber);
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel !== values.length) throw new Error(`fixture tensor of shape [${shape.join(', ')}] has ${values.length} values`);
  const layout = raw.layout === 'transposed' ? 'transposed' : 'contiguous';
  if (layout === 'transposed' && shape.length < 2) throw new Error('a transposed fixture tensor needs at least 2 dims');
  return { dtype, shape, values, layout, requiresGrad: raw.requiresGrad === true };
}

export function parseArg(raw: unknown): FixtureArg {
  if (raw === null) return { kind: 'absent' };
  if (isRecord(raw) && 'scalar' in raw) return { kind: 'scalar', value: parseNumber(raw.scalar) };
  if (isRecord(raw) && Array.isArray(raw.tensors)) return { kind: 'tensors', tensors: raw.tensors.map(parseTensor) };
  return { kind: 'tensor', tensor: parseTensor(raw) };
}

/** `values` of a row-major tensor of `shape` reordered as the contiguous storage of its last-two-dims transpose. */
export function transposeLastTwo(values: readonly number[], shape: readonly number[]): number[] {
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  const out = new Array<number>(values.length);
  for (let base = 0; base < values.length; base += rows * cols)
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[base + c * rows + r] = values[base + r * cols + c]!;
  return out;
}

/**
 * The gd tensor a fixture describes, on the current backend. A transposed fixture becomes the
 * `.transpose(-2, -1)` of contiguous storage, as the generator built it; it is still a leaf, so
 * its `.grad` has the logical shape the fixture's grads use.
 */
export function toTensor(t: FixtureTensor): Tensor {
  let out: Tensor;
  if (t.layout === 'transposed') {
    const n = t.shape.length;
    const stored = [...t.shape.slice(0, n - 2), t.shape[n - 1]!, t.shape[n - 2]!];
    out = fromArray(transposeLastTwo(t.values, t.shape), stored, { dtype: t.dtype }).transpose(-2, -1);
  } else out = fromArray(t.values, t.shape, { dtype: t.dtype });
  if (t.requiresGrad) out.requiresGrad = true;
  return out;
}
