import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DType, fromArray, type Tensor } from '@gd/tensor';

/** The shared golden fixtures: the repo root is three levels above this folder, `shared` is its sibling. */
export const GOLDEN_DIR = fileURLToPath(new URL('../../../../shared/golden/', import.meta.url));

export interface JsonTensor {
  shape: number[];
  dtype?: DType;
  data: number[];
}

export function loadCases<C>(file: string): C[] {
  return (JSON.parse(readFileSync(GOLDEN_DIR + file, 'utf8')) as { cases: C[] }).cases;
}

export function fromJson(t: JsonTensor, requiresGrad = false): Tensor {
  return fromArray(t.data, t.shape, { dtype: t.dtype ?? 'float32', requiresGrad });
}

/** numpy.isclose over flat values: the first index that is not close, or -1. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) return 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return i;
  }
  return -1;
}
