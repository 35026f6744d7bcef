/** Word indices of the control block's i32 header, which the host and every worker share. */
export interface ControlWords {
  /** Bumped by the host for each job; workers wait for it to change. */
  readonly job: number;
  /** The current job's number (modulo 2^24) in the high 24 bits, its next unclaimed chunk in the low 8. */
  readonly claim: number;
  /** Chunks of the current job finished; the thread finishing the last one wakes the host. */
  readonly done: number;
  /** Chunks in the current job. */
  readonly chunks: number;
  /** Index into the kernels of the current job, or -1: exit. */
  readonly kernel: number;
  /** Chunks whose kernel threw during the current job. */
  readonly failures: number;
}

/**
 * One thread's view of the jobs: the control block, the chunk rows (chunk i at i * rowLength:
 * f64 [argument count, walk block address or -1, arguments...]) and the kernels to call.
 */
export interface ThreadJobs {
  readonly control: Int32Array;
  readonly words: ControlWords;
  readonly rows: Float64Array;
  readonly rowLength: number;
  readonly kernels: readonly ((...args: number[]) => void)[];
  /** Points this thread's instance at a walk block (its elementwise kernels' descriptor). */
  readonly useWalkBlock: (at: number) => void;
}

/**
 * Claims the chunks of job `job` one at a time and runs them until none is left; the host and the
 * workers all run this, so a thread that is late (or not scheduled at all) simply claims fewer.
 * A claim is a compare-and-swap on the claim word, which carries the job's number, so a thread
 * still looking at a finished job can never claim a chunk of the next one.
 */
export function runChunks(t: ThreadJobs, job: number): void {
  const { control, words, rows, rowLength } = t;
  const tag = job & 0xffffff;
  const kernel = t.kernels[Atomics.load(control, words.kernel)];
  const count = Atomics.load(control, words.chunks);
  for (;;) {
    const claim = Atomics.load(control, words.claim);
    if (claim >>> 8 !== tag || (claim & 0xff) >= count) return;
    if (Atomics.compareExchange(control, words.claim, claim, claim + 1) !== claim) continue;
    const base = (claim & 0xff) * rowLength;
    try {
      const walk = rows[base + 1]!;
      if (walk >= 0) t.useWalkBlock(walk);
      kernel!(...rows.subarray(base + 2, base + 2 + rows[base]!));
    } catch {
      Atomics.add(control, words.failures, 1);
    }
    if (Atomics.add(control, words.done, 1) + 1 === count) Atomics.notify(control, words.done);
  }
}

/**
 * Returns once control[index] no longer holds `value`: spins for up to `spinMs` (a change that comes
 * at once is seen without a round trip through the OS), then sleeps in Atomics.wait, unless `block`
 * is false (a browser's main thread may not block), which spins on.
 */
export function awaitChange(control: Int32Array, index: number, value: number, spinMs: number, block: boolean): void {
  const end = performance.now() + spinMs;
  for (let i = 1; Atomics.load(control, index) === value; i++)
    if (block && (i & 1023) === 0 && performance.now() > end) Atomics.wait(control, index, value);
}

/** What a worker thread is started with (structured-cloned to it). */
export interface ThreadInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Byte address of the control block, and the layout of its header. */
  readonly control: number;
  readonly words: ControlWords;
  /** Byte address and length (f64s each) of the chunk rows. */
  readonly rows: number;
  readonly rowCount: number;
  readonly rowLength: number;
  /** Export names of the kernels, indexed by the control block's kernel word. */
  readonly kernels: readonly string[];
  /** How long to spin for the next job before sleeping (see awaitChange). */
  readonly spinMs: number;
}

type KernelExport = (...args: number[]) => void;

/**
 * A worker thread's whole life: instantiate the kernels over the shared memory, report 'ready'
 * through `post`, then wait for jobs and claim chunks of each (runChunks) until told to exit.
 * The worker evaluates the source of this function, runChunks and awaitChange, so none of them
 * may refer to anything else outside itself.
 */
export async function threadMain(init: ThreadInit, post: (message: string) => void, exit: () => void): Promise<void> {
  let exports: Record<string, unknown>;
  try {
    const env = {
      memory: init.memory,
      abort() {
        throw new Error('wasm kernel aborted');
      },
    };
    exports = (await WebAssembly.instantiate(init.module, { env })).exports;
  } catch (e) {
    post(`gd wasm worker could not instantiate the kernels: ${(e as Error).message}`);
    exit();
    return;
  }
  const control = new Int32Array(init.memory.buffer, init.control, 8);
  const jobs: ThreadJobs = {
    control,
    words: init.words,
    rows: new Float64Array(init.memory.buffer, init.rows, init.rowCount * init.rowLength),
    rowLength: init.rowLength,
    kernels: init.kernels.map((name) => exports[name] as KernelExport),
    useWalkBlock: exports.useWalkBlock as KernelExport,
  };
  let seen = Atomics.load(control, init.words.job);
  post('ready');
  for (;;) {
    awaitChange(control, init.words.job, seen, init.spinMs, true);
    const job = Atomics.load(control, init.words.job);
    seen = job;
    if (Atomics.load(control, init.words.kernel) < 0) break;
    runChunks(jobs, job);
  }
  exit();
}
