import { describe, expect, it } from 'vitest';
import { cat, countNonzero, hstack, manualSeed, stack, Tensor, vstack } from '../src/index.js';
import { fixtureTensor, type RawTensor, readCases } from './golden-cases.js';

/** A case of fixtures/ops-a.json (written by fixtures/generate_ops_a.py from real torch). */
interface Case {
  id: string;
  op: string;
  inputs: unknown[];
  kwargs: Record<string, unknown>;
  exact: boolean;
  seed: number | null;
  result: RawTensor | RawTensor[] | { error: { type: string; message: string } };
}

const CASES = readCases<Case>(new URL('./fixtures/ops-a.json', import.meta.url));

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function decode(v: unknown): unknown {
  if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v];
  if (v !== null && typeof v === 'object') {
    if ('tensor' in v) return fixtureTensor((v as { tensor: RawTensor }).tensor);
    if ('tensors' in v) return (v as { tensors: RawTensor[] }).tensors.map(fixtureTensor);
  }
  return v;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** PyTorch keyword arguments as a gd options object. */
function options(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camel(k), v]));
}

/** Calls the gd counterpart of the case's torch call: `x.op(...args, options)` unless noted. */
function call(c: Case): unknown {
  const [x, ...args] = c.inputs.map(decode) as [Tensor, ...unknown[]];
  const o = options(c.kwargs);
  const withOptions = Object.keys(o).length > 0 ? [...args, o] : args;
  switch (c.op) {
    case 'cat':
      return cat(x as unknown as Tensor[], o.dim as number | undefined);
    case 'stack':
      return stack(x as unknown as Tensor[], o.dim as number | undefined);
    case 'hstack':
      return hstack(x as unknown as Tensor[]);
    case 'vstack':
      return vstack(x as unknown as Tensor[]);
    case 'count_nonzero':
      return countNonzero(x, (o.dim as number[] | undefined) ?? null);
    case 'max_dim':
      return x.max(...(withOptions as [number]));
    case 'min_dim':
      return x.min(...(withOptions as [number]));
    case 'diagonal':
      return args.length > 0 ? x.diagonal(...(args as number[])) : x.diagonal(o.offset as number, o.dim1 as number, o.dim2 as number);
    default: {
      const method = (x as unknown as Record<string, (...a: unknown[]) => unknown>)[camel(c.op)];
      if (typeof method !== 'function') throw new Error(`no method ${camel(c.op)}`);
      return method.apply(x, withOptions);
    }
  }
}

function outputsOf(r: unknown): Tensor[] {
  if (r instanceof Tensor) return [r];
  return [...(r as Iterable<Tensor>)];
}

function same(a: number, e: number, exact: boolean, float: boolean): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (exact || !float || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= 1e-6 + 1e-5 * Math.abs(e);
}

function expectTensor(actual: Tensor, expected: RawTensor, exact: boolean, label: string): void {
  expect(actual.shape, label).toEqual(expected.shape);
  expect(actual.dtype, label).toBe(expected.dtype);
  const want = fixtureTensor(expected).dataSync();
  const got = actual.dataSync();
  const float = actual.isFloatingPoint();
  const bad: string[] = [];
  want.forEach((e, i) => {
    if (!same(got[i]!, e, exact, float)) bad.push(`[${i}] ${got[i]} vs ${e}`);
  });
  expect(bad, label).toEqual([]);
}

describe('ops agree with PyTorch (fixtures/ops-a.json)', () => {
  for (const c of CASES) {
    it(c.id, () => {
      if (c.seed !== null) manualSeed(c.seed);
      if ('error' in c.result) {
        const { type, message } = c.result.error;
        let thrown: unknown = null;
        try {
          call(c);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, 'expected an error').toBeInstanceOf(Error);
        expect((thrown as Error).message).toBe(message);
        expect((thrown as Error).name).toBe(type);
        return;
      }
      const outputs = outputsOf(call(c));
      const expected = Array.isArray(c.result) ? c.result : [c.result];
      expect(outputs.length).toBe(expected.length);
      outputs.forEach((t, i) => expectTensor(t, expected[i]!, c.exact, `${c.id} output ${i}`));
    });
  }
});
