/**
 * Python's spelling of values inside a module's `extraRepr()`, so `String(model)` matches
 * `print(model)` in PyTorch character for character.
 */

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expPart] = x.toExponential().split('e') as [string, string];
  const exp = Number(expPart);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - exp));
  return s.includes('.') ? s : `${s}.0`;
}

/** Python's repr of a tuple of ints: `(3, 3)`, `(10,)`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

/** Python's `True` / `False`. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Python's repr of a str: `'none'`. */
export function pyStr(s: string): string {
  return `'${s}'`;
}

/** An int or, for null, Python's `None`. */
export function pyOptional(v: number | null | undefined, format: (x: number) => string = String): string {
  return v === null || v === undefined ? 'None' : format(v);
}

/** An int, or a tuple of ints/None, as the user gave it (`kernel_size=2`, `output_size=(None, 7)`). */
export function pyIntOrTuple(v: number | readonly (number | null)[]): string {
  if (typeof v === 'number') return String(v);
  const parts = v.map((x) => (x === null ? 'None' : String(x)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}
