import { readFileSync } from 'node:fs';
import { type DType, fromArray, type Tensor } from '@gd/tensor';

/** A tensor in the golden fixtures' schema (/work/shared/golden/README.md). */
export interface RawTensor {
  shape: number[];
  data: (number | boolean | string)[];
  dtype?: DType;
  requiresGrad?: boolean;
  layout?: 'transposed';
}
export type RawInput = RawTensor | { scalar: number } | { tensors: RawTensor[] } | null;
export type RawGrad = RawTensor | { tensors: (RawTensor | null)[] } | null;

export interface OpCase {
  id: string;
  op: string;
  inputs: RawInput[];
  attrs: Record<string, unknown>;
  output: RawTensor;
  gradOutput: RawTensor | null;
  grads: RawGrad[] | null;
  rtol: number;
  atol: number;
}

const GOLDEN_DIR = new URL('../../../../shared/golden/', import.meta.url);

export function readGolden<C>(file: string): C[] {
  return (JSON.parse(readFileSync(new URL(file, GOLDEN_DIR), 'utf8')) as { cases: C[] }).cases;
}

export const num = (v: number | boolean | string): number =>
  typeof v === 'string' ? ({ NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity } as Record<string, number>)[v]! : Number(v);

/** The logical tensor a fixture describes; "transposed" ones are the transpose of contiguous storage. */
export function fixtureTensor(raw: RawTensor): Tensor {
  const dtype = raw.dtype ?? 'float32';
  const values = raw.data.map(num);
  const n = raw.shape.length;
  let t: Tensor;
  if (raw.layout !== 'transposed') t = fromArray(values, raw.shape, { dtype });
  else {
    const rows = raw.shape[n - 2]!;
    const cols = raw.shape[n - 1]!;
    const stored = new Array<number>(values.length);
    for (let base = 0; base < values.length; base += rows * cols)
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) stored[base + c * rows + r] = values[base + r * cols + c]!;
    t = fromArray(stored, [...raw.shape.slice(0, n - 2), cols, rows], { dtype }).transpose(-2, -1);
  }
  // A transposed leaf is a view; detach makes it a leaf that still has the strided layout.
  t = t.detach();
  if (raw.requiresGrad) t.requiresGrad_();
  return t;
}

/** Elements of `actual` outside |a - e| <= atol + rtol |e| (numpy.isclose; NaN matches NaN). */
export function mismatches(actual: Tensor, expected: RawTensor, rtol: number, atol: number): string[] {
  if (actual.shape.join() !== expected.shape.join()) return [`shape [${actual.shape}] vs [${expected.shape}]`];
  const a = Array.from(actual.dataSync());
  const bad: string[] = [];
  expected.data.map(num).forEach((e, i) => {
    const v = a[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(v) : !Number.isFinite(e) ? v === e : Math.abs(v - e) <= atol + rtol * Math.abs(e);
    if (!ok) bad.push(`[${i}] ${v} vs ${e}`);
  });
  return bad;
}
