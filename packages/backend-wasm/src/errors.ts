import { RuntimeError } from '@gd/tensor';

/** The wasm heap cannot hold a requested buffer (PyTorch's torch.OutOfMemoryError, a RuntimeError). */
export class OutOfMemoryError extends RuntimeError {
  override name = 'OutOfMemoryError';
}
