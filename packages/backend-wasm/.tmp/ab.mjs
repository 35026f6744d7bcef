import { rand, matmul } from '@gd/tensor';
import { readFileSync } from 'node:fs';
import { wasmBackend } from '../dist/index.js';
const names = process.argv.slice(2);
const ws = await Promise.all(names.map((n) => wasmBackend({ wasm: readFileSync(`.tmp/${n}.wasm`), name: n })));
for (const n of [256, 512, 1024]) {
  const data = ws.map((w) => [rand([n, n], { backend: w }), rand([n, n], { backend: w })]);
  const best = ws.map(() => Infinity);
  for (let r = 0; r < (n === 1024 ? 4 : 10); r++)
    ws.forEach((w, i) => { const t0 = performance.now(); matmul(data[i][0], data[i][1]).dispose(); best[i] = Math.min(best[i], performance.now() - t0); });
  console.log(n, names.map((nm, i) => `${nm} ${(2 * n ** 3 / best[i] / 1e6).toFixed(1)}`).join('  '));
}
