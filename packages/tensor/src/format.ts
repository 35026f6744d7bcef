import type { Tensor } from './tensor.js';

/** PyTorch's str(tensor). */
export function formatTensor(t: Tensor): string {
  return `tensor(${JSON.stringify(t.tolist())})`;
}
