import {
  type AdamStepScalars,
  type ArgReduceOp,
  type Backend,
  type BinaryOp,
  type DType,
  IndexError,
  type OptimizerKernels,
  type ReduceOp,
  type ScanOp,
  Storage,
  type TypedArray,
  type UnaryOp,
  type UnaryParams,
  type View,
  type Window2d,
  type WindowKernels,
} from '@gd/tensor';
import { iterationDims, writeIterationDims } from './cascade-order.js';
import { GcPressure } from './gc-pressure.js';
import type { Heap, HeapStats } from './heap.js';
import { type Kernels, MatmulPath } from './kernels.js';
import { BINARY_CODE, BYTES, DTYPE_CODE, F32, F64, REDUCE_CODE, REDUCE_IDENTITY, SCAN_CODE, UNARY_CODE } from './op-codes.js';
import type { Chunk, ThreadKernel, ThreadPool } from './thread-pool.js';
import { type Operand, operandOf, shareOf, writeWalk, writeWalkShare } from './walk.js';

export interface WasmMemoryStats extends HeapStats {
  /** Storages allocated and not yet freed. */
  liveStorages: number;
  /** Storages freed by the garbage-collection safety net rather than by dispose(). */
  collectedStorages: number;
}

/** A Backend whose storages live in a WebAssembly linear memory; handles are byte addresses. */
export interface WasmBackend extends Backend<number> {
  /** Whether the f32x4 SIMD build of the kernels is running. */
  readonly simd: boolean;
  /** Whether that build is the relaxed-SIMD one (fused multiply-add in the float32 matmul kernel). */
  readonly relaxedSimd: boolean;
  /** Heap statistics: bytes in use, peak, live storages. */
  memory(): WasmMemoryStats;
  /** Whether contiguous float32 exp, sigmoid, tanh and log run the fast polynomials: the SIMD build unless wasmBackend({ fastMath: false }). */
  readonly fastMath: boolean;
  /** Threads running large kernels: wasmBackend({ threads }), or 1 once terminate() has run. */
  readonly threads: number;
  /** Ends the worker threads (the backend keeps working on the calling thread alone). */
  terminate(): Promise<void>;
}

/** Multiply-adds from which a float32 matmul takes the f32x4 kernel (float32 accumulation). */
const F32_KERNEL_MIN = 1 << 14;

/** Work from which a kernel is shared among the threads: waking them costs tens of microseconds. */
const THREADED_MATMUL_MIN = 1 << 21;
const THREADED_ELEMENTWISE_MIN = 1 << 16;
/** Matmuls are shared by blocks of C's rows, cut at multiples of THREADED_ROW_ALIGN, of at least THREADED_MIN_ROWS. */
const THREADED_ROW_ALIGN = 8;
const THREADED_MIN_ROWS = 32;
/** Few chunks per thread when each packs its own copy of B's panels; more once B is packed for all (a late thread then holds up less). */
const MATMUL_CHUNKS_PER_THREAD = 2;
const PACKED_B_CHUNKS_PER_THREAD = 4;
/** Columns of a B panel (assembly/matmul.ts's NR): threads pack B in blocks of whole panels. */
const B_PANEL_COLUMNS = 8;

/**
 * PyTorch's float32 matmul and dot go to OpenBLAS, whose order decides the last bit (as the cpu
 * backend's cpu/blas-float32.ts): sgemm with K < 32 is a sequential float32 fma chain per output,
 * sdot of n < 32 sums the float32-rounded products in double.
 */
const SEQUENTIAL_FMA_MAX_K = 31;
const DOUBLE_SUM_DOT_MAX_N = 31;

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function contiguous(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i]!;
  }
  return st;
}

function selectView(v: View, dim: number, i: number): View {
  const shape = v.shape.slice();
  shape.splice(dim, 1);
  const strides = v.strides.slice();
  strides.splice(dim, 1);
  return { storage: v.storage, shape, strides, offset: v.offset + i * v.strides[dim]!, dtype: v.dtype };
}

