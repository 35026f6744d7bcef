import type { GoldenCase, GoldenFile } from './fixtures.js';

/** The verdict on one golden case: `failure` is null when it passed, else why it failed. */
export interface CaseResult {
  readonly id: string;
  readonly failure: string | null;
}

/** Runs every case of one golden file on the current backend; one result per case, in order, none skipped. */
export type Suite = (cases: readonly GoldenCase[], file?: Pick<GoldenFile, 'torch'>) => CaseResult[];

/** Runs one case's check, turning a thrown error (an unsupported op, a gd bug) into its failure. */
export function runCase(id: string, check: () => string | null): CaseResult {
  try {
    return { id, failure: check() };
  } catch (err) {
    return { id, failure: `threw ${describeError(err)}` };
  }
}

export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
