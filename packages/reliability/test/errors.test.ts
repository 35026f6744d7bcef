import { readFileSync } from 'node:fs';
import { type WasmBackend, wasmBackend } from '@gd/backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './error-cases.js';
import { makeFixture, snapshot } from './fixture.js';
import { readCatalogue } from './catalogue.js';

const catalogue = readCatalogue(readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8'));

let wasm: WasmBackend;
beforeAll(async () => {
  wasm = await wasmBackend();
});

describe('docs/errors.md', () => {
  it('lists exactly the cases this file runs', () => {
    expect(catalogue.map((row) => row.id).sort()).toEqual(Object.keys(CASES).sort());
  });

  it('has at least 60 cases', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(60);
  });
});

describe('every catalogued bad input throws its documented error and changes nothing', () => {
  it.each(catalogue)('$id', async ({ id, name, message }) => {
    const f = makeFixture(wasm);
    const call = await CASES[id]!(f);
    const before = snapshot(f);
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error, `${id} did not throw`).toBeInstanceOf(Error);
    expect({ name: (error as Error).name, message: (error as Error).message }).toEqual({ name, message });
    expect(snapshot(f)).toBe(before);
  });
});
