import '@gd/autograd';
import type { Tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { fixtureTensor, mismatches, type OpCase, type RawGrad, type RawInput, type RawTensor, readGolden } from './golden.js';
import { GOLDEN_OPS } from './golden-ops.js';

type Arg = Tensor | number | Tensor[] | null;

function buildInput(raw: RawInput): Arg {
  if (raw === null) return null;
  if ('scalar' in raw) return raw.scalar;
  if ('tensors' in raw) return raw.tensors.map(fixtureTensor);
  return fixtureTensor(raw);
}

/** Each computed gradient paired with its expected value (tensor lists flattened). */
function gradPairs(args: Arg[], grads: RawGrad[]): [Tensor, RawTensor | null][] {
  return args.flatMap((arg, i): [Tensor, RawTensor | null][] => {
    const g = grads[i] ?? null;
    if (Array.isArray(arg)) return arg.map((t, k) => [t, (g as { tensors: (RawTensor | null)[] } | null)?.tensors[k] ?? null]);
    return arg !== null && typeof arg === 'object' ? [[arg, g as RawTensor | null]] : [];
  });
}

const differentiable = readGolden<OpCase>('ops.json').filter((c) => c.gradOutput !== null);

describe('gradients of every golden ops.json case (d sum(output * gradOutput) / d input)', () => {
  it.each(differentiable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const run = GOLDEN_OPS[c.op];
    expect(run, `no mapping for ${c.op}`).toBeDefined();
    const args = c.inputs.map(buildInput);
    const out = run!(args, c.attrs);
    out.backward(fixtureTensor(c.gradOutput!));
    for (const [t, expected] of gradPairs(args, c.grads!)) {
      if (expected === null) expect(t.grad).toBeNull();
      else expect(mismatches(t.grad!, expected, c.rtol, c.atol), c.id).toEqual([]);
    }
  });
});
