import { matmul, tensor, randn, Generator } from '@gd/tensor';
import { it } from 'vitest';
it('mm', () => {
  const a = tensor([[[[1]]], [[[2]]]], { dtype: 'float64' });
  console.log(JSON.stringify(matmul(a, tensor([[[3]]], { dtype: 'float64' })).tolist()));
  const r = randn([2, 1, 1, 1], { dtype: 'float64', generator: new Generator(0) });
  console.log(JSON.stringify(r.tolist()), r.strides, JSON.stringify(matmul(r, tensor([[[3]]], { dtype: 'float64' })).tolist()));
  const q = r.detach().requiresGrad_();
  console.log(JSON.stringify(matmul(q, tensor([[[3]]], { dtype: 'float64' })).tolist()));
});
