/**
 * An array of `n` nulls, to be filled at some positions. A plain loop: `new Array(n).fill(null)`
 * calls a C++ builtin, several times slower for the few slots a node has (this runs per node).
 */
export function nullSlots<T>(n: number): (T | null)[] {
  const out = new Array<T | null>(n);
  for (let i = 0; i < n; i++) out[i] = null;
  return out;
}