/** A scratch operand: float64, at `address`, laid out with `strides`. */
const f64Operand = (address: number, strides: readonly number[]): Operand => ({ address, code: F64, bytes: 8, strides });

/** Shape of the lines a dim-wise kernel walks (x's shape with `dim` collapsed) and the line length. */
function lines(x: View, dim: number): { lineShape: number[]; size: number } {
  const lineShape = x.shape.slice();
  const size = lineShape[dim] ?? 1;
  if (lineShape.length > 0) lineShape[dim] = 1;
  return { lineShape, size };
}

/** Window positions along the two spatial dims of an H×W plane. */
function windowOutput(h: number, w: number, g: Window2d): [number, number] {
  const [pt, pb, pl, pr] = g.padding;
  return [
    Math.floor((h + pt + pb - g.dilation[0] * (g.kernel[0] - 1) - 1) / g.stride[0]) + 1,
    Math.floor((w + pl + pr - g.dilation[1] * (g.kernel[1] - 1) - 1) / g.stride[1]) + 1,
  ];
}

/** The window geometry as the kernels take it: kh, kw, sh, sw, dh, dw, top pad, left pad, ho, wo. */
function windowArgs(g: Window2d, ho: number, wo: number): number[] {
  return [g.kernel[0], g.kernel[1], g.stride[0], g.stride[1], g.dilation[0], g.dilation[1], g.padding[0], g.padding[2], ho, wo];
}

/** Positions in the matmul kernel's argument list that threads' shares (and a shared packed B) change. */
const MATMUL_ARG = { batches: 0, m: 1, pa: 4, sab: 6, sam: 7, pb: 9, sbb: 11, po: 14, sob: 16, som: 17, scratch: 18, path: 19 } as const;

/** Whether a matmul is shared among threads by blocks of C's rows (else by batches). */
const sharedByRows = (M: number, batches: number): boolean => M >= 2 * THREADED_MIN_ROWS || batches === 1;

/**
 * The arguments of each chunk of a matmul, at most `parts` of them: blocks of at least
 * THREADED_MIN_ROWS of C's rows (C[m0:m1] = A[m0:m1] @ B, the same kernel over offset pointers, so
 * the same results), or blocks of the batches when there are too few rows to share.
 */
function matmulShares(call: readonly number[], parts: number): number[][] {
  const A = MATMUL_ARG;
  const [M, batches] = [call[A.m]!, call[A.batches]!];
  const byRows = sharedByRows(M, batches);
  const count = byRows ? Math.min(parts, Math.ceil(M / THREADED_MIN_ROWS)) : Math.min(parts, batches);
  const shares: number[][] = [];
  for (let t = 0; t < count; t++) {
    const share = call.slice();
    const [start, end] = shareOf(byRows ? M : batches, t, count, byRows ? THREADED_ROW_ALIGN : 1);
    if (end === start) continue;
    if (byRows) {
      share[A.m] = end - start;
      share[A.pa] = call[A.pa]! + start * call[A.sam]!;
      share[A.po] = call[A.po]! + start * call[A.som]!;
    } else {
      share[A.batches] = end - start;
      share[A.pa] = call[A.pa]! + start * call[A.sab]!;
      share[A.pb] = call[A.pb]! + start * call[A.sbb]!;
      share[A.po] = call[A.po]! + start * call[A.sob]!;
    }
    shares.push(share);
  }
  return shares;
}

/** The packMatmulB chunks packing B [K, N] (byte strides sbk, sbn) whole into `packed`: `parts` blocks of whole panels. */
function packedBShares(K: number, N: number, pb: number, sbk: number, sbn: number, packed: number, parts: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let t = 0; t < parts; t++) {
    const [start, end] = shareOf(N, t, parts, B_PANEL_COLUMNS);
    if (end > start) chunks.push({ args: [K, end - start, pb + start * sbn, sbk, sbn, packed + start * K * 4] });
  }
  return chunks;
}

const asChunk = (args: readonly number[]): Chunk => ({ args });

type FusedSoftmax = (out: View, x: View, dim: number) => void;

