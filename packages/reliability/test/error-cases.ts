import { backward, detectAnomaly, grad } from '@gd/autograd';
import { type WasmBackend, wasmBackend } from '@gd/backend-wasm';
import { BatchNorm1d, Conv2d, Dropout, Embedding, LayerNorm, Linear, Parameter, Sequential, clipGradNorm_, safetensors } from '@gd/nn';
import { Adam, OneCycleLR, SGD } from '@gd/optim';
import * as gd from '@gd/tensor';
import type { Tensor } from '@gd/tensor';

/**
 * The objects every error case may touch. A case builds what it needs (through `track`, so the
 * runner can check it afterwards) and returns the refused call; the runner snapshots everything
 * tracked, runs the call, and checks that nothing changed.
 */
export interface Fixture {
  /** float32 [2, 3] leaf that requires grad and already has a .grad */
  x: Tensor;
  /** float32 [3, 4] constant */
  y: Tensor;
  /** Linear(3, 2) whose parameters have gradients, optimized by `opt` */
  model: Linear;
  /** Adam over model.parameters(), stepped once (so it has state) */
  opt: Adam;
  /** the shared wasm backend */
  wasm: WasmBackend;
  /** float32 [2, 3] on wasm */
  wx: Tensor;
  track<T extends Tensor>(t: T): T;
  /** backends whose heap stats must stay as they were (the shared one is always checked) */
  heaps: WasmBackend[];
}

export type ErrorCase = (f: Fixture) => (() => unknown) | Promise<() => unknown>;

const { tensor, zeros, ones } = gd;

const goodSafetensors = (): Uint8Array => safetensors.save({ w: tensor([1, 2, 3]) });
const withHeader = (header: string, data: number[] = []): Uint8Array => {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
};

