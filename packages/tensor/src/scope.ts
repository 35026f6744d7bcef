import { autograd, autogradLoaded } from './autograd-hooks.js';
import { keptTensors, scopeFrames } from './scope-frames.js';
import { Tensor } from './tensor.js';

/**
 * Runs `fn` and then disposes every tensor made during it, except those it returns (found in
 * arrays, plain objects, Maps and Sets), those passed to `keep()`, leaves that require grad (new
 * parameters), tensors assigned to a `.grad`, and tensors a returned tensor's graph saved for
 * backward. Returned tensors belong to the enclosing scope, if any. Needed on backends whose
 * memory the JS garbage collector does not see (wasm): a loop that never yields frees its
 * temporaries at once instead of waiting for finalizers.
 *
 *     const loss = scope(() => {
 *       const l = lossFn(model.forward(x), y);
 *       l.backward();
 *       optimizer.step();
 *       return l.detach();
 *     });
 */
export function scope<T>(fn: () => T): T {
  return runInScope(fn, true);
}

/**
 * scope() without its graph walk, for dispatch: inside an op's computation nothing is recorded,
 * so a result's graph holds nothing the op made.
 */
export function runInScope<T>(fn: () => T, spareSavedTensors: boolean): T {
  const frame: Tensor[] = [];
  scopeFrames.push(frame);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopeFrames.pop();
    release(frame, new Set());
    throw e;
  }
  scopeFrames.pop();
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError(
      'scope() needs a synchronous function: tensors made after an await would escape it. Use keep() and dispose() across awaits.',
    );
  }
  const escaping = new Set<Tensor>();
  collectTensors(result, escaping, new Set());
  if (spareSavedTensors && autogradLoaded()) for (const t of autograd().savedTensors([...escaping])) escaping.add(t);
  release(frame, escaping);
  return result;
}

/** Exempts a tensor made inside a scope from being disposed by it (and by every enclosing scope). */
export function keep<T extends Tensor>(t: T): T {
  keptTensors.add(t);
  return t;
}

function release(frame: readonly Tensor[], escaping: ReadonlySet<Tensor>): void {
  const outer = scopeFrames[scopeFrames.length - 1];
  for (const t of frame) {
    if (keptTensors.has(t) || (t.requiresGrad && t.isLeaf)) continue;
    if (escaping.has(t)) outer?.push(t);
    else t.dispose();
  }
}

function collectTensors(value: unknown, into: Set<Tensor>, seen: Set<object>): void {
  if (value instanceof Tensor) {
    into.add(value);
    return;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value) || value instanceof Set) for (const v of value) collectTensors(v, into, seen);
  else if (value instanceof Map) for (const v of value.values()) collectTensors(v, into, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
    for (const v of Object.values(value)) collectTensors(v, into, seen);
}
