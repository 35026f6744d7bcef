import type { AdamStepScalars, View } from '../backend/backend.js';
import { fmaFloat64 } from '../fused-multiply-add.js';
import { numelOf } from '../shape.js';
import { fmaf } from './fma-float32.js';

// One Adam step per element, fused: the operations of @gd/optim's op-by-op update (lerp_, mul_,
// addcmul_, sqrt, div_, add_, addcdiv_) in the same order with the same roundings, so the result
// is bit for bit that of the unfused path, in one pass instead of seven.

const fround = Math.fround;

/**
 * Adam's update in place over contiguous param, grad, exp_avg and exp_avg_sq of one float dtype
 * (OptimizerKernels['adam']).
 */
export function adamKernel(param: View, grad: View, expAvg: View, expAvgSq: View, s: AdamStepScalars): void {
  if (param.dtype === 'float32') adamFloat32(param, grad, expAvg, expAvgSq, s);
  else adamFloat64(param, grad, expAvg, expAvgSq, s);
}

/** The n elements of each (contiguous) view, as typed arrays indexed from 0. */
function elementsOf<T extends Float32Array | Float64Array>(views: View[], n: number): [T, T, T, T] {
  return views.map((v) => (v.storage.data as T).subarray(v.offset, v.offset + n)) as [T, T, T, T];
}

/**
 * The float32 update. Written for V8's optimizer, which re-checks a number parameter's
 * representation and re-loads a module binding at every use inside a loop: the step's scalars sit
 * in a Float64Array fixed in this closure (one load each, from an address compiled in), and the
 * loop runs in chunks through a function of its own, so it is compiled as a function instead of
 * on the stack mid-loop (whose values all arrive boxed). About 1.3x faster than one plain loop.
 */
const adamFloat32 = (() => {
  /** 1 - beta1 (lerp's weight), 1 - that, beta2, 1 - beta2, bc2, eps, -stepSize, lerp from the start (1) or the end (0). */
  const S = new Float64Array(8);
  const CHUNK = 4096;

  function chunk(P: Float32Array, G: Float32Array, M: Float32Array, V: Float32Array, start: number, end: number): void {
    for (let e = start; e < end; e++) {
      const g = G[e]!;
      const m0 = M[e]!;
      const diff = Math.fround(g - m0);
      // lerp's two sides, exact at weight 0 and 1
      const m = S[7] === 1 ? fmaf(S[0]!, diff, m0) : fmaf(-diff, S[1]!, g);
      const v = fmaf(Math.fround(S[3]! * g), g, Math.fround(V[e]! * S[2]!));
      const denom = Math.fround(Math.fround(Math.fround(Math.sqrt(v)) / S[4]!) + S[5]!);
      M[e] = m;
      V[e] = v;
      P[e] = P[e]! + Math.fround(Math.fround(S[6]! * m) / denom);
    }
  }

  return (param: View, grad: View, expAvg: View, expAvgSq: View, s: AdamStepScalars): void => {
    const n = numelOf(param.shape);
    const [P, G, M, V] = elementsOf<Float32Array>([param, grad, expAvg, expAvgSq], n);
    // The scalars as the ops see them: rounded to float32.
    const w1 = fround(1 - s.beta1);
    S[0] = w1;
    S[1] = fround(1 - w1);
    S[2] = fround(s.beta2);
    S[3] = fround(1 - s.beta2);
    S[4] = fround(s.biasCorrection2Sqrt);
    S[5] = fround(s.eps);
    S[6] = fround(-s.stepSize);
    S[7] = Math.abs(w1) < 0.5 ? 1 : 0;
    for (let start = 0; start < n; start += CHUNK) chunk(P, G, M, V, start, Math.min(n, start + CHUNK));
  };
})();

function adamFloat64(param: View, grad: View, expAvg: View, expAvgSq: View, s: AdamStepScalars): void {
  const n = numelOf(param.shape);
  const [P, G, M, V] = elementsOf<Float64Array>([param, grad, expAvg, expAvgSq], n);
  const w1 = 1 - s.beta1;
  const omw1 = 1 - w1;
  const omb2 = 1 - s.beta2;
  const fromStart = Math.abs(w1) < 0.5;
  for (let e = 0; e < n; e++) {
    const g = G[e]!;
    const m0 = M[e]!;
    const m = fromStart ? fmaFloat64(w1, g - m0, m0) : fmaFloat64(-(g - m0), omw1, g);
    const v = fmaFloat64(omb2 * g, g, V[e]! * s.beta2);
    M[e] = m;
    V[e] = v;
    P[e] = P[e]! + (-s.stepSize * m) / (Math.sqrt(v) / s.biasCorrection2Sqrt + s.eps);
  }
}
