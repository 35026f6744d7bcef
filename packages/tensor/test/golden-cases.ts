import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type DType, fromArray, type Tensor } from '../src/index.js';

/** One case of /work/shared/golden/ops.json (schema in that folder's README.md). */
export interface OpCase {
  id: string;
  op: string;
  inputs: (RawTensor | { scalar: number | string } | null)[];
  attrs: Record<string, unknown>;
  output: RawTensor;
  rtol: number;
  atol: number;
}

export interface RawTensor {
  shape: number[];
  data: (number | boolean | string)[];
  dtype?: DType;
  layout?: 'transposed';
}

const GOLDEN = new URL('../../../../shared/golden/ops.json', import.meta.url);

/** The cases of one op in the shared golden ops.json. */
export function goldenCases(op: string): OpCase[] {
  return readCases<OpCase>(GOLDEN).filter((c) => c.op === op);
}

/** Every case of a fixture file written like the golden ones. */
export function readCases<C>(file: URL): C[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: C[] }).cases;
}

const num = (v: number | boolean | string): number =>
  typeof v === 'string' ? ({ NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity } as Record<string, number>)[v]! : Number(v);

/** The tensor a fixture describes; a transposed one is the transpose of contiguous storage. */
export function fixtureTensor(raw: RawTensor): Tensor {
  const dtype = raw.dtype ?? 'float32';
  const values = raw.data.map(num);
  const n = raw.shape.length;
  if (raw.layout !== 'transposed') return fromArray(values, raw.shape, { dtype });
  const rows = raw.shape[n - 2]!;
  const cols = raw.shape[n - 1]!;
  const stored = new Array<number>(values.length);
  for (let base = 0; base < values.length; base += rows * cols)
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) stored[base + c * rows + r] = values[base + r * cols + c]!;
  return fromArray(stored, [...raw.shape.slice(0, n - 2), cols, rows], { dtype }).transpose(-2, -1);
}

/** Inputs as tensors (null for an absent optional argument). */
export function fixtureInputs(c: OpCase): (Tensor | null)[] {
  return c.inputs.map((i) => (i === null ? null : fixtureTensor(i as RawTensor)));
}

/** numpy.isclose with the case's tolerances, NaN matching NaN. */
export function expectClose(actual: Tensor, expected: RawTensor, rtol: number, atol: number, label = ''): void {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = Array.from(actual.dataSync());
  const e = expected.data.map(num);
  const bad: string[] = [];
  e.forEach((ev, i) => {
    const av = a[i]!;
    const ok = Number.isNaN(ev) ? Number.isNaN(av) : !Number.isFinite(ev) ? av === ev : Math.abs(av - ev) <= atol + rtol * Math.abs(ev);
    if (!ok) bad.push(`[${i}] ${av} vs ${ev}`);
  });
  expect(bad, label).toEqual([]);
}
