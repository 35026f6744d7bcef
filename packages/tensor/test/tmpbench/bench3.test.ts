import { it } from 'vitest';
import { col2im, im2col, matmul, maxPool2d, randn, relu } from '../../src/index.js';
it('bench3', () => {
  const N = 64, C = 32, O = 64, L = 196;
  const x = randn(N, C, 14, 14);
  const w = randn(O, C, 3, 3);
  const g = randn(N, O, 14, 14);
  const h = randn(64, 32, 28, 28);
  for (let rep = 0; rep < 3; rep++) {
    const T: Record<string, number> = {};
    let t = performance.now();
    const lap = (k: string) => { const n = performance.now(); T[k] = Math.round(n - t); t = n; };
    const gradCols = g.reshape([N, 1, O, L]).permute([1, 2, 0, 3]).reshape([1, O, N * L]); lap('gradCols');
    const cols = matmul(w.reshape([1, O, C * 9]).transpose(1, 2), gradCols); lap('mmT');
    const c2 = cols.reshape([1, C * 9, N, L]).permute([2, 0, 1, 3]).reshape([N, C * 9, L]); lap('permute');
    col2im(c2, [14, 14], 3, { padding: 1 }); lap('col2im');
    const xc = im2col(x, 3, { padding: 1 }); lap('im2col');
    const xt = xc.reshape([N, 1, C * 9, L]).permute([1, 0, 3, 2]).reshape([1, N * L, C * 9]); lap('permute2');
    matmul(gradCols, xt); lap('mmW');
    const r = relu(h); lap('relu');
    maxPool2d(r, 2); lap('pool');
    console.log(JSON.stringify(T));
  }
});