/** Fused kernels besides the window ones: softmax, and addcmul / lerp with a single-rounding multiply-add. */
interface OtherFused {
  dot(out: View, a: View, b: View): void;
  softmax: FusedSoftmax;
  logSoftmax: FusedSoftmax;
  addcmul(out: View, self: View, t1: View, t2: View, value: number): void;
  lerp(out: View, self: View, end: View, weight: View | number): void;
}

interface Block {
  readonly ptr: number;
  readonly bytes: number;
}

export class WasmBackendImpl implements WasmBackend {
  readonly name: string;
  readonly externalMemory = true;
  /** Zeroes memory with the module's memset (TypedArray.fill is slow on shared memory). */
  private readonly zeroRange = (ptr: number, bytes: number): void => this.k.zero(ptr, bytes);
  readonly simd: boolean;
  readonly relaxedSimd: boolean;
  readonly fastMath: boolean;
  private readonly desc: number;
  /** 16 bytes holding the scalar operand of binaryScalar. */
  private readonly scalarSlot: number;
  private readonly gcPressure = new GcPressure();
  private live = 0;
  private collected = 0;
  // The safety net: a storage whose tensors were garbage-collected without dispose() is freed here.
  private readonly finalizer =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry<Block & { what: string }>((block) => {
          this.heap.free(block.ptr, block.bytes);
          this.live--;
          this.collected++;
          if (this.debug && typeof console !== 'undefined')
            console.warn(`gd ${this.name}: freed a ${block.what} whose tensors were garbage-collected without dispose()`);
        })
      : null;

  constructor(
    private readonly k: Kernels,
    private readonly heap: Heap,
    private readonly pool: ThreadPool | null,
    name = 'wasm',
    private readonly debug = false,
    fastMath = true,
  ) {
    this.name = name;
    this.simd = k.simd() !== 0;
    this.relaxedSimd = k.relaxedSimd() !== 0;
    this.fastMath = fastMath && this.simd;
    this.desc = k.descriptor();
    this.scalarSlot = this.heap.alloc(16, 'scalar operand');
  }

  /** Fused kernels @gd/tensor and @gd/optim look up by name (sliding windows, softmax, addcmul, lerp, adam). */
  readonly fused: Backend['fused'] = {
    im2col: (cols, x, g) => this.im2col(cols, x, g),
    col2im: (out, cols, g) => this.col2im(out, cols, g),
    maxPool2d: (values, indices, x, g) => this.maxPool2d(values, indices, x, g),
    dot: (out, a, b) => this.dot(out, a, b),
    softmax: (out, x, dim) => this.softmax(false, out, x, dim),
    logSoftmax: (out, x, dim) => this.softmax(true, out, x, dim),
    addcmul: (out, self, t1, t2, value) =>
      this.elementwise('addcmul', out.shape, [operandOf(out), operandOf(self), operandOf(t1), operandOf(t2)], [value]),
    lerp: (out, self, end, weight) => {
      const w = typeof weight === 'number' ? operandOf(self) : operandOf(weight);
      const args = typeof weight === 'number' ? [1, weight] : [0, 0];
      this.elementwise('lerp', out.shape, [operandOf(out), operandOf(self), operandOf(end), w], args);
    },
    adam: (param, grad, expAvg, expAvgSq, s: AdamStepScalars) => {
      if (this.walk(param.shape, [operandOf(param), operandOf(grad), operandOf(expAvg), operandOf(expAvgSq)]))
        this.k.adam(s.beta1, s.beta2, s.biasCorrection2Sqrt, s.eps, s.stepSize);
    },
  } satisfies WindowKernels & OtherFused & OptimizerKernels;

  memory(): WasmMemoryStats {
    return { ...this.heap.stats(), liveStorages: this.live, collectedStorages: this.collected };
  }

  get threads(): number {
    return this.pool?.running ? this.pool.size : 1;
  }

  async terminate(): Promise<void> {
    await this.pool?.terminate();
  }

  // ------------------------------------------------------------------ storage

