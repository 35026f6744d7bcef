// temp: before/after timings for the parity work
import { readFileSync } from 'node:fs';
import { exp, matmul, rand, tanh, sigmoid, log } from '@gd/tensor';
import { wasmBackend } from '../dist/index.js';

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
for (const [label, file] of [['before', '/tmp/wasm-before/packages/backend-wasm/build/gd-kernels-simd.wasm'], ['after', new URL('../build/gd-kernels-simd.wasm', import.meta.url)]]) {
  const w = await wasmBackend({ wasm: readFileSync(file) });
  const out = [label];
  const a = rand([512, 512], { backend: w });
  const b = rand([512, 512], { backend: w });
  out.push(`matmul512 ${best(() => matmul(a, b), 7).toFixed(1)}ms`);
  const s = rand([1024, 16], { backend: w });
  const t = rand([16, 1024], { backend: w });
  out.push(`matmul 1024x16x1024 ${best(() => matmul(s, t), 5).toFixed(1)}ms`);
  const x = rand([1e6], { backend: w }).mul(8).sub(4);
  out.push(`exp1e6 ${best(() => exp(x), 10).toFixed(2)}ms`);
  out.push(`tanh1e6 ${best(() => tanh(x), 5).toFixed(2)}ms`);
  out.push(`sigmoid1e6 ${best(() => sigmoid(x), 5).toFixed(2)}ms`);
  const xp = x.abs();
  out.push(`log1e6 ${best(() => log(xp), 5).toFixed(2)}ms`);
  console.log(out.join(' | '));
}
