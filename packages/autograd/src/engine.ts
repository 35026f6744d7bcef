import {
  emptyTensorLike,
  formatShape,
  full,
  isExpandableTo,
  isGradEnabled,
  keep,
  RuntimeError,
  scalarTypeName,
  scope,
  setGradEnabled,
  shapesEqual,
  type Tensor,
} from '@gd/tensor';
import { anomaly, checkForNan } from './anomaly.js';
import type { TensorMeta } from './derivatives/rule.js';
import { AccumulateGrad, type GradNode, type OutputHooks, type TensorHook, unsharedGrads } from './node.js';
import { gradientEdge } from './tensor-meta.js';
import { nullSlots } from './slots.js';
import { sumToShape } from './unbroadcast.js';

export interface EngineOptions {
  readonly retainGraph: boolean;
  readonly createGraph: boolean;
  /** The tensors to compute gradients for; null: every leaf the outputs depend on. */
  readonly inputs: readonly Tensor[] | null;
  /** grad(): return the inputs' gradients instead of accumulating them into `.grad`. */
  readonly capture: boolean;
  readonly allowUnused: boolean;
}

/** Where a requested input's gradient arrives: output `outputNr` of a node. */
interface Target {
  readonly tensor: Tensor;
  readonly outputNr: number;
  readonly slot: number;
}

/**
 * Runs the backward pass from `outputs` (PyTorch's engine, single-threaded): counts each node's
 * dependencies, then runs a node once all the gradients it waits for have arrived, later nodes
 * first. Returns the captured gradients of `inputs` in capture mode.
 */
export function runBackward(outputs: readonly Tensor[], gradOutputs: readonly (Tensor | null)[], o: EngineOptions): (Tensor | null)[] {
  const rootEdges = new Array<readonly [GradNode, number]>(outputs.length);
  let externalMemory = false;
  for (let i = 0; i < outputs.length; i++) {
    const t = outputs[i]!;
    const e = gradientEdge(t);
    if (e === null) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    rootEdges[i] = e;
    if (t.storage.backend.externalMemory === true) externalMemory = true;
  }
  const targets = o.inputs === null ? null : targetsOf(o.inputs, o.capture);
  // Without createGraph nothing made during backward outlives it but the gradients handed out
  // (kept by the .grad setter, returned by grad(), or passed to hooks): free the rest now.
  if (externalMemory && !o.createGraph) return scope(() => runFromRoots(outputs, gradOutputs, rootEdges, targets, o));
  return runFromRoots(outputs, gradOutputs, rootEdges, targets, o);
}

function runFromRoots(
  outputs: readonly Tensor[],
  gradOutputs: readonly (Tensor | null)[],
  rootEdges: readonly (readonly [GradNode, number])[],
  targets: Map<GradNode, Target[]> | null,
  o: EngineOptions,
): (Tensor | null)[] {
  const rootGrads = new Array<Tensor>(outputs.length);
  for (let i = 0; i < outputs.length; i++) rootGrads[i] = initialGrad(outputs[i]!, gradOutputs[i] ?? null, i);
  // withGradMode without its closure: the pass records only under createGraph.
  const prev = isGradEnabled();
  setGradEnabled(o.createGraph);
  try {
    return execute(rootEdges, rootGrads, targets, o);
  } finally {
    setGradEnabled(prev);
  }
}

function initialGrad(t: Tensor, g: Tensor | null, i: number): Tensor {
  if (g === null) {
    if (t.numel() !== 1) throw new RuntimeError('grad can be implicitly created only for scalar outputs');
    const backend = t.storage.backend;
    const one = emptyTensorLike(t, t.dtype, backend, true);
    backend.fill(one, 1);
    return one;
  }
  if (!shapesEqual(g.shape, t.shape)) {
    throw new RuntimeError(
      `Mismatch in shape: grad_output[${i}] has a shape of torch.Size(${formatShape(g.shape)}) and output[${i}] has a shape of torch.Size(${formatShape(t.shape)}).`,
    );
  }
  return g.dtype === t.dtype ? g : g.to(t.dtype);
}

function targetsOf(inputs: readonly Tensor[], capture: boolean): Map<GradNode, Target[]> {
  const targets = new Map<GradNode, Target[]>();
  inputs.forEach((t, slot) => {
    const e = gradientEdge(t);
    if (e === null) {
      throw new RuntimeError(
        capture
          ? 'One of the differentiated Tensors does not require grad'
          : 'element 0 of tensors does not require grad and does not have a grad_fn',
      );
    }
    const list = targets.get(e[0]);
    const target = { tensor: t, outputNr: e[1], slot };
    if (list) list.push(target);
    else targets.set(e[0], [target]);
  });
  return targets;
}

