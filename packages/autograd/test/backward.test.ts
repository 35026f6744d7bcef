import { backward, noGrad } from '@gd/autograd';
import { type NestedArray, ones, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

const leaf = (data: NestedArray) => tensor(data).requiresGrad_();
const FREED =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

describe('backward', () => {
  it('stores a fresh tensor on the first accumulation, then adds into it', () => {
    const x = leaf([1, 2, 3]);
    const g = tensor([1, 1, 1]);
    x.backward(g);
    expect(x.grad).not.toBe(g);
    expect(x.grad!.storage).not.toBe(g.storage);
    g.fill_(5);
    expect(x.grad!.tolist()).toEqual([1, 1, 1]);
    const first = x.grad;
    x.mul(2).sum().backward();
    expect(x.grad).toBe(first);
    expect(x.grad!.tolist()).toEqual([3, 3, 3]);
  });

  it('accumulates every path into a leaf used several times', () => {
    const x = leaf([2]);
    x.mul(x).add(x.mul(3)).sum().backward();
    expect(x.grad!.tolist()).toEqual([7]);
  });

  it('sums broadcast gradients back to the input shapes', () => {
    const a = leaf([[1], [2]]);
    const b = leaf([10, 20, 30]);
    a.mul(b).backward(ones(2, 3));
    expect(a.grad!.tolist()).toEqual([[60], [60]]);
    expect(b.grad!.tolist()).toEqual([3, 3, 3]);
  });

  it('leaves .grad null on non-leaves unless retainGrad() is called', () => {
    const x = leaf([1, 2]);
    const y = x.mul(3);
    const z = y.mul(y);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    const w = x.add(1);
    z.add(w).sum().backward();
    expect(y.grad!.tolist()).toEqual([6, 12]);
    expect(w.grad).toBeNull();
    expect(x.grad!.tolist()).toEqual([19, 37]);
  });

  it('frees saved tensors, so a second backward raises unless retainGraph', () => {
    const x = leaf([1, 2]);
    const y = x.mul(x).sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(x.grad!.tolist()).toEqual([4, 8]);
    expect(() => y.backward()).toThrowError(FREED);
    expect(x.grad!.tolist()).toEqual([4, 8]);
  });

  it('can run a graph that saved nothing again, as PyTorch does', () => {
    const x = leaf([1, 2]);
    const y = x.add(x).sum();
    y.backward();
    y.backward();
    expect(x.grad!.tolist()).toEqual([4, 4]);
  });

  it('accumulates only into the requested inputs', () => {
    const a = leaf([1]);
    const b = leaf([2]);
    const y = a.mul(b);
    const m = y.mul(1);
    m.sum().backward(null, { inputs: [a, y] });
    expect(a.grad!.tolist()).toEqual([2]);
    expect(b.grad).toBeNull();
    expect(y.grad!.tolist()).toEqual([1]);
  });

  it('runs from several outputs at once (functional backward)', () => {
    const x = leaf([1, 2]);
    backward([x.mul(2).sum(), x.mul(x)], [null, tensor([1, 1])]);
    expect(x.grad!.tolist()).toEqual([4, 6]);
  });

  it('casts a gradient of another dtype to the output dtype', () => {
    const x = leaf([1, 2]);
    x.mul(2).backward(tensor([1, 1], { dtype: 'float64' }));
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.tolist()).toEqual([2, 2]);
  });
});

describe('refused backward calls (PyTorch messages, nothing changed)', () => {
  it('on a tensor that does not require grad', () => {
    expect(() => tensor([1, 2]).sum().backward()).toThrowError('element 0 of tensors does not require grad and does not have a grad_fn');
  });

  it('without a gradient for a non-scalar output', () => {
    const x = leaf([1, 2]);
    expect(() => x.mul(2).backward()).toThrowError('grad can be implicitly created only for scalar outputs');
    expect(x.grad).toBeNull();
  });

  it('with a gradient of the wrong shape', () => {
    const x = leaf([1, 2, 3]);
    expect(() =>
      x
        .mul(2)
        .slice(0, 0, 2)
        .backward(tensor([1, 1, 1])),
    ).toThrowError('Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2]).');
    expect(x.grad).toBeNull();
  });

  it('when a saved output was modified in place', () => {
    const x = leaf([1, 1, 1]);
    const y = x.exp();
    const z = y.mul(y);
    y.add_(1);
    expect(() => z.sum().backward()).toThrowError(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    );
    expect(x.grad).toBeNull();
  });

  it('when a saved input without grad was modified in place', () => {
    const x = leaf([1, 1, 1]);
    const w = ones(3);
    w.add_(1);
    const y = x.mul(w);
    w.add_(1);
    expect(() => y.sum().backward()).toThrowError(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 2; expected version 1 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    );
  });

  it('allows in-place changes of tensors backward does not need', () => {
    const x = leaf([1, 2]);
    const c = ones(2);
    const y = x.add(c);
    c.add_(1);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([1, 1]);
  });

  it('retainGrad on a tensor that does not require grad, and an empty inputs list', () => {
    expect(() => tensor([1]).retainGrad()).toThrowError("can't retain_grad on Tensor that has requires_grad=False");
    expect(() => leaf([1]).mul(2).sum().backward(null, { inputs: [] })).toThrowError("'inputs' argument to backward() cannot be empty.");
  });

  it('an in-place change of a leaf that requires grad, outside noGrad', () => {
    const x = leaf([1, 2]);
    expect(() => x.add_(1)).toThrowError('a leaf Variable that requires grad is being used in an in-place operation.');
    noGrad(() => x.add_(1));
    expect(x.tolist()).toEqual([2, 3]);
  });
});
