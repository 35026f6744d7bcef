import { type Attrs, isFloatingPoint, OP_NAMES, type OpCall, RuntimeError, type Tensor } from '@gd/tensor';
import { anomaly, forwardTrace } from './anomaly.js';
import { ruleFor, type TensorMeta } from './derivatives/index.js';
import { type Edge, metaAmong, needsGradFor, OpNode } from './node.js';
import { saveAt } from './saved-tensor.js';
import { gradientEdge, markViewCurrent } from './tensor-meta.js';

/**
 * The edge of an input that needs no gradient: PyTorch shows it as `(None, 0)`. Not frozen: a
 * frozen array has elements of another kind, which would make every edge read in the engine polymorphic.
 */
export const NO_EDGE: Edge = [null, 0];

/**
 * The interceptor @gd/autograd installs into dispatch: when grad mode is on and an input
 * requires grad, it adds a node for the op to the graph and makes it the outputs' gradFn.
 * Installed with `onlyRecordable`, so dispatch calls it only then.
 */
export function recordOp(call: OpCall): void {
  // An op handing back one of its inputs unchanged gets no node of its own.
  recordNode(call.op, call.inputs, call.attrs, call.outputs, true);
}

/** Marks an output that gets history while the node's metas are worked out. */
const PENDING: TensorMeta = Object.freeze({ shape: [], dtype: 'float32', device: '' });

/** A call of an op without a derivative rule: fine for a non-differentiable built-in op, else PyTorch's error. */
function withoutRule(op: string): void {
  if ((OP_NAMES as Record<string, boolean>)[op] === false) return;
  throw new RuntimeError(`the derivative for '${op}' is not implemented.`);
}

/**
 * Adds the node of `op` (its derivative rule applied to this call) as the gradFn of its floating
 * outputs (except, with `skipInputs`, outputs that are one of the inputs handed back).
 *
 * This runs for every recorded op, and V8 inlines at most 920 bytecode bytes of callees into one
 * function: the small steps are written out here rather than called, so that the node's
 * constructors (OpNode and GradNode's super call) and saveAt still fit (W1: 5% fewer instructions).
 */
export function recordNode(
  op: string,
  inputs: readonly (Tensor | null)[],
  attrs: Attrs,
  outputs: readonly Tensor[],
  skipInputs = false,
): void {
  const rule = ruleFor(op);
  if (rule === undefined) return withoutRule(op);
  const n = inputs.length;
  const outputCount = outputs.length;
  // Which outputs get history, noted in outputMeta (their metas are filled in below, after the inputs'):
  // not integer outputs (indices), nor, with skipInputs, an input handed back.
  const outputMeta = new Array<TensorMeta | null>(outputCount);
  let differentiable = false;
  for (let i = 0; i < outputCount; i++) {
    const o = outputs[i]!;
    let has = isFloatingPoint(o.dtype);
    if (has && skipInputs) for (let k = 0; k < n; k++) if (inputs[k] === o) has = false;
    outputMeta[i] = has ? PENDING : null;
    if (has) differentiable = true;
  }
  if (!differentiable) return;
  const edges = new Array<Edge>(n);
  const inputMeta = new Array<TensorMeta | null>(n);
  // Bit i: input i needs a gradient (needsGradFor reads it for nodes of up to four inputs).
  let needs = 0;
  for (let i = 0; i < n; i++) {
    const t = inputs[i];
    if (!t) {
      edges[i] = NO_EDGE;
      inputMeta[i] = null;
      continue;
    }
    const edge = gradientEdge(t);
    if (edge === null) {
      edges[i] = NO_EDGE;
      inputMeta[i] = metaAmong(t, inputMeta, i);
      continue;
    }
    edges[i] = edge;
    needs |= 1 << i;
    // The producer (or accumulator) at the other end already has a meta for this tensor.
    const known = edge[0].outputMeta[edge[1]];
    inputMeta[i] =
      known && known.shape === t.shape && known.dtype === t.dtype && known.device === t.storage.backend.name
        ? known
        : metaAmong(t, inputMeta, i);
  }
  for (let i = 0; i < outputCount; i++) if (outputMeta[i] === PENDING) outputMeta[i] = metaAmong(outputs[i]!, inputMeta, n);
  const name = typeof rule.name === 'string' ? rule.name : rule.name(attrs, inputs);
  const node = new OpNode(
    name,
    rule,
    attrs,
    edges,
    needsGradFor(edges, needs),
    inputMeta,
    outputMeta,
    saveAt(inputs, rule.saveInputs),
    saveAt(outputs, rule.saveOutputs, name),
  );
  if (anomaly.enabled) node.forwardTrace = forwardTrace();
  for (let i = 0; i < outputCount; i++) {
    const o = outputs[i]!;
    if (outputMeta[i] === null) continue;
    o._setHistory(node, i);
    if (o._base !== null) markViewCurrent(o);
  }
}
