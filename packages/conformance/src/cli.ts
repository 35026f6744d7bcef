import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, setBackend } from '@gd/tensor';
import { loadGoldenFile } from './fixtures.js';
import type { Suite } from './suite.js';
import { runLrSchedulerSuite } from './suites/lr-scheduler.js';
import { runNnSuite } from './suites/nn.js';
import { runOpsSuite } from './suites/ops.js';
import { runOptimSuite } from './suites/optim.js';

const USAGE = `usage: gd-golden [DIR] [--backend NAME] [--threads N] [--exact-math]

Runs every case of DIR's ops.json, nn.json, optim.json and lr_scheduler.json against gd and
exits non-zero on any failure. DIR defaults to the shared/golden folder beside the repository.
--backend cpu|wasm picks the backend every tensor is created on (default: cpu).
--threads N runs the wasm backend with N threads (default 1).
--exact-math runs the wasm backend with fastMath off (SLEEF's float32 exp, sigmoid, tanh, log
  instead of the polynomials).`;

const SUITES: readonly (readonly [file: string, suite: Suite])[] = [
  ['ops.json', runOpsSuite],
  ['nn.json', runNnSuite],
  ['optim.json', runOptimSuite],
  ['lr_scheduler.json', runLrSchedulerSuite],
];

interface Options {
  dir: string;
  backend: string;
  threads: number;
  fastMath: boolean;
}

/** ../shared/golden from the repository root, found from this file (src/ or dist/ of packages/conformance), not from the cwd. */
function defaultGoldenDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/golden');
}

function parseArgs(argv: readonly string[]): Options {
  let dir: string | undefined;
  let backend = 'cpu';
  let threads = 1;
  let fastMath = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--backend') {
      const name = argv[++i];
      if (!name) throw new Error('--backend needs a NAME');
      backend = name;
    } else if (a.startsWith('--backend=')) backend = a.slice('--backend='.length);
    else if (a === '--threads') threads = Number(argv[++i]);
    else if (a === '--exact-math') fastMath = false;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n\n${USAGE}`);
    else if (dir === undefined) dir = a;
    else throw new Error(`only one DIR may be given (got ${dir} and ${a})`);
  }
  // pnpm runs root scripts from the root; INIT_CWD is where the user typed the command.
  return { dir: dir === undefined ? defaultGoldenDir() : resolve(process.env.INIT_CWD ?? process.cwd(), dir), backend, threads, fastMath };
}

async function useBackend(name: string, threads: number, fastMath: boolean): Promise<void> {
  if (name === 'wasm') {
    const wasm: Record<string, unknown> = await import('@gd/backend-wasm');
    if (typeof wasm.wasmBackend !== 'function')
      throw new Error("@gd/backend-wasm has no 'wasmBackend' export yet: the wasm backend cannot be tested");
    type Create = (options: { threads: number; fastMath: boolean }) => Promise<Parameters<typeof setBackend>[0]>;
    setBackend(await (wasm.wasmBackend as Create)({ threads, fastMath }));
  } else setBackend(name);
}

async function main(): Promise<number> {
  const { dir, backend, threads, fastMath } = parseArgs(process.argv.slice(2));
  await useBackend(backend, threads, fastMath);
  // Which wasm build runs depends on the engine (relaxed SIMD where it has it), so it is named.
  const relaxed = (getBackend() as { relaxedSimd?: boolean }).relaxedSimd === true ? ', relaxed SIMD' : '';
  const math =
    backend === 'wasm' ? `${fastMath ? ', fastMath' : ', exact math'}${relaxed}${threads > 1 ? `, ${threads} threads` : ''}` : '';
  console.log(`golden fixtures: ${dir} (backend ${getBackend().name}${math})`);
  let passed = 0;
  let failed = 0;
  for (const [file, suite] of SUITES) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      console.log(`${file}: missing`);
      failed++;
      continue;
    }
    const golden = loadGoldenFile(path);
    const results = suite(golden.cases, golden);
    const failures = results.filter((r) => r.failure !== null);
    passed += results.length - failures.length;
    failed += failures.length;
    console.log(`${file}: ${results.length - failures.length} passed, ${failures.length} failed`);
    for (const f of failures) console.log(`  FAIL ${f.id}: ${f.failure}`);
  }
  console.log(`golden: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);
