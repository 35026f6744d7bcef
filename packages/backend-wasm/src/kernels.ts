/** The exports of the AssemblyScript module (assembly/index.ts). bool parameters are 0 or 1. */
export interface Kernels {
  descriptor(): number;
  walkBlockBytes(): number;
  useWalkBlock(at: number): void;
  zero(at: number, bytes: number): void;
  heapBase(): number;
  simd(): number;
  relaxedSimd(): number;
  fill(value: number): void;
  copy(toBool: number): void;
  unary(op: number, a: number, b: number, c: number, fastMath: number): void;
  binary(op: number, alpha: number): void;
  where(): void;
  reduce(op: number): void;
  argReduce(isMax: number, size: number, step: number): void;
  scan(op: number, size: number, so: number, sx: number, si: number, withIndices: number): void;
  gather(step: number): void;
  scatterAdd(step: number): void;
  sort(size: number, sv: number, si: number, sx: number, descending: number, scratch: number): void;
  matmul(
    batches: number,
    m: number,
    k: number,
    n: number,
    pa: number,
    da: number,
    sab: number,
    sam: number,
    sak: number,
    pb: number,
    db: number,
    sbb: number,
    sbk: number,
    sbn: number,
    po: number,
    dout: number,
    sob: number,
    som: number,
    scratch: number,
    path: MatmulPath,
  ): void;
  matmulScratchBytes(m: number, k: number, n: number, path: MatmulPath): number;
  matmulPackedBBytes(k: number, n: number): number;
  packMatmulB(k: number, n: number, pb: number, sbk: number, sbn: number, dst: number): void;
  im2col(...args: number[]): void;
  col2im(...args: number[]): void;
  maxPool2d(...args: number[]): void;
  softmax(isLog: number, size: number, so: number, sx: number): void;
  cascadeSum(isF32: number, px: number, pacc: number): void;
  addcmul(value: number): void;
  lerp(scalarWeight: number, weight: number): void;
  adam(beta1: number, beta2: number, biasCorrection2Sqrt: number, eps: number, stepSize: number): void;
}

/** Where the module comes from: its bytes, a URL to fetch, or a compiled module. */
export type WasmSource = BufferSource | URL | string | WebAssembly.Module;

export async function compileModule(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`wasmBackend: could not fetch ${String(source)} (HTTP ${response.status})`);
    // Streaming compile needs the server to label the file application/wasm.
    if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm'))
      return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(source as BufferSource);
}

export async function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort() {
        throw new Error('wasm kernel aborted');
      },
    },
  });
  return instance.exports as unknown as Kernels;
}

export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** assembly/matmul.ts's Path: how a matmul accumulates. */
export const MatmulPath = {
  /** float64 accumulation in the cpu backend's order (any dtype mix). */
  F64: 0,
  /** the f32x4 kernel, float32 accumulation (large all-float32 products). */
  F32: 1,
  /** a sequential float32 fma chain per output, OpenBLAS's order for K < 32. */
  FmaChain: 2,
  /** as F32, with B already packed whole by packMatmulB (shared by the threads). */
  F32PackedB: 3,
} as const;
export type MatmulPath = (typeof MatmulPath)[keyof typeof MatmulPath];