function execute(
  rootEdges: readonly (readonly [GradNode, number])[],
  rootGrads: readonly Tensor[],
  targets: Map<GradNode, Target[]> | null,
  o: EngineOptions,
): (Tensor | null)[] {
  const nodes = discover(rootEdges, targets);
  const captured = o.inputs ? nullSlots<Tensor>(o.inputs.length) : [];
  try {
    const ready = new ReadyQueue();
    for (let i = 0; i < rootEdges.length; i++) addToBuffer(rootEdges[i]![0], rootEdges[i]![1], rootGrads[i]!);
    for (let i = 0; i < rootEdges.length; i++) {
      const root = rootEdges[i]![0];
      if (root._deps === 0 && root._needed && root._buffer !== null && !ready.has(root)) ready.push(root);
    }

    while (ready.size > 0) {
      const node = ready.pop();
      const grads = node._buffer ?? nullSlots<Tensor>(node.outputMeta.length);
      node._buffer = null;
      if (node.outputHooks !== null) runOutputHooks(node.outputHooks, grads);
      const hit = targets?.get(node);
      if (hit) for (const t of hit) deliverToTarget(t, grads[t.outputNr] ?? null, captured, o.capture);

      const edges = node.nextFunctions;
      const runs = targets === null || (node instanceof AccumulateGrad ? !o.capture && hit !== undefined : hasNeededChild(edges));
      if (!runs) continue;
      const inputGrads = anyDefined(grads) ? applyNode(node, grads) : null;
      if (!o.retainGraph) node.release();
      for (let i = 0; i < edges.length; i++) {
        const edge = edges[i]!;
        const child = edge[0];
        if (child === null || !child._needed) continue;
        const g = inputGrads?.[i];
        if (g) addToBuffer(child, edge[1], conform(node, i, g));
        if (--child._deps === 0) ready.push(child);
      }
    }
  } finally {
    for (const n of nodes) {
      n._buffer = null;
      n._run = 0;
    }
  }

  if (o.capture && !o.allowUnused && captured.some((g) => g === null)) {
    throw new RuntimeError(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
    );
  }
  return captured;
}

/**
 * Finds the graph reachable from the roots and sets each node's dependency count: how many
 * edges of the executed graph point at it. With targets, only nodes from which a target can be
 * reached are `_needed` (the others are not run), and only edges between those count.
 */
function discover(rootEdges: readonly (readonly [GradNode, number])[], targets: Map<GradNode, Target[]> | null): GradNode[] {
  const run = ++lastRun;
  const needed = targets === null;
  const nodes: GradNode[] = [];
  for (let i = 0; i < rootEdges.length; i++) {
    const root = rootEdges[i]![0];
    if (root._run !== run) visit(root, run, needed, nodes);
  }
  for (let k = 0; k < nodes.length; k++) {
    const edges = nodes[k]!.nextFunctions;
    for (let i = 0; i < edges.length; i++) {
      const child = edges[i]![0];
      if (child === null) continue;
      if (child._run !== run) visit(child, run, needed, nodes);
      child._deps++;
    }
  }
  if (targets === null) return nodes;

  // Walk up from the targets: a node is needed when one of its inputs leads to a target.
  const parents = new Map<GradNode, GradNode[]>();
  for (const n of nodes) {
    for (const [child] of n.nextFunctions) {
      if (child === null) continue;
      const p = parents.get(child);
      if (p) p.push(n);
      else parents.set(child, [n]);
    }
  }
  const up: GradNode[] = [];
  for (const t of targets.keys()) {
    if (t._run === run && !t._needed) {
      t._needed = true;
      up.push(t);
    }
  }
  while (up.length > 0) {
    for (const p of parents.get(up.pop()!) ?? []) {
      if (!p._needed) {
        p._needed = true;
        up.push(p);
      }
    }
  }
  for (const n of nodes) {
    n._deps = 0;
    for (const p of parents.get(n) ?? []) if (p._needed) n._deps++;
  }
  return nodes;
}

/** The id of the latest backward run: discover() marks the nodes it reaches with it. */
let lastRun = 0;

function visit(n: GradNode, run: number, needed: boolean, nodes: GradNode[]): void {
  n._run = run;
  n._deps = 0;
  n._buffer = null;
  n._needed = needed;
  nodes.push(n);
}

