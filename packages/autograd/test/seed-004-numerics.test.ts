import '@gd/autograd';
import { noGrad } from '@gd/autograd';
import { type Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

// Seed lesson 004 (shared/seeds/004_*.txt): linear regression by hand-rolled gradient descent.
// Every number below is what PyTorch 1.13 prints (or holds) for the lesson's code, so these pass
// only if float32 arithmetic, sums and the backward ops round exactly as PyTorch's do.
const tC = tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const tU = tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]);

const model = (u: Tensor, w: Tensor, b: Tensor): Tensor => w.mul(u).add(b);
const lossFn = (p: Tensor, c: Tensor): Tensor => p.sub(c).pow(2).mean();

describe('seed 004 numbers come out exactly as PyTorch prints them', () => {
  it('scales t_u by the float32 0.1', () => {
    expect(Array.from(tU.mul(0.1).dataSync())).toEqual([
      3.570000171661377, 5.590000152587891, 5.820000171661377, 8.190000534057617, 5.630000114440918, 4.890000343322754, 3.390000104904175,
      2.180000066757202, 4.840000152587891, 6.0400004386901855, 6.840000152587891,
    ]);
  });

  it('gives params.grad tensor([4517.2969,   82.6000])', () => {
    const params = tensor([1.0, 0.0]).requiresGrad_();
    const [w, b] = params.unbind(0) as [Tensor, Tensor];
    const loss = lossFn(model(tU, w, b), tC);
    loss.backward();
    expect(loss.item()).toBe(1763.884765625);
    expect(Array.from(params.grad!.dataSync())).toEqual([4517.296875, 82.5999984741211]);
    expect(String(params.grad)).toBe('tensor([4517.2969,   82.6000])');
  });

  it('trains 5000 epochs to the printed losses and parameters', () => {
    const tUn = tU.mul(0.1);
    const params = tensor([1.0, 0.0]).requiresGrad_();
    const printed: string[] = [];
    for (let epoch = 1; epoch <= 5000; epoch++) {
      params.grad?.zero_();
      const [w, b] = params.unbind(0) as [Tensor, Tensor];
      const loss = lossFn(model(tUn, w, b), tC);
      loss.backward();
      noGrad(() => params.sub_(params.grad!.mul(1e-2)));
      if (epoch % 500 === 0) printed.push(`Epoch ${epoch}, Loss ${(loss.item() as number).toFixed(6)}`);
    }
    expect(printed).toEqual([
      'Epoch 500, Loss 7.860115',
      'Epoch 1000, Loss 3.828538',
      'Epoch 1500, Loss 3.092191',
      'Epoch 2000, Loss 2.957698',
      'Epoch 2500, Loss 2.933134',
      'Epoch 3000, Loss 2.928648',
      'Epoch 3500, Loss 2.927830',
      'Epoch 4000, Loss 2.927679',
      'Epoch 4500, Loss 2.927652',
      'Epoch 5000, Loss 2.927647',
    ]);
    expect(Array.from(params.dataSync())).toEqual([5.367084503173828, -17.301193237304688]);
    expect(String(params)).toBe('tensor([  5.3671, -17.3012], requires_grad=True)');
  });
});
