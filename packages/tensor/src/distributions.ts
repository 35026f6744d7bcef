import { logFloat32, sinCosFloat32 } from './cephes-float32.js';
import type { TypedArray } from './dtype.js';
import { fmaFloat32, fmaFloat64 } from './fused-multiply-add.js';
import type { Generator } from './random.js';

/**
 * PyTorch's CPU sampling kernels (ATen's DistributionTemplates / DistributionsHelper), in the same
 * order of draws and the same arithmetic, so a seeded generator yields torch's exact values.
 * PyTorch on x86 runs these kernels compiled for AVX2 (or AVX512, same results) with fused
 * multiply-adds; that is the variant reproduced here. PyTorch's generic build (ARM, or
 * ATEN_CPU_CAPABILITY=default) rounds differently in the last bit for many float32 values.
 */

export type FloatArray = Float32Array | Float64Array;

/** uniform_(from, to): one draw per value, 24 bits for float32, 53 for float64, scaled with a fused multiply-add. */
export function fillUniform(out: FloatArray, from: number, to: number, gen: Generator): void {
  if (out instanceof Float32Array) {
    const lo = Math.fround(from);
    const span = Math.fround(Math.fround(to) - lo);
    for (let i = 0; i < out.length; i++) out[i] = fmaFloat32(gen.nextFloat(), span, lo);
  } else {
    const span = to - from;
    for (let i = 0; i < out.length; i++) out[i] = fmaFloat64(gen.nextDouble(), span, from);
  }
}

/**
 * normal_(mean, std). PyTorch fills a contiguous tensor of 16 or more values with uniforms first
 * and turns them into normals 16 at a time (Box–Muller, pairing value j with j + 8); a ragged tail
 * redraws and overwrites the last 16. Smaller or non-contiguous tensors take one double-precision
 * Box–Muller sample per value, the spare sample cached in the generator.
 */
export function fillNormal(out: FloatArray, mean: number, std: number, gen: Generator, contiguous = true): void {
  const n = out.length;
  if (n < 16 || !contiguous) {
    for (let i = 0; i < n; i++) out[i] = fmaFloat64(scalarStandardNormal(gen), std, mean);
    return;
  }
  const float32 = out instanceof Float32Array;
  const block = float32 ? boxMuller16Float32 : boxMuller16Float64;
  const m = float32 ? Math.fround(mean) : mean;
  const s = float32 ? Math.fround(std) : std;
  const draw = float32 ? () => gen.nextFloat() : () => gen.nextDouble();
  for (let i = 0; i < n; i++) out[i] = draw();
  for (let i = 0; i + 16 <= n; i += 16) block(out, i, m, s);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) out[i] = draw();
    block(out, n - 16, m, s);
  }
}

/**
 * One standard normal from PyTorch's scalar sampler: cached spare, or a fresh pair, in double
 * precision (exact after rounding to float32; see boxMuller16Float64 for float64).
 */
function scalarStandardNormal(gen: Generator): number {
  if (gen.nextDoubleNormal !== null) {
    const cached = gen.nextDoubleNormal;
    gen.nextDoubleNormal = null;
    return cached;
  }
  const u1 = gen.nextDouble();
  const u2 = gen.nextDouble();
  const radius = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = 2 * Math.PI * u1;
  gen.nextDoubleNormal = radius * Math.sin(theta);
  return radius * Math.cos(theta);
}

const TWO_PI_FLOAT32 = Math.fround(2 * Math.PI);
const sinCos = new Float32Array(2);

/** The AVX2 kernel's 16-value Box–Muller step, in float32. */
function boxMuller16Float32(d: FloatArray, at: number, mean: number, std: number): void {
  for (let j = at; j < at + 8; j++) {
    const radius = Math.fround(Math.sqrt(Math.fround(-2 * logFloat32(Math.fround(1 - d[j]!)))));
    sinCosFloat32(Math.fround(TWO_PI_FLOAT32 * d[j + 8]!), sinCos);
    d[j] = fmaFloat32(Math.fround(radius * sinCos[1]!), std, mean);
    d[j + 8] = fmaFloat32(Math.fround(radius * sinCos[0]!), std, mean);
  }
}

/**
 * The same step in float64. PyTorch calls glibc's log, cos and sin here; V8's Math functions
 * differ from them in the last bit for a few percent of inputs, so float64 normals can too.
 */
function boxMuller16Float64(d: FloatArray, at: number, mean: number, std: number): void {
  for (let j = at; j < at + 8; j++) {
    const radius = Math.sqrt(-2 * Math.log(1 - d[j]!));
    const theta = 2 * Math.PI * d[j + 8]!;
    d[j] = fmaFloat64(radius * Math.cos(theta), std, mean);
    d[j + 8] = fmaFloat64(radius * Math.sin(theta), std, mean);
  }
}

/**
 * random_(low, low + range): each value is a draw modulo range, plus low. Ranges of 2^32 and more
 * use 64-bit draws (except for int32 output, whose range never gets there).
 */
export function fillRandomFromTo(out: TypedArray, low: number, range: number, gen: Generator): void {
  if (range >= 2 ** 32 && !(out instanceof Int32Array)) {
    const r = BigInt(range);
    for (let i = 0; i < out.length; i++) out[i] = Number(gen.nextUint64() % r) + low;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = (gen.nextUint32() % range) + low;
  }
}

/**
 * randperm's shuffle. Below 2^32/20 PyTorch swaps each position with a later one chosen by a 32-bit
 * draw modulo the count left; above, since PyTorch 2.6, it switches to the inside-out Fisher–Yates
 * with 64-bit draws (older versions kept the 32-bit loop for every n).
 */
export function fillPermutation(out: TypedArray, gen: Generator): void {
  const n = out.length;
  if (n < Math.floor(0xffffffff / 20)) {
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = 0; i < n - 1; i++) {
      const z = i + (gen.nextUint32() % (n - i));
      const held = out[i]!;
      out[i] = out[z]!;
      out[z] = held;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const z = Number(gen.nextUint64() % BigInt(i + 1));
    out[i] = out[z]!;
    out[z] = i;
  }
}
