import type { Tensor } from './tensor.js';

/** True for a trailing options object (a plain object, not an array or tensor). */
export function isOptions(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !isTensorLike(v);
}

function isTensorLike(v: object): v is Tensor {
  return 'storage' in v && 'shape' in v && 'strides' in v;
}

/**
 * Reads PyTorch-style arguments: positional values in `names` order, then optionally an options
 * object carrying any of the remaining ones (`x.sum(1, { keepdim: true })`, `x.sum({ dim: 1 })`).
 */
export function readArgs<T extends Record<string, unknown>>(
  args: readonly unknown[],
  names: readonly (keyof T & string)[],
  defaults: T,
): T {
  const out: Record<string, unknown> = { ...defaults };
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  for (let i = 0; i < end; i++) {
    const a = args[i];
    if (i === end - 1 && isOptions(a)) {
      for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
      break;
    }
    if (i >= names.length) throw new TypeError(`too many arguments: expected at most ${names.length}`);
    if (a !== undefined) out[names[i]!] = a;
  }
  return out as T;
}