  private newStorage(dtype: DType, size: number, zero: boolean): Storage<number> {
    const bytes = size * BYTES[dtype];
    const what = `${dtype} storage of ${size} elements`;
    const ptr = zero ? this.heap.allocZeroed(bytes, what, this.zeroRange) : this.heap.alloc(bytes, what);
    const storage = new Storage<number>(this, dtype, size, ptr);
    this.finalizer?.register(storage, { ptr, bytes, what }, storage);
    this.gcPressure.attach(storage, bytes);
    this.live++;
    return storage;
  }

  private typed(dtype: DType, ptr: number, size: number): TypedArray {
    switch (dtype) {
      case 'float32':
        return this.heap.f32.subarray(ptr >>> 2, (ptr >>> 2) + size);
      case 'float64':
      case 'int64':
        return this.heap.f64.subarray(ptr >>> 3, (ptr >>> 3) + size);
      case 'int32':
        return this.heap.i32.subarray(ptr >>> 2, (ptr >>> 2) + size);
      case 'bool':
        return this.heap.u8.subarray(ptr, ptr + size);
    }
  }

  alloc(dtype: DType, size: number): Storage<number> {
    return this.newStorage(dtype, size, true);
  }

  allocUninitialized(dtype: DType, size: number): Storage<number> {
    return this.newStorage(dtype, size, false);
  }

  fromArray(dtype: DType, data: TypedArray): Storage<number> {
    const storage = this.newStorage(dtype, data.length, false);
    this.typed(dtype, storage.data, data.length).set(data as never);
    return storage;
  }

  read(storage: Storage<number>): TypedArray {
    return this.typed(storage.dtype, storage.data, storage.size).slice();
  }

  write(storage: Storage<number>, data: TypedArray, start = 0): void {
    this.typed(storage.dtype, storage.data, storage.size).set(data as never, start);
  }

  free(storage: Storage<number>): void {
    const bytes = storage.size * BYTES[storage.dtype];
    this.finalizer?.unregister(storage);
    this.gcPressure.release(storage, bytes);
    this.heap.free(storage.rawHandle, bytes);
    this.live--;
  }

  // ------------------------------------------------------------------ elementwise

  private walk(shape: readonly number[], operands: readonly Operand[]): boolean {
    return writeWalk(this.heap, this.desc, shape, operands);
  }

  /** The pool, when it runs and `work` is worth sharing with it. */
  private poolFor(work: number, min: number): ThreadPool | null {
    return this.pool?.running && work >= min ? this.pool : null;
  }

  /**
   * Runs an elementwise kernel over the walk of `operands`; large ones are shared among the
   * threads, each running the same kernel over its own part of the walk.
   */
  private elementwise(kernel: ThreadKernel, shape: readonly number[], operands: readonly Operand[], args: number[]): void {
    if (!this.walk(shape, operands)) return;
    const pool = this.poolFor(numel(shape), THREADED_ELEMENTWISE_MIN);
    if (!pool) return (this.k[kernel] as (...a: number[]) => void)(...args);
    const chunks: Chunk[] = [];
    pool.walkBlocks.forEach((walk, i, all) => {
      if (writeWalkShare(this.heap, this.desc, walk, i, all.length)) chunks.push({ args, walk });
    });
    pool.run(kernel, chunks);
  }

  fill(out: View, value: number): void {
    this.elementwise('fill', out.shape, [operandOf(out)], [value]);
  }

  copy(out: View, x: View): void {
    this.elementwise('copy', out.shape, [operandOf(out), operandOf(x)], [out.dtype === 'bool' && x.dtype !== 'bool' ? 1 : 0]);
  }

  unary(op: UnaryOp, out: View, x: View, params: UnaryParams = {}): void {
    const args = [UNARY_CODE[op], params.a ?? NaN, params.b ?? NaN, params.c ?? NaN, this.fastMath ? 1 : 0];
    this.elementwise('unary', out.shape, [operandOf(out), operandOf(x)], args);
  }

