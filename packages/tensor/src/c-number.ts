/** A double as C++'s ostream prints it in PyTorch's messages: nan, inf, -inf, else the shortest form. */
export function cNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Number.POSITIVE_INFINITY) return 'inf';
  if (v === Number.NEGATIVE_INFINITY) return '-inf';
  return String(v);
}
