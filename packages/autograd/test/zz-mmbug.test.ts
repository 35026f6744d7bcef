import { matmul, tensor } from '@gd/tensor';
import { it } from 'vitest';
it('mm', () => {
  const a = tensor([[[[1]]], [[[2]]]], { dtype: 'float64' });
  console.log(matmul(a, tensor([[[3]]], { dtype: 'float64' })).tolist());
  console.log(matmul(tensor([[[[1, 2]]], [[[3, 4]]]]), tensor([[[1], [1]]])).tolist());
  console.log(matmul(tensor([[[[1, 2]], [[5, 6]]], [[[3, 4]], [[7, 8]]]]), tensor([[[1], [1]]])).tolist());
});
