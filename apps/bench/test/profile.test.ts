import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selfCostByFunction } from '../src/profile/callgrind-output.js';
import { perfMapNamer } from '../src/profile/perf-map.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gd-profile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const map = file(
  'perf.map',
  [
    '1000 100 JS:*recordNode file:///work/main/packages/autograd/dist/index.js:1614:20',
    '1100 40 JS:^recordNode file:///work/main/packages/autograd/dist/index.js:1614:20',
    '2000 80 Builtin:CreateTypedArray',
    '',
  ].join('\n'),
);

describe('perf map names', () => {
  it('names an address inside a range by its function, tier dropped, path from packages/', () => {
    const name = perfMapNamer(map);
    expect(name(0x1000)).toBe('recordNode packages/autograd/dist/index.js:1614:20');
    expect(name(0x10ff)).toBe('recordNode packages/autograd/dist/index.js:1614:20');
    expect(name(0x1120)).toBe('recordNode packages/autograd/dist/index.js:1614:20');
    expect(name(0x2010)).toBe('Builtin:CreateTypedArray');
  });

  it('gives no name outside every range', () => {
    const name = perfMapNamer(map);
    expect(name(0x0fff)).toBeUndefined();
    expect(name(0x1140)).toBeUndefined();
    expect(name(0x3000)).toBeUndefined();
  });
});

describe('callgrind self cost', () => {
  const out = file(
    'callgrind.out',
    [
      'events: Ir',
      'fl=(1) ???',
      'fn=(1) main',
      '5 100',
      'cfn=(2) 0x0000000000001010',
      'calls=3 0',
      '5 400',
      '+1 20',
      'fn=(2)',
      '7 250',
      'fn=(3) 0x0000000000001104',
      '* 30',
      'fn=(4) 0x0000000000009000',
      '3 7',
      'fn=(1)',
      '9 5',
      '',
    ].join('\n'),
  );

  it("sums each function's own lines, not its callees' inclusive cost", () => {
    const cost = selfCostByFunction(out, perfMapNamer(map));
    expect(cost.get('main')).toBe(125);
  });

  it('merges JIT code of one function across tiers and keeps unknown code by address', () => {
    const cost = selfCostByFunction(out, perfMapNamer(map));
    expect(cost.get('recordNode packages/autograd/dist/index.js:1614:20')).toBe(280);
    expect(cost.get('0x0000000000009000')).toBe(7);
    expect([...cost.values()].reduce((a, b) => a + b, 0)).toBe(412);
  });
});
