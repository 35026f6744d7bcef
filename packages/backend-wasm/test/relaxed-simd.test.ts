import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor } from '@gd/tensor';
import { wasmBackend } from '../src/index.js';
import { RELAXED_SIMD_PROBE, SIMD_PROBE } from '../src/probes.js';

const CHILD = fileURLToPath(new URL('./fixtures/relaxed-simd-child.mjs', import.meta.url));

interface ChildReport {
  relaxed: boolean;
  plain: boolean;
  threaded: boolean;
  errors: Record<string, number[]>;
}

describe('relaxed SIMD build', () => {
  it('the probes validate exactly where the engine has the feature', () => {
    expect(WebAssembly.validate(SIMD_PROBE)).toBe(true);
    // Node 20 has relaxed SIMD only behind a flag; later Nodes have it on.
    const major = Number(process.versions.node.split('.')[0]);
    expect(WebAssembly.validate(RELAXED_SIMD_PROBE)).toBe(major >= 21);
  });

  it('is picked by default exactly where the engine has relaxed SIMD, and relaxedSimd: false opts out', async () => {
    const w = await wasmBackend({ name: 'wasm-default' });
    expect(w.simd).toBe(true);
    expect(w.relaxedSimd).toBe(WebAssembly.validate(RELAXED_SIMD_PROBE));
    const plain = await wasmBackend({ name: 'wasm-plain', relaxedSimd: false });
    expect(plain.relaxedSimd).toBe(false);
    expect(plain.simd).toBe(true);
    const baseline = await wasmBackend({ name: 'wasm-baseline', simd: false });
    expect(baseline.relaxedSimd).toBe(false);
    expect(tensor([1, 2], { backend: w }).mul(3).tolist()).toEqual([3, 6]);
  });

  it('runs, single and threaded, in a Node with relaxed SIMD on, with float32 matmuls within the accumulation error bound', () => {
    // The build is selected at start-up, so it is checked in a process started with the flag.
    const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', CHILD], { encoding: 'utf8' });
    const report = JSON.parse(out.trim().split('\n').pop()!) as ChildReport;
    expect(report.relaxed).toBe(true);
    expect(report.threaded).toBe(true);
    expect(report.plain).toBe(false);
    // Each entry: the worst |result - exact| over the bound 2·K·2⁻²⁴·Σ|a||b| of ragged, batched and
    // tile-aligned shapes on the f32x4 path; fused or not, float32 accumulation stays well inside it.
    for (const [name, ratios] of Object.entries(report.errors)) {
      expect(ratios, name).toHaveLength(4);
      for (const r of ratios) expect(r, name).toBeLessThan(0.25);
    }
  });
});
