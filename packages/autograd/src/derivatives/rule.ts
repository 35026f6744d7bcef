import type { DType, Tensor } from '@gd/tensor';

/** Shape, dtype and backend of a tensor as it was at forward time (kept even when the tensor is not saved). */
export interface TensorMeta {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: string;
}

/** What a backward formula sees when its node runs. */
export interface BackwardContext<A = Record<string, unknown>> {
  /** The op's attrs, exactly as the forward passed them to dispatch. */
  readonly attrs: A;
  /** Gradient for every output (zeros for a floating output that received none; null for integer outputs). */
  readonly grads: readonly (Tensor | null)[];
  /** Inputs listed in the rule's `saveInputs`, checked against in-place changes; null at other positions. */
  readonly inputs: readonly (Tensor | null)[];
  /** Outputs listed in the rule's `saveOutputs`, checked the same way; null at other positions. */
  readonly outputs: readonly (Tensor | null)[];
  /** Shape and dtype of each input at forward time; null for an absent input or a number operand. */
  readonly inputMeta: readonly (TensorMeta | null)[];
  /** Whether input i needs a gradient, so a formula can skip the others. */
  readonly needsGrad: readonly boolean[];
}

/**
 * The derivative of one op. Formulas are written with public ops, so they run on every backend
 * and, under `createGraph`, are themselves recorded (higher-order gradients come for free).
 */
// biome-ignore lint/suspicious/noExplicitAny: the table holds rules of every attrs type; each rule reads its own
export interface Rule<A = any> {
  /** PyTorch's node name (`MulBackward0`), or a function choosing it from the call (`MeanBackward0/1`). */
  readonly name: string | ((attrs: A, inputs: readonly (Tensor | null)[]) => string);
  /** Positions of the inputs the formula reads; only these are kept alive until backward. */
  readonly saveInputs?: readonly number[];
  /** Positions of the outputs the formula reads. */
  readonly saveOutputs?: readonly number[];
  /**
   * One gradient per input, in input order (null or undefined where an input gets none). `grad`
   * is `ctx.grads[0]`, the only one for single-output ops. Returned gradients need not have the
   * input's shape when they broadcast to it: the engine sums them back (see unbroadcast.ts).
   */
  readonly backward: (grad: Tensor, ctx: BackwardContext<A>) => readonly (Tensor | null | undefined)[];
}

/** Declares a rule with typed attrs: `rule<{ dim: number[] }>({ ... })`. */
export function rule<A>(r: Rule<A>): Rule<A> {
  return r;
}
