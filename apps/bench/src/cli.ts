import { type ContenderName, CONTENDERS, markdownTable, type Results, time, type Workload } from './harness.js';
import { pytorchAvailable, runPytorch } from './pytorch.js';
import { elementwiseWorkload } from './workloads/elementwise.js';
import { expBackwardWorkload } from './workloads/exp-backward.js';
import { matmulWorkload } from './workloads/matmul.js';
import { mlpStepWorkload } from './workloads/mlp-step.js';
import { seedLoopWorkload } from './workloads/seed-loop.js';

/**
 * pnpm bench [--quick] [--only id,id] [--skip contender,contender]
 * Runs every workload on every contender in one process and prints a markdown table of medians
 * and of gd's speed ratios against the alternatives measured in the same run.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = valueOf(args, '--only')?.split(',');
  const skip = new Set(valueOf(args, '--skip')?.split(',') ?? []);
  const budget = quick ? 400 : 1500;
  let workloads: Workload[] = [
    seedLoopWorkload,
    ...[64, 256, 512, 1024].map(matmulWorkload),
    mlpStepWorkload,
    elementwiseWorkload,
    expBackwardWorkload,
  ];
  if (only) workloads = workloads.filter((w) => only.some((o) => w.id.startsWith(o)));

  const results: Results = new Map();
  const notes: string[] = [];
  const torch = skip.has('pytorch') ? 'skipped' : pytorchAvailable();
  if (torch !== true && torch !== 'skipped') notes.push(`PyTorch column skipped: ${torch}`);
  for (const w of workloads) {
    const row: Partial<Record<ContenderName, string | { medianMs: number; samples: number }>> = {};
    for (const c of CONTENDERS) {
      if (c === 'pytorch' || skip.has(c)) continue;
      const setup = w.setups[c];
      if (!setup) continue;
      try {
        const fn = await setup();
        row[c] = await time(fn, budget);
      } catch (e) {
        row[c] = 'n/a';
        notes.push(`${w.id} on ${c}: ${(e as Error).message}`);
      }
      process.stderr.write(`  ${w.id} ${c}: done\n`);
    }
    // PyTorch right after the others on the same workload: on a shared machine the load drifts,
    // and ratios are only fair between timings taken close together.
    if (torch === true && w.pytorch) {
      const py = runPytorch([w], budget).get(w.id);
      if (py) row.pytorch = py;
      process.stderr.write(`  ${w.id} pytorch: done\n`);
    }
    if (w.verify) notes.push(`${w.id}: ${await w.verify()}`);
    results.set(w.id, row);
  }
  const present = CONTENDERS.filter((c) => !skip.has(c));
  console.log(markdownTable(workloads, results, present));
  console.log(
    `\nMedians over repeated runs after warm-up; ratios are gd's speed relative to each alternative (> 1 = gd faster). PyTorch runs single-threaded (torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1). Node ${process.version}.`,
  );
  for (const n of notes) console.log(`- ${n}`);
}

function valueOf(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

await main();
