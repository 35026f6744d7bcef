import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addInterceptor,
  arange,
  cat,
  logSoftmax,
  type OpCall,
  OP_NAMES,
  softmax,
  stack,
  type Tensor,
  tensor,
  ValuesIndices,
  withGradMode,
  zeros,
} from '../src/index.js';

let calls: OpCall[] = [];
let remove: () => void = () => {};
beforeEach(() => {
  calls = [];
  remove = addInterceptor((c) => calls.push(c));
});
afterEach(() => remove());

/** The one call `fn` records (ops called inside an op are not seen). */
function recorded(fn: () => unknown): OpCall {
  calls = [];
  fn();
  expect(calls.map((c) => c.op)).toHaveLength(1);
  return calls[0]!;
}

describe('dispatch records each op once, with the contract inputs, attrs and outputs', () => {
  const x = arange(12, { dtype: 'float32' }).view(3, 4);
  const idx = tensor([2, 0], { dtype: 'int64' });

  it('reductions normalize dims', () => {
    expect(recorded(() => x.max(-1)).attrs).toEqual({ dim: 1, keepdim: false });
    expect(recorded(() => x.max(-1)).op).toBe('maxDim');
    expect(recorded(() => x.max(-1)).outputs.map((t) => t.dtype)).toEqual(['float32', 'int64']);
    expect(recorded(() => x.min()).op).toBe('min');
    expect(recorded(() => x.logsumexp([-1, 0], true)).attrs).toEqual({ dim: [0, 1], keepdim: true });
    expect(recorded(() => x.var(1, { correction: 0 })).attrs).toEqual({ dim: [1], keepdim: false, correction: 0 });
    expect(recorded(() => x.std()).attrs).toEqual({ dim: [0, 1], keepdim: false, correction: 1 });
    expect(recorded(() => x.prod(1)).attrs).toEqual({ dim: [1], keepdim: false });
    expect(recorded(() => x.norm(3, -1)).attrs).toEqual({ p: 3, dim: [1], keepdim: false });
    expect(recorded(() => x.norm()).attrs).toEqual({ p: 2, dim: [0, 1], keepdim: false });
  });

  it('softmax, scans and ordering', () => {
    expect(recorded(() => softmax(x, -1)).attrs).toEqual({ dim: 1 });
    expect(recorded(() => logSoftmax(x, 0)).op).toBe('logSoftmax');
    expect(recorded(() => x.cumsum(-1)).attrs).toEqual({ dim: 1 });
    expect(recorded(() => x.cumprod(0)).op).toBe('cumprod');
    const sort = recorded(() => x.sort({ descending: true }));
    expect([sort.op, sort.attrs, sort.outputs.length]).toEqual(['sort', { dim: 1, descending: true }, 2]);
    expect(recorded(() => x.topk(2, 0, false)).attrs).toEqual({ k: 2, dim: 0, largest: false, sorted: true });
  });

  it('joining and indexing', () => {
    const c = recorded(() => cat([x, x], -1));
    expect([c.op, c.inputs.length, c.attrs]).toEqual(['cat', 2, { dim: 1 }]);
    expect(recorded(() => stack([x, x], -1)).attrs).toEqual({ dim: 2 });
    const row = idx.view(1, 2);
    const column = idx.view(2, 1);
    const g = recorded(() => x.gather(-1, row));
    expect([g.op, g.inputs, g.attrs]).toEqual(['gather', [x, row], { dim: 1 }]);
    expect(recorded(() => x.indexSelect(0, idx)).attrs).toEqual({ dim: 0 });
    const src = zeros(2, 1);
    const s = recorded(() => x.scatterAdd(0, column, src));
    expect([s.op, s.inputs.length, s.attrs]).toEqual(['scatterAdd', 3, { dim: 0 }]);
    const v = recorded(() => x.scatter(1, row, 5));
    expect([v.op, v.inputs[2], v.attrs]).toEqual(['scatter', null, { dim: 1, value: 5 }]);
    const mask = x.gt(3);
    const m = recorded(() => x.maskedFill(mask, -1));
    expect([m.op, m.inputs[2], m.attrs]).toEqual(['maskedFill', null, { value: -1 }]);
  });

  it('index_add with alpha records the scaling as a mul first', () => {
    calls = [];
    x.indexAdd(0, idx, zeros(2, 4), { alpha: 2 });
    expect(calls.map((c) => c.op)).toEqual(['mul', 'indexAdd']);
  });

  it('every dispatched name is listed in OP_NAMES', () => {
    calls = [];
    const t = x.clone();
    t.addcmul(x, x, { value: 2 });
    t.addcdiv(x, x.add(1));
    t.lerp(x, 0.5);
    t.repeat(2, 1);
    t.flip(0);
    t.roll(1, 0);
    t.tril();
    t.diag();
    t.diagonal();
    t.take(idx);
    t.maskedSelect(t.gt(2));
    t.nonzero();
    t.unique();
    t.kthvalue(1);
    t.cummax(0);
    t.all();
    t.countNonzero();
    t.nansum();
    t.argmax();
    t.normal_();
    t.uniform_();
    t.bernoulli_(0.5);
    for (const c of calls) expect(OP_NAMES, c.op).toHaveProperty(c.op);
  });
});

