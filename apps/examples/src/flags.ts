/** `--name value` and `--flag` parsing with defaults; the defaults' types decide each flag's type. */
export function parseFlags<T extends Record<string, string | boolean>>(args: readonly string[], defaults: T): T {
  const out: Record<string, string | boolean> = { ...defaults };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    if (!(key in defaults))
      throw new Error(
        `unknown option ${a}; known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    if (typeof defaults[key] === 'boolean') out[key] = true;
    else {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      out[key] = v;
    }
  }
  return out as T;
}
