import { rand, matmul } from '@gd/tensor';
import { wasmBackend } from '../dist/index.js';
const w = await wasmBackend();
for (const n of [256, 512, 1024]) {
  const a = rand([n, n], { backend: w }); const b = rand([n, n], { backend: w });
  let best = Infinity;
  const reps = n === 1024 ? 6 : 15;
  for (let r = 0; r < reps; r++) { const t0 = performance.now(); matmul(a, b).dispose(); best = Math.min(best, performance.now() - t0); }
  console.log(n, (2 * n ** 3 / best / 1e6).toFixed(1), 'GFLOPS');
}
