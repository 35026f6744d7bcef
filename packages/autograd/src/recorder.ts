import { type Attrs, OP_NAMES, type OpCall, RuntimeError, type Tensor } from '@gd/tensor';
import { anomaly, forwardTrace } from './anomaly.js';
import { ruleFor, type TensorMeta } from './derivatives/index.js';
import { type Edge, OpNode, sharedMetaOf } from './node.js';
import { saveAt } from './saved-tensor.js';
import { nullSlots } from './slots.js';
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

/** Whether an op's output gets the op's node as history: not integer outputs (indices), nor, with `skipInputs`, an input handed back. */
function hasHistory(o: Tensor, inputs: readonly (Tensor | null)[], skipInputs: boolean): boolean {
  if (!o.isFloatingPoint()) return false;
  // A loop rather than includes(): this runs for every recorded output.
  if (skipInputs) for (let i = 0; i < inputs.length; i++) if (inputs[i] === o) return false;
  return true;
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
  // Which outputs get history, noted in outputMeta (their metas are filled in below, after the inputs').
  const outputMeta = nullSlots<TensorMeta>(outputs.length);
  let differentiable = false;
  for (let i = 0; i < outputs.length; i++) {
    if (!hasHistory(outputs[i]!, inputs, skipInputs)) continue;
    outputMeta[i] = PENDING;
    differentiable = true;
  }
  if (!differentiable) return;
  const n = inputs.length;
  const edges = new Array<Edge>(n);
  const inputMeta = new Array<TensorMeta | null>(n);
  for (let i = 0; i < n; i++) {
    const t = inputs[i];
    const edge = t ? gradientEdge(t) : null;
    edges[i] = edge ?? NO_EDGE;
    inputMeta[i] = t ? sharedMetaOf(t, edge, inputMeta, i) : null;
  }
  for (let i = 0; i < outputs.length; i++) if (outputMeta[i] === PENDING) outputMeta[i] = sharedMetaOf(outputs[i]!, null, inputMeta, n);
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
