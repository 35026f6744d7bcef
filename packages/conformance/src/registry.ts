import type { Tensor } from '@gd/tensor';

/** An op case's positional argument as the runner hands it over: a tensor, a Python scalar, a tensor list, or null (absent). */
export type GoldenArg = Tensor | number | Tensor[] | null;
/** Calls gd for one golden op: the case's inputs and attrs (PyTorch's keyword arguments, camelCased) in, the output tensor out. */
export type GoldenOpAdapter = (args: readonly GoldenArg[], attrs: Readonly<Record<string, unknown>>) => unknown;

const adapters = new Map<string, GoldenOpAdapter>();

/**
 * Maps a golden op name (the fixture's `"op"`) to a gd call, for ops that live outside the runner's
 * built-in table (a new op, an op of another package), so their fixtures run through the same
 * ops suite: output, then every input's gradient. The built-in mapping of a name wins.
 */
export function registerGoldenOp(op: string, adapter: GoldenOpAdapter): void {
  adapters.set(op, adapter);
}

/** The adapter registered for `op`, if any. */
export function goldenOpAdapter(op: string): GoldenOpAdapter | undefined {
  return adapters.get(op);
}
