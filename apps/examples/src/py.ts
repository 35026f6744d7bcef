/**
 * What Python's print/f-strings show for the values the lessons print, so the examples' lines
 * match the lessons': `None` for a missing gradient and `repr(float)` for plain numbers.
 */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return pyFloat(value);
  return String(value);
}

/** Python's repr of a float: shortest round-trip digits, always with a '.' or an exponent. */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const s = String(x);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Python's '%f' (six decimals). */
export function pyFixed6(x: number): string {
  return x.toFixed(6);
}
