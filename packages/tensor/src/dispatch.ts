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

export interface InterceptorOptions {
  /**
   * See only the calls autograd could record (grad mode on, an input requiring grad), as the
   * recorder does: dispatch then builds no OpCall for the others, most calls of a training step.
   */
  readonly onlyRecordable?: boolean;
}

interface Registered {
  readonly fn: Interceptor;
  readonly onlyRecordable: boolean;
}

const interceptors: Registered[] = [];
/** How many registered interceptors see every call. */
let seeingAll = 0;
let depth = 0;

export function addInterceptor(fn: Interceptor, options: InterceptorOptions = {}): () => void {
  const entry: Registered = { fn, onlyRecordable: options.onlyRecordable === true };
  interceptors.push(entry);
  if (!entry.onlyRecordable) seeingAll++;
  return () => {
    const i = interceptors.indexOf(entry);
    if (i < 0) return;
    interceptors.splice(i, 1);
    if (!entry.onlyRecordable) seeingAll--;
  };
}

function anyRequiresGrad(inputs: readonly (Tensor | null)[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]?.requiresGrad) return true;
  return false;
}

/** Whether autograd could record a call right now (grad mode on, outside a composite op), whatever its inputs. */
export function canRecord(): boolean {
  return depth === 0 && isGradEnabled() && interceptors.length > 0;
}

/** Whether a call with these inputs would be recorded by autograd right now. */
export function wouldRecord(inputs: readonly (Tensor | null)[]): boolean {
  return canRecord() && anyRequiresGrad(inputs);
}

/**
 * The only road from a public op to the backend. `run` computes the result (calling kernels,
 * or other public ops for a decomposition); ops it calls are not seen by interceptors, so a
 * composite op is recorded once, under its own name, with its own derivative.
 */
export function dispatch<T extends Tensor | Tensor[]>(op: string, inputs: readonly (Tensor | null)[], attrs: Attrs, run: () => T): T {
  // Refuse a disposed input before run() allocates outputs that the error would leak.
  let externalMemory = false;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    if (!t) continue;
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
  const recordable = isGradEnabled() && anyRequiresGrad(inputs);
  if (!recordable && seeingAll === 0) return out;
  notify({ op, inputs, attrs, outputs: Array.isArray(out) ? out : [out] }, recordable);
  return out;
}

/**
 * dispatch() for the most frequent ops, without its closure and arrays: a unary op whose output
 * `out` the caller has computed by kernels alone (no other op, no other tensor), after checking
 * that `x` is live with `x.storage.checkLive()`.
 */
export function dispatchedUnary(op: string, x: Tensor, attrs: Attrs, out: Tensor): Tensor {
  if (depth > 0 || interceptors.length === 0) return out;
  const recordable = isGradEnabled() && x.requiresGrad;
  if (recordable || seeingAll !== 0) notify({ op, inputs: [x], attrs, outputs: [out] }, recordable);
  return out;
}

/** dispatchedUnary for an op with several outputs computed from `x` alone (unbind's views). */
export function dispatchedParts(op: string, x: Tensor, attrs: Attrs, parts: Tensor[]): Tensor[] {
  if (depth > 0 || interceptors.length === 0) return parts;
  const recordable = isGradEnabled() && x.requiresGrad;
  if (recordable || seeingAll !== 0) notify({ op, inputs: [x], attrs, outputs: parts }, recordable);
  return parts;
}

/** dispatchedUnary for a binary op; `b` is null when that operand is a number (in attrs). */
export function dispatchedBinary(op: string, a: Tensor, b: Tensor | null, attrs: Attrs, out: Tensor): Tensor {
  if (depth > 0 || interceptors.length === 0) return out;
  const recordable = isGradEnabled() && (a.requiresGrad || b?.requiresGrad === true);
  if (recordable || seeingAll !== 0) notify({ op, inputs: [a, b], attrs, outputs: [out] }, recordable);
  return out;
}

function notify(call: OpCall, recordable: boolean): void {
  for (let i = 0; i < interceptors.length; i++) {
    const r = interceptors[i]!;
    if (recordable || !r.onlyRecordable) r.fn(call);
  }
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
