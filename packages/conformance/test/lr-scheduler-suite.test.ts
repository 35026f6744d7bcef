import { describe, expect, it } from 'vitest';
import { type GoldenCase, loadGoldenFile } from '../src/fixtures.js';
import { runLrSchedulerSuite } from '../src/suites/lr-scheduler.js';

const golden = loadGoldenFile(new URL('../../../../shared/golden/lr_scheduler.json', import.meta.url).pathname);

describe('runLrSchedulerSuite', () => {
  it('passes every scheduler of the fixtures, momentum cycling and plateau metrics included', () => {
    expect(runLrSchedulerSuite(golden.cases).filter((r) => r.failure !== null)).toEqual([]);
  });

  it('fails a case whose lr differs, naming the group and epoch', () => {
    const c = golden.cases.find((x) => x.id === 'StepLR/basic/0')!;
    const lrs = structuredClone(c.lrs) as number[][];
    lrs[9]![0]! *= 2;
    const [result] = runLrSchedulerSuite([{ ...c, id: 'StepLR/wrong', lrs } as GoldenCase]);
    expect(result!.failure).toMatch(/^lr of group 0 after 9 steps: got /);
  });
});
