import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DType, cpuBackend, getBackend, registerBackend, setBackend, tensor, zeros } from '@gd/tensor';
import { BASELINE_WASM_BASE64, SIMD_WASM_BASE64 } from '../src/generated/wasm-bytes.js';
import { decodeBase64 } from '../src/kernels.js';
import { wasmBackend } from '../src/index.js';

describe('wasmBackend()', () => {
  afterEach(() => {
    setBackend(cpuBackend);
  });

  it('loads with no configuration, picking the SIMD build where the engine validates it', async () => {
    const w = await wasmBackend();
    expect(w.name).toBe('wasm');
    expect(w.simd).toBe(WebAssembly.validate(decodeBase64(SIMD_WASM_BASE64)));
  });

  it('runs the baseline build when asked to', async () => {
    const w = await wasmBackend({ simd: false });
    expect(w.simd).toBe(false);
    expect(tensor([1, 4, 9], { backend: w }).sqrt().tolist()).toEqual([1, 2, 3]);
  });

  it('accepts the module as bytes or as a compiled WebAssembly.Module', async () => {
    const bytes = decodeBase64(BASELINE_WASM_BASE64);
    const fromBytes = await wasmBackend({ wasm: bytes });
    expect(fromBytes.simd).toBe(false);
    const fromModule = await wasmBackend({ wasm: await WebAssembly.compile(decodeBase64(SIMD_WASM_BASE64)) });
    expect(fromModule.simd).toBe(true);
    expect(tensor([1, 2], { backend: fromModule }).mul(3).tolist()).toEqual([3, 6]);
  });

  it('fetches the module from a URL, compiling it while it streams in', async () => {
    const bytes = decodeBase64(SIMD_WASM_BASE64);
    const server = createServer((req, res) => {
      if (req.url !== '/kernels.wasm') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const w = await wasmBackend({ wasm: new URL('/kernels.wasm', base) });
      expect(tensor([1, 2], { backend: w }).add(1).tolist()).toEqual([2, 3]);
      await expect(wasmBackend({ wasm: `${base}/missing.wasm` })).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('becomes the default backend with setBackend', async () => {
    setBackend(await wasmBackend());
    expect(getBackend().name).toBe('wasm');
    const t = zeros([2, 3]);
    expect(t.device).toBe('wasm');
    expect(t.add(2).sum().item()).toBe(12);
  });
});

describe('moving tensors between backends', () => {
  const cases: [DType, number[]][] = [
    ['float32', [1.5, -2.25, 3e-8, 65504]],
    ['float64', [1 / 3, -1e300, 5e-324, 0]],
    ['int32', [2147483647, -2147483648, 0, 7]],
    ['int64', [2 ** 53, -(2 ** 40), 0, 9]],
    ['bool', [1, 0, 0, 1]],
  ];
  for (const [dtype, values] of cases) {
    it(`to('wasm') and back to('cpu') keeps ${dtype} values exactly`, async () => {
      const w = await wasmBackend();
      registerBackend(w);
      const onCpu = tensor(dtype === 'bool' ? values.map(Boolean) : values, { dtype })
        .reshape([2, 2])
        .t();
      const onWasm = onCpu.to('wasm');
      expect(onWasm.backend).toBe(w);
      expect(onWasm.dtype).toBe(dtype);
      expect(onWasm.tolist()).toEqual(onCpu.tolist());
      const back = onWasm.to('cpu');
      expect(back.device).toBe('cpu');
      expect(back.tolist()).toEqual(onCpu.tolist());
      expect(w.memory().liveStorages).toBe(1);
    });
  }
});
