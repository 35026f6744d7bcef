import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Tensor, bmm, cpuBackend, exp, matmul, mm, setBackend, sum } from '@gd/tensor';
import { wasmBackend } from '../src/index.js';
import { type OpCase, expectClose, fixtureInputs, goldenCases } from '../../tensor/test/golden-cases.js';

/** The golden ops this package checks end to end on wasm (the full suite runs in packages/conformance). */
const RUN: Record<string, (inputs: Tensor[], attrs: OpCase['attrs']) => Tensor> = {
  matmul: ([a, b]) => matmul(a!, b!),
  mm: ([a, b]) => mm(a!, b!),
  bmm: ([a, b]) => bmm(a!, b!),
  exp: ([x]) => exp(x!),
  sum: ([x], attrs) => sum(x!, { dim: attrs.dim as number | number[] | null, keepdim: attrs.keepdim as boolean }),
};

describe('golden cases from PyTorch on the wasm backend', () => {
  beforeAll(async () => {
    setBackend(await wasmBackend());
  });
  afterAll(() => {
    setBackend(cpuBackend);
  });

  for (const [op, run] of Object.entries(RUN)) {
    for (const c of goldenCases(op)) {
      it(`${c.id} matches PyTorch and the cpu backend`, () => {
        const inputs = fixtureInputs(c) as Tensor[];
        expect(inputs.every((t) => t.device === 'wasm')).toBe(true);
        const out = run(inputs, c.attrs);
        expect(out.device).toBe('wasm');
        expectClose(out, c.output, c.rtol, c.atol, c.id);
        const onCpu = run(
          inputs.map((t) => t.to('cpu')),
          c.attrs,
        );
        expectClose(out.to('cpu'), { shape: onCpu.shape.slice(), data: Array.from(onCpu.dataSync()) }, c.rtol, c.atol, `${c.id} vs cpu`);
      });
    }
  }
});
