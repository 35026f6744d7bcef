import { type DType, fromArray, isTensor } from '@gd/tensor';
import { isPlainObject } from './state-copy.js';

/** A tensor inside a JSON state dict. */
export interface JsonTensor {
  $tensor: { dtype: DType; shape: number[]; data: number[] };
}

/** A number JSON cannot hold (ReduceLROnPlateau's initial `best` is ±Infinity). */
export interface JsonNonFinite {
  $number: 'Infinity' | '-Infinity' | 'NaN';
}

/**
 * Converts an optimizer or scheduler state dict to plain JSON data: tensors become
 * `{ $tensor: { dtype, shape, data } }` and non-finite numbers `{ $number: 'Infinity' }`.
 * `JSON.stringify(stateDictToJSON(opt.stateDict()))` is a complete checkpoint.
 */
export function stateDictToJSON(value: unknown): unknown {
  if (isTensor(value))
    return { $tensor: { dtype: value.dtype, shape: [...value.shape], data: Array.from(value.dataSync(), Number) } } satisfies JsonTensor;
  if (typeof value === 'number' && !Number.isFinite(value))
    return { $number: String(value) as JsonNonFinite['$number'] } satisfies JsonNonFinite;
  if (Array.isArray(value)) return value.map(stateDictToJSON);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = stateDictToJSON(v);
    return out;
  }
  return value;
}

/** The inverse of `stateDictToJSON`: rebuilds tensors and non-finite numbers. */
export function stateDictFromJSON<T = unknown>(json: unknown): T {
  return revive(json) as T;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$tensor') {
    const t = (value as unknown as JsonTensor).$tensor;
    return fromArray(t.data, t.shape, { dtype: t.dtype });
  }
  if (keys.length === 1 && keys[0] === '$number') return Number((value as unknown as JsonNonFinite).$number);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = revive(v);
  return out;
}
