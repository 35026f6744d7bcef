import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dot, fromArray, mm } from '../src/index.js';

interface Case {
  op: 'mm' | 'dot';
  a: { shape: number[]; data: number[] };
  b: { shape: number[]; data: number[] };
  out: number[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/blas-order.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('float32 matmul and dot sum in PyTorch/OpenBLAS order', () => {
  for (const c of fixture.cases) {
    const label = `${c.op} ${c.a.shape.join('x')} · ${c.b.shape.join('x')}`;
    it(`${label} is bit-identical to torch`, () => {
      const a = fromArray(Float32Array.from(c.a.data), c.a.shape);
      const b = fromArray(Float32Array.from(c.b.data), c.b.shape);
      const out = c.op === 'mm' ? mm(a, b) : dot(a, b);
      expect(Array.from(out.dataSync())).toEqual(c.out.map(Math.fround));
    });
  }
});
