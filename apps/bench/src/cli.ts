import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gdWasm } from './contenders.js';
import {
  type ContenderName,
  CONTENDERS,
  markdownTable,
  nodeFlagsOf,
  type Results,
  setupOf,
  type Timing,
  time,
  type Workload,
} from './harness.js';
import { pytorchAvailable, runPytorch } from './pytorch.js';
import { elementwiseWorkload } from './workloads/elementwise.js';
import { expBackwardWorkload } from './workloads/exp-backward.js';
import { matmulWorkload } from './workloads/matmul.js';
import { mlpStepWorkload } from './workloads/mlp-step.js';
import { seedLoopWorkload } from './workloads/seed-loop.js';

const ALL_WORKLOADS: readonly Workload[] = [
  seedLoopWorkload,
  ...[64, 256, 512, 1024].map(matmulWorkload),
  mlpStepWorkload,
  elementwiseWorkload,
  expBackwardWorkload,
];

/**
 * Times one workload on one contender in a fresh process: code shared by the backends (dispatch,
 * ops, autograd) is compiled for the backend it sees, and one that has run the wasm backend runs
 * the cpu backend up to 2x slower, so each contender gets a process of its own, as a user's would.
 */
function measureInChild(workloadId: string, contender: ContenderName, budget: number): Timing {
  const args = [...nodeFlagsOf(contender), fileURLToPath(import.meta.url), MEASURE_FLAG, workloadId, contender, String(budget)];
  const out = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(out.trim().split('\n').pop()!) as Timing | { error: string };
  if ('error' in result) throw new Error(result.error);
  return result;
}

const MEASURE_FLAG = '--measure-one';

const isRelaxed = (backend: unknown): boolean => (backend as { relaxedSimd?: boolean }).relaxedSimd === true;

/** The child side of measureInChild: prints the timing (or the error) as JSON. */
async function measureOne(workloadId: string, contender: ContenderName, budget: number): Promise<void> {
  try {
    const w = ALL_WORKLOADS.find((x) => x.id === workloadId);
    const setup = w && setupOf(w, contender as Exclude<ContenderName, 'pytorch'>);
    if (!setup) throw new Error(`no ${contender} setup for ${workloadId}`);
    const fn = await setup();
    if (contender === 'gd-wasm-relaxed' && !isRelaxed(await gdWasm()))
      throw new Error('this Node has no relaxed SIMD, even with --experimental-wasm-relaxed-simd');
    console.log(JSON.stringify(await time(fn, budget)));
  } catch (e) {
    console.log(JSON.stringify({ error: (e as Error).message }));
  }
}

/**
 * pnpm bench [--quick] [--only id,id] [--skip contender,contender]
 * Runs every workload on every contender (each in a process of its own) and prints a markdown
 * table of medians and of gd's speed ratios against the alternatives measured in the same run.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = valueOf(args, '--only')?.split(',');
  const skip = new Set(valueOf(args, '--skip')?.split(',') ?? []);
  const budget = quick ? 400 : 1000;
  const rounds = quick ? 1 : 3;
  let workloads = ALL_WORKLOADS.slice();
  if (only) workloads = workloads.filter((w) => only.some((o) => w.id.startsWith(o)));

  const results: Results = new Map();
  const notes: string[] = [];
  const torch = skip.has('pytorch') ? 'skipped' : pytorchAvailable();
  if (torch !== true && torch !== 'skipped') notes.push(`PyTorch column skipped: ${torch}`);
  for (const w of workloads) {
    // The VM's speed drifts (a fixed loop varies up to 2x from second to second), so each
    // contender is timed in `rounds` turns interleaved with the others and reported by the median turn.
    const turns = new Map<ContenderName, Timing[]>();
    const failed: Partial<Record<ContenderName, string>> = {};
    for (let round = 0; round < rounds; round++) {
      for (const c of CONTENDERS) {
        if (c === 'pytorch' || skip.has(c) || !setupOf(w, c) || failed[c]) continue;
        try {
          turns.set(c, [...(turns.get(c) ?? []), measureInChild(w.id, c, budget)]);
        } catch (e) {
          failed[c] = 'n/a';
          notes.push(`${w.id} on ${c}: ${(e as Error).message}`);
        }
      }
      if (torch === true && w.pytorch) {
        const py = runPytorch([w], budget).get(w.id);
        if (py) turns.set('pytorch', [...(turns.get('pytorch') ?? []), py]);
      }
      process.stderr.write(`  ${w.id}: round ${round + 1} of ${rounds} done\n`);
    }
    const row: Partial<Record<ContenderName, string | Timing>> = { ...failed };
    for (const [c, ts] of turns) row[c] = medianTurn(ts);
    if (w.verify) notes.push(`${w.id}: ${await w.verify()}`);
    results.set(w.id, row);
  }
  const present = CONTENDERS.filter((c) => !skip.has(c));
  console.log(markdownTable(workloads, results, present));
  console.log(
    `\nMedians over repeated runs after warm-up, each contender in a process of its own, in ${rounds} turn(s) interleaved with the others (the median turn is shown); ratios are gd's speed relative to each alternative (> 1 = gd faster). PyTorch runs single-threaded (torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1). gd-wasm-relaxed is gd-wasm in a Node started with --experimental-wasm-relaxed-simd: the relaxed-SIMD build that Node 21+ and Chrome 114+ run by default. Node ${process.version}.`,
  );
  for (const n of notes) console.log(`- ${n}`);
}

/** The turn with the median time, its sample count the total over all turns. */
function medianTurn(turns: readonly Timing[]): Timing {
  const sorted = turns.slice().sort((a, b) => a.medianMs - b.medianMs);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!.medianMs, samples: turns.reduce((n, t) => n + t.samples, 0) };
}

function valueOf(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

const measureAt = process.argv.indexOf(MEASURE_FLAG);
if (measureAt >= 0) {
  const [id, contender, budget] = process.argv.slice(measureAt + 1);
  await measureOne(id!, contender as ContenderName, Number(budget));
} else await main();
