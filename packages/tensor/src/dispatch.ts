import { isGradEnabled } from './grad-mode.js';
import { runInScope } from './scope.js';
import type { Tensor } from './tensor.js';

export type Attrs = Readonly<Record<string, unknown>>;

/** One call of a public op, as interceptors (the autograd recorder, a profiler) see it. */
export interface OpCall {
  /** The op's name, which is also its key in the derivative table: 'add', 'logSoftmax', … */
  readonly op: string;
  /** Tensor arguments in positional order; null for an absent optional tensor. */
  readonly inputs: readonly (Tensor | null)[];
  /** Every non-tensor argument. */
  readonly attrs: Attrs;
  readonly outputs: readonly Tensor[];
}

export type Interceptor = (call: OpCall) => void;

const interceptors: Interceptor[] = [];
let depth = 0;

export function addInterceptor(fn: Interceptor): () => void {
  interceptors.push(fn);
  return () => {
    const i = interceptors.indexOf(fn);
    if (i >= 0) interceptors.splice(i, 1);
  };
}

function anyRequiresGrad(inputs: readonly (Tensor | null)[]): boolean {
  for (const t of inputs) if (t?.requiresGrad) return true;
  return false;
}

/** Whether a call with these inputs would be recorded by autograd right now. */
export function wouldRecord(inputs: readonly (Tensor | null)[]): boolean {
  return depth === 0 && isGradEnabled() && interceptors.length > 0 && anyRequiresGrad(inputs);
}

/**
 * The only road from a public op to the backend. `run` computes the result (calling kernels,
 * or other public ops for a decomposition); ops it calls are not seen by interceptors, so a
 * composite op is recorded once, under its own name, with its own derivative.
 */
export function dispatch<T extends Tensor | Tensor[]>(op: string, inputs: readonly (Tensor | null)[], attrs: Attrs, run: () => T): T {
  // Refuse a disposed input before run() allocates outputs that the error would leak.
  let externalMemory = false;
  for (const t of inputs) {
    if (t === null) continue;
    t.storage.checkLive();
    if (t.storage.backend.externalMemory === true) externalMemory = true;
  }
  // A composite op's intermediates are freed when it returns, where the GC cannot see memory.
  if (depth > 0 || interceptors.length === 0) return externalMemory ? runInScope(run, false) : run();
  depth++;
  let out: T;
  try {
    out = externalMemory ? runInScope(run, false) : run();
  } finally {
    depth--;
  }
  const call: OpCall = { op, inputs, attrs, outputs: Array.isArray(out) ? out : [out] };
  for (const f of interceptors) f(call);
  return out;
}

/** Runs fn with interception off, for work that must not be recorded (e.g. optimizer internals). */
export function withoutInterception<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}
