import { cpuBackend, rand, add } from '@gd/tensor';
import { wasmBackend } from '/work/main/packages/backend-wasm/dist/index.js';
const w = await wasmBackend();
for (const [name, b] of [['wasm', w], ['cpu', cpuBackend]]) {
  const x = rand([16], { backend: b }); const y = rand([16], { backend: b });
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 20000; i++) add(x, y).dispose();
    console.log(name, ((performance.now() - t0) / 20000 * 1000).toFixed(2), 'us/op');
  }
}
