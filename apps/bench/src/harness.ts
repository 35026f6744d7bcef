/** Timing and table printing shared by every workload. */

export type ContenderName =
  | 'gd-cpu'
  | 'gd-wasm'
  | 'gd-wasm-relaxed'
  | 'gd-wasm-2t'
  | 'gd-wasm-exact'
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'pytorch';
export const CONTENDERS: readonly ContenderName[] = [
  'gd-cpu',
  'gd-wasm',
  'gd-wasm-relaxed',
  'gd-wasm-2t',
  'gd-wasm-exact',
  'tfjs-cpu',
  'tfjs-wasm',
  'pytorch',
];
/**
 * Same-run ratios between two gd contenders: the relaxed-SIMD build, the threaded wasm backend,
 * and the one with fastMath off (bit-exact SLEEF exp instead of the polynomial), against the
 * default wasm backend.
 */
const GD_PAIRS: readonly (readonly [ContenderName, ContenderName])[] = [
  ['gd-wasm-relaxed', 'gd-wasm'],
  ['gd-wasm-2t', 'gd-wasm'],
  ['gd-wasm-exact', 'gd-wasm'],
];

/** Prepares a workload for one contender and returns the function to time (one iteration). */
export type Setup = () => Promise<() => unknown> | (() => unknown);

/**
 * Contenders that run another contender's setup in a Node started with extra flags. gd-wasm-relaxed
 * is gd-wasm in a Node with relaxed SIMD on (Node 20 has it behind a flag; Node 21+ and Chrome 114+
 * by default), where the default wasmBackend() picks its relaxed-SIMD build.
 */
const VARIANTS: Partial<
  Record<ContenderName, { readonly runs: Exclude<ContenderName, 'pytorch'>; readonly nodeFlags: readonly string[] }>
> = {
  'gd-wasm-relaxed': { runs: 'gd-wasm', nodeFlags: ['--experimental-wasm-relaxed-simd'] },
};

/** The Node flags a contender's process starts with. */
export const nodeFlagsOf = (c: ContenderName): readonly string[] => VARIANTS[c]?.nodeFlags ?? [];

/** The workload setup a contender runs. */
export function setupOf(w: Workload, c: Exclude<ContenderName, 'pytorch'>): Setup | undefined {
  return w.setups[VARIANTS[c]?.runs ?? c];
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** When set, results are shown as GFLOPS (flops per iteration / time); otherwise as ms. */
  readonly flops?: number;
  readonly setups: Partial<Record<Exclude<ContenderName, 'pytorch'>, Setup>>;
  /** Python source defining `setup()` returning a zero-argument callable to time. */
  readonly pytorch?: string;
  /** A check run once on gd's result (e.g. the seed loop's final numbers); returns a note. */
  readonly verify?: () => Promise<string> | string;
}

export interface Timing {
  medianMs: number;
  samples: number;
}

/**
 * Warm-up before sampling, the same for every contender (pytorch.ts mirrors it): at least
 * WARMUP_CALLS calls and a third of the sampling budget, so a JIT-compiled contender is timed at
 * its steady state (gd-cpu's W3 step takes ~20 calls to settle) rather than while it compiles.
 */
export const WARMUP_CALLS = 3;
export const WARMUP_MAX_CALLS = 50;

/** Median wall time of fn after warm-up, sampling for about `budgetMs`. */
export async function time(fn: () => unknown, budgetMs = 1500, maxSamples = 25): Promise<Timing> {
  const warmStart = performance.now();
  for (let i = 0; i < WARMUP_MAX_CALLS && (i < WARMUP_CALLS || performance.now() - warmStart < budgetMs / 3); i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 3 || (performance.now() - start < budgetMs && samples.length < maxSamples)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, samples: samples.length };
}

export type Results = Map<string, Partial<Record<ContenderName, Timing | string>>>;

function cell(w: Workload, t: Timing | string | undefined): string {
  if (t === undefined) return '—';
  if (typeof t === 'string') return t;
  return w.flops ? `${(w.flops / (t.medianMs * 1e6)).toFixed(2)} GFLOPS` : `${t.medianMs.toFixed(t.medianMs < 10 ? 3 : 1)} ms`;
}

/** gd's speed relative to another contender: > 1 means gd is faster. */
function ratio(gd: Timing | string | undefined, other: Timing | string | undefined): string {
  if (!gd || !other || typeof gd === 'string' || typeof other === 'string') return '—';
  return `${(other.medianMs / gd.medianMs).toFixed(2)}×`;
}

export function markdownTable(workloads: readonly Workload[], results: Results, present: readonly ContenderName[]): string {
  const gds = present.filter((c) => c.startsWith('gd-'));
  const others = present.filter((c) => !c.startsWith('gd-'));
  const ratioCols = [
    ...gds.flatMap((g) => others.map((o) => [g, o] as const)),
    ...GD_PAIRS.filter(([g, o]) => present.includes(g) && present.includes(o)),
  ];
  const header = ['workload', ...present, ...ratioCols.map(([g, o]) => `${g} vs ${o}`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const w of workloads) {
    const r = results.get(w.id) ?? {};
    const row = [w.title, ...present.map((c) => cell(w, r[c])), ...ratioCols.map(([g, o]) => ratio(r[g], r[o]))];
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}
