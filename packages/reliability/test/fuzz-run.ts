import fc from 'fast-check';

/** Runs per property: FUZZ_RUNS, else 1000 (the three properties take about 10 s on 2 cores). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/**
 * fc.assert with a failure message that says how to replay: the seed and shrink path of the
 * counterexample go back in through FUZZ_SEED and FUZZ_PATH.
 */
export function checkProperty<T>(name: string, property: fc.IProperty<T> | fc.IAsyncProperty<T>): Promise<void> | void {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const path = process.env.FUZZ_PATH;
  const params: fc.Parameters<T> = { numRuns: FUZZ_RUNS, seed, path, endOnFailure: path !== undefined };
  const report = (details: fc.RunDetails<T>): void => {
    if (!details.failed) return;
    const replay =
      `Replay this failure: FUZZ_SEED=${details.seed} FUZZ_PATH="${details.counterexamplePath}" ` +
      `npx pnpm@10.34.9 --filter @gd/reliability exec vitest run test/fuzz.test.ts -t "${name}"`;
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details)}\nFailure: ${cause}\n${replay}`);
  };
  const details = fc.check(property as fc.IProperty<T>, params);
  return details instanceof Promise ? details.then(report) : report(details);
}
