/**
 * a * b + c with a single rounding, for float32 and float64. PyTorch's CPU kernels are built with
 * FMA contraction, so matching its random numbers bit for bit needs fused arithmetic; JS has none.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The float32 one step away from x (x a float32) toward +Infinity or -Infinity. */
function stepFloat32(x: number, up: boolean): number {
  f32[0] = x;
  if (x === 0) {
    u32[0] = 1;
    return up ? f32[0]! : -f32[0]!;
  }
  u32[0] = u32[0]! + (x > 0 === up ? 1 : -1);
  return f32[0]!;
}

/** s + e = a + b exactly (Knuth's TwoSum). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bv = s - a;
  return [s, a - (s - bv) + (b - bv)];
}

/** p + e = a * b exactly (Dekker's product with Veltkamp splitting; no overflow assumed). */
function twoProduct(a: number, b: number): [number, number] {
  const SPLIT = 134217729; // 2^27 + 1
  const p = a * b;
  let t = SPLIT * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = SPLIT * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  return [p, aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo];
}

/** Float32 fma: a*b of two float32s is exact in a double; only a double landing on a float32 tie can misround. */
export function fmaFloat32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s || !Number.isFinite(s)) return r;
  // The rounding error of s (TwoSum, inlined: this runs once per sampled value).
  const cPart = s - p;
  const err = p - (s - cPart) + (c - cPart);
  if (err === 0) return r;
  const other = stepFloat32(r, s > r);
  if ((r + other) / 2 !== s) return r;
  // s sits exactly on a tie but the true sum lies to one side of it.
  return err > 0 === other > r ? other : r;
}

/** a + b rounded to odd: an inexact result gets an odd last bit (Boldo–Melquiond). */
function addRoundToOdd(a: number, b: number): number {
  const [s, err] = twoSum(a, b);
  if (err === 0 || !Number.isFinite(s)) return s;
  f64[0] = s;
  if ((u64[0]! & 1n) === 0n) u64[0] = err > 0 === s > 0 ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

/** Float64 fma by Boldo and Melquiond's emulation: RN(hi + RO(lo terms)). */
export function fmaFloat64(a: number, b: number, c: number): number {
  const [ph, pl] = twoProduct(a, b);
  if (!Number.isFinite(ph)) return ph + c;
  const [sh, sl] = twoSum(c, ph);
  return sh + addRoundToOdd(sl, pl);
}