describe('values-and-indices results', () => {
  it('read by name, by position and by destructuring, printed as PyTorch prints them', () => {
    const r = tensor([
      [1, 5, 2],
      [7, 0, 7],
    ]).max(1);
    expect(r).toBeInstanceOf(ValuesIndices);
    const [values, indices] = r;
    expect(values!.tolist()).toEqual([5, 7]);
    expect(indices!.tolist()).toEqual([1, 0]);
    expect(r[0]).toBe(r.values);
    expect(r[1]).toBe(r.indices);
    expect(String(r)).toBe('torch.return_types.max(\nvalues=tensor([5., 7.]),\nindices=tensor([1, 0]))');
  });
});

describe('in-place ops', () => {
  const leaf = () => tensor([1, 2, 3]).requiresGrad_();
  const refusal = 'a leaf Variable that requires grad is being used in an in-place operation.';

  it('refuse a leaf that requires grad', () => {
    const i = tensor([0], { dtype: 'int64' });
    const ops: ((t: Tensor) => unknown)[] = [
      (t) => t.maskedFill_(t.gt(1), 0),
      (t) => t.scatter_(0, i, 1),
      (t) => t.scatterAdd_(0, i, tensor([1])),
      (t) => t.indexAdd_(0, i, tensor([1])),
      (t) => t.addcmul_(t, t),
      (t) => t.addcdiv_(t, t),
      (t) => t.lerp_(t, 0.5),
      (t) => t.normal_(),
      (t) => t.uniform_(),
      (t) => t.bernoulli_(),
    ];
    for (const op of ops) expect(() => op(leaf())).toThrow(refusal);
  });

  it('bump the version counter and change nothing when refused', () => {
    const t = tensor([1, 2, 3]);
    const v = t.version;
    t.maskedFill_(t.gt(1), 0);
    expect(t.version).toBe(v + 1);
    expect(t.tolist()).toEqual([1, 0, 0]);
    expect(() => t.scatter_(0, tensor([0, 3], { dtype: 'int64' }), tensor([9, 9]))).toThrow(
      'index 3 is out of bounds for dimension 0 with size 3',
    );
    expect(() => t.indexAdd_(0, tensor([0, 5], { dtype: 'int64' }), tensor([9, 9]))).toThrow('index out of range in self');
    expect(() => t.maskedFill_(zeros(2, 3).bool(), 1)).toThrow("output with shape [3] doesn't match the broadcast shape [2, 3]");
    expect(t.tolist()).toEqual([1, 0, 0]);
    expect(t.version).toBe(v + 1);
  });

  it('write through views into the base tensor', () => {
    const base = zeros(2, 3);
    base.select(0, 1).scatter_(0, tensor([2, 0], { dtype: 'int64' }), tensor([7, 8]));
    base
      .t()
      .select(0, 0)
      .maskedFill_(tensor([true, false]), 5);
    expect(base.tolist()).toEqual([
      [5, 0, 0],
      [8, 0, 7],
    ]);
  });
});

describe('refusals worded as PyTorch 2 words them', () => {
  it('names the problem', () => {
    const x = zeros(2, 3);
    expect(() => x.item()).toThrow('a Tensor with 6 elements cannot be converted to Scalar');
    expect(() => x.tril()).not.toThrow();
    expect(() => zeros(3).tril()).toThrow('tril: input tensor must have at least 2 dimensions');
    expect(() => zeros(3).triu()).toThrow('triu: input tensor must have at least 2 dimensions');
    expect(() => x.maskedFill(zeros(2, 3), 1)).toThrow('masked_fill_ only supports boolean masks, but got mask with dtype float');
    expect(() => x.index(tensor([0.5]))).toThrow('tensors used as indices must be long, int, byte or bool tensors');
    expect(() => x.softmax(2)).toThrow('Dimension out of range (expected to be in range of [-2, 1], but got 2)');
  });
});

describe('index', () => {
  const x = arange(24).view(2, 3, 4);
  it('reads Python subscripts written as strings, objects, arrays and tensors alike', () => {
    expect(x.index(1, '0:2', { step: 2 }).tolist()).toEqual(x.select(0, 1).slice(0, 0, 2).slice(1, null, null, 2).tolist());
    expect(x.index('...', [0, 3]).tolist()).toEqual(x.index('...', tensor([0, 3], { dtype: 'int64' })).tolist());
    expect(x.index([true, false]).shape).toEqual([1, 3, 4]);
    expect(x.index(null, '...', null).shape).toEqual([1, 2, 3, 4, 1]);
  });
  it('gives views for basic subscripts', () => {
    const v = x.index(':', 1);
    expect(v.storage).toBe(x.storage);
    expect(v.tolist()).toEqual([
      [4, 5, 6, 7],
      [16, 17, 18, 19],
    ]);
  });
});

describe('an interceptor registered with onlyRecordable', () => {
  it('sees only the calls autograd could record: grad mode on and an input requiring grad', () => {
    const seen: string[] = [];
    const removeRecordable = addInterceptor((c) => seen.push(c.op), { onlyRecordable: true });
    try {
      const plain = tensor([1, 2]);
      const leaf = tensor([3, 4], { requiresGrad: true });
      plain.add(plain);
      leaf.mul(plain);
      withGradMode(false, () => leaf.sub(plain));
      expect(seen).toEqual(['mul']);
      // An interceptor without the option still sees every call.
      expect(calls.map((c) => c.op)).toEqual(['add', 'mul', 'sub']);
    } finally {
      removeRecordable();
    }
  });
});
