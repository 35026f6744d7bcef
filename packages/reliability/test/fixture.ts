import type { WasmBackend } from '@gd/backend-wasm';
import { Linear } from '@gd/nn';
import { Adam, stateDictToJSON } from '@gd/optim';
import { type Tensor, manualSeed, randn } from '@gd/tensor';
import type { Fixture } from './error-cases.js';

/** A fresh set of the objects the error cases refuse to change. */
export function makeFixture(wasm: WasmBackend): Fixture {
  manualSeed(0);
  const x = randn([2, 3], { requiresGrad: true });
  x.mul(3).sum().backward();
  const model = new Linear(3, 2);
  model.call(x.detach()).sum().backward();
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  opt.step();
  const tracked: Tensor[] = [];
  return {
    x,
    y: randn(3, 4),
    model,
    opt,
    wasm,
    wx: randn([2, 3], { backend: wasm }),
    heaps: [wasm],
    track<T extends Tensor>(t: T): T {
      tracked.push(t);
      return t;
    },
    get tracked() {
      return tracked;
    },
  } as Fixture;
}

const describeTensor = (t: Tensor): unknown => ({
  shape: t.shape,
  dtype: t.dtype,
  backend: t.storage.backend.name,
  values: t.tolist(),
  version: t.version,
  requiresGrad: t.requiresGrad,
  isLeaf: t.isLeaf,
  gradFn: t.gradFn?.name ?? null,
  grad: t.grad === null ? null : describeTensor(t.grad),
});

const exact = (_: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

/**
 * Everything a refused call must leave alone, as one string: heap statistics of every wasm
 * backend involved (read first, so reading tensors cannot disturb them), every tracked tensor
 * with its .grad, the model's parameters and the optimizer's state dict.
 */
export function snapshot(f: Fixture): string {
  const heaps = f.heaps.map((w) => w.memory());
  const tensors = [f.x, f.y, f.wx, ...(f as Fixture & { tracked: Tensor[] }).tracked, ...f.model.parameters()].map(describeTensor);
  return JSON.stringify({ heaps, tensors, opt: stateDictToJSON(f.opt.stateDict()) }, exact);
}
