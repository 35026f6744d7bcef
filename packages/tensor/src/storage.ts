import type { Backend } from './backend/backend.js';
import type { DType } from './dtype.js';
import { RuntimeError } from './errors.js';

/**
 * A flat buffer of `size` elements owned by a backend. Views share one Storage; `version` counts
 * in-place writes so autograd can tell when a tensor it saved has been changed.
 */
export class Storage<Handle = unknown> {
  // Declared and assigned in the constructor, not class fields (see Tensor).
  declare version: number;
  declare private disposed: boolean;
  /** Number of live tensors that share this storage (views, saved tensors). */
  declare refs: number;
  declare readonly backend: Backend<Handle>;
  declare readonly dtype: DType;
  declare readonly size: number;
  declare private handle: Handle;

  constructor(backend: Backend<Handle>, dtype: DType, size: number, handle: Handle) {
    this.version = 0;
    this.disposed = false;
    this.refs = 0;
    this.backend = backend;
    this.dtype = dtype;
    this.size = size;
    this.handle = handle;
  }

  /** The backend's own object for this buffer (a typed array on cpu, a pointer on wasm). */
  get data(): Handle {
    this.checkLive();
    return this.handle;
  }

  /** Throws PyTorch-style if the buffer has been freed. */
  checkLive(): void {
    if (this.disposed) throw new RuntimeError('Tensor has been disposed: its storage was freed and can no longer be used');
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees the buffer now. Every tensor over it becomes unusable. */
  free(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backend.free(this);
  }

  /** The raw handle even after dispose, for the backend's own bookkeeping only. */
  get rawHandle(): Handle {
    return this.handle;
  }
}