  binary(op: BinaryOp, out: View, a: View, b: View, alpha = 1): void {
    this.elementwise('binary', out.shape, [operandOf(out), operandOf(a), operandOf(b)], [BINARY_CODE[op], alpha]);
  }

  binaryScalar(op: BinaryOp, out: View, a: View, scalar: number, reversed: boolean): void {
    // A float32 scalar stays float32 so the f32x4 kernels apply; the value read back is the same.
    const asF32 = a.dtype === 'float32' && (Math.fround(scalar) === scalar || scalar !== scalar);
    if (asF32) this.heap.f32[this.scalarSlot >>> 2] = scalar;
    else this.heap.f64[this.scalarSlot >>> 3] = scalar;
    const s: Operand = { address: this.scalarSlot, code: asF32 ? F32 : F64, bytes: asF32 ? 4 : 8, strides: out.shape.map(() => 0) };
    const x = operandOf(a);
    this.elementwise('binary', out.shape, reversed ? [operandOf(out), s, x] : [operandOf(out), x, s], [BINARY_CODE[op], 1]);
  }

  where(out: View, cond: View, a: View, b: View): void {
    this.elementwise('where', out.shape, [operandOf(out), operandOf(cond), operandOf(a), operandOf(b)], []);
  }

  // ------------------------------------------------------------------ reductions and scans

  reduce(op: ReduceOp, out: View, x: View, dims: readonly number[]): void {
    if ((op === 'sum' || op === 'nansum') && (x.dtype === 'float32' || x.dtype === 'float64') && x.dtype === out.dtype)
      return op === 'sum' ? this.cascadeSum(out, x, dims, operandOf(x).address) : this.nansum(out, x, dims);
    const count = numel(out.shape);
    const bytes = count * 8;
    const acc = this.heap.alloc(bytes, 'reduction accumulator');
    try {
      this.heap.f64.fill(REDUCE_IDENTITY[op], acc >>> 3, (acc >>> 3) + count);
      const accStrides = contiguous(out.shape);
      for (const d of dims) accStrides[d] = 0;
      if (this.walk(x.shape, [f64Operand(acc, accStrides), operandOf(x)])) this.k.reduce(REDUCE_CODE[op]);
      if (this.walk(out.shape, [operandOf(out), f64Operand(acc, contiguous(out.shape))])) this.k.copy(out.dtype === 'bool' ? 1 : 0);
    } finally {
      this.heap.free(acc, bytes);
    }
  }

  /** nansum: the cascade sum over a copy of x's whole storage with NaN read as 0 (same layout, same order). */
  private nansum(out: View, x: View, dims: readonly number[]): void {
    const size = x.storage.size;
    const bytes = size * BYTES[x.dtype];
    const copy = this.heap.alloc(bytes, 'nansum buffer');
    try {
      const whole = (address: number): Operand => ({ address, code: DTYPE_CODE[x.dtype], bytes: BYTES[x.dtype], strides: [1] });
      if (this.walk([size], [whole(copy), whole(x.storage.data as number)])) this.k.unary(UNARY_CODE.nanToNum, 0, Infinity, -Infinity, 0);
      this.cascadeSum(out, x, dims, copy + x.offset * BYTES[x.dtype]);
    } finally {
      this.heap.free(copy, bytes);
    }
  }

  /** A float sum in PyTorch's order and precision (assembly/cascade-sum.ts), bit for bit as on cpu; x's data at `xAddress`. */
  private cascadeSum(out: View, x: View, dims: readonly number[], xAddress: number): void {
    const bytes = BYTES[x.dtype];
    const count = numel(out.shape);
    const acc = this.heap.allocZeroed(count * bytes, 'sum accumulator', this.zeroRange);
    try {
      if (x.shape.every((s) => s > 0)) {
        const outStrides = new Array<number>(x.shape.length);
        for (let d = x.shape.length - 1, s = 1; d >= 0; d--) {
          outStrides[d] = dims.includes(d) ? 0 : s;
          if (!dims.includes(d)) s *= x.shape[d]!;
        }
        writeIterationDims(this.heap, this.desc, iterationDims(x.shape, x.strides, outStrides), bytes);
        this.k.cascadeSum(x.dtype === 'float32' ? 1 : 0, xAddress, acc);
      }
      const accOperand: Operand = { address: acc, code: DTYPE_CODE[x.dtype], bytes, strides: contiguous(out.shape) };
      if (this.walk(out.shape, [operandOf(out), accOperand])) this.k.copy(0);
    } finally {
      this.heap.free(acc, count * bytes);
    }
  }

