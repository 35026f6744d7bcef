import { isTensor, withGradMode } from '@gd/tensor';

/**
 * A deep copy of optimizer or scheduler state: tensors are cloned (detached), arrays and plain
 * objects copied, numbers, strings and functions kept. State dicts are snapshots because of it.
 */
export function cloneState(value: unknown): unknown {
  if (isTensor(value)) {
    const copy = withGradMode(false, () => value.detach().clone());
    return value.requiresGrad ? copy.requiresGrad_(true) : copy;
  }
  if (Array.isArray(value)) return value.map(cloneState);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneState(v);
    return out;
  }
  return value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
