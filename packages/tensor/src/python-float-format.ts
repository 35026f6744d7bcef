/**
 * Python's `'{:.Nf}'` and `'{:.Ne}'` for doubles, which PyTorch's printer uses. Python rounds the
 * exact binary value half-to-even; JS's toFixed/toExponential round exact ties away from zero
 * (0.125.toFixed(2) is '0.13', Python says '0.12') and toFixed gives up past 1e21, so the digits
 * are computed here with BigInt arithmetic on the double's exact value.
 */

const view = new DataView(new ArrayBuffer(8));

/** |x| = mantissa * 2^exponent, exactly (x finite). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** round(num / den) with ties to even; num, den > 0. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** round(|x| / 10^shift), half to even, exactly. */
function scaledDigits(x: number, shift: number): bigint {
  const { mantissa, exponent } = decompose(x);
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (shift >= 0) den *= 10n ** BigInt(shift);
  else num *= 10n ** BigInt(-shift);
  return roundHalfEven(num, den);
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/**
 * Rounding x to units of 10^-k can only meet an exact tie when x * 2^(k+1) is an integer (a tie is
 * (2n+1) / (2 * 10^k), and x is a binary fraction). With no tie possible, JS's toFixed and
 * toExponential, exact but breaking ties away from zero, already print what Python prints.
 */
function noTieAt(x: number, bits: number): boolean {
  return !Number.isInteger(x * 2 ** bits);
}

/** Python's `'{:.{precision}f}'.format(x)`. */
export function formatFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  if (Math.abs(x) < 1e21 && noTieAt(x, precision + 1)) return x.toFixed(precision);
  const digits = scaledDigits(x, -precision)
    .toString()
    .padStart(precision + 1, '0');
  const intPart = digits.slice(0, digits.length - precision);
  const body = precision === 0 ? intPart : `${intPart}.${digits.slice(digits.length - precision)}`;
  return signOf(x) + body;
}

/** Python's `'{:.{precision}e}'.format(x)`: exponent signed, at least two digits. */
export function formatExponential(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  if (x !== 0) {
    const js = x.toExponential(precision);
    const exp10 = Number(js.slice(js.indexOf('e') + 1));
    // One more bit than the printed exponent needs covers a rounding carry into a new digit.
    if (noTieAt(x, Math.max(1, precision - exp10 + 2))) return withPythonExponent(js.slice(0, js.indexOf('e')), exp10);
  }
  let exp10 = 0;
  let digits = 0n;
  if (x !== 0) {
    const lowest = 10n ** BigInt(precision);
    exp10 = Math.floor(Math.log10(Math.abs(x)));
    // log10 can be off by one near powers of ten, and rounding can carry into a new digit.
    for (;;) {
      digits = scaledDigits(x, exp10 - precision);
      if (digits >= lowest * 10n) exp10++;
      else if (digits < lowest) exp10--;
      else break;
    }
  }
  const s = digits.toString().padStart(precision + 1, '0');
  return withPythonExponent(signOf(x) + (precision === 0 ? s : `${s[0]}.${s.slice(1)}`), exp10);
}

function withPythonExponent(mantissa: string, exp10: number): string {
  return `${mantissa}e${exp10 < 0 ? '-' : '+'}${String(Math.abs(exp10)).padStart(2, '0')}`;
}