  argReduce(op: ArgReduceOp, out: View, x: View, dim: number): void {
    const { lineShape, size } = lines(x, dim);
    const step = (x.strides[dim] ?? 0) * BYTES[x.dtype];
    if (this.walk(lineShape, [operandOf(out), operandOf(x)])) this.k.argReduce(op === 'argmax' ? 1 : 0, size, step);
  }

  scan(op: ScanOp, out: View, x: View, dim: number, indices?: View): void {
    const { lineShape, size } = lines(x, dim);
    const step = (v: View | undefined) => (v ? (v.strides[dim] ?? 0) * BYTES[v.dtype] : 0);
    const idx = indices
      ? operandOf(indices)
      : f64Operand(
          0,
          lineShape.map(() => 0),
        );
    if (this.walk(lineShape, [operandOf(out), operandOf(x), idx]))
      this.k.scan(SCAN_CODE[op], size, step(out), step(x), step(indices), indices ? 1 : 0);
  }

  sort(values: View, indices: View, x: View, dim: number, descending: boolean): void {
    const { lineShape, size } = lines(x, dim);
    const step = (v: View) => (v.strides[dim] ?? 0) * BYTES[v.dtype];
    const bytes = size * 16;
    const scratch = this.heap.alloc(bytes, 'sort buffers');
    try {
      if (this.walk(lineShape, [operandOf(values), operandOf(indices), operandOf(x)]))
        this.k.sort(size, step(values), step(indices), step(x), descending ? 1 : 0, scratch);
    } finally {
      this.heap.free(scratch, bytes);
    }
  }

  // ------------------------------------------------------------------ matmul

