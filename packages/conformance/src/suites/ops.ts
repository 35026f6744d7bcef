import '@gd/autograd';
import * as gd from '@gd/tensor';
import { Tensor } from '@gd/tensor';
import { actualOf, compareTensor, type Tolerance } from '../compare.js';
import { type FixtureArg, type GoldenCase, parseArg, parseTensor, toTensor } from '../fixtures.js';
import { type GoldenArg as Arg, type GoldenOpAdapter as OpRunner, goldenOpAdapter } from '../registry.js';
import { describeError, runCase, type Suite } from '../suite.js';

type Attrs = Readonly<Record<string, unknown>>;

/** Thrown when gd lacks the function or method a golden op maps to. */
class MissingApi extends Error {
  override name = 'MissingApi';
}

/** Calls the @gd/tensor function `name` (looked up at run time, so a missing op fails only its cases). */
function call(name: string, ...args: unknown[]): unknown {
  const f = (gd as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new MissingApi(`@gd/tensor exports no function '${name}'`);
  return f(...args);
}

/** `x.name(...args)`, or `name(x, ...args)` from @gd/tensor when Tensor has no such method: PyTorch offers both spellings. */
function method(x: Arg, name: string, ...args: unknown[]): unknown {
  const m = (x as unknown as Record<string, unknown>)[name];
  if (typeof m === 'function') return m.apply(x, args);
  if (typeof (gd as unknown as Record<string, unknown>)[name] === 'function') return call(name, x, ...args);
  throw new MissingApi(`Tensor has no method '${name}' and @gd/tensor no function '${name}'`);
}

/** x.max(dim) returns values and indices (as a pair or a { values, indices } object); the fixtures hold the values. */
function valuesOf(result: unknown): unknown {
  if (Array.isArray(result)) return result[0];
  if (result !== null && typeof result === 'object' && 'values' in result) return result.values;
  return result;
}

const positional =
  (name: string): OpRunner =>
  (args) =>
    call(name, ...args);
const withAlpha =
  (name: string): OpRunner =>
  ([a, b], { alpha }) =>
    alpha === undefined ? call(name, a, b) : call(name, a, b, { alpha });
/** Reductions take dim and keepdim (and var/std's unbiased or correction) in one options object, which every gd spelling accepts. */
const reduction =
  (name: string): OpRunner =>
  ([x], attrs) =>
    method(x!, name, attrs);
const indexReduction =
  (name: string): OpRunner =>
  ([x], { dim, keepdim }) =>
    method(x!, name, dim, keepdim);
const extremum =
  (name: string): OpRunner =>
  ([x], { dim, keepdim }) =>
    dim === null ? method(x!, name) : valuesOf(method(x!, name, dim, keepdim));
/** A loss: (input, target, options) where the optional tensor inputs after target travel in the options under `tensorKeys`. */
const loss =
  (name: string, tensorKeys: readonly string[] = []): OpRunner =>
  ([input, target, ...optional], attrs) => {
    const options: Record<string, unknown> = { ...attrs };
    tensorKeys.forEach((key, i) => {
      if (optional[i] !== undefined && optional[i] !== null) options[key] = optional[i];
    });
    return call(name, input, target, options);
  };

/**
 * Each golden op (PyTorch's name) as a gd call, in PyTorch's argument order: Tensor methods where
 * PyTorch users write methods (reductions, views), functions elsewhere, and a trailing options
 * object for what PyTorch takes by keyword.
 */
const OPS: Readonly<Record<string, OpRunner>> = {
  add: withAlpha('add'),
  sub: withAlpha('sub'),
  ...Object.fromEntries(
    ['mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'matmul', 'mm', 'bmm'].map((n) => [n, positional(n)]),
  ),
  ...Object.fromEntries(
    ['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu'].map((n) => [n, positional(n)]),
  ),
  leaky_relu: ([x], { negativeSlope }) => call('leakyRelu', x, negativeSlope),
  gelu: ([x], { approximate }) => call('gelu', x, { approximate }),
  softplus: ([x], { beta, threshold }) => call('softplus', x, beta, threshold),
  clamp: ([x], { min, max }) => call('clamp', x, min, max),
  where: positional('where'),
  linear: positional('linear'),
  sum: reduction('sum'),
  mean: reduction('mean'),
  amax: reduction('amax'),
  amin: reduction('amin'),
  logsumexp: reduction('logsumexp'),
  argmax: indexReduction('argmax'),
  argmin: indexReduction('argmin'),
  var: reduction('var'),
  std: reduction('std'),
  max: extremum('max'),
  min: extremum('min'),
  softmax: ([x], { dim }) => method(x!, 'softmax', dim),
  log_softmax: ([x], { dim }) => method(x!, 'logSoftmax', dim),
  reshape: ([x], { shape }) => method(x!, 'reshape', shape),
  transpose: ([x], { dim0, dim1 }) => method(x!, 'transpose', dim0, dim1),
  permute: ([x], { dims }) => method(x!, 'permute', dims),
  unsqueeze: ([x], { dim }) => method(x!, 'unsqueeze', dim),
  squeeze: ([x], { dim }) => (dim === null ? method(x!, 'squeeze') : method(x!, 'squeeze', dim)),
  expand: ([x], { size }) => method(x!, 'expand', size),
  slice: ([x], { dim, start, end, step }) => method(x!, 'slice', dim, start, end, step),
  cat: ([tensors], { dim }) => call('cat', tensors, dim),
  stack: ([tensors], { dim }) => call('stack', tensors, dim),
  index_select: ([x, index], { dim }) => call('indexSelect', x, dim, index),
  gather: ([x, index], { dim }) => call('gather', x, dim, index),
  mse_loss: loss('mseLoss'),
  l1_loss: loss('l1Loss'),
  smooth_l1_loss: loss('smoothL1Loss'),
  huber_loss: loss('huberLoss'),
  binary_cross_entropy: loss('binaryCrossEntropy', ['weight']),
  binary_cross_entropy_with_logits: loss('binaryCrossEntropyWithLogits', ['weight', 'posWeight']),
  cross_entropy: loss('crossEntropy', ['weight']),
  nll_loss: loss('nllLoss', ['weight']),
};

function toArg(a: FixtureArg): Arg {
  switch (a.kind) {
    case 'tensor':
      return toTensor(a.tensor);
    case 'scalar':
      return a.value;
    case 'tensors':
      return a.tensors.map(toTensor);
    case 'absent':
      return null;
  }
}

/** Compares the gradient accumulated in `leaf` with a fixture grad (null: none expected). */
function compareGrad(leaf: Tensor, expected: unknown, tol: Tolerance): string | null {
  if (expected === null) return null;
  if (leaf.grad === null) return 'no gradient (grad is null)';
  return compareTensor(actualOf(leaf.grad), parseTensor(expected), tol);
}

function gradFailures(args: readonly Arg[], grads: readonly unknown[], tol: Tolerance): string[] {
  const failures: string[] = [];
  grads.forEach((expected, i) => {
    const arg = args[i];
    if (expected === null) return;
    if (Array.isArray(arg)) {
      const list = (expected as { tensors: unknown[] }).tensors;
      list.forEach((g, j) => {
        const f = compareGrad(arg[j]!, g, tol);
        if (f) failures.push(`grad of input ${i}[${j}]: ${f}`);
      });
    } else if (arg instanceof Tensor) {
      const f = compareGrad(arg, expected, tol);
      if (f) failures.push(`grad of input ${i}: ${f}`);
    } else failures.push(`grad of input ${i}: the fixture has a grad for a non-tensor input`);
  });
  return failures;
}

/** output.backward(gradOutput), then every input's grad; a throwing backward is reported here so the forward's verdict still shows. */
function backwardFailures(out: Tensor, args: readonly Arg[], c: GoldenCase): string[] {
  try {
    out.backward(toTensor(parseTensor(c.gradOutput)));
  } catch (err) {
    return [`backward threw ${describeError(err)}`];
  }
  return gradFailures(args, c.grads as unknown[], c);
}

function checkOpCase(c: GoldenCase): string | null {
  const op = String(c.op);
  const runner = OPS[op] ?? goldenOpAdapter(op);
  if (!runner) return `unknown op '${op}': the conformance runner has no mapping for it`;
  const args = (c.inputs as unknown[]).map((raw) => toArg(parseArg(raw)));
  const out = runner(args, c.attrs as Attrs);
  if (!(out instanceof Tensor)) return `${op} returned ${Object.prototype.toString.call(out)}, not a Tensor`;
  const failures: string[] = [];
  const outputFailure = compareTensor(actualOf(out), parseTensor(c.output), c);
  if (outputFailure) failures.push(`output: ${outputFailure}`);
  if (c.gradOutput !== null && c.gradOutput !== undefined) failures.push(...backwardFailures(out, args, c));
  return failures.length > 0 ? failures.join('; ') : null;
}

/** ops.json: each op's output and, through output.backward(gradOutput), its inputs' gradients. */
export const runOpsSuite: Suite = (cases) => cases.map((c) => runCase(c.id, () => checkOpCase(c)));
