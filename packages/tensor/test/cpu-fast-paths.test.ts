import { describe, expect, it } from 'vitest';
import { expf, expfRun } from '../src/cpu/sleef-float32.js';
import { div, exp, fromArray, matmul, sub, sum, type Tensor } from '../src/index.js';

/** Deterministic float32 values in [-2, 2), a few of them zero. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = i % 17 === 3 ? 0 : (s / 2147483648) * 4 - 2;
  }
  return out;
}

const rows = (t: Tensor): number[] => Array.from(t.dataSync());

/** a [M, K] @ b [K, N] through transposed views, expected as each float64 dot product (by blocks of 256 k) rounded once. */
function expectBlockedDotProducts(a: Float32Array, b: Float32Array, M: number, K: number, N: number): void {
  // a stored as [K, M] and b as [N, K], both used through .t()
  const at = new Float32Array(M * K);
  const bt = new Float32Array(K * N);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) at[k * M + i] = a[i * K + k]!;
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) bt[j * K + k] = b[k * N + j]!;
  const got = rows(matmul(fromArray(at, [K, M]).t(), fromArray(bt, [N, K]).t()));
  const want: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k0 = 0; k0 < K; k0 += 256) {
        let block = 0;
        for (let k = k0; k < Math.min(K, k0 + 256); k++) block += a[i * K + k]! * b[k * N + j]!;
        s += block;
      }
      want.push(Math.fround(s));
    }
  }
  expect(got).toEqual(want);
}

describe('cpu matmul over packed tiles', () => {
  // M, K, N: edge tiles, vector-thin shapes (plain dot products), K over several blocks, and M and N
  // past a packed block (128 rows of A, 192 columns of B)
  const shapes: [number, number, number][] = [
    [13, 70, 11],
    [131, 260, 194],
    [8, 33, 17],
    [1, 40, 300],
    [300, 40, 1],
    [9, 700, 10],
    [3, 300, 2],
  ];
  for (const [M, K, N] of shapes) {
    it(`${M}x${K} @ ${K}x${N} from transposed views is each float64 dot product (by blocks of 256 k) rounded once`, () => {
      expectBlockedDotProducts(values(M * K, 1), values(K * N, 2), M, K, N);
    });
    it(`${M}x${K} @ ${K}x${N} with half of A zeros (skipped row by row) gives the same sums`, () => {
      // zeros of both signs, as ReLU's gradients hold them
      const a = values(M * K, 3).map((v, i) => (i % 7 < 3 ? 0 : i % 7 === 3 ? -0 : v));
      expectBlockedDotProducts(a, values(K * N, 4), M, K, N);
    });
  }

  it('a zero of A times an infinity of B is NaN, also when A is mostly zeros', () => {
    const [M, K, N] = [6, 40, 9];
    const a = values(M * K, 5).map((v, i) => (i % 2 ? 0 : v));
    const b = values(K * N, 6);
    b[1 * N + 4] = Number.POSITIVE_INFINITY; // row k = 1, where a[i, 1] is zero for every i
    const got = rows(matmul(fromArray(a, [M, K]), fromArray(b, [K, N])));
    for (let i = 0; i < M; i++) expect(got[i * N + 4]).toBeNaN();
    expectBlockedDotProducts(a, b, M, K, N);
  });
});

describe('cpu elementwise fast paths', () => {
  for (const n of [1, 3, 4, 7, 67, 130, 2061]) {
    it(`length ${n}: dense, scalar and broadcast operands give the float32 results element by element`, () => {
      const a = values(n, 3);
      const b = values(n, 4).map((v) => v + 3);
      const ta = fromArray(a, [n]);
      const tb = fromArray(b, [n]);
      const one = fromArray(Float32Array.of(1), [1]).expand([n]);
      const f = Math.fround;
      expect(rows(sub(ta, tb))).toEqual(Array.from(a, (v, i) => f(v - b[i]!)));
      expect(rows(div(ta, tb))).toEqual(Array.from(a, (v, i) => f(v / b[i]!)));
      expect(rows(sub(2, ta))).toEqual(Array.from(a, (v) => f(2 - v)));
      expect(rows(div(2, tb))).toEqual(Array.from(b, (v) => f(2 / v)));
      expect(rows(one.mul(ta))).toEqual(Array.from(a));
      expect(rows(ta.mul(one))).toEqual(Array.from(a));
      expect(rows(ta.add(one))).toEqual(Array.from(a, (v) => f(v + 1)));
    });
  }

  it('runs at different offsets in their operands (views into longer tensors) give the same results as aligned ones', () => {
    for (const n of [40, 300, 2061]) {
      const a = fromArray(values(n + 5, 6), [n + 5]);
      const b = fromArray(values(n + 2, 7), [n + 2]);
      const av = a.narrow(0, 5, n);
      const bv = b.narrow(0, 1, n);
      const f = Math.fround;
      const ea = rows(av);
      const eb = rows(bv);
      expect(rows(av.mul(bv))).toEqual(ea.map((v, i) => f(v * eb[i]!)));
      expect(rows(sub(av, bv))).toEqual(ea.map((v, i) => f(v - eb[i]!)));
      expect(rows(av.add(bv.narrow(0, 0, 1).expand([n])))).toEqual(ea.map((v) => f(v + eb[0]!)));
      expect(rows(sub(3, av))).toEqual(ea.map((v) => f(3 - v)));
      expect(rows(exp(av))).toEqual(rows(exp(av.contiguous())));
    }
  });

  it('exp of a strided view equals exp of its contiguous copy, odd lengths included', () => {
    const x = fromArray(
      values(2 * 37, 5).map((v) => v * 20),
      [37, 2],
    );
    const strided = x.select(1, 0);
    expect(rows(exp(strided))).toEqual(rows(exp(strided.contiguous())));
    expect(rows(exp(strided.contiguous()))).toEqual(rows(exp(x)).filter((_, i) => i % 2 === 0));
  });
});