  matmul(out: View, a: View, b: View): void {
    const [B, M, K] = a.shape as [number, number, number];
    const N = b.shape[2]!;
    if (B * M * N === 0) return;
    // The kernel writes whole rows; a view with strided columns gets a contiguous stand-in.
    const temp = N > 1 && out.strides[2] !== 1 ? this.alloc(out.dtype, B * M * N) : null;
    const target: View = temp ? { storage: temp, shape: out.shape, strides: contiguous(out.shape), offset: 0, dtype: out.dtype } : out;
    // All-float32 products: K < 32 in OpenBLAS's fma order (bit for bit as torch and cpu); other
    // small ones accumulate in float64 like the cpu backend (bit for bit), where speed hardly
    // matters; from F32_KERNEL_MIN multiply-adds on, the f32x4 kernel runs.
    const allF32 = a.dtype === 'float32' && b.dtype === 'float32' && out.dtype === 'float32';
    const path =
      allF32 && K <= SEQUENTIAL_FMA_MAX_K
        ? MatmulPath.FmaChain
        : allF32 && B * M * N * K >= F32_KERNEL_MIN
          ? MatmulPath.F32
          : MatmulPath.F64;
    const [oa, ob, oo] = [operandOf(a), operandOf(b), operandOf(target)];
    const [ea, eb, eo] = [oa.bytes, ob.bytes, oo.bytes];
    // biome-ignore format: the kernel's parameters, grouped as in assembly/matmul.ts
    const call = [
      B, M, K, N,
      oa.address, oa.code, a.strides[0]! * ea, a.strides[1]! * ea, a.strides[2]! * ea,
      ob.address, ob.code, b.strides[0]! * eb, b.strides[1]! * eb, b.strides[2]! * eb,
      oo.address, oo.code, target.strides[0]! * eo, target.strides[1]! * eo,
      0, path,
    ];
    const pool = this.poolFor(B * M * N * K, THREADED_MATMUL_MIN);
    // Threads sharing a float32 matmul by rows all read the same B: pack it once, between them.
    const packB = pool !== null && path === MatmulPath.F32 && sharedByRows(M, B) && (B === 1 || b.strides[0] === 0);
    const scratch: Block[] = [];
    try {
      if (packB) {
        const bytes = this.k.matmulPackedBBytes(K, N);
        const packed = this.heap.alloc(bytes, 'matmul packed B');
        scratch.push({ ptr: packed, bytes });
        pool.run('packMatmulB', packedBShares(K, N, ob.address, b.strides[1]! * eb, b.strides[2]! * eb, packed, pool.size));
        call[MATMUL_ARG.pb] = packed;
        call[MATMUL_ARG.path] = MatmulPath.F32PackedB;
      }
      const parts = pool ? Math.min(pool.maxChunks, pool.size * (packB ? PACKED_B_CHUNKS_PER_THREAD : MATMUL_CHUNKS_PER_THREAD)) : 1;
      const shares = pool ? matmulShares(call, parts) : [call];
      // Each chunk packs its A panels (and B's, unless packed above) in scratch of its own, whichever thread runs it.
      for (const share of shares) {
        const bytes = this.k.matmulScratchBytes(share[MATMUL_ARG.m]!, K, N, share[MATMUL_ARG.path] as MatmulPath);
        share[MATMUL_ARG.scratch] = this.heap.alloc(bytes, 'matmul panels');
        scratch.push({ ptr: share[MATMUL_ARG.scratch]!, bytes });
      }
      if (pool) pool.run('matmul', shares.map(asChunk));
      else (this.k.matmul as (...args: number[]) => void)(...call);
      if (temp) this.copy(out, target);
    } finally {
      for (const block of scratch) this.heap.free(block.ptr, block.bytes);
      temp?.free();
    }
  }

  /** torch.dot into a 0-d out: OpenBLAS's order for short float32 vectors, the matmul kernel otherwise. */
  private dot(out: View, a: View, b: View): void {
    const n = a.shape[0]!;
    if (a.dtype === 'float32' && b.dtype === 'float32' && out.dtype === 'float32' && n <= DOUBLE_SUM_DOT_MAX_N) {
      const f32 = this.heap.f32;
      const [pa, pb] = [operandOf(a).address >>> 2, operandOf(b).address >>> 2];
      const [sa, sb] = [a.strides[0]!, b.strides[0]!];
      let acc = 0;
      for (let i = 0; i < n; i++) acc += Math.fround(f32[pa + i * sa]! * f32[pb + i * sb]!);
      f32[operandOf(out).address >>> 2] = acc;
      return;
    }
    this.matmul(
      { storage: out.storage, shape: [1, 1, 1], strides: [0, 0, 0], offset: out.offset, dtype: out.dtype },
      { storage: a.storage, shape: [1, 1, n], strides: [0, 0, a.strides[0]!], offset: a.offset, dtype: a.dtype },
      { storage: b.storage, shape: [1, n, 1], strides: [0, b.strides[0]!, 0], offset: b.offset, dtype: b.dtype },
    );
  }

  // ------------------------------------------------------------------ indexing

  /**
   * Copies `index` into a float64 scratch block, checks every entry against `size` (throwing
   * PyTorch's IndexError before anything is written) and makes negative entries positive.
   */
  private indexBlock(index: View, size: number, dim: number): Block {
    const count = numel(index.shape);
    const bytes = count * 8;
    const ptr = this.heap.alloc(bytes, 'index buffer');
    try {
      if (this.walk(index.shape, [f64Operand(ptr, contiguous(index.shape)), operandOf(index)])) this.k.copy(0);
      const v = this.heap.f64.subarray(ptr >>> 3, (ptr >>> 3) + count);
      for (let i = 0; i < count; i++) {
        const j = v[i]!;
        if (j < -size || j >= size) throw new IndexError(`index ${j} is out of bounds for dimension ${dim} with size ${size}`);
        if (j < 0) v[i] = j + size;
      }
    } catch (e) {
      this.heap.free(ptr, bytes);
      throw e;
    }
    return { ptr, bytes };
  }

