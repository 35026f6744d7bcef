import { isGradEnabled, RuntimeError, type Tensor, withGradMode } from '@gd/tensor';
import { anomaly, forwardTrace } from './anomaly.js';
import type { TensorMeta } from './derivatives/rule.js';
import { type Edge, GradNode, metaOf, needsGradOf } from './node.js';
import { NO_EDGE } from './recorder.js';
import { FREED_GRAPH_MESSAGE, SavedTensor } from './saved-tensor.js';
import { gradientEdge } from './tensor-meta.js';

/** The `ctx` of a custom Function: what forward leaves for backward. */
export class FunctionCtx {
  /** For each forward argument, whether it is a tensor that requires grad. */
  needsInputGrad: boolean[] = [];
  private saved: SavedTensor[] | null = [];
  private freed = false;
  /** Anything else forward wants to pass on (`ctx.k = 3`). */
  [key: string]: unknown;

  /** Keeps tensors for backward; they are checked against in-place changes when read back. */
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors.map((t) => new SavedTensor(t));
  }

  get savedTensors(): Tensor[] {
    if (this.freed || this.saved === null) throw new RuntimeError(FREED_GRAPH_MESSAGE);
    return this.saved.map((s) => s.unpack());
  }

  /** The saved tensors without version checks, for memory bookkeeping. */
  _savedList(): readonly Tensor[] {
    return this.saved?.map((s) => s.tensor) ?? [];
  }

  /** Frees the saved tensors (after a backward without retainGraph). */
  _release(): void {
    if (this.saved !== null && this.saved.length > 0) this.freed = true;
    this.saved = null;
  }
}

type FunctionClass = {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: subclasses declare their own forward parameters
  forward(ctx: FunctionCtx, ...args: any[]): Tensor | Tensor[];
  backward(ctx: FunctionCtx, ...grads: Tensor[]): Tensor | null | undefined | readonly (Tensor | null | undefined)[];
};

/** The graph node of one call of a custom Function: `<ClassName>Backward`. */
class FunctionNode extends GradNode {
  readonly name: string;

  constructor(
    private readonly fn: FunctionClass,
    private readonly ctx: FunctionCtx,
    private readonly argCount: number,
    edges: readonly Edge[],
    inputMeta: readonly (TensorMeta | null)[],
    outputMeta: readonly (TensorMeta | null)[],
  ) {
    super(edges, needsGradOf(edges), inputMeta, outputMeta);
    this.name = `${fn.name}Backward`;
  }

  override apply(grads: readonly (Tensor | null)[]): readonly (Tensor | null | undefined)[] {
    const raw = this.fn.backward(this.ctx, ...(grads as Tensor[]));
    const out = Array.isArray(raw) ? (raw as readonly (Tensor | null | undefined)[]) : [raw as Tensor | null | undefined];
    if (out.length !== this.argCount) {
      throw new RuntimeError(
        `function ${this.name} returned an incorrect number of gradients (expected ${this.argCount}, got ${out.length})`,
      );
    }
    return out;
  }

  override savedTensorList(): readonly Tensor[] {
    return this.ctx._savedList();
  }

  override release(): void {
    this.ctx._release();
  }
}

/**
 * torch.autograd.Function: subclass with static `forward(ctx, ...args)` and
 * `backward(ctx, ...grads)` (one gradient per forward argument, null for non-tensors), then call
 * `MyFn.apply(...args)`. forward runs without recording; its outputs get a `MyFnBackward` node.
 */
export class Function {
  static forward(_ctx: FunctionCtx, ..._args: unknown[]): Tensor | Tensor[] {
    throw new RuntimeError('You must implement the forward function for custom autograd.Function.');
  }

  static backward(_ctx: FunctionCtx, ..._grads: Tensor[]): Tensor | null | undefined | readonly (Tensor | null | undefined)[] {
    throw new RuntimeError(
      'You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.',
    );
  }

  static apply<T extends Tensor | Tensor[]>(this: FunctionClass, ...args: unknown[]): T {
    const ctx = new FunctionCtx();
    const isTensorArg = (a: unknown): a is Tensor => typeof a === 'object' && a !== null && 'storage' in a && 'requiresGrad' in a;
    ctx.needsInputGrad = args.map((a) => isTensorArg(a) && a.requiresGrad);
    const record = isGradEnabled() && ctx.needsInputGrad.some(Boolean);
    const result = withGradMode(false, () => this.forward(ctx, ...args));
    if (!record) return result as T;
    const outputs = (Array.isArray(result) ? result : [result]).map((o) => (args.includes(o) ? o.detach() : o));
    const edges = args.map((a) => (isTensorArg(a) ? (gradientEdge(a) ?? NO_EDGE) : NO_EDGE));
    const inputMeta = args.map((a) => (isTensorArg(a) ? metaOf(a) : null));
    const outputMeta = outputs.map((o) => (o.isFloatingPoint() ? metaOf(o) : null));
    const node = new FunctionNode(this, ctx, args.length, edges, inputMeta, outputMeta);
    if (anomaly.enabled) node.forwardTrace = forwardTrace();
    outputs.forEach((o, i) => {
      if (outputMeta[i] !== null) o._setHistory(node, i);
    });
    return (Array.isArray(result) ? outputs : outputs[0]) as T;
  }
}
