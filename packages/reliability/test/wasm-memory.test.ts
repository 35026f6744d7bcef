import '@gd/autograd';
import { type WasmBackend, wasmBackend } from '@gd/backend-wasm';
import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@gd/nn';
import { Adam } from '@gd/optim';
import { manualSeed, randint, randn, scope, type Tensor } from '@gd/tensor';
import { beforeAll, describe, expect, it } from 'vitest';

// A loop that never yields gives the FinalizationRegistry no chance to run: only scope() and
// autograd's own disposal keep the wasm heap from filling.
describe('wasm memory in a synchronous training loop', () => {
  let w: WasmBackend;
  let model: Sequential;
  let optimizer: Adam;
  let x: Tensor;
  let y: Tensor;
  const lossFn = new CrossEntropyLoss();

  beforeAll(async () => {
    w = await wasmBackend();
    manualSeed(0);
    model = new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10)).to(w);
    optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    x = randn([16, 64]).to(w);
    y = randint(0, 10, [16]).to(w);
  });

  const step = (): number => {
    optimizer.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    loss.backward();
    optimizer.step();
    return loss.item() as number;
  };

  it('a composite op frees its intermediates when it returns', () => {
    for (const op of [() => lossFn.forward(x.narrow(1, 0, 10), y), () => x.std(1), () => x.logsumexp(1)]) {
      const before = w.memory().liveStorages;
      const out = op();
      expect(w.memory().liveStorages - before, op.toString()).toBe(1);
      out.dispose();
    }
  });

  it('backward frees every tensor it made except the gradients it hands out', () => {
    optimizer.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    const before = w.memory().liveStorages;
    loss.backward();
    // one new storage per parameter: its .grad
    expect(w.memory().liveStorages).toBe(before + [...model.parameters()].length);
  });

  it('steps inside scope() keep the live storages and the heap flat', () => {
    for (let i = 0; i < 5; i++) scope(step);
    const settled = w.memory();
    let last = 0;
    for (let i = 0; i < 200; i++) last = scope(step);
    const after = w.memory();
    expect(after.liveStorages).toBe(settled.liveStorages);
    expect(after.bytesInUse).toBe(settled.bytesInUse);
    expect(after.heapBytes).toBe(settled.heapBytes);
    expect(Number.isFinite(last)).toBe(true);
  });
});
