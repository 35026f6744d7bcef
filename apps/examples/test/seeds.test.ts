import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@gd/autograd';
import { EXAMPLES } from '../src/registry.js';

async function outputOf(name: string): Promise<string> {
  const lines: string[] = [];
  await EXAMPLES.find((e) => e.name === name)!.run((l) => lines.push(l), []);
  return `${lines.join('\n')}\n`;
}

describe('the seed lessons print what the lessons print', () => {
  for (const name of ['seed-000', 'seed-001', 'seed-002', 'seed-003', 'seed-004']) {
    it(`${name} matches expected/${name}.txt`, async () => {
      const expected = readFileSync(new URL(`../expected/${name}.txt`, import.meta.url), 'utf8');
      expect(await outputOf(name)).toBe(expected);
    });
  }
});
