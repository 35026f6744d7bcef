import { type DifferentiableOpName, logicalAnd, type Tensor, where, zerosLike } from '@gd/tensor';
import { type BackwardContext, type Rule, rule } from './rule.js';

/** attrs of a binary op: `a` or `b` holds the operand that was a number. */
interface BinaryAttrs {
  a?: number;
  b?: number;
  alpha?: number;
}
type Operand = Tensor | number;

/** The i-th operand of a binary op: the saved tensor or the number from attrs. */
function operand(ctx: BackwardContext<BinaryAttrs>, i: 0 | 1): Operand {
  return ctx.inputs[i] ?? (i === 0 ? ctx.attrs.a : ctx.attrs.b)!;
}
const mulBy = (g: Tensor, v: Operand): Tensor => g.mul(v);
const LN2 = Math.LN2;
const LN10 = Math.LN10;

/** A binary rule: `da`/`db` give each operand's gradient, computed only when that input needs one. */
function binary(
  name: Rule<BinaryAttrs>['name'],
  saveInputs: readonly number[],
  da: (g: Tensor, a: Operand, b: Operand, ctx: BackwardContext<BinaryAttrs>) => Tensor,
  db: (g: Tensor, a: Operand, b: Operand, ctx: BackwardContext<BinaryAttrs>) => Tensor,
  saveOutputs?: readonly number[],
): Rule<BinaryAttrs> {
  // Decided once per rule, not per backward call.
  const readsA = saveInputs.includes(0);
  const readsB = saveInputs.includes(1);
  return rule<BinaryAttrs>({
    name,
    saveInputs,
    saveOutputs,
    backward: (g, ctx) => {
      const a = readsA ? operand(ctx, 0) : 0;
      const b = readsB ? operand(ctx, 1) : 0;
      return [ctx.needsGrad[0] ? da(g, a, b, ctx) : null, ctx.needsGrad[1] ? db(g, a, b, ctx) : null];
    },
  });
}

/** A unary rule reading the input x. */
const fromInput = (name: string, f: (g: Tensor, x: Tensor) => Tensor): Rule =>
  rule({ name, saveInputs: [0], backward: (g, c) => [f(g, c.inputs[0]!)] });
/** A unary rule reading the result y. */
const fromResult = (name: string, f: (g: Tensor, y: Tensor) => Tensor): Rule =>
  rule({ name, saveOutputs: [0], backward: (g, c) => [f(g, c.outputs[0]!)] });
/** Piecewise-constant functions: zero gradient almost everywhere (PyTorch's convention). */
const flat = (name: string): Rule => rule({ name, backward: (g) => [zerosLike(g)] });
const asTensor = (v: Operand, like: Tensor): Tensor => (typeof v === 'number' ? zerosLike(like).add(v) : v);

function maxMinRule(name: string, loses: (x: Tensor, other: Tensor) => Tensor): Rule<BinaryAttrs> {
  // Ties give each side half of the gradient; the losing side gets none.
  const share = (g: Tensor, x: Tensor, other: Tensor) => where(loses(x, other), 0, where(x.eq(other), g.mul(0.5), g));
  return binary(
    name,
    [0, 1],
    (g, a, b) => share(g, a as Tensor, b as Tensor),
    (g, a, b) => share(g, b as Tensor, a as Tensor),
  );
}

function fmaxMinRule(name: string, wins: (x: Tensor, other: Tensor) => Tensor): Rule<BinaryAttrs> {
  // fmax/fmin ignore NaN: the gradient goes to the operand that was picked.
  const aPicked = (a: Tensor, b: Tensor) => wins(a, b).logicalOr(b.isnan());
  return binary(
    name,
    [0, 1],
    (g, a, b) => where(aPicked(a as Tensor, b as Tensor), g, 0),
    (g, a, b) => where(aPicked(a as Tensor, b as Tensor), 0, g),
  );
}

