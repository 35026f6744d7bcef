import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Timing, WARMUP_CALLS, WARMUP_MAX_CALLS, type Workload } from './harness.js';

const PYTHON = '/usr/bin/python3';

/** Whether PyTorch can be run here; a reason string when not. */
export function pytorchAvailable(): true | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return `${PYTHON} has no torch (apt-get install python3-torch libopenblas0-pthread)`;
  }
}

/** Runs every workload's PyTorch snippet single-threaded in one process; median ms per workload. */
export function runPytorch(workloads: readonly Workload[], budgetMs: number): Map<string, Timing> {
  const parts = workloads
    .filter((w) => w.pytorch)
    .map((w) => `def _w():\n${indent(w.pytorch!)}\n    return setup()\nresults[${JSON.stringify(w.id)}] = bench(_w())\n`);
  const script = `
import json, time, torch
torch.set_num_threads(1)
torch.manual_seed(0)
results = {}
def bench(fn, budget=${budgetMs / 1000}, max_samples=25):
    warm_start = time.perf_counter()
    i = 0
    while i < ${WARMUP_MAX_CALLS} and (i < ${WARMUP_CALLS} or time.perf_counter() - warm_start < budget / 3):
        fn(); i += 1
    samples = []
    start = time.perf_counter()
    while len(samples) < 3 or (time.perf_counter() - start < budget and len(samples) < max_samples):
        t0 = time.perf_counter(); fn(); samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {"medianMs": samples[len(samples) // 2], "samples": len(samples)}
${parts.join('\n')}
print(json.dumps(results))
`;
  // torch.set_num_threads(1) does not reach OpenBLAS, which would otherwise use every core for mm.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const out = execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 24, env });
  const parsed = JSON.parse(out.trim().split('\n').pop()!) as Record<string, Timing>;
  return new Map(Object.entries(parsed));
}

function indent(src: string): string {
  return src
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