/** Every case of docs/errors.md, by id. */
export const CASES: Record<string, ErrorCase> = {
  // ------------------------------------------------------------- shapes and broadcasting
  'add-broadcast-mismatch': (f) => {
    const a = f.track(zeros(4));
    return () => gd.add(f.x, a);
  },
  'matmul-inner-mismatch': (f) => () => gd.matmul(f.x, f.x),
  // PyTorch's keyword form, which gd spells t.to('float64'): refused rather than read as a backend.
  'to-invalid-target': (f) => () => f.y.to({ dtype: 'float64' } as never),
  'matmul-0d': (f) => {
    const s = f.track(tensor(2));
    return () => gd.matmul(s, s);
  },
  'mm-vector': (f) => {
    const a = f.track(zeros(3));
    return () => gd.mm(a, f.y);
  },
  'bmm-rank': (f) => () => gd.bmm(f.x, f.y),
  'dot-rank': (f) => () => gd.dot(f.x, f.x),
  'dot-size': (f) => {
    const a = f.track(zeros(2));
    const b = f.track(zeros(3));
    return () => gd.dot(a, b);
  },
  'view-numel': (f) => () => f.x.view(4),
  'view-noncontiguous': (f) => () => f.x.t().view(6),
  'view-two-inferred': (f) => () => f.x.view(-1, -1),
  'reshape-numel': (f) => () => f.x.reshape(4, 2),
  'transpose-dim-range': (f) => () => f.x.transpose(0, 2),
  'sum-dim-range': (f) => () => f.x.sum(5),
  'softmax-dim-range': (f) => () => f.x.softmax(-3),
  'sum-0d-dim': (f) => {
    const a = f.track(tensor(1.5));
    return () => a.sum(1);
  },
  'unsqueeze-dim-range': (f) => () => f.x.unsqueeze(4),
  'expand-size': (f) => () => f.x.expand(4, 3),
  'expand-fewer-sizes': (f) => () => f.x.expand(3),
  'permute-length': (f) => () => f.x.permute(0),
  'permute-repeated': (f) => () => f.x.permute(0, 0),
  'cat-sizes': (f) => {
    const a = f.track(zeros(2, 4));
    return () => gd.cat([f.x, a], 0);
  },
  'cat-empty': () => () => gd.cat([]),
  'cat-ranks': (f) => {
    const a = f.track(zeros(3));
    return () => gd.cat([f.x, a]);
  },
  'stack-sizes': (f) => {
    const a = f.track(zeros(3, 2));
    return () => gd.stack([f.x, a]);
  },
  'select-index-range': (f) => () => f.x.select(0, 5),
  'select-0d': (f) => {
    const s = f.track(tensor(1.5));
    return () => s.select(0, 0);
  },
  'slice-0d': (f) => {
    const s = f.track(tensor(1.5));
    return () => gd.slice(s, 0, 0, 1);
  },
  'slice-fractional-bound': (f) => () => gd.slice(f.x, 1, 0.5, 2),
  'chunk-0d': (f) => {
    const s = f.track(tensor(1.5));
    return () => s.chunk(2);
  },
  'cat-0d': (f) => {
    const s = f.track(tensor(1.5));
    const v = f.track(zeros(2));
    return () => gd.cat([s, v]);
  },
  'flatten-dims-order': (f) => () => f.x.flatten(1, 0),
  'chunk-zero': (f) => () => f.x.chunk(0),
  'repeat-fewer-dims': (f) => () => f.x.repeat(2),
  'topk-k-range': (f) => () => f.x.topk(4),
  'item-many': (f) => () => f.x.item(),
  'item-empty': (f) => {
    const a = f.track(zeros(0));
    return () => a.item();
  },
  'max-empty': (f) => {
    const a = f.track(zeros(0));
    return () => a.max();
  },
  'argmax-empty': (f) => {
    const a = f.track(zeros(0));
    return () => a.argmax();
  },
  'zeros-negative': () => () => zeros(-1),
  'tensor-ragged': () => () => tensor([[1, 2], [3]] as never),
  'arange-zero-step': () => () => gd.arange(0, 1, 0),
  'arange-step-sign': () => () => gd.arange(0, 5, -1),
  'linspace-negative-steps': () => () => gd.linspace(0, 1, -2),
  'inplace-broadcast-output': (f) => {
    const a = f.track(zeros(2, 3));
    const b = f.track(zeros(4, 2, 3));
    return () => a.add_(b);
  },
  // ------------------------------------------------------------- indices and dtypes
  'index-select-range': (f) => {
    const a = f.track(tensor([5], { dtype: 'int64' }));
    return () => gd.indexSelect(f.x, 0, a);
  },
  'index-select-float-index': (f) => {
    const a = f.track(tensor([0.0]));
    return () => gd.indexSelect(f.x, 0, a);
  },
  'gather-float-index': (f) => {
    const a = f.track(tensor([[0.0]]));
    return () => gd.gather(f.x, 1, a);
  },
  'gather-index-size': (f) => {
    const index = f.track(zeros([2, 4], { dtype: 'int64' }));
    return () => gd.gather(f.x, 0, index);
  },
  'gather-index-range': (f) => {
    const index = f.track(tensor([[3]], { dtype: 'int64' }));
    return () => gd.gather(f.x, 1, index);
  },
  'matmul-empty-inner': (f) => {
    const a = f.track(zeros(1, 2, 0));
    const b = f.track(zeros(3, 0));
    return () => gd.matmul(a, b);
  },
  'gather-rank': (f) => {
    const a = f.track(tensor([0], { dtype: 'int64' }));
    return () => gd.gather(f.x, 1, a);
  },
  'inplace-int-from-float': (f) => {
    const i = f.track(tensor([1, 2], { dtype: 'int64' }));
    return () => i.add_(1.5);
  },
  'matmul-dtypes': (f) => {
    const a = f.track(zeros([3, 2], { dtype: 'float64' }));
    return () => gd.matmul(f.x, a);
  },
  'requires-grad-int': () => () => tensor([1, 2], { dtype: 'int64', requiresGrad: true }),
  'mean-int': (f) => {
    const a = f.track(tensor([1, 2], { dtype: 'int64' }));
    return () => a.mean();
  },
  'neg-bool': (f) => {
    const a = f.track(tensor([true, false]));
    return () => a.neg();
  },
  'sub-bool': (f) => {
    const m = f.track(tensor([true, false]));
    return () => gd.sub(m, m);
  },
  // ------------------------------------------------------------- NaN and Inf where PyTorch raises
  'bce-input-range': (f) => {
    const a = f.track(tensor([1.5]));
    const b = f.track(tensor([1.0]));
    return () => gd.binaryCrossEntropy(a, b);
  },
  'bce-input-nan': (f) => {
    const a = f.track(tensor([Number.NaN]));
    const b = f.track(tensor([1.0]));
    return () => gd.binaryCrossEntropy(a, b);
  },
  'arange-infinite': () => () => gd.arange(0, Number.POSITIVE_INFINITY),
  'normal-nan-std': (f) => {
    const a = f.track(zeros(2));
    return () => gd.normal_(a, 0, Number.NaN);
  },
  'clip-grad-nonfinite': (f) => {
    const p = f.track(tensor([1.0, 2.0], { requiresGrad: true }));
    p.grad = f.track(tensor([Number.POSITIVE_INFINITY, 1.0]));
    return () => clipGradNorm_([p], 1.0, { errorIfNonfinite: true });
  },
  'optimizer-nan-lr': (f) => () => new Adam(f.model.parameters(), { lr: Number.NaN }),
  'anomaly-nan-grad': (f) => {
    const a = f.track(tensor([-1.0, 4.0], { requiresGrad: true }));
    const out = a.sqrt().sum();
    return () => detectAnomaly(() => out.backward());
  },
  // ------------------------------------------------------------- losses
  'cross-entropy-target-range': (f) => {
    const a = f.track(tensor([0, 5], { dtype: 'int64' }));
    return () => gd.crossEntropy(f.x, a);
  },
  'nll-batch-size': (f) => {
    const a = f.track(tensor([0, 1, 2], { dtype: 'int64' }));
    return () => gd.nllLoss(f.x, a);
  },
  'mse-broadcast': (f) => {
    const a = f.track(zeros(4));
    return () => gd.mseLoss(f.x, a);
  },
  // ------------------------------------------------------------- autograd
  'backward-nonscalar': (f) => {
    const out = f.x.mul(2);
    return () => out.backward();
  },
  'backward-twice': (f) => {
    const out = f.x.exp().sum();
    out.backward();
    return () => out.backward();
  },
  'backward-no-grad-fn': (f) => {
    const out = f.track(tensor([1.0, 2.0])).sum();
    return () => out.backward();
  },
  'backward-gradient-shape': (f) => {
    const out = f.x.mul(2);
    const gradient = f.track(ones(3));
    return () => backward(out, gradient);
  },
  'grad-unused-input': (f) => {
    const other = f.track(tensor([1.0], { requiresGrad: true }));
    const out = f.x.sum();
    return () => grad(out, [other]);
  },
  'grad-input-without-grad': (f) => {
    const out = f.x.sum();
    return () => grad(out, [f.y]);
  },
  'hook-without-grad': (f) => () => f.y.registerHook((g) => g),
  'retain-grad-without-grad': (f) => () => f.y.retainGrad(),
  'inplace-leaf-requires-grad': (f) => () => f.x.add_(1),
  'inplace-saved-tensor': (f) => {
    const e = f.x.exp();
    e.mul_(2);
    const out = e.sum();
    return () => out.backward();
  },
  'inplace-unbind-output': (f) => {
    const out = f.track(f.x.mul(2));
    const [row] = out.unbind();
    return () => row!.mul_(2);
  },
  'scope-async': () => () => gd.scope(async () => gd.zeros(1)),
  'requires-grad-non-leaf': (f) => {
    const out = f.x.mul(2);
    return () => out.requiresGrad_(false);
  },
  // ------------------------------------------------------------- modules
  'linear-in-features': (f) => {
    const a = f.track(zeros(2, 4));
    return () => f.model.call(a);
  },
  'linear-negative-size': () => () => new Linear(-1, 2),
  'load-state-dict-missing': (f) => {
    const a = f.track(zeros(2, 3));
    return () => f.model.loadStateDict({ weight: a });
  },
  'load-state-dict-shape': (f) => {
    const a = f.track(zeros(2, 4));
    const b = f.track(zeros(2));
    return () => f.model.loadStateDict({ weight: a, bias: b });
  },
  'register-parameter-tensor': (f) => () => f.model.registerParameter('extra', f.y as never),
  'register-parameter-dot': (f) => () => f.model.registerParameter('a.b', new Parameter(zeros(1))),
  'get-submodule-missing': (f) => () => f.model.getSubmodule('foo'),
  'conv-groups': () => () => new Conv2d(3, 4, 3, { groups: 2 }),
  'conv-input-rank': (f) => {
    const a = f.track(zeros(3));
    return () => new Conv2d(1, 1, 1).call(a);
  },
  'dropout-p-range': () => () => new Dropout(1.5),
  'embedding-index-range': (f) => {
    const a = f.track(tensor([3], { dtype: 'int64' }));
    return () => new Embedding(3, 2).call(a);
  },
  'layer-norm-shape': (f) => () => new LayerNorm(4).call(f.x),
  'batch-norm-single-value': (f) => {
    const a = f.track(zeros(1, 3));
    return () => new BatchNorm1d(3).call(a);
  },
  'sequential-index-range': () => () => new Sequential(new Linear(1, 1)).at(5),
  // ------------------------------------------------------------- optimizers and schedulers
  'optimizer-negative-lr': (f) => () => new Adam(f.model.parameters(), { lr: -1 }),
  'optimizer-beta-range': (f) => () => new Adam(f.model.parameters(), { betas: [1.0, 0.999] }),
  'optimizer-nesterov': (f) => () => new SGD(f.model.parameters(), { lr: 0.1, nesterov: true }),
  'optimizer-duplicate-group': (f) => () => f.opt.addParamGroup({ params: [f.model.weight] }),
  'optimizer-load-group-count': (f) => () => f.opt.loadStateDict({ state: {}, paramGroups: [] } as never),
  'optimizer-load-group-size': (f) => {
    const sd = f.opt.stateDict();
    const broken = { ...sd, paramGroups: [{ ...sd.paramGroups[0]!, params: [0] }] };
    return () => f.opt.loadStateDict(broken as never);
  },
  'one-cycle-overstep': (f) => {
    const opt = new SGD([f.track(tensor([1.0], { requiresGrad: true }))], { lr: 0.1 });
    const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 1 });
    sched.step();
    return () => sched.step();
  },
  // ------------------------------------------------------------- corrupt checkpoints (safetensors)
  'safetensors-too-small': () => () => safetensors.load(new Uint8Array(4)),
  'safetensors-header-too-large': () => () => safetensors.load(goodSafetensors().slice(0, 20)),
  'safetensors-invalid-json': () => () => safetensors.load(withHeader('{"w": ')),
  'safetensors-unknown-dtype': () => () =>
    safetensors.load(withHeader('{"w":{"dtype":"Q8","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0])),
  'safetensors-data-offsets': () => () =>
    safetensors.load(withHeader('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0])),
  'safetensors-truncated-data': () => () => {
    const bytes = goodSafetensors();
    return safetensors.load(bytes.slice(0, bytes.length - 4));
  },
  // ------------------------------------------------------------- wasm backend
  'wasm-use-after-dispose': (f) => {
    const t = f.wx.clone();
    t.dispose();
    return () => t.add(1);
  },
  'wasm-read-after-dispose': (f) => {
    const t = f.wx.clone();
    t.dispose();
    return () => t.tolist();
  },
  'wasm-cpu-mix': (f) => () => gd.add(f.wx, f.x),
  'wasm-cpu-matmul': (f) => () => gd.matmul(f.wx, f.y),
  'wasm-heap-exhausted': async (f) => {
    const small = await wasmBackend({ maxMemoryMB: 8 });
    f.heaps.push(small);
    return () => zeros([4 * 2 ** 20], { backend: small });
  },
  'wasm-heap-exhausted-in-op': async (f) => {
    const small = await wasmBackend({ maxMemoryMB: 4 });
    f.heaps.push(small);
    const a = f.track(zeros([600 * 1024], { backend: small }));
    return () => a.add(1);
  },
};
