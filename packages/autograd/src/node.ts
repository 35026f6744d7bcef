import { isGradEnabled, RuntimeError, type GradFn, type Tensor } from '@gd/tensor';
import type { BackwardContext, Rule, TensorMeta } from './derivatives/rule.js';
import { FREED_GRAPH_MESSAGE, type SavedTensor, unpackAll } from './saved-tensor.js';

/** Where a gradient goes: input `index` of `node` (null node: the input needs no gradient). */
export type Edge = readonly [GradNode | null, number];

export type TensorHook = (grad: Tensor) => Tensor | void;

/** Hooks registered through one output tensor of a node (`t.registerHook`, `t.retainGrad()`). */
export interface OutputHooks {
  readonly hooks: TensorHook[];
  /** The non-leaf tensor whose `.grad` is filled in (retainGrad), if any. */
  retained: Tensor | null;
}

let nextSequenceNr = 0;

/**
 * A node of the backward graph. Its `nextFunctions` point at the nodes of its inputs, so the
 * graph is reachable from outputs only: once the last output tensor is dropped, the whole graph
 * can be garbage collected.
 */
export abstract class GradNode implements GradFn {
  // Fields are declared and assigned in the constructor rather than initialized as class fields:
  // V8 defines class fields one by one, which made every recorded op markedly slower.
  abstract readonly name: string;
  /** Creation order; the engine runs later nodes first among those that are ready, as PyTorch does. */
  declare readonly sequenceNr: number;
  declare outputHooks: (OutputHooks | undefined)[] | null;
  /** Stack of the forward call that made this node (anomaly mode only). */
  declare forwardTrace: Error | undefined;
  /** Whether each input needs a gradient (its edge leads somewhere). */
  declare readonly needsGrad: readonly boolean[];
  declare readonly nextFunctions: readonly Edge[];
  /** Shape and dtype of each input, to check (and sum back) the gradients this node returns. */
  declare readonly inputMeta: readonly (TensorMeta | null)[];
  /** Shape and dtype of each output; null for an output without gradient (integer outputs). */
  declare readonly outputMeta: readonly (TensorMeta | null)[];

  // Bookkeeping of the backward run in progress (engine.ts), kept on the node to avoid maps.
  /** The id of the run these fields belong to (0: none). */
  declare _run: number;
  /** Gradients still to arrive from the nodes that use this one's outputs. */
  declare _deps: number;
  /** Gradients received so far, one slot per output. */
  declare _buffer: (Tensor | null)[] | null;
  /** Whether the run executes this node (false for nodes that lead to no requested input). */
  declare _needed: boolean;

  /** The edge into output 0 (most nodes have no other), then those into the others. */
  declare private edge0: Edge | null;
  declare private otherEdges: Edge[] | null;

  /** `needsGrad`: whether each edge leads somewhere (needsGradOf), which a recorder knows from making them. */
  constructor(
    nextFunctions: readonly Edge[],
    needsGrad: readonly boolean[],
    inputMeta: readonly (TensorMeta | null)[],
    outputMeta: readonly (TensorMeta | null)[],
  ) {
    this.sequenceNr = nextSequenceNr++;
    this.outputHooks = null;
    this.forwardTrace = undefined;
    this.needsGrad = needsGrad;
    this.nextFunctions = nextFunctions;
    this.inputMeta = inputMeta;
    this.outputMeta = outputMeta;
    this._run = 0;
    this._deps = 0;
    this._buffer = null;
    this._needed = false;
    this.edge0 = null;
    this.otherEdges = null;
  }

  /** Input gradients (one per edge) from output gradients. */
  abstract apply(grads: readonly (Tensor | null)[]): readonly (Tensor | null | undefined)[];

  /** Drops what was saved for backward (after a backward without retainGraph). */
  release(): void {}

  /** The tensors this node keeps for backward (not version-checked: for memory bookkeeping). */
  savedTensorList(): readonly Tensor[] {
    return [];
  }

  /** The edge into output `outputNr` of this node, made once and shared by every consumer. */
  edgeTo(outputNr: number): Edge {
    // Output 0 here, the others apart: this is inlined into the recording of every op.
    return outputNr === 0 ? (this.edge0 ??= [this, 0]) : this.laterEdgeTo(outputNr);
  }

  private laterEdgeTo(outputNr: number): Edge {
    this.otherEdges ??= new Array<Edge>(this.outputMeta.length);
    return (this.otherEdges[outputNr] ??= [this, outputNr]);
  }

  hooksOf(outputNr: number): OutputHooks {
    this.outputHooks ??= [];
    let h = this.outputHooks[outputNr];
    if (!h) {
      h = { hooks: [], retained: null };
      this.outputHooks[outputNr] = h;
    }
    return h;
  }

  toString(): string {
    return `<${this.name}>`;
  }
}

/**
 * Shared needsGrad arrays of nodes with up to four inputs, indexed by [count][bit mask of inputs
 * needing grad]. Not frozen: TurboFan reads a frozen array's elements through the generic keyed
 * load builtin, which every rule's `ctx.needsGrad[i]` paid (W1: about 700 instructions per epoch).
 */
const SHARED_NEEDS_GRAD: (readonly boolean[])[][] = [0, 1, 2, 3, 4].map((n) =>
  Array.from({ length: 1 << n }, (_, mask) => Array.from({ length: n }, (_, i) => (mask & (1 << i)) !== 0)),
);

