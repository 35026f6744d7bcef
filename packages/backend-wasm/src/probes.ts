/** `v128.const 0`. */
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
/** `f32x4.relaxed_madd` (prefix 0xfd, opcode 0x105 as LEB128). */
const RELAXED_MADD = [0xfd, 0x85, 0x02];

/** A module of one function `() -> v128` with this body: it validates where the body's instructions exist. */
function probeModule(body: readonly number[]): Uint8Array<ArrayBuffer> {
  const code = [0, ...body, 0x0b]; // no locals, body, end
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // type section: () -> v128
    ...[0x03, 0x02, 0x01, 0x00], // function section: one function of type 0
    ...[0x0a, code.length + 2, 0x01, code.length, ...code], // code section
  ]);
}

/** Valid exactly where wasm SIMD is supported. */
export const SIMD_PROBE = probeModule(V128_ZERO);

/** Valid exactly where relaxed SIMD is supported (V8 11.4+: Chrome and Edge 114+, Node 21+; Node 20 with --experimental-wasm-relaxed-simd). */
export const RELAXED_SIMD_PROBE = probeModule([...V128_ZERO, ...V128_ZERO, ...V128_ZERO, ...RELAXED_MADD]);