describe('expf over contiguous runs', () => {
  it('computes eight lanes at once exactly as the scalar SLEEF expf, range edges, subnormals, inf and NaN included', () => {
    // spread bit patterns (mostly groups with an element out of the fast range), then a dense
    // sweep over [-90, 90] (whole groups in it)
    const bits = new Uint32Array(140_000);
    for (let i = 0; i < 70_000; i++) bits[i] = Math.imul(i, 61_363) >>> 0;
    const x = new Float32Array(bits.buffer);
    for (let i = 70_000; i < x.length; i++) x[i] = -90 + (i - 70_000) * (180 / 70_000);
    x.set([-104.5, -104, -87.5, -86.01, -86, 88, 88.01, 88.7, 89, 100, 100.5, -0, Infinity, -Infinity, Number.NaN, 1e-40], 0);
    const out = new Float32Array(x.length - 1);
    expfRun(out, 0, x, 1, out.length);
    expect(Array.from(out)).toEqual(Array.from(x.subarray(1), (v) => expf(v)));
  });
});

/**
 * PyTorch's cascade_sum of one contiguous float32 run, written out lane by lane: 4 x 8 lanes of
 * partial sums over steps of 32 elements, level 0 folded into the next level every 2^p steps
 * (and so on up 4 levels), then the leftover 8-element steps, the lanes, and the scalar tail.
 */
function cascadeSumReference(x: Float32Array): number {
  const f = Math.fround;
  const vecSize = Math.trunc(x.length / 8);
  const steps = Math.trunc(vecSize / 4);
  const levelPower = Math.max(4, Math.trunc((steps <= 2 ? 1 : 32 - Math.clz32(steps - 1)) / 4));
  const levelStep = 2 ** levelPower;
  const levels = [0, 1, 2, 3].map(() => new Array<number>(32).fill(0));
  const a0 = levels[0]!;
  const addSteps = (from: number, to: number): void => {
    for (let j = from; j < to; j++) for (let l = 0; l < 32; l++) a0[l] = f(a0[l]! + x[j * 32 + l]!);
  };
  let i = 0;
  for (; i + levelStep <= steps; ) {
    addSteps(i, i + levelStep);
    i += levelStep;
    for (let lv = 1; lv < 4; lv++) {
      for (let l = 0; l < 32; l++) {
        levels[lv]![l] = f(levels[lv]![l]! + levels[lv - 1]![l]!);
        levels[lv - 1]![l] = 0;
      }
      if (Math.floor(i / 2 ** (lv * levelPower)) % levelStep !== 0) break;
    }
  }
  addSteps(i, steps);
  for (let lv = 1; lv < 4; lv++) for (let l = 0; l < 32; l++) a0[l] = f(a0[l]! + levels[lv]![l]!);
  for (let v = steps * 4; v < vecSize; v++) for (let w = 0; w < 8; w++) a0[w] = f(a0[w]! + x[v * 8 + w]!);
  for (let k = 1; k < 4; k++) for (let w = 0; w < 8; w++) a0[w] = f(a0[w]! + a0[k * 8 + w]!);
  let total = 0;
  for (let k = vecSize * 8; k < x.length; k++) total = f(total + x[k]!);
  for (let w = 0; w < 8; w++) total = f(total + a0[w]!);
  return total;
}

describe('float32 sums of short runs', () => {
  // 8 to 31 elements: each SIMD lane holds fewer steps than the 4 partial sums (no cascade), the
  // regime of a training loop's losses and bias gradients; 32 to 40 cross into the cascade.
  it("lengths 8 to 40: add in PyTorch's cascade order, bit for bit", () => {
    for (let n = 8; n <= 40; n++) {
      const x = values(n, n).map((v, i) => v * 10 ** ((i % 5) - 2));
      expect(sum(fromArray(x, [n])).item()).toBe(cascadeSumReference(x));
      expect(sum(fromArray(x, [1, n])).item()).toBe(cascadeSumReference(x));
    }
  });
});

describe('float32 sums of long runs', () => {
  // 200_051 elements: 6251 steps of 32 (every level folds), 2 leftover 8-element steps, a tail of 3
  for (const n of [200_051, 1_000_000]) {
    it(`length ${n}: adds in PyTorch's cascade order, bit for bit`, () => {
      const x = values(n, 8).map((v, i) => v * 10 ** ((i % 7) - 3));
      expect(sum(fromArray(x, [n])).item()).toBe(cascadeSumReference(x));
    });
  }
});
