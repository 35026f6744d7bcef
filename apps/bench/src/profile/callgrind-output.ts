import { readFileSync } from 'node:fs';

/**
 * Self instruction counts per function from a callgrind output file. Code valgrind has no symbol
 * for (V8's JIT code) is named with `nameJit(address)`, or kept as its address.
 */
export function selfCostByFunction(file: string, nameJit: (address: number) => string | undefined): Map<string, number> {
  const names = new Map<string, string>();
  const cost = new Map<string, number>();
  let current: string | undefined;
  // The cost line after `calls=` is the callee's inclusive cost, not the caller's own.
  let skipNext = false;
  const resolve = (id: string, given: string | undefined): string => {
    if (given !== undefined) names.set(id, given);
    const raw = names.get(id) ?? id;
    if (!raw.startsWith('0x')) return raw;
    return nameJit(Number.parseInt(raw.split("'")[0]!, 16)) ?? raw;
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const named = /^(c?fn)=\((\d+)\)(?: (.*))?$/.exec(line);
    if (named) {
      const name = resolve(named[2]!, named[3]);
      if (named[1] === 'fn') current = name;
      continue;
    }
    if (line.startsWith('calls=')) {
      skipNext = true;
      continue;
    }
    if (!/^[0-9+\-*]/.test(line)) continue;
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const fields = line.trim().split(/\s+/);
    if (current !== undefined && fields.length >= 2) cost.set(current, (cost.get(current) ?? 0) + Number(fields[fields.length - 1]));
  }
  return cost;
}
