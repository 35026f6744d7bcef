// Soak test: trains an MLP for many steps on each backend and fails if memory grows.
//
//   node --expose-gc packages/reliability/scripts/soak.mjs [--steps N] [--model w3|small]
//        [--backend cpu|wasm|both] [--samples K] [--warmup STEPS] [--unscoped]
//
// Each step runs in scope() (the documented pattern); --unscoped leaves every tensor to the
// garbage collector and the FinalizationRegistry instead.
//
// After a warm-up (default: the first 10% of the steps, while V8 compiles and the heaps settle),
// every (steps - warmup)/K steps it forces a garbage collection (so dropped tensors are finalized) and
// prints live tensors, wasm live storages, bytes in use and linear-memory size, JS heap used, ArrayBuffer bytes (cpu
// storages) and RSS. It exits 1 if
// any of them is more than 5% higher on average in the last quarter of the samples than in the
// first quarter. Runs on the built packages (dist): `pnpm soak` builds them first.
//
// The default model is `small`: the W3 MLP (784-128-10, batch 128) takes about 60 ms a step on
// the cpu backend (2 cores), so 100,000 steps would take well over an hour; `--model w3` runs it.
import { parseArgs } from 'node:util';
import { Adam } from '@gd/optim';
import { Linear, ReLU, Sequential } from '@gd/nn';
import { addInterceptor, crossEntropy, manualSeed, randint, randn, scope, setBackend, cpuBackend } from '@gd/tensor';
import { wasmBackend } from '@gd/backend-wasm';

const MODELS = {
  // The W3 milestone model: MNIST-sized MLP, batch 128.
  w3: { sizes: [784, 128, 10], batch: 128 },
  // Small enough for 100,000 steps in minutes on the pure-TS cpu backend.
  small: { sizes: [64, 32, 10], batch: 32 },
};

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string', default: '100000' },
    model: { type: 'string', default: 'small' },
    backend: { type: 'string', default: 'both' },
    samples: { type: 'string', default: '20' },
    warmup: { type: 'string' },
    unscoped: { type: 'boolean', default: false },
  },
});
const steps = Number(flags.steps);
const samples = Math.max(4, Number(flags.samples));
const warmup = flags.warmup === undefined ? Math.floor(steps / 10) : Number(flags.warmup);
const spec = MODELS[flags.model];
if (!spec || !(steps > 0) || !(warmup >= 0 && warmup < steps)) {
  console.error(
    `usage: soak [--steps N>0] [--model ${Object.keys(MODELS).join('|')}] [--backend cpu|wasm|both] [--samples K] [--warmup STEPS]`,
  );
  process.exit(2);
}
if (typeof globalThis.gc !== 'function') {
  console.error('soak needs --expose-gc (node --expose-gc scripts/soak.mjs)');
  process.exit(2);
}

// Live tensors: every op output is registered here and counted until it is garbage-collected.
let liveTensors = 0;
const collected = new FinalizationRegistry(() => liveTensors--);
addInterceptor((call) => {
  for (const t of call.outputs) {
    liveTensors++;
    collected.register(t, null);
  }
});

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

async function soak(name, backend) {
  setBackend(backend);
  manualSeed(0);
  const [nIn, nHidden, nOut] = spec.sizes;
  const model = new Sequential(new Linear(nIn, nHidden), new ReLU(), new Linear(nHidden, nOut));
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const batches = Array.from({ length: 4 }, () => ({ x: randn(spec.batch, nIn), y: randint(0, nOut, [spec.batch]) }));
  const every = Math.max(1, Math.floor((steps - warmup) / samples));
  const sampled = (step) => step > warmup && (step - warmup) % every === 0;
  const rows = [];
  const started = performance.now();
  console.log(
    `\n${name}: ${steps} steps of MLP ${spec.sizes.join('-')}, batch ${spec.batch}, Adam${flags.unscoped ? '' : ', each step in scope()'}; ${warmup} warm-up steps, then a sample every ${every} steps`,
  );
  console.log('    step   loss     liveTensors  wasmStorages  wasmInUseMiB  wasmHeapMiB  jsHeapMiB  arrayBufMiB   rssMiB   ms/step');
  let last = started;
  // One step in its own function, so no tensor of it is reachable when memory is sampled.
  const trainStep = (step) => {
    const { x, y } = batches[step % batches.length];
    opt.zeroGrad();
    const loss = crossEntropy(model.call(x), y);
    loss.backward();
    opt.step();
    return sampled(step) ? loss.item() : Number.NaN;
  };
  for (let step = 1; step <= steps; step++) {
    const lossValue = flags.unscoped ? trainStep(step) : scope(() => trainStep(step));
    if (!sampled(step)) continue;
    await settle();
    const wasm = typeof backend.memory === 'function' ? backend.memory() : null;
    const mem = process.memoryUsage();
    const now = performance.now();
    const row = {
      step,
      liveTensors,
      wasmStorages: wasm?.liveStorages ?? null,
      wasmInUse: wasm ? wasm.bytesInUse / 2 ** 20 : null,
      wasmHeap: wasm ? wasm.heapBytes / 2 ** 20 : null,
      jsHeap: mem.heapUsed / 2 ** 20,
      // ArrayBuffer memory: where cpu storages live (typed arrays outside the JS heap).
      arrayBuffers: mem.arrayBuffers / 2 ** 20,
      rss: mem.rss / 2 ** 20,
    };
    rows.push(row);
    const cell = (v, w, d = 1) => (v === null ? 'n/a' : v.toFixed(d)).padStart(w);
    console.log(
      `${String(step).padStart(8)} ${lossValue.toFixed(4).padStart(7)} ${cell(liveTensors, 14, 0)} ${cell(row.wasmStorages, 13, 0)} ${cell(row.wasmInUse, 13, 2)} ${cell(row.wasmHeap, 12, 1)} ${cell(row.jsHeap, 10)} ${cell(row.arrayBuffers, 12, 2)} ${cell(row.rss, 8)} ${((now - last) / every).toFixed(2).padStart(9)}`,
    );
    last = performance.now();
  }
  console.log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return growth(name, rows);
}

/** Metrics whose last-quarter mean exceeds the first-quarter mean by more than 5%. */
function growth(name, rows) {
  const q = Math.max(1, Math.floor(rows.length / 4));
  const mean = (rs, key) => rs.reduce((s, r) => s + r[key], 0) / rs.length;
  const failures = [];
  for (const key of ['liveTensors', 'wasmStorages', 'wasmInUse', 'wasmHeap', 'jsHeap', 'arrayBuffers', 'rss']) {
    if (rows[0][key] === null) continue;
    const first = mean(rows.slice(0, q), key);
    const lastQ = mean(rows.slice(-q), key);
    const change = first === 0 ? (lastQ === 0 ? 0 : Number.POSITIVE_INFINITY) : lastQ / first - 1;
    const verdict = change > 0.05 ? 'GREW' : 'ok';
    console.log(
      `${name} ${key}: first quarter ${first.toFixed(2)}, last quarter ${lastQ.toFixed(2)} (${(change * 100).toFixed(1)}%) ${verdict}`,
    );
    if (change > 0.05) failures.push(`${name} ${key}`);
  }
  return failures;
}

const failures = [];
if (flags.backend !== 'wasm') failures.push(...(await soak('cpu', cpuBackend)));
if (flags.backend !== 'cpu') failures.push(...(await soak('wasm', await wasmBackend())));
if (failures.length > 0) {
  console.error(`\nsoak FAILED: grew by more than 5%: ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\nsoak passed: nothing grew by more than 5% between the first and last quarter');