  private indexList(index: View, size: number, dim: number): Float64Array {
    const block = this.indexBlock(index, size, dim);
    const list = this.heap.f64.slice(block.ptr >>> 3, (block.ptr >>> 3) + block.bytes / 8);
    this.heap.free(block.ptr, block.bytes);
    return list;
  }

  gather(out: View, x: View, dim: number, index: View): void {
    const block = this.indexBlock(index, x.shape[dim]!, dim);
    try {
      const xs = x.strides.slice();
      xs[dim] = 0;
      if (this.walk(index.shape, [operandOf(out), operandOf(x, xs), f64Operand(block.ptr, contiguous(index.shape))]))
        this.k.gather(x.strides[dim]! * BYTES[x.dtype]);
    } finally {
      this.heap.free(block.ptr, block.bytes);
    }
  }

  scatterAdd(out: View, dim: number, index: View, src: View): void {
    const block = this.indexBlock(index, out.shape[dim]!, dim);
    try {
      const os = out.strides.slice();
      os[dim] = 0;
      if (this.walk(index.shape, [operandOf(out, os), operandOf(src), f64Operand(block.ptr, contiguous(index.shape))]))
        this.k.scatterAdd(out.strides[dim]! * BYTES[out.dtype]);
    } finally {
      this.heap.free(block.ptr, block.bytes);
    }
  }

  indexSelect(out: View, x: View, dim: number, index: View): void {
    const list = this.indexList(index, x.shape[dim]!, dim);
    for (let k = 0; k < list.length; k++) this.copy(selectView(out, dim, k), selectView(x, dim, list[k]!));
  }

  indexAdd(out: View, dim: number, index: View, src: View): void {
    const list = this.indexList(index, out.shape[dim]!, dim);
    for (let k = 0; k < list.length; k++) {
      const dst = selectView(out, dim, list[k]!);
      this.binary('add', dst, dst, selectView(src, dim, k));
    }
  }

  // ------------------------------------------------------------------ fused kernels

  private bytesStrides(v: View): number[] {
    return v.strides.map((s) => s * BYTES[v.dtype]);
  }

  private im2col(cols: View, x: View, g: Window2d): void {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const [ho, wo] = windowOutput(H, W, g);
    const ox = operandOf(x);
    const oc = operandOf(cols);
    this.k.im2col(N, C, H, W, ox.address, ox.code, ...this.bytesStrides(x), oc.address, oc.code, ...windowArgs(g, ho, wo));
  }

  private col2im(out: View, cols: View, g: Window2d): void {
    const [N, C, H, W] = out.shape as [number, number, number, number];
    const [ho, wo] = windowOutput(H, W, g);
    const oo = operandOf(out);
    const oc = operandOf(cols);
    this.k.col2im(N, C, H, W, oo.address, oo.code, oc.address, oc.code, ...this.bytesStrides(cols), ...windowArgs(g, ho, wo));
  }

  private maxPool2d(values: View, indices: View, x: View, g: Window2d): void {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const [, , ho, wo] = values.shape as [number, number, number, number];
    const [ox, ov, oi] = [operandOf(x), operandOf(values), operandOf(indices)];
    this.k.maxPool2d(
      N,
      C,
      H,
      W,
      ox.address,
      ox.code,
      ...this.bytesStrides(x),
      ov.address,
      ov.code,
      oi.address,
      oi.code,
      ...windowArgs(g, ho, wo),
    );
  }

  private softmax(isLog: boolean, out: View, x: View, dim: number): void {
    const { lineShape, size } = lines(x, dim);
    const step = (v: View) => (v.strides[dim] ?? 0) * BYTES[v.dtype];
    if (this.walk(lineShape, [operandOf(out), operandOf(x)])) this.k.softmax(isLog ? 1 : 0, size, step(out), step(x));
  }
}
