import { it } from 'vitest';
import { im2col, matmul, randn } from '../../src/index.js';
it('bench2', () => {
  const p1 = randn(64, 32, 14, 14);
  const w2 = randn(64, 288);
  for (let rep = 0; rep < 3; rep++) {
    let t = performance.now();
    const cols = im2col(p1, 3, { padding: 1 });
    const tu = performance.now() - t; t = performance.now();
    const y = matmul(w2, cols);
    const tm = performance.now() - t;
    console.log(`unfold ${tu.toFixed(0)}ms matmul ${tm.toFixed(0)}ms`, y.shape);
  }
});