/** Whether each edge leads somewhere; nodes of few inputs share one array per pattern. */
export function needsGradOf(edges: readonly Edge[]): readonly boolean[] {
  let mask = 0;
  for (let i = 0; i < edges.length; i++) if (edges[i]![0] !== null) mask |= 1 << i;
  return needsGradFor(edges, mask);
}

/** needsGradOf for a caller that worked out `mask` (bit i: edge i leads somewhere; read for up to four edges) while making them. */
export function needsGradFor(edges: readonly Edge[], mask: number): readonly boolean[] {
  return edges.length < SHARED_NEEDS_GRAD.length ? SHARED_NEEDS_GRAD[edges.length]![mask]! : needsGradList(edges);
}

function needsGradList(edges: readonly Edge[]): readonly boolean[] {
  const n = edges.length;
  const needs = new Array<boolean>(n);
  for (let i = 0; i < n; i++) needs[i] = edges[i]![0] !== null;
  return needs;
}

export function metaOf(t: Tensor): TensorMeta {
  return { shape: t.shape, dtype: t.dtype, device: t.device };
}

/**
 * The meta of `t` for a node being recorded: one of `candidates` (the metas of the node's other
 * tensors, `count` of them) when it has the same shape array, dtype and device, as nodes only read
 * metas; else a new one. Outputs share their operands' shape arrays, so identity finds most
 * matches without comparing shapes element by element.
 */
export function metaAmong(t: Tensor, candidates: readonly (TensorMeta | null)[], count: number): TensorMeta {
  const shape = t.shape;
  const dtype = t.dtype;
  const device = t.storage.backend.name;
  for (let i = 0; i < count; i++) {
    const m = candidates[i];
    if (m && m.shape === shape && m.dtype === dtype && m.device === device) return m;
  }
  return metaOf(t);
}

/**
 * Gradients the engine summed for one input (engine.ts addToBuffer) that nothing else has seen: no
 * other node, hook or caller holds them, so AccumulateGrad may keep one as `.grad` without a copy.
 */
export const unsharedGrads = new WeakSet<Tensor>();

/** What AccumulateGrad returns: a leaf has no inputs to pass gradients to. */
const NO_INPUT_GRADS: readonly Tensor[] = Object.freeze([]);

const NO_NEEDS_GRAD = needsGradFor([], 0);

/** The node for a leaf that requires grad: it adds incoming gradients into `variable.grad`. */
export class AccumulateGrad extends GradNode {
  readonly name = 'AccumulateGrad';

  constructor(readonly variable: Tensor) {
    super([], NO_NEEDS_GRAD, [], [metaOf(variable)]);
  }

  apply(grads: readonly (Tensor | null)[]): readonly Tensor[] {
    const g = grads[0];
    if (!g) return NO_INPUT_GRADS;
    const v = this.variable;
    if (isGradEnabled()) {
      // createGraph: keep the gradient differentiable.
      v._setComputedGrad(v.grad === null ? g.clone() : v.grad.add(g));
    } else if (v.grad === null) {
      // A sum the engine made for this leaf alone is adopted, as PyTorch steals an unshared gradient.
      v._setComputedGrad(unsharedGrads.has(g) && g.isContiguous() ? g : g.detach().clone());
    } else {
      v.grad.add_(g);
    }
    return NO_INPUT_GRADS;
  }
}

/** A recorded op: its derivative rule, attrs and saved tensors. */
export class OpNode extends GradNode {
  // Declared, not class fields (see GradNode).
  declare readonly name: string;
  declare private readonly rule: Rule;
  declare private readonly attrs: unknown;
  declare private savedInputs: (SavedTensor | null)[] | null;
  declare private savedOutputs: (SavedTensor | null)[] | null;
  declare private released: boolean;

  constructor(
    name: string,
    rule: Rule,
    attrs: unknown,
    nextFunctions: readonly Edge[],
    needsGrad: readonly boolean[],
    inputMeta: readonly (TensorMeta | null)[],
    outputMeta: readonly (TensorMeta | null)[],
    savedInputs: (SavedTensor | null)[] | null,
    savedOutputs: (SavedTensor | null)[] | null,
  ) {
    super(nextFunctions, needsGrad, inputMeta, outputMeta);
    this.name = name;
    this.rule = rule;
    this.attrs = attrs;
    this.savedInputs = savedInputs;
    this.savedOutputs = savedOutputs;
    this.released = false;
  }

  apply(grads: readonly (Tensor | null)[]): readonly (Tensor | null | undefined)[] {
    if (this.released) throw new RuntimeError(FREED_GRAPH_MESSAGE);
    const ctx: BackwardContext = {
      attrs: this.attrs as Record<string, unknown>,
      grads,
      inputs: unpackAll(this.savedInputs, this.nextFunctions.length),
      outputs: unpackAll(this.savedOutputs, this.outputMeta.length),
      inputMeta: this.inputMeta,
      needsGrad: this.needsGrad,
    };
    return this.rule.backward(grads[0]!, ctx);
  }

  override savedTensorList(): readonly Tensor[] {
    const out: Tensor[] = [];
    for (const s of [this.savedInputs, this.savedOutputs]) if (s) for (const t of s) if (t) out.push(t.tensor);
    return out;
  }

  override release(): void {
    // A node that saved nothing can run again, as in PyTorch (AddBackward0 keeps working).
    if (this.savedInputs === null && this.savedOutputs === null) return;
    this.savedInputs = null;
    this.savedOutputs = null;
    this.released = true;
  }
}
