import { RuntimeError } from '@gd/tensor';
import type { Heap } from './heap.js';
import type { Kernels } from './kernels.js';
import { type ControlWords, type ThreadInit, type ThreadJobs, awaitChange, runChunks } from './thread-main.js';
import { type ThreadHandle, startWorkers } from './workers.js';

/** The kernels a job can run: the elementwise ones (each chunk over its own walk block), matmul and its B packing. */
export const THREAD_KERNELS = ['fill', 'copy', 'unary', 'binary', 'where', 'addcmul', 'lerp', 'matmul', 'packMatmulB'] as const;
export type ThreadKernel = (typeof THREAD_KERNELS)[number];

/** One chunk of a job: the kernel's arguments, and for an elementwise kernel the walk block it reads. */
export interface Chunk {
  readonly args: readonly number[];
  readonly walk?: number;
}

/** Chunks a job is cut into per thread: enough that a thread descheduled by a busy machine only delays its own. */
const CHUNKS_PER_THREAD = 4;
/** The claim word counts chunks in 8 bits. */
const MAX_CHUNKS = 255;
/** Most arguments a thread kernel takes (matmul's). */
const MAX_ARGS = 20;
const ROW_LENGTH = MAX_ARGS + 2;
const WORDS: ControlWords = { job: 0, claim: 1, done: 2, chunks: 3, kernel: 4, failures: 5 };
const HEADER_BYTES = 32;
/**
 * How long a worker spins for the next job, or the host for the last chunks, before sleeping.
 * Short: measured here, longer spins (1 ms) slowed the other thread down more than they saved.
 */
const SPIN_MS = 0.02;

/**
 * Worker threads sharing the backend's memory, driven without messages: for each job the host
 * writes the chunks' arguments into the control block, bumps the job word and wakes the workers
 * with Atomics.notify; then every thread, the host included, claims chunks until none is left
 * (runChunks), and the host waits until all are done. Ops stay synchronous.
 */
export class ThreadPool {
  /** Most chunks a job may have. */
  readonly maxChunks: number;
  /** A walk block per chunk, for elementwise jobs. */
  readonly walkBlocks: readonly number[];
  private readonly jobs: ThreadJobs;
  /** Atomics.wait is refused on a browser's main thread: there the host only spins. */
  private readonly canBlock: boolean;
  private handles: ThreadHandle[] | null;
  private job = 0;
  /** The calling thread's own walk block, given back to its instance after each job. */
  private readonly hostWalk: number;

  private constructor(
    readonly size: number,
    private readonly k: Kernels,
    private readonly heap: Heap,
    private readonly blocks: { ptr: number; bytes: number }[],
    handles: ThreadHandle[],
  ) {
    const [control, ...walks] = blocks;
    const buffer = heap.memory.buffer;
    this.maxChunks = walks.length;
    this.walkBlocks = walks.map((b) => b.ptr);
    this.jobs = {
      control: new Int32Array(buffer, control!.ptr, HEADER_BYTES / 4),
      words: WORDS,
      rows: new Float64Array(buffer, control!.ptr + HEADER_BYTES, walks.length * ROW_LENGTH),
      rowLength: ROW_LENGTH,
      kernels: THREAD_KERNELS.map((name) => k[name] as (...args: number[]) => void),
      useWalkBlock: (at) => k.useWalkBlock(at),
    };
    this.handles = handles;
    this.hostWalk = k.descriptor();
    this.canBlock = canBlock(this.jobs.control);
  }

  /** Starts `size - 1` workers that instantiate `module` over the heap's shared memory. */
  static async start(module: WebAssembly.Module, k: Kernels, heap: Heap, size: number): Promise<ThreadPool> {
    const chunks = Math.min(MAX_CHUNKS, size * CHUNKS_PER_THREAD);
    const controlBytes = HEADER_BYTES + chunks * ROW_LENGTH * 8;
    const blocks = [{ ptr: heap.alloc(controlBytes, 'thread control block'), bytes: controlBytes }];
    for (let i = 0; i < chunks; i++) blocks.push({ ptr: heap.alloc(k.walkBlockBytes(), 'thread walk block'), bytes: k.walkBlockBytes() });
    k.zero(blocks[0]!.ptr, controlBytes);
    const init: ThreadInit = {
      module,
      memory: heap.memory,
      control: blocks[0]!.ptr,
      words: WORDS,
      rows: blocks[0]!.ptr + HEADER_BYTES,
      rowCount: chunks,
      rowLength: ROW_LENGTH,
      kernels: THREAD_KERNELS,
      spinMs: SPIN_MS,
    };
    try {
      return new ThreadPool(size, k, heap, blocks, await startWorkers(new Array<ThreadInit>(size - 1).fill(init)));
    } catch (e) {
      for (const b of blocks) heap.free(b.ptr, b.bytes);
      throw e;
    }
  }

  /** Whether the workers are running (until terminate()). */
  get running(): boolean {
    return this.handles !== null;
  }

  /** Runs `kernel` over every chunk, shared among all the threads, and returns when all are done. */
  run(kernel: ThreadKernel, chunks: readonly Chunk[]): void {
    const { control: c, rows } = this.jobs;
    if (chunks.length > this.maxChunks) throw new RangeError(`a job has at most ${this.maxChunks} chunks, got ${chunks.length}`);
    chunks.forEach((chunk, i) => {
      const base = i * ROW_LENGTH;
      rows[base] = chunk.args.length;
      rows[base + 1] = chunk.walk ?? -1;
      rows.set(chunk.args, base + 2);
    });
    const job = ++this.job;
    Atomics.store(c, WORDS.kernel, THREAD_KERNELS.indexOf(kernel));
    Atomics.store(c, WORDS.chunks, chunks.length);
    Atomics.store(c, WORDS.done, 0);
    Atomics.store(c, WORDS.claim, (job & 0xffffff) << 8);
    Atomics.store(c, WORDS.job, job);
    Atomics.notify(c, WORDS.job);
    try {
      runChunks(this.jobs, job);
    } finally {
      this.k.useWalkBlock(this.hostWalk);
    }
    // Every chunk is claimed by now; wait for those still running on the workers.
    for (let d = Atomics.load(c, WORDS.done); d < chunks.length; d = Atomics.load(c, WORDS.done))
      awaitChange(c, WORDS.done, d, SPIN_MS, this.canBlock);
    if (Atomics.exchange(c, WORDS.failures, 0) > 0) throw new RuntimeError(`wasm kernel ${kernel} failed`);
  }

  /** Tells the workers to exit, ends them and frees the pool's blocks; later jobs must not be run. */
  async terminate(): Promise<void> {
    const handles = this.handles;
    if (handles === null) return;
    this.handles = null;
    Atomics.store(this.jobs.control, WORDS.kernel, -1);
    Atomics.store(this.jobs.control, WORDS.job, ++this.job);
    Atomics.notify(this.jobs.control, WORDS.job);
    await Promise.all(handles.map((h) => h.terminate()));
    for (const b of this.blocks) this.heap.free(b.ptr, b.bytes);
  }
}

function canBlock(control: Int32Array): boolean {
  try {
    // A wait on a value that is not there returns at once, unless this thread may not block at all.
    Atomics.wait(control, WORDS.failures, 1, 0);
    return true;
  } catch {
    return false;
  }
}
