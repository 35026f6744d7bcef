import { it } from 'vitest';
import { manualSeed, randn, rand } from '../src/index.js';
it('big', () => {
  for (let k = 0; k < 3; k++) {
    let t = performance.now(); manualSeed(0); randn(200000); const a = performance.now() - t;
    t = performance.now(); rand(200000); console.log('randn ms', a, 'rand ms', performance.now() - t);
  }
});