function hasNeededChild(edges: GradNode['nextFunctions']): boolean {
  for (let i = 0; i < edges.length; i++) if (edges[i]![0]?._needed) return true;
  return false;
}

function anyDefined(grads: readonly (Tensor | null)[]): boolean {
  for (let i = 0; i < grads.length; i++) if (grads[i] !== null) return true;
  return false;
}

function applyNode(node: GradNode, grads: (Tensor | null)[]): readonly (Tensor | null | undefined)[] {
  // A node with several differentiable outputs sees zeros for the ones that got no gradient.
  for (let i = 0; i < grads.length; i++) {
    const meta = node.outputMeta[i];
    if (grads[i] === null && meta) grads[i] = zerosOf(meta);
  }
  const out = node.apply(grads);
  if (anomaly.enabled) checkForNan(node.name, out, node.forwardTrace);
  return out;
}

function zerosOf(meta: TensorMeta): Tensor {
  return full(meta.shape, 0, { dtype: meta.dtype, backend: meta.device });
}

function addToBuffer(node: GradNode, nr: number, g: Tensor): void {
  let b = node._buffer;
  if (b === null) {
    b = nullSlots<Tensor>(node.outputMeta.length);
    node._buffer = b;
  }
  const prev = b[nr];
  if (prev) {
    const sum = prev.add(g);
    unsharedGrads.add(sum);
    b[nr] = sum;
  } else b[nr] = g;
}

/** Checks a gradient a node returned against its input, summing it back over broadcast dims. */
function conform(node: GradNode, i: number, g: Tensor): Tensor {
  const meta = node.inputMeta[i];
  if (!meta) return g;
  let r = g;
  if (!shapesEqual(r.shape, meta.shape)) {
    if (!isExpandableTo(meta.shape, r.shape)) {
      throw new RuntimeError(
        `Function ${node.name} returned an invalid gradient at index ${i} - got ${formatShape(g.shape)} but expected shape compatible with ${formatShape(meta.shape)}`,
      );
    }
    r = sumToShape(r, meta.shape);
  }
  if (r.dtype !== meta.dtype) r = r.to(meta.dtype);
  if (r.device !== meta.device) r = r.to(meta.device);
  return r;
}

function runOutputHooks(all: readonly (OutputHooks | undefined)[], grads: (Tensor | null)[]): void {
  for (let i = 0; i < all.length; i++) {
    const h = all[i];
    let g = grads[i];
    if (!h || !g) continue;
    for (const hook of h.hooks.slice()) g = applyHook(hook, g);
    grads[i] = g;
    if (h.retained) accumulateInto(h.retained, g);
  }
}

function applyHook(hook: TensorHook, g: Tensor): Tensor {
  // A hook may hold on to the gradient it sees.
  unsharedGrads.delete(g);
  const r = hook(keep(g));
  if (r === undefined || r === null) return g;
  keep(r);
  const name = hook.name || '<anonymous>';
  if (!shapesEqual(r.shape, g.shape)) throw new RuntimeError(`hook '${name}' has changed the size of value`);
  if (r.dtype !== g.dtype) {
    throw new RuntimeError(
      `hook '${name}' has changed the type of value (was torch.${scalarTypeName(g.dtype)}Tensor got torch.${scalarTypeName(r.dtype)}Tensor)`,
    );
  }
  return r;
}

/** `.grad` of a non-leaf (retainGrad, or backward's `inputs`): a fresh tensor, then sums. */
function accumulateInto(t: Tensor, g: Tensor): void {
  t._setComputedGrad(t.grad !== null ? t.grad.add(g) : isGradEnabled() ? g.clone() : g.detach().clone());
}

function deliverToTarget(t: Target, g: Tensor | null, captured: (Tensor | null)[], capture: boolean): void {
  if (g === null) return;
  if (capture) {
    const prev = captured[t.slot];
    captured[t.slot] = prev ? prev.add(g) : g;
  } else if (!t.tensor.isLeaf) accumulateInto(t.tensor, g);
}

/** Nodes whose gradients are complete, highest sequence number (latest created) first. */
class ReadyQueue {
  private readonly heap: GradNode[] = [];

  get size(): number {
    return this.heap.length;
  }

  has(n: GradNode): boolean {
    return this.heap.includes(n);
  }

  push(n: GradNode): void {
    const h = this.heap;
    let i = h.push(n) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.sequenceNr >= n.sequenceNr) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = n;
  }

  pop(): GradNode {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && h[l + 1]!.sequenceNr > h[l]!.sequenceNr ? l + 1 : l;
        if (h[c]!.sequenceNr <= last.sequenceNr) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
