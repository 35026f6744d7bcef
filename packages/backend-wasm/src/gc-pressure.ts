/** Storages at least this large report their size to V8's garbage-collection heuristics. */
const MIN_BYTES = 1 << 16;
/** Most bytes of ballast kept for reuse (address space only: ballast is never written). */
const POOL_MAX_BYTES = 1 << 28;

/**
 * An ArrayBuffer of `bytes` that nothing writes. A plain one is zero-filled, which under Node's
 * allocator means a memset of recycled (and so resident) memory; Node's Buffer.allocUnsafeSlow
 * skips the fill.
 */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): object } }).Buffer;
const untouchedBuffer = (bytes: number): object => (nodeBuffer ? nodeBuffer.allocUnsafeSlow(bytes) : new ArrayBuffer(bytes));

/**
 * V8 schedules garbage collection by JS and ArrayBuffer memory, not by the wasm heap, so large
 * storages carry an untouched ArrayBuffer of their size (ballast): it costs no resident memory but
 * makes V8 collect (and the finalizer free) forgotten tensors as fast as they are made. The ballast
 * of a storage freed by dispose() or scope() goes back to a pool for the next storage of that size,
 * so code that frees its tensors allocates no new external memory and sets off no collections.
 */
export class GcPressure {
  private readonly ballast = new WeakMap<object, object>();
  private readonly pool = new Map<number, object[]>();
  private pooledBytes = 0;

  /** Gives `storage` ballast of `bytes` (when that is large enough to matter). */
  attach(storage: object, bytes: number): void {
    if (bytes < MIN_BYTES) return;
    const reused = this.pool.get(bytes)?.pop();
    if (reused) this.pooledBytes -= bytes;
    this.ballast.set(storage, reused ?? untouchedBuffer(bytes));
  }

  /** Takes back the ballast of `storage`, freed explicitly, for reuse. */
  release(storage: object, bytes: number): void {
    const buffer = this.ballast.get(storage);
    if (!buffer) return;
    this.ballast.delete(storage);
    if (this.pooledBytes + bytes > POOL_MAX_BYTES) return;
    let list = this.pool.get(bytes);
    if (!list) this.pool.set(bytes, (list = []));
    list.push(buffer);
    this.pooledBytes += bytes;
  }
}
