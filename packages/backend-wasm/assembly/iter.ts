/**
 * The strided walk every elementwise kernel shares. The host writes a descriptor into DESC:
 * i32 [operandCount, rowLength, outerDims, outerSizes...] and then, for each of 4 operand slots,
 * [byteAddress, dtype, innerByteStride, outerByteStrides...]. Dims were already coalesced by the
 * host, so a contiguous tensor is one long row. Kernels call beginRows() and then run one row at
 * P0..P3 (inner strides S0..S3) per nextRow().
 */
export const MAX_DIMS: i32 = 32;
const DESC_BYTES: i32 = 4 * (3 + MAX_DIMS + 4 * (3 + MAX_DIMS));
/** Where a walk block's kernel scratch starts (16-aligned): after the odometer. */
const SCRATCH_OFFSET: i32 = (DESC_BYTES + 4 * MAX_DIMS + 15) & ~15;
/** Bytes of kernel scratch: five v128s. */
export const SCRATCH_BYTES: i32 = 80;
/** Bytes of a walk block: the descriptor, the odometer over its outer dims, then kernel scratch. */
export const WALK_BYTES: i32 = SCRATCH_OFFSET + SCRATCH_BYTES;

// The walk block lives in static data, except in a worker thread's instance, which shares the
// memory with the host's and so is given a block of its own (useWalkBlock).
export let DESC: usize = memory.data(WALK_BYTES, 16);
let IDX: usize = DESC + DESC_BYTES;
/** SCRATCH_BYTES bytes a kernel may use in passing (per instance, so threads do not share them). */
export let SCRATCH: usize = DESC + SCRATCH_OFFSET;

/** Makes this instance walk the descriptor at `at` (WALK_BYTES long) instead of the static one. */
export function useWalkBlock(at: usize): void {
  DESC = at;
  IDX = at + DESC_BYTES;
  SCRATCH = at + SCRATCH_OFFSET;
}

export let N: i32 = 0;
let ND: i32 = 0;
export let P0: usize = 0;
export let P1: usize = 0;
export let P2: usize = 0;
export let P3: usize = 0;
export let D0: i32 = 0;
export let D1: i32 = 0;
export let D2: i32 = 0;
export let D3: i32 = 0;
export let S0: i32 = 0;
export let S1: i32 = 0;
export let S2: i32 = 0;
export let S3: i32 = 0;

// @ts-ignore: decorator
@inline
function word(i: i32): i32 {
  return load<i32>(DESC + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function slot(j: i32): i32 {
  return 3 + ND + j * (3 + ND);
}

/** Reads the descriptor; returns the number of rows. */
export function beginRows(): i32 {
  N = word(1);
  ND = word(2);
  let rows = 1;
  for (let d = 0; d < ND; d++) {
    rows *= word(3 + d);
    store<i32>(IDX + (<usize>d << 2), 0);
  }
  P0 = <usize>word(slot(0));
  D0 = word(slot(0) + 1);
  S0 = word(slot(0) + 2);
  P1 = <usize>word(slot(1));
  D1 = word(slot(1) + 1);
  S1 = word(slot(1) + 2);
  P2 = <usize>word(slot(2));
  D2 = word(slot(2) + 1);
  S2 = word(slot(2) + 2);
  P3 = <usize>word(slot(3));
  D3 = word(slot(3) + 1);
  S3 = word(slot(3) + 2);
  return rows;
}

/** Moves P0..P3 to the start of the next row (an odometer over the outer dims). */
export function nextRow(): void {
  for (let d = ND - 1; d >= 0; d--) {
    const ip = IDX + (<usize>d << 2);
    const i = load<i32>(ip) + 1;
    const size = word(3 + d);
    const s0 = word(slot(0) + 3 + d);
    const s1 = word(slot(1) + 3 + d);
    const s2 = word(slot(2) + 3 + d);
    const s3 = word(slot(3) + 3 + d);
    if (i < size) {
      store<i32>(ip, i);
      P0 += <usize>s0;
      P1 += <usize>s1;
      P2 += <usize>s2;
      P3 += <usize>s3;
      return;
    }
    store<i32>(ip, 0);
    const back = size - 1;
    P0 -= <usize>(s0 * back);
    P1 -= <usize>(s1 * back);
    P2 -= <usize>(s2 * back);
    P3 -= <usize>(s3 * back);
  }
}
