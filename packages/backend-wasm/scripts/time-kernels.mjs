// Quick local timings (not a test; the official harness lives in apps/bench): matmul GFLOPS at
// N = 256/512/1024 and 1e6-element exp/add/softmax, float32, on the built package (run `pnpm build` first).
// Usage: node scripts/time-kernels.mjs [--baseline]
import { add, cpuBackend, exp, matmul, rand, softmax } from '@gd/tensor';
import { wasmBackend } from '../dist/index.js';

const w = await wasmBackend({ simd: !process.argv.includes('--baseline') });
console.log(`wasm backend, ${w.simd ? 'SIMD' : 'baseline'} build`);

/** Best of `reps` timings (ms) after one warm-up. */
function best(fn, reps) {
  fn();
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = fn();
    min = Math.min(min, performance.now() - t0);
    r.dispose?.();
  }
  return min;
}

for (const n of [256, 512, 1024]) {
  const a = rand([n, n], { backend: w });
  const b = rand([n, n], { backend: w });
  const ms = best(() => matmul(a, b), n === 1024 ? 3 : 5);
  const line = [`matmul ${n}x${n}: ${ms.toFixed(1)} ms, ${((2 * n ** 3) / ms / 1e6).toFixed(1)} GFLOPS`];
  if (n <= 512) {
    const ac = a.to(cpuBackend);
    const bc = b.to(cpuBackend);
    const cms = best(() => matmul(ac, bc), 2);
    line.push(`(cpu backend ${((2 * n ** 3) / cms / 1e6).toFixed(2)} GFLOPS)`);
  }
  console.log(line.join(' '));
  a.dispose();
  b.dispose();
}

const x = rand([1e6], { backend: w }).mul(8).sub(4);
const y = rand([1e6], { backend: w });
const xc = x.to(cpuBackend);
const yc = y.to(cpuBackend);
for (const [name, fw, fc] of [
  ['exp', () => exp(x), () => exp(xc)],
  ['add', () => add(x, y), () => add(xc, yc)],
  ['softmax (1000 rows of 1000)', () => softmax(x.view([1000, 1000]), 1), () => softmax(xc.view([1000, 1000]), 1)],
]) {
  const ms = best(fw, 20);
  const cms = best(fc, 5);
  console.log(`${name} 1e6 float32: ${ms.toFixed(2)} ms (${(1e6 / ms / 1e6).toFixed(2)} Gelem/s); cpu backend ${cms.toFixed(2)} ms`);
}
console.log('memory', w.memory());
