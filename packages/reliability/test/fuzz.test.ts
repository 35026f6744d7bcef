import { readFileSync } from 'node:fs';
import { gradcheck } from '@gd/autograd';
import { type WasmBackend, wasmBackend } from '@gd/backend-wasm';
import * as gd from '@gd/tensor';
import type { Tensor } from '@gd/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_RUNS, checkProperty } from './fuzz-run.js';
import { readCatalogue } from './catalogue.js';
import { type Chain, applyWildStep, chainArb, input, runChain, values, wildChainArb } from './op-chain.js';

let wasm: WasmBackend;
beforeAll(async () => {
  wasm = await wasmBackend();
});

const flat = (t: Tensor): number[] => Array.from(t.dataSync(), Number);

/** |a - b| <= atol + rtol |b| elementwise, with matching shapes. */
function expectClose(a: Tensor, b: Tensor, rtol: number, atol: number): void {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [flat(a), flat(b)];
  x.forEach((v, i) => {
    if (!(Math.abs(v - y[i]!) <= atol + rtol * Math.abs(y[i]!))) throw new Error(`element ${i}: ${v} vs ${y[i]} (shape [${a.shape}])`);
  });
}

const timeout = Math.max(60_000, FUZZ_RUNS * 200);

describe(`random op chains (${FUZZ_RUNS} runs per property)`, () => {
  it(
    'gradcheck holds in float64',
    () =>
      checkProperty(
        'gradcheck holds in float64',
        fc.property(chainArb(), (chain: Chain) => {
          gradcheck((x: Tensor) => runChain(x, chain.steps), [input(chain, 'float64')]);
        }),
      ),
    timeout,
  );

  it(
    'cpu and wasm agree in float32, forward and backward',
    () =>
      checkProperty(
        'cpu and wasm agree in float32, forward and backward',
        fc.property(chainArb(), (chain: Chain) => {
          const [xc, xw] = [input(chain, 'float32'), input(chain, 'float32', wasm)];
          const [yc, yw] = [runChain(xc, chain.steps), runChain(xw, chain.steps)];
          expectClose(yw, yc, 1e-4, 1e-5);
          yc.sum().backward();
          yw.sum().backward();
          expectClose(xw.grad!, xc.grad!, 1e-4, 1e-5);
          for (const t of [xw, xw.grad!, yw]) t.dispose();
        }),
      ),
    timeout,
  );
});

/** A catalogue message as a pattern: numbers, shapes and dtype names vary. */
function messagePattern(documented: string): RegExp {
  const escaped = documented.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const general = escaped
    .replace(/\\\[[-\d, ]*\\\]/g, '\\[[-\\d, ]*\\]')
    .replace(/-?\d+(\\\.\d+)?/g, '-?[\\d.]+(e[-+]\\d+)?')
    .replace(/\b(float|double|long|int|bool|Float|Double|Long|Int|Bool)(Tensor)?\b/g, '\\w+');
  return new RegExp(`^${general}$`);
}

const documented = readCatalogue(readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')).map((row) =>
  messagePattern(`${row.name}: ${row.message}`),
);

describe(`random op chains with bad arguments (${FUZZ_RUNS} runs)`, () => {
  it(
    'throw nothing but documented errors',
    () =>
      checkProperty(
        'throw nothing but documented errors',
        fc.property(wildChainArb(), (chain) => {
          let x: Tensor = gd.fromArray(
            values(
              chain.seed,
              chain.shape.reduce((p, d) => p * d, 1),
            ),
            chain.shape,
            { dtype: chain.dtype, requiresGrad: true },
          );
          for (const step of chain.steps) {
            try {
              x = applyWildStep(x, step);
            } catch (e) {
              if (!(e instanceof Error)) throw new Error(`threw a non-Error: ${String(e)}`);
              const text = `${e.name}: ${e.message}`;
              if (!documented.some((p) => p.test(text))) throw new Error(`undocumented error from ${step.op}: ${text}`);
              return;
            }
          }
        }),
      ),
    timeout,
  );
});
