import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, Linear, ReLU, safetensors, Sequential } from '../src/index.js';
import { type FixtureTensor, readJson } from './helpers.js';

const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const torchFile = new Uint8Array(readFileSync(fixturePath('torch_model.safetensors')));
const torchValues = readJson<{ keys: string[]; tensors: Record<string, FixtureTensor>; metadata: Record<string, string> }>(
  './fixtures/torch_model.json',
);

function torchModelShape(): Sequential {
  return new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));
}

describe('safetensors', () => {
  it('loads a file written from PyTorch with every dtype, shape and value intact', () => {
    const loaded = safetensors.load(torchFile);
    expect(Object.keys(loaded).sort()).toEqual(torchValues.keys.slice().sort());
    for (const [name, expected] of Object.entries(torchValues.tensors)) {
      const t = loaded[name]!;
      expect(t.dtype, name).toBe(expected.dtype);
      expect(t.shape, name).toEqual(expected.shape);
      const data = t.dtype === 'bool' ? Array.from(t.dataSync(), (v) => v !== 0) : Array.from(t.dataSync());
      expect(data, name).toEqual(expected.data);
    }
    expect(safetensors.readMetadata(torchFile)).toEqual(torchValues.metadata);
  });

  it('a PyTorch checkpoint loads into the same architecture built in gd', () => {
    const model = torchModelShape();
    const loaded = safetensors.load(torchFile);
    const modelKeys = Object.keys(model.stateDict());
    model.loadStateDict(Object.fromEntries(modelKeys.map((k) => [k, loaded[k]!])));
    expect(Array.from(model.stateDict()['1.running_var']!.dataSync())).toEqual(torchValues.tensors['1.running_var']!.data);
    expect(model.stateDict()['1.num_batches_tracked']!.item()).toBe(1);
  });

  it("save then load gives back the same tensors, in the state dict's order", () => {
    const model = torchModelShape();
    const sd = model.stateDict();
    const bytes = safetensors.save(sd, { note: 'gd' });
    const back = safetensors.load(bytes);
    expect(Object.keys(back)).toEqual(Object.keys(sd));
    for (const [k, v] of Object.entries(sd)) {
      expect(back[k]!.dtype).toBe(v.dtype);
      expect(back[k]!.tolist()).toEqual(v.tolist());
    }
    expect(safetensors.readMetadata(bytes)).toEqual({ note: 'gd' });
  });

  it('lays the file out as the format says: u64 header length, space-padded JSON, aligned data', () => {
    const bytes = safetensors.save({ a: tensor([1, 2], { dtype: 'float32' }), b: tensor([3], { dtype: 'float64' }) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      a: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
      b: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
    });
    expect(bytes.length).toBe(8 + n + 16);
  });

  it('refuses truncated or corrupt files with a clear error and returns nothing', () => {
    expect(() => safetensors.load(torchFile.subarray(0, 5))).toThrow('HeaderTooSmall');
    expect(() => safetensors.load(torchFile.subarray(0, 100))).toThrow('InvalidHeaderLength');
    expect(() => safetensors.load(torchFile.subarray(0, torchFile.length - 4))).toThrow('MetadataIncompleteBuffer');
    const garbled = torchFile.slice();
    garbled[8] = 0x5b; // '[' instead of '{'
    expect(() => safetensors.load(garbled)).toThrow('InvalidHeaderStart');
    const badJson = torchFile.slice();
    badJson[9] = 0x7d;
    expect(() => safetensors.load(badJson)).toThrow(/InvalidHeader/);
    const extra = new Uint8Array(torchFile.length + 3);
    extra.set(torchFile);
    expect(() => safetensors.load(extra)).toThrow('3 bytes after the last tensor');
  });

  it('a file gd writes loads in PyTorch, when this machine has torch', () => {
    const model = torchModelShape();
    model.loadStateDict(Object.fromEntries(Object.keys(model.stateDict()).map((k) => [k, safetensors.load(torchFile)[k]!])));
    const sd = { ...model.stateDict(), 'extra.int64': tensor([2 ** 40 + 3, -5], { dtype: 'int64' }), 'extra.bool': tensor([true, false]) };
    const dir = mkdtempSync(join(tmpdir(), 'gd-safetensors-'));
    try {
      const file = join(dir, 'gd_model.safetensors');
      writeFileSync(file, safetensors.save(sd));
      let output: string;
      try {
        output = execFileSync('/usr/bin/python3', [fixturePath('generate_safetensors.py'), 'read', file], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        const stderr = `${String((e as { stderr?: unknown }).stderr ?? '')} ${(e as Error).message}`;
        if (!/No module named 'torch'|ENOENT/.test(stderr)) throw e;
        console.log('safetensors: /usr/bin/python3 cannot import torch here, so the gd → PyTorch load check was skipped');
        return;
      }
      const read = JSON.parse(output) as Record<string, FixtureTensor>;
      expect(Object.keys(read).sort()).toEqual(Object.keys(sd).sort());
      for (const [k, v] of Object.entries(sd)) {
        expect(read[k]!.shape, k).toEqual(v.shape);
        expect(read[k]!.dtype, k).toBe(v.dtype);
        const data = v.dtype === 'bool' ? Array.from(v.dataSync(), (x) => x !== 0) : Array.from(v.dataSync());
        expect(read[k]!.data, k).toEqual(data);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
