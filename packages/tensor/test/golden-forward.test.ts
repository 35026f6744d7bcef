import { describe, expect, it } from 'vitest';
import {
  argmax,
  argmin,
  cat,
  expand,
  gather,
  indexSelect,
  logSoftmax,
  logsumexp,
  max,
  mean,
  min,
  permute,
  reshape,
  slice,
  softmax,
  squeeze,
  stack,
  std,
  sum,
  type Tensor,
  transpose,
  unsqueeze,
  var as variance,
  amax,
  amin,
} from '../src/index.js';
import { expectClose, fixtureTensor, goldenCases, type OpCase, type RawTensor } from './golden-cases.js';

/** The attrs the golden ops use (each op reads its own). */
interface Attrs {
  dim: number | number[] | null;
  keepdim: boolean;
  unbiased?: boolean;
  correction?: number;
  start: number | null;
  end: number | null;
  step: number;
  shape: number[];
  dim0: number;
  dim1: number;
  dims: number[];
  size: number[];
}
type Dim = number;
type Input = Tensor | Tensor[];

/** The forward of each golden op, from its positional inputs and attrs (schema: shared/golden/README.md). */
const FORWARD: Record<string, (inputs: Input[], a: Attrs) => Tensor> = {
  sum: ([x], a) => sum(x as Tensor, { dim: a.dim, keepdim: a.keepdim }),
  mean: ([x], a) => mean(x as Tensor, { dim: a.dim, keepdim: a.keepdim }),
  amax: ([x], a) => amax(x as Tensor, { dim: a.dim, keepdim: a.keepdim }),
  amin: ([x], a) => amin(x as Tensor, { dim: a.dim, keepdim: a.keepdim }),
  logsumexp: ([x], a) => logsumexp(x as Tensor, { dim: a.dim, keepdim: a.keepdim }),
  max: ([x], a) => (a.dim === null ? max(x as Tensor) : max(x as Tensor, a.dim as number, a.keepdim).values),
  min: ([x], a) => (a.dim === null ? min(x as Tensor) : min(x as Tensor, a.dim as number, a.keepdim).values),
  var: ([x], a) => variance(x as Tensor, { dim: a.dim, keepdim: a.keepdim, unbiased: a.unbiased, correction: a.correction }),
  std: ([x], a) => std(x as Tensor, { dim: a.dim, keepdim: a.keepdim, unbiased: a.unbiased, correction: a.correction }),
  argmax: ([x], a) => argmax(x as Tensor, a.dim as Dim | null, a.keepdim),
  argmin: ([x], a) => argmin(x as Tensor, a.dim as Dim | null, a.keepdim),
  softmax: ([x], a) => softmax(x as Tensor, a.dim as Dim),
  log_softmax: ([x], a) => logSoftmax(x as Tensor, a.dim as Dim),
  cat: ([ts], a) => cat(ts as Tensor[], a.dim as Dim),
  stack: ([ts], a) => stack(ts as Tensor[], a.dim as Dim),
  slice: ([x], a) => slice(x as Tensor, a.dim as Dim, a.start, a.end, a.step),
  index_select: ([x, i], a) => indexSelect(x as Tensor, a.dim as Dim, i as Tensor),
  gather: ([x, i], a) => gather(x as Tensor, a.dim as Dim, i as Tensor),
  reshape: ([x], a) => reshape(x as Tensor, a.shape),
  transpose: ([x], a) => transpose(x as Tensor, a.dim0, a.dim1),
  permute: ([x], a) => permute(x as Tensor, a.dims),
  unsqueeze: ([x], a) => unsqueeze(x as Tensor, a.dim as Dim),
  squeeze: ([x], a) => squeeze(x as Tensor, a.dim as Dim | null),
  expand: ([x], a) => expand(x as Tensor, a.size),
};

function inputOf(raw: OpCase['inputs'][number]): Input {
  const list = (raw as { tensors?: RawTensor[] }).tensors;
  return list ? list.map(fixtureTensor) : fixtureTensor(raw as RawTensor);
}

describe('forward values match PyTorch (shared/golden/ops.json)', () => {
  for (const [op, forward] of Object.entries(FORWARD)) {
    const cases = goldenCases(op);
    it(`${op}: ${cases.length} cases`, () => {
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        const out = forward(c.inputs.map(inputOf), c.attrs as unknown as Attrs);
        if (c.output.dtype) expect(out.dtype, c.id).toBe(c.output.dtype);
        expectClose(out, c.output, c.rtol, c.atol, c.id);
      }
    });
  }
});
