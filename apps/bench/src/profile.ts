/**
 * Instructions per epoch of W1 (lesson 004's loop), per function, at steady state: the
 * difference of two callgrind runs that share a long warm-up, so that V8's compiling (which goes
 * on for thousands of epochs as functions tier up) cancels out. Like `pnpm bench`, each run calls
 * the 5000-epoch loop again and again. JIT code is named through V8's perf map. Deterministic, so
 * it shows changes of a few percent that wall time on this VM hides.
 *
 *   node apps/bench/dist/profile.js [--warm 4] [--calls 1] [--top 40] [--node-flags "..."]
 *
 * Needs valgrind (`apt-get install valgrind`); the two runs take about four minutes together.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tensor } from '@gd/tensor';
import { selfCostByFunction } from './profile/callgrind-output.js';
import { perfMapNamer } from './profile/perf-map.js';
import { data, EPOCHS, gdLoop } from './workloads/seed-loop.js';

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    warm: { type: 'string', default: '4' },
    calls: { type: 'string', default: '1' },
    top: { type: 'string', default: '40' },
    'node-flags': { type: 'string', default: '' },
  },
});

if (values.child !== undefined) {
  for (let i = Number(values.child); i > 0; i--) gdLoop(tensor(data.tU).mul(0.1), tensor(data.tC));
} else {
  const warm = Number(values.warm);
  const calls = Number(values.calls);
  const epochs = calls * EPOCHS;
  const short = instructionsByFunction(warm + calls, values['node-flags']);
  const long = instructionsByFunction(warm + 2 * calls, values['node-flags']);
  const perEpoch = [...new Set([...short.keys(), ...long.keys()])]
    .map((name) => ({ name, instr: ((long.get(name) ?? 0) - (short.get(name) ?? 0)) / epochs }))
    .sort((a, b) => b.instr - a.instr);
  const total = perEpoch.reduce((s, f) => s + f.instr, 0);
  const from = (warm + calls) * EPOCHS;
  console.log(`W1: ${total.toFixed(0)} instructions per epoch (epochs ${from} to ${from + epochs}), self cost by function:`);
  for (const f of perEpoch.slice(0, Number(values.top))) console.log(`${f.instr.toFixed(0).padStart(8)}  ${f.name.slice(0, 120)}`);
}

/** Self instructions per function of one callgrind run of `calls` calls of the 5000-epoch loop. */
function instructionsByFunction(calls: number, nodeFlags: string): Map<string, number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gd-profile-'));
  try {
    const out = path.join(dir, 'callgrind.out');
    // Single-threaded and seeded, so that the two runs compile and collect alike.
    const node = [
      ...nodeFlags.split(' ').filter(Boolean),
      '--perf-basic-prof',
      '--single-threaded',
      '--predictable',
      '--hash-seed=42',
      '--random-seed=42',
    ];
    const args = [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      process.execPath,
      ...node,
      fileURLToPath(import.meta.url),
      '--child',
      String(calls),
    ];
    const run = spawnSync('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (run.error) throw new Error(`cannot run valgrind (${run.error.message}); install it with apt-get install valgrind`);
    if (run.status !== 0) throw new Error(`valgrind exited with ${run.status}:\n${run.stderr.slice(-2000)}`);
    // V8 writes its map as /tmp/perf-<pid>.map; valgrind runs node in the process it was started as.
    const map = `/tmp/perf-${run.pid}.map`;
    try {
      return selfCostByFunction(out, perfMapNamer(map));
    } finally {
      rmSync(map, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