export const elementwiseRules = {
  add: binary(
    'AddBackward0',
    [],
    (g) => g,
    (g, _a, _b, c) => (c.attrs.alpha === undefined || c.attrs.alpha === 1 ? g : g.mul(c.attrs.alpha)),
  ),
  sub: binary(
    (attrs) => (attrs.a !== undefined ? 'RsubBackward1' : 'SubBackward0'),
    [],
    (g) => g,
    (g, _a, _b, c) => g.mul(-(c.attrs.alpha ?? 1)),
  ),
  mul: binary(
    'MulBackward0',
    [0, 1],
    (g, _a, b) => mulBy(g, b),
    (g, a) => mulBy(g, a),
  ),
  div: binary(
    (attrs) => (attrs.a !== undefined ? 'MulBackward0' : 'DivBackward0'),
    [0, 1],
    (g, _a, b) => g.div(b),
    (g, a, b) =>
      g
        .neg()
        .mul(a)
        .div((b as Tensor).mul(b)),
  ),
  pow: binary(
    (attrs) => (attrs.b !== undefined ? 'PowBackward0' : attrs.a !== undefined ? 'PowBackward2' : 'PowBackward1'),
    [0, 1],
    (g, a, b) => {
      const x = a as Tensor;
      if (typeof b === 'number') return b === 0 ? zerosLike(g) : g.mul((b === 2 ? x : x.pow(b - 1)).mul(b));
      return where(b.eq(0), 0, g.mul(x.pow(b.sub(1)).mul(b)));
    },
    (g, a, b, c) => {
      const result = c.outputs[0]!;
      if (typeof a === 'number')
        return a === 0 ? where((b as Tensor).ge(0), 0, g.mul(result.mul(Math.log(a)))) : g.mul(result.mul(Math.log(a)));
      return g.mul(where(logicalAnd(a.eq(0), (b as Tensor).ge(0)), 0, result.mul(a.log())));
    },
    [0],
  ),
  maximum: maxMinRule('MaximumBackward0', (x, other) => x.lt(other)),
  minimum: maxMinRule('MinimumBackward0', (x, other) => x.gt(other)),
  fmax: fmaxMinRule('FmaxBackward0', (a, b) => a.ge(b)),
  fmin: fmaxMinRule('FminBackward0', (a, b) => a.le(b)),
  atan2: binary(
    'Atan2Backward0',
    [0, 1],
    (g, a, b) => g.mul(b).div((a as Tensor).square().add((b as Tensor).square())),
    (g, a, b) => g.mul((a as Tensor).neg()).div((a as Tensor).square().add((b as Tensor).square())),
  ),
  remainder: binary(
    (attrs) => (attrs.b !== undefined ? 'RemainderBackward0' : 'RemainderBackward1'),
    [0, 1],
    (g) => g,
    (g, a, b) => g.neg().mul(asTensor(a, b as Tensor).div(b, { roundingMode: 'floor' })),
  ),
  fmod: binary(
    (attrs) => (attrs.b !== undefined ? 'FmodBackward0' : 'FmodBackward1'),
    [0, 1],
    (g) => g,
    (g, a, b) => g.neg().mul(asTensor(a, b as Tensor).div(b, { roundingMode: 'trunc' })),
  ),
  hypot: binary(
    'HypotBackward0',
    [0, 1],
    (g, a, _b, c) => g.mul(a).div(c.outputs[0]!),
    (g, _a, b, c) => g.mul(b).div(c.outputs[0]!),
    [0],
  ),
  xlogy: binary(
    (attrs) => (attrs.a !== undefined ? 'XlogyBackward2' : attrs.b !== undefined ? 'XlogyBackward1' : 'XlogyBackward0'),
    [0, 1],
    (g, a, b) => {
      const x = a as Tensor;
      const y = asTensor(b, x);
      return where(logicalAnd(x.eq(0), y.le(0)), 0, g.mul(y.log()));
    },
    (g, a, b) => g.mul(a).div(b),
  ),

  neg: rule({ name: 'NegBackward0', backward: (g) => [g.neg()] }),
  abs: fromInput('AbsBackward0', (g, x) => g.mul(x.sign())),
  sign: flat('SignBackward0'),
  exp: fromResult('ExpBackward0', (g, y) => g.mul(y)),
  expm1: fromResult('Expm1Backward0', (g, y) => g.mul(y.add(1))),
  exp2: fromResult('Exp2Backward0', (g, y) => g.mul(y.mul(LN2))),
  log: fromInput('LogBackward0', (g, x) => g.div(x)),
  log1p: fromInput('Log1PBackward0', (g, x) => g.div(x.add(1))),
  log2: fromInput('Log2Backward0', (g, x) => g.div(x.mul(LN2))),
  log10: fromInput('Log10Backward0', (g, x) => g.div(x.mul(LN10))),
  sqrt: fromResult('SqrtBackward0', (g, y) => g.div(y.mul(2))),
  rsqrt: fromResult('RsqrtBackward0', (g, y) => g.mul(-0.5).mul(y.pow(3))),
  reciprocal: fromResult('ReciprocalBackward0', (g, y) => g.neg().mul(y.mul(y))),
  square: fromInput('PowBackward0', (g, x) => g.mul(x.mul(2))),
  sin: fromInput('SinBackward0', (g, x) => g.mul(x.cos())),
  cos: fromInput('CosBackward0', (g, x) => g.mul(x.sin().neg())),
  tan: fromResult('TanBackward0', (g, y) => g.mul(y.square().add(1))),
  asin: fromInput('AsinBackward0', (g, x) => g.mul(x.square().neg().add(1).rsqrt())),
  acos: fromInput('AcosBackward0', (g, x) => g.neg().mul(x.square().neg().add(1).rsqrt())),
  atan: fromInput('AtanBackward0', (g, x) => g.div(x.square().add(1))),
  sinh: fromInput('SinhBackward0', (g, x) => g.mul(x.cosh())),
  cosh: fromInput('CoshBackward0', (g, x) => g.mul(x.sinh())),
  tanh: fromResult('TanhBackward0', (g, y) => g.mul(y.square().neg().add(1))),
  asinh: fromInput('AsinhBackward0', (g, x) => g.mul(x.square().add(1).rsqrt())),
  acosh: fromInput('AcoshBackward0', (g, x) => g.mul(x.square().sub(1).rsqrt())),
  atanh: fromInput('AtanhBackward0', (g, x) => g.div(x.square().neg().add(1))),
  sigmoid: fromResult('SigmoidBackward0', (g, y) => g.mul(y.neg().add(1).mul(y))),
  relu: fromResult('ReluBackward0', (g, y) => where(y.gt(0), g, 0)),
  floor: flat('FloorBackward0'),
  ceil: flat('CeilBackward0'),
  round: flat('RoundBackward0'),
  trunc: flat('TruncBackward0'),
  frac: rule({ name: 'FracBackward0', backward: (g) => [g] }),
  erf: fromInput('ErfBackward0', (g, x) =>
    g.mul(
      x
        .square()
        .neg()
        .exp()
        .mul(2 / Math.sqrt(Math.PI)),
    ),
  ),
  erfc: fromInput('ErfcBackward0', (g, x) =>
    g.mul(
      x
        .square()
        .neg()
        .exp()
        .mul(-2 / Math.sqrt(Math.PI)),
    ),
  ),
  erfinv: fromResult('ErfinvBackward0', (g, y) =>
    g.mul(
      y
        .square()
        .exp()
        .mul(Math.sqrt(Math.PI) / 2),
    ),
  ),
  nanToNum: fromInput('NanToNumBackward0', (g, x) => where(x.isfinite(), g, 0)),
  clamp: rule<{ min: number | null; max: number | null }>({
    name: 'ClampBackward1',
    saveInputs: [0],
    backward: (g, { inputs, attrs: { min, max } }) => {
      const x = inputs[0]!;
      // The gradient passes where min <= x <= max (both ends included, as in PyTorch).
      const inside = min !== null && max !== null ? x.ge(min).logicalAnd(x.le(max)) : min !== null ? x.ge(min) : x.le(max!);
      return [where(inside, g, 0)];
    },
  }),
  where: rule({
    name: 'WhereBackward0',
    saveInputs: [0],
    backward: (g, { inputs, needsGrad }) => {
      const cond = inputs[0]!;
      return [null, needsGrad[1] ? where(cond, g, 0) : null, needsGrad[2] ? where(cond, 0, g) : null];
    },
  }),
  addcmul: rule<{ value: number }>({
    name: 'AddcmulBackward0',
    saveInputs: [1, 2],
    backward: (g, { inputs: [, t1, t2], attrs: { value }, needsGrad }) => [
      g,
      needsGrad[1] ? g.mul(t2!).mul(value) : null,
      needsGrad[2] ? g.mul(t1!).mul(value) : null,
    ],
  }),
  addcdiv: rule<{ value: number }>({
    name: 'AddcdivBackward0',
    saveInputs: [1, 2],
    backward: (g, { inputs: [, t1, t2], attrs: { value }, needsGrad }) => [
      g,
      needsGrad[1] ? g.mul(value).div(t2!) : null,
      needsGrad[2] ? g.neg().mul(value).mul(t1!).div(t2!.mul(t2!)) : null,
    ],
  }),
  lerp: rule<{ weight?: number }>({
    name: (a) => (a.weight === undefined ? 'LerpBackward1' : 'LerpBackward0'),
    saveInputs: [0, 1, 2],
    backward: (g, { inputs: [start, end, w], attrs, needsGrad }) => {
      const weight = w ?? attrs.weight!;
      return [
        needsGrad[0] ? g.mul(typeof weight === 'number' ? 1 - weight : weight.neg().add(1)) : null,
        needsGrad[1] ? g.mul(weight) : null,
        needsGrad[2] ? g.mul(end!.sub(start!)) : null,
      ];
    },
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
