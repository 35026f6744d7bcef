// Element types as the kernels see them. int64 lives in float64 slots, as on the cpu backend.
export const F32: i32 = 0;
export const F64: i32 = 1;
export const I32: i32 = 2;
export const U8: i32 = 3;

/** JavaScript's ToInt32: what storing a number into an Int32Array does. */
export function toInt32(v: f64): i32 {
  if (v > -2147483649.0 && v < 2147483648.0) return <i32>v;
  if (!isFinite(v)) return 0;
  let m = Math.trunc(v) % 4294967296.0;
  if (m < 0) m += 4294967296.0;
  return <i32><u32>m;
}

/** JavaScript's ToUint8: what storing a number into a Uint8Array does. */
export function toUint8(v: f64): u8 {
  if (v >= 0 && v < 256.0) return <u8>v;
  if (!isFinite(v)) return 0;
  let m = Math.trunc(v) % 256.0;
  if (m < 0) m += 256.0;
  return <u8>m;
}

// @ts-ignore: decorator
@inline
export function loadAs(p: usize, dtype: i32): f64 {
  if (dtype == F32) return <f64>load<f32>(p);
  if (dtype == F64) return load<f64>(p);
  if (dtype == I32) return <f64>load<i32>(p);
  return <f64>load<u8>(p);
}

// @ts-ignore: decorator
@inline
export function storeAs(p: usize, dtype: i32, v: f64): void {
  if (dtype == F32) store<f32>(p, <f32>v);
  else if (dtype == F64) store<f64>(p, v);
  else if (dtype == I32) store<i32>(p, toInt32(v));
  else store<u8>(p, toUint8(v));
}

export function sizeOf(dtype: i32): i32 {
  return dtype == F64 ? 8 : dtype == U8 ? 1 : 4;
}
