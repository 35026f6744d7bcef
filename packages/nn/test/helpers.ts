import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DType, fromArray, type Tensor, tensor } from '@gd/tensor';
import { expect } from 'vitest';
import * as nn from '../src/index.js';

/** A tensor as the fixtures write it: shape, flat row-major data, optional dtype. */
export interface FixtureTensor {
  shape: number[];
  data: (number | string)[];
  dtype?: string;
}

const NONFINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function fromFixture(f: FixtureTensor, dtype?: DType): Tensor {
  const values = f.data.map((v) => (typeof v === 'string' ? NONFINITE[v]! : v));
  return fromArray(values, f.shape, { dtype: dtype ?? (f.dtype as DType | undefined) ?? 'float32' });
}

export function readJson<T>(relativeToTest: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(relativeToTest, import.meta.url)), 'utf8')) as T;
}

/** Asserts shape and values within PyTorch's default allclose tolerances (or the given ones). */
export function expectClose(actual: Tensor, expected: FixtureTensor, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.shape).toEqual(expected.shape);
  const got = Array.from(actual.dataSync());
  const want = expected.data.map((v) => (typeof v === 'string' ? NONFINITE[v]! : v));
  got.forEach((g, i) => {
    const w = want[i]!;
    if (Number.isNaN(w)) expect(g, `element ${i}`).toBeNaN();
    else if (!Number.isFinite(w)) expect(g, `element ${i}`).toBe(w);
    else expect(Math.abs(g - w), `element ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w));
  });
}

/**
 * Builds a module from a fixture's constructor text (`Linear(3, 2)`, `Conv2d(1, 6, 3, { padding: 1 })`):
 * the same words a PyTorch user writes, with `new` added before each class name.
 */
export function construct(expression: string): nn.Module {
  const scope: Record<string, unknown> = { ...Object.fromEntries(Object.entries(nn).filter(([k]) => /^[A-Z]/.test(k))), tensor };
  const source = `return ${expression.replace(/\b([A-Z][A-Za-z0-9]*)\(/g, 'new $1(')};`;
  return new Function(...Object.keys(scope), source)(...Object.values(scope)) as nn.Module;
}
