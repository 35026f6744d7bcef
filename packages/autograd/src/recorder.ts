import { type Attrs, isGradEnabled, OP_NAMES, type OpCall, RuntimeError, type Tensor } from '@gd/tensor';
import { anomaly, forwardTrace } from './anomaly.js';
import { ruleFor, type TensorMeta } from './derivatives/index.js';
import { type Edge, inputMetaOf, metaOf, OpNode } from './node.js';
import { saveAt } from './saved-tensor.js';
import { gradientEdge, markViewCurrent } from './tensor-meta.js';

/** The edge of an input that needs no gradient: PyTorch shows it as `(None, 0)`. */
export const NO_EDGE: Edge = Object.freeze([null, 0] as const);

function needsRecording(inputs: readonly (Tensor | null)[]): boolean {
  if (!isGradEnabled()) return false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]?.requiresGrad) return true;
  return false;
}

/**
 * The interceptor @gd/autograd installs into dispatch: when grad mode is on and an input
 * requires grad, it adds a node for the op to the graph and makes it the outputs' gradFn.
 */
export function recordOp(call: OpCall): void {
  const inputs = call.inputs;
  if (!needsRecording(inputs)) return;
  // An op handing back one of its inputs unchanged gets no node of its own.
  recordNode(call.op, inputs, call.attrs, call.outputs, true);
}

/**
 * Adds the node of `op` (its derivative rule applied to this call) as the gradFn of its floating
 * outputs (except, with `skipInputs`, outputs that are one of the inputs handed back).
 */
export function recordNode(
  op: string,
  inputs: readonly (Tensor | null)[],
  attrs: Attrs,
  outputs: readonly Tensor[],
  skipInputs = false,
): void {
  const rule = ruleFor(op);
  if (rule === undefined) {
    if ((OP_NAMES as Record<string, boolean>)[op] === false) return;
    throw new RuntimeError(`the derivative for '${op}' is not implemented.`);
  }
  const outputMeta = new Array<TensorMeta | null>(outputs.length);
  let differentiable = false;
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i]!;
    // Integer outputs (indices) get no history.
    const ok = o.isFloatingPoint() && !(skipInputs && inputs.includes(o));
    outputMeta[i] = ok ? metaOf(o) : null;
    differentiable ||= ok;
  }
  if (!differentiable) return;
  const n = inputs.length;
  const edges = new Array<Edge>(n);
  const inputMeta = new Array<TensorMeta | null>(n);
  for (let i = 0; i < n; i++) {
    const t = inputs[i];
    const edge = t ? gradientEdge(t) : null;
    edges[i] = edge ?? NO_EDGE;
    inputMeta[i] = t ? inputMetaOf(t, edge) : null;
  }
  const name = typeof rule.name === 'string' ? rule.name : rule.name(attrs, inputs);
  const node = new OpNode(
    name,
    rule,
    attrs,
    edges,
    inputMeta,
    outputMeta,
    saveAt(inputs, rule.saveInputs),
    saveAt(outputs, rule.saveOutputs, name),
  );
  if (anomaly.enabled) node.forwardTrace = forwardTrace();
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i]!;
    if (outputMeta[i] === null) continue;
    o._setHistory(node, i);
    if (o._base !== null) markViewCurrent(o);
  }
}
