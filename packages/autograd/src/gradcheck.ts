import { fromArray, isTensor, randnLike, RuntimeError, type Tensor, ValueError } from '@gd/tensor';
import { grad } from './api.js';

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw a GradcheckError on a mismatch (default) or return false. */
  raiseException?: boolean;
}

/** torch.autograd.gradcheck's error: the Jacobians disagree. */
export class GradcheckError extends RuntimeError {
  override name = 'GradcheckError';
}

// biome-ignore lint/suspicious/noExplicitAny: any function of tensors (and other arguments) can be checked
type Fn = (...args: any[]) => Tensor | readonly Tensor[];

const outputsOf = (r: Tensor | readonly Tensor[]): Tensor[] => (isTensor(r) ? [r] : [...r]).filter((t) => t.isFloatingPoint());
const flatValues = (t: Tensor): Float64Array => Float64Array.from(t.detach().dataSync());

/** A leaf copy of t with element j moved by delta (requiring grad like t, for functions that differentiate). */
function perturbed(t: Tensor, values: Float64Array, j: number, delta: number): Tensor {
  const v = values.slice();
  v[j] = v[j]! + delta;
  return fromArray(v, t.shape, { dtype: t.dtype, backend: t.storage.backend, requiresGrad: t.requiresGrad });
}

/** Central differences: column j of each output's Jacobian w.r.t. input i, as [input element][output element]. */
function numericalJacobian(fn: Fn, args: readonly unknown[], i: number, eps: number): Float64Array[][] {
  const x = args[i] as Tensor;
  const values = flatValues(x);
  const rows: Float64Array[][] = [];
  for (let j = 0; j < values.length; j++) {
    const at = (delta: number) => {
      const a = args.slice();
      a[i] = perturbed(x, values, j, delta);
      return outputsOf(fn(...a)).map(flatValues);
    };
    const plus = at(eps);
    const minus = at(-eps);
    rows.push(plus.map((p, o) => p.map((v, k) => (v - minus[o]![k]!) / (2 * eps))));
  }
  return rows;
}

/** Row k of each output's Jacobian by backward with a one-hot gradOutput: [output][input][input element][output element]. */
function analyticalJacobian(outputs: readonly Tensor[], inputs: readonly Tensor[]): Float64Array[][][] {
  return outputs.map((out) => {
    const n = out.numel();
    const jac = inputs.map((x) => Array.from({ length: x.numel() }, () => new Float64Array(n)));
    // An output that does not require grad does not depend on the inputs: its Jacobian is zero.
    if (!out.requiresGrad) return jac;
    for (let k = 0; k < n; k++) {
      const oneHot = new Float64Array(n);
      oneHot[k] = 1;
      const gradOutput = fromArray(oneHot, out.shape, { dtype: out.dtype, backend: out.storage.backend });
      const grads = grad(out, inputs, { gradOutputs: gradOutput, retainGraph: true, allowUnused: true });
      grads.forEach((g, i) => {
        if (!g) return;
        flatValues(g).forEach((v, j) => (jac[i]![j]![k] = v));
      });
    }
    return jac;
  });
}

function close(a: number, n: number, atol: number, rtol: number): boolean {
  return Math.abs(a - n) <= atol + rtol * Math.abs(n) || (Number.isNaN(a) && Number.isNaN(n));
}

const formatJacobian = (rows: readonly Float64Array[]): string =>
  rows.map((r) => `[${Array.from(r, (v) => v.toPrecision(6)).join(', ')}]`).join('\n');

/**
 * torch.autograd.gradcheck: compares the gradients backward computes with central finite
 * differences, for every input that requires grad. Use float64 inputs: float32 differences are too
 * coarse for the default tolerances.
 */
export function gradcheck(fn: Fn, inputs: unknown, options: GradcheckOptions = {}): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  const args = Array.isArray(inputs) ? inputs : [inputs];
  const diffIdx = args.flatMap((a, i) => (isTensor(a) && a.requiresGrad ? [i] : []));
  if (diffIdx.length === 0)
    throw new ValueError('gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.');
  const outputs = outputsOf(fn(...args));
  const analytical = analyticalJacobian(
    outputs,
    diffIdx.map((i) => args[i] as Tensor),
  );
  for (let d = 0; d < diffIdx.length; d++) {
    const numerical = numericalJacobian(fn, args, diffIdx[d]!, eps);
    for (let o = 0; o < outputs.length; o++) {
      const num = numerical.map((row) => row[o]!);
      const ana = analytical[o]![d]!;
      const ok = num.every((row, j) => row.every((v, k) => close(ana[j]![k]!, v, atol, rtol)));
      if (ok) continue;
      if (!raiseException) return false;
      throw new GradcheckError(
        `Jacobian mismatch for output ${o} with respect to input ${d},\nnumerical:${formatJacobian(num)}\nanalytical:${formatJacobian(ana)}\n`,
      );
    }
  }
  return true;
}

/**
 * torch.autograd.gradgradcheck: gradcheck of the gradient itself (built with createGraph), so
 * second derivatives are checked. `gradOutputs` default to random normal tensors.
 */
export function gradgradcheck(
  fn: Fn,
  inputs: unknown,
  gradOutputs?: Tensor | readonly Tensor[] | null,
  options: GradcheckOptions = {},
): boolean {
  const args = Array.isArray(inputs) ? inputs : [inputs];
  const diffIdx = args.flatMap((a, i) => (isTensor(a) && a.requiresGrad ? [i] : []));
  const vs = gradOutputs
    ? isTensor(gradOutputs)
      ? [gradOutputs]
      : [...gradOutputs]
    : outputsOf(fn(...args)).map((o) => randnLike(o.detach()).requiresGrad_());
  const firstOrder = (...all: unknown[]): Tensor[] => {
    const xs = all.slice(0, args.length);
    const v = all.slice(args.length) as Tensor[];
    const outputs = outputsOf(fn(...xs));
    const grads = grad(
      outputs,
      diffIdx.map((i) => xs[i] as Tensor),
      { gradOutputs: v, createGraph: true, allowUnused: true },
    );
    return grads.filter((g): g is Tensor => g !== null);
  };
  return gradcheck(firstOrder, [...args, ...vs], options);
}
