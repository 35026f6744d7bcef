import { it } from 'vitest';
import { conv2d, conv2dBackward, maxPool2d, maxPool2dBackward, randn, relu } from '../../src/index.js';
it('bench', () => {
  const x = randn(64, 1, 28, 28);
  const w1 = randn(32, 1, 3, 3), b1 = randn(32);
  const w2 = randn(64, 32, 3, 3), b2 = randn(64);
  const attrs = { stride: [1, 1] as [number, number], padding: [1, 1, 1, 1] as [number, number, number, number], dilation: [1, 1] as [number, number], groups: 1 };
  for (let rep = 0; rep < 3; rep++) {
    let t = performance.now();
    const h1 = conv2d(x, w1, b1, 1, 1);
    const t1 = performance.now() - t; t = performance.now();
    const [p1, i1] = maxPool2d(relu(h1), 2, { returnIndices: true });
    const tp = performance.now() - t; t = performance.now();
    const h2 = conv2d(p1, w2, b2, 1, 1);
    const t2 = performance.now() - t; t = performance.now();
    const g2 = randn(...h2.shape);
    const [gx2, gw2] = conv2dBackward(g2, p1, w2, attrs, [true, true, true]);
    const tb2 = performance.now() - t; t = performance.now();
    const gp = maxPool2dBackward(gx2!, i1, h1.shape);
    const tpb = performance.now() - t; t = performance.now();
    conv2dBackward(gp, x, w1, attrs, [false, true, true]);
    const tb1 = performance.now() - t;
    console.log(`conv1 ${t1.toFixed(0)}ms pool ${tp.toFixed(0)} conv2 ${t2.toFixed(0)}ms conv2-bwd ${tb2.toFixed(0)}ms pool-bwd ${tpb.toFixed(0)} conv1-bwd ${tb1.toFixed(0)}ms`);
  }
});
