import { backward, detectAnomaly, grad } from '@gd/autograd';
import type { WasmBackend } from '@gd/backend-wasm';
import { BatchNorm1d, Conv2d, Dropout, Embedding, LayerNorm, Linear, Module, Parameter, Sequential, clipGradNorm_, safetensors } from '@gd/nn';
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
  'add-broadcast-mismatch': (f) => () => gd.add(f.x, f.track(zeros(4))),
  'matmul-inner-mismatch': (f) => () => gd.matmul(f.x, f.x),
  'matmul-0d': (f) => {
    const s = f.track(tensor(2));
    return () => gd.matmul(s, s);
  },
  'mm-vector': (f) => () => gd.mm(f.track(zeros(3)), f.y),
  'bmm-rank': (f) => () => gd.bmm(f.x, f.y),
  'dot-rank': (f) => () => gd.dot(f.x, f.x),
  'dot-size': (f) => () => gd.dot(f.track(zeros(2)), f.track(zeros(3))),
  'view-numel': (f) => () => f.x.view(4),
  'view-noncontiguous': (f) => () => f.x.t().view(6),
  'view-two-inferred': (f) => () => f.x.view(-1, -1),
  'reshape-numel': (f) => () => f.x.reshape(4, 2),
  'transpose-dim-range': (f) => () => f.x.transpose(0, 2),
  'sum-dim-range': (f) => () => f.x.sum(5),
  'softmax-dim-range': (f) => () => f.x.softmax(-3),
  'sum-0d-dim': (f) => () => f.track(tensor(1.5)).sum(1),
  'unsqueeze-dim-range': (f) => () => f.x.unsqueeze(4),
  'expand-size': (f) => () => f.x.expand(4, 3),
  'expand-fewer-sizes': (f) => () => f.x.expand(3),
  'permute-length': (f) => () => f.x.permute(0),
  'permute-repeated': (f) => () => f.x.permute(0, 0),
  'cat-sizes': (f) => () => gd.cat([f.x, f.track(zeros(2, 4))], 0),
  'cat-empty': () => () => gd.cat([]),
  'cat-ranks': (f) => () => gd.cat([f.x, f.track(zeros(3))]),
  'stack-sizes': (f) => () => gd.stack([f.x, f.track(zeros(3, 2))]),
  'select-index-range': (f) => () => f.x.select(0, 5),
  'flatten-dims-order': (f) => () => f.x.flatten(1, 0),
  'chunk-zero': (f) => () => f.x.chunk(0),
  'repeat-fewer-dims': (f) => () => f.x.repeat(2),
  'topk-k-range': (f) => () => f.x.topk(4),
  'item-many': (f) => () => f.x.item(),
  'item-empty': (f) => () => f.track(zeros(0)).item(),
  'max-empty': (f) => () => f.track(zeros(0)).max(),
  'argmax-empty': (f) => () => f.track(zeros(0)).argmax(),
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
  'index-select-range': (f) => () => gd.indexSelect(f.x, 0, f.track(tensor([5]))),
  'index-select-float-index': (f) => () => gd.indexSelect(f.x, 0, f.track(tensor([0.0]))),
  'gather-float-index': (f) => () => gd.gather(f.x, 1, f.track(tensor([[0.0]]))),
  'gather-rank': (f) => () => gd.gather(f.x, 1, f.track(tensor([0]))),
  'inplace-int-from-float': (f) => {
    const i = f.track(tensor([1, 2]));
    return () => i.add_(1.5);
  },
  'matmul-dtypes': (f) => () => gd.matmul(f.x, f.track(zeros([3, 2], { dtype: 'float64' }))),
  'requires-grad-int': () => () => tensor([1, 2], { requiresGrad: true }),
  'mean-int': (f) => () => f.track(tensor([1, 2])).mean(),
  'neg-bool': (f) => () => f.track(tensor([true, false])).neg(),
  'sub-bool': (f) => {
    const m = f.track(tensor([true, false]));
    return () => gd.sub(m, m);
  },
  // ------------------------------------------------------------- NaN and Inf where PyTorch raises
  'bce-input-range': (f) => () => gd.binaryCrossEntropy(f.track(tensor([1.5])), f.track(tensor([1.0]))),
  'bce-input-nan': (f) => () => gd.binaryCrossEntropy(f.track(tensor([Number.NaN])), f.track(tensor([1.0]))),
  'arange-infinite': () => () => gd.arange(0, Number.POSITIVE_INFINITY),
  'normal-nan-std': (f) => () => gd.normal_(f.track(zeros(2)), 0, Number.NaN),
  'clip-grad-nonfinite': (f) => {
    const p = f.track(tensor([1.0, 2.0], { requiresGrad: true }));
    p.grad = f.track(tensor([Number.POSITIVE_INFINITY, 1.0]));
    return () => clipGradNorm_([p], 1.0, { errorIfNonfinite: true });
  },
  'dropout-nan-p': () => () => new Dropout(Number.NaN),
  'optimizer-nan-lr': (f) => () => new SGD(f.model.parameters(), { lr: Number.NaN }),
  'anomaly-nan-grad': (f) => {
    const a = f.track(tensor([-1.0, 4.0], { requiresGrad: true }));
    const out = a.sqrt().sum();
    return () => detectAnomaly(() => out.backward());
  },
  // ------------------------------------------------------------- losses
  'cross-entropy-target-range': (f) => () => gd.crossEntropy(f.x, f.track(tensor([0, 5]))),
  'nll-batch-size': (f) => () => gd.nllLoss(f.x, f.track(tensor([0, 1, 2]))),
  'mse-broadcast': (f) => () => gd.mseLoss(f.x, f.track(zeros(4))),
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
    return () => backward(out, f.track(ones(3)));
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
  'requires-grad-non-leaf': (f) => {
    const out = f.x.mul(2);
    return () => out.requiresGrad_(false);
  },
  // ------------------------------------------------------------- modules
  'linear-in-features': (f) => () => f.model.call(f.track(zeros(2, 4))),
  'linear-negative-size': () => () => new Linear(-1, 2),
  'load-state-dict-missing': (f) => () => f.model.loadStateDict({ weight: f.track(zeros(2, 3)) }),
  'load-state-dict-shape': (f) => () => f.model.loadStateDict({ weight: f.track(zeros(2, 4)), bias: f.track(zeros(2)) }),
  'register-parameter-tensor': (f) => () => f.model.registerParameter('extra', f.y as never),
  'register-parameter-dot': (f) => () => f.model.registerParameter('a.b', new Parameter(zeros(1))),
  'get-submodule-missing': (f) => () => f.model.getSubmodule('foo'),
  'conv-groups': () => () => new Conv2d(3, 4, 3, { groups: 2 }),
  'conv-input-rank': (f) => () => new Conv2d(1, 1, 1).call(f.track(zeros(3))),
  'dropout-p-range': () => () => new Dropout(1.5),
  'embedding-index-range': (f) => () => new Embedding(3, 2).call(f.track(tensor([3]))),
  'layer-norm-shape': (f) => () => new LayerNorm(4).call(f.x),
  'batch-norm-single-value': (f) => () => new BatchNorm1d(3).call(f.track(zeros(1, 3))),
  'sequential-index-range': () => () => new Sequential(new Linear(1, 1)).at(5),
  // ------------------------------------------------------------- optimizers and schedulers
  'optimizer-negative-lr': (f) => () => new Adam(f.model.parameters(), { lr: -1 }),
  'optimizer-beta-range': (f) => () => new Adam(f.model.parameters(), { betas: [1.0, 0.999] }),
  'optimizer-nesterov': (f) => () => new SGD(f.model.parameters(), { lr: 0.1, nesterov: true }),
  'optimizer-duplicate-group': (f) => () => f.opt.addParamGroup({ params: [f.model.weight] }),
  'optimizer-load-group-count': (f) => () => f.opt.loadStateDict({ state: {}, param_groups: [] } as never),
  'optimizer-load-group-size': (f) => {
    const sd = f.opt.stateDict();
    const broken = { ...sd, param_groups: [{ ...sd.param_groups[0], params: [0] }] };
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
    const small = await (await import('@gd/backend-wasm')).wasmBackend({ maxMemoryMB: 8 });
    f.heaps.push(small);
    return () => zeros([4 * 2 ** 20], { backend: small });
  },
  'wasm-heap-exhausted-in-op': async (f) => {
    const small = await (await import('@gd/backend-wasm')).wasmBackend({ maxMemoryMB: 4 });
    f.heaps.push(small);
    const a = f.track(zeros([600 * 1024], { backend: small }));
    return () => a.add(1);
  },
};

export type { Module };
