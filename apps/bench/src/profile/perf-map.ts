import { readFileSync } from 'node:fs';

/**
 * Names for JIT code from the map V8 writes with `--perf-basic-prof` (`/tmp/perf-<pid>.map`: start,
 * size and name per line). Tiers are merged (`JS:*f`, `JS:^f` and `JS:~f` are all `f`): what a
 * change moves is the function's cost, whichever tier ran it.
 */
export function perfMapNamer(file: string): (address: number) => string | undefined {
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [start, size, ...name] = l.split(' ');
      return {
        start: Number.parseInt(start!, 16),
        end: Number.parseInt(start!, 16) + Number.parseInt(size!, 16),
        name: tidy(name.join(' ')),
      };
    })
    .sort((a, b) => a.start - b.start);
  return (address) => {
    let lo = 0;
    let hi = entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = entries[mid]!;
      if (address < e.start) hi = mid - 1;
      else if (address >= e.end) lo = mid + 1;
      else return e.name;
    }
    return undefined;
  };
}

function tidy(name: string): string {
  return name.replace(/^JS:[*^~+]?/, '').replace(/ file:\/\/\S*?\/(packages|apps)\//, ' $1/');
}
