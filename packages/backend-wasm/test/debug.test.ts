import { it } from 'vitest';
import { cpuBackend } from '@gd/tensor';
import { wasmBackend } from '../src/index.js';
it('dbg', async () => {
  const w = await wasmBackend();
  for (const b of [cpuBackend, w] as const) {
    const x = { storage: b.fromArray('float32', new Float32Array([NaN, NaN, 1, NaN, 2])), shape: [5], strides: [1], offset: 0, dtype: 'float32' as const };
    const o = { storage: b.alloc('float32', 5), shape: [5], strides: [1], offset: 0, dtype: 'float32' as const };
    const i = { storage: b.alloc('int64', 5), shape: [5], strides: [1], offset: 0, dtype: 'int64' as const };
    b.scan('cummin', o, x, 0, i);
    console.log(b.name, Array.from(b.read(o.storage)).join(','), Array.from(b.read(i.storage)).join(','));
  }
});
