import {
  arange,
  cat,
  cumprod,
  cumsum,
  type DifferentiableOpName,
  expand,
  flip,
  full,
  indexSelect,
  logcumsumexp,
  ones,
  scatterAdd,
  type Tensor,
  where,
  zerosLike,
} from '@gd/tensor';
import { reducedCount, restoreDims } from './reduce-util.js';
import { type BackwardContext, type Rule, rule } from './rule.js';

interface ReduceAttrs {
  dim: number[];
  keepdim: boolean;
  full?: boolean;
}
interface DimAttrs {
  dim: number;
  keepdim: boolean;
}

const shapeOf = (c: BackwardContext<unknown>): readonly number[] => c.inputMeta[0]!.shape;

/** amax/amin: the gradient is shared evenly among the elements equal to the extreme. */
function extremeRule(name: string): Rule<ReduceAttrs> {
  return rule<ReduceAttrs>({
    name,
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => {
      const { dim, keepdim } = c.attrs;
      const x = c.inputs[0]!;
      const mask = x.eq(restoreDims(c.outputs[0]!, x.shape, dim, keepdim));
      const count = mask.sum(dim, true);
      return [restoreDims(g, x.shape, dim, keepdim).div(count).mul(mask)];
    },
  });
}

/** max()/min() over everything: ties split the gradient evenly (NaN results go to the NaNs). */
function fullExtremeRule(name: string): Rule<Record<string, never>> {
  return rule({
    name,
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => {
      const x = c.inputs[0]!;
      const value = c.outputs[0]!;
      const mask = Number.isNaN(value.item() as number) ? x.isnan() : x.eq(value);
      return [g.div(mask.sum()).mul(mask)];
    },
  });
}

/** Gradient of values picked along `dim` at `indices` (max/min with dim, sort, topk): scattered back. */
function scatterBack(g: Tensor, indices: Tensor, inputShape: readonly number[], dim: number, keepdim: boolean): Tensor {
  if (inputShape.length === 0) return g.reshape([]);
  const zeros = full(inputShape, 0, { dtype: g.dtype, backend: g.storage.backend });
  const idx = keepdim ? indices : indices.unsqueeze(dim);
  const src = keepdim ? g : g.unsqueeze(dim);
  return scatterAdd(zeros, dim, idx, src);
}

function valuesIndicesRule<A extends { dim: number; keepdim?: boolean }>(name: string): Rule<A> {
  return rule<A>({
    name,
    saveOutputs: [1],
    backward: (g, c) => [scatterBack(g, c.outputs[1]!, shapeOf(c), c.attrs.dim, c.attrs.keepdim ?? true)],
  });
}

/** d var/dx = 2 (x - mean) / (N - correction), reduced dims restored. */
function varGrad(g: Tensor, x: Tensor, dims: readonly number[], keepdim: boolean, correction: number): Tensor {
  const n = reducedCount(x.shape, dims);
  const centered = x.sub(x.mean(dims, true));
  return restoreDims(g, x.shape, dims, keepdim)
    .mul(2 / (n - correction))
    .mul(centered);
}

/** The indices of `dim` in reverse order, to flip a tensor along it with indexSelect. */
function reversedIndex(size: number, g: Tensor): Tensor {
  return arange(size - 1, -1, -1, { dtype: 'int64', backend: g.storage.backend });
}

/** Sum over positions j >= i along dim: the gradient of cumsum. */
function reverseCumsum(g: Tensor, dim: number): Tensor {
  if (g.dim() === 0) return g;
  const rev = reversedIndex(g.shape[dim]!, g);
  return indexSelect(cumsum(indexSelect(g, dim, rev), dim), dim, rev);
}

/**
 * Gradient of cumprod. Without zeros: reverse-cumsum(g * y) / x. With zeros that division is
 * undefined, so it uses the direct form sum_{j >= i} g_j prod_{k <= j, k != i} x_k (n^2 memory).
 */
function cumprodGrad(g: Tensor, x: Tensor, y: Tensor, dim: number): Tensor {
  if (x.dim() === 0) return g;
  if (x.eq(0).sum().item() === 0) return reverseCumsum(g.mul(y), dim).div(x);
  const n = x.shape[dim]!;
  const xt = x.movedim(dim, -1);
  const pos = arange(n, { dtype: 'int64', backend: x.storage.backend });
  const diagonal = pos.unsqueeze(1).eq(pos.unsqueeze(0));
  const upper = pos.unsqueeze(0).ge(pos.unsqueeze(1));
  const rows = xt.unsqueeze(-2).expand([...xt.shape.slice(0, -1), n, n]);
  const withoutSelf = cumprod(where(diagonal, 1, rows), -1);
  const terms = where(upper, withoutSelf.mul(g.movedim(dim, -1).unsqueeze(-2)), 0);
  return terms.sum(-1).movedim(-1, dim);
}

/** Product of the other elements of each reduction group, exact with zeros (prefix x suffix products). */
function productOfOthers(x: Tensor, dims: readonly number[]): Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const order = [...kept, ...dims];
  const n = dims.reduce((p, d) => p * x.shape[d]!, 1);
  const rows = x.permute(order).reshape([...kept.map((i) => x.shape[i]!), n]);
  const last = rows.dim() - 1;
  const one = ones([...rows.shape.slice(0, -1), 1], { dtype: x.dtype, backend: x.storage.backend });
  const exclusive = (t: Tensor) => cumprod(cat([one, t.narrow(last, 0, n - 1)], last), last);
  const others = exclusive(rows).mul(flip(exclusive(flip(rows, [last])), [last]));
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  return others.reshape(order.map((d) => x.shape[d]!)).permute(inverse);
}

/** d prod: g * prod / x without zeros; the product of the others where zeros make that 0/0. */
function prodGrad(g: Tensor, x: Tensor, result: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const gr = restoreDims(g, x.shape, dims, keepdim);
  if (dims.length === 0) return gr;
  if (x.eq(0).sum().item() === 0) return gr.mul(restoreDims(result, x.shape, dims, keepdim)).div(x);
  return gr.mul(productOfOthers(x, dims));
}

/** d norm_p (PyTorch's norm_backward): sign(x) |x|^(p-1) / norm^(p-1), 0 where the norm is 0. */
function normGrad(g: Tensor, x: Tensor, norm: Tensor, p: number, dims: readonly number[], keepdim: boolean): Tensor {
  const gr = restoreDims(g, x.shape, dims, keepdim);
  const n = restoreDims(norm, x.shape, dims, keepdim);
  if (p === 0) return zerosLike(x);
  if (p === 1) return x.sign().mul(gr);
  if (p === 2) return x.mul(where(n.eq(0), 0, gr.div(n)));
  if (p === Infinity || p === -Infinity) {
    const mask = x.abs().eq(n);
    return x.sign().mul(gr.div(mask.sum(dims, true)).mul(mask));
  }
  const scale = where(n.eq(0), 0, gr.div(n.pow(p - 1)));
  return x.mul(x.abs().pow(p - 2)).mul(scale);
}

/**
 * d logcumsumexp, stably (TensorFlow's formulation): positive and negative parts of g are
 * carried in log space through a reversed logcumsumexp.
 */
function logcumsumexpGrad(g: Tensor, x: Tensor, result: Tensor, dim: number): Tensor {
  if (x.dim() === 0) return g;
  const reversed = (t: Tensor) => flip(logcumsumexp(flip(t, [dim]), dim), [dim]);
  const part = (logG: Tensor) => reversed(logG.sub(result)).add(x).exp();
  // log 0 as the lowest finite value rather than -inf, so that no inf - inf appears (also in double backward).
  const lowest = g.dtype === 'float32' ? -3.4028234663852886e38 : -Number.MAX_VALUE;
  const logAbs = g.abs().log();
  return part(where(g.gt(0), logAbs, lowest)).sub(part(where(g.lt(0), logAbs, lowest)));
}

export const reductionRules = {
  sum: rule<ReduceAttrs>({
    name: (a) => (a.full ? 'SumBackward0' : 'SumBackward1'),
    backward: (g, c) => [expand(restoreDims(g, shapeOf(c), c.attrs.dim, c.attrs.keepdim), shapeOf(c))],
  }),
  mean: rule<ReduceAttrs>({
    name: (a) => (a.full ? 'MeanBackward0' : 'MeanBackward1'),
    backward: (g, c) => {
      const shape = shapeOf(c);
      return [expand(restoreDims(g, shape, c.attrs.dim, c.attrs.keepdim).div(reducedCount(shape, c.attrs.dim)), shape)];
    },
  }),
  amax: extremeRule('AmaxBackward0'),
  amin: extremeRule('AminBackward0'),
  max: fullExtremeRule('MaxBackward1'),
  min: fullExtremeRule('MinBackward1'),
  maxDim: valuesIndicesRule<DimAttrs>('MaxBackward0'),
  minDim: valuesIndicesRule<DimAttrs>('MinBackward0'),
  sort: valuesIndicesRule<{ dim: number }>('SortBackward0'),
  topk: valuesIndicesRule<{ dim: number }>('TopkBackward0'),
  logsumexp: rule<ReduceAttrs>({
    name: 'LogsumexpBackward0',
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => {
      const { dim, keepdim } = c.attrs;
      const x = c.inputs[0]!;
      return [restoreDims(g, x.shape, dim, keepdim).mul(x.sub(restoreDims(c.outputs[0]!, x.shape, dim, keepdim)).exp())];
    },
  }),
  var: rule<ReduceAttrs & { correction: number }>({
    name: 'VarBackward0',
    saveInputs: [0],
    backward: (g, c) => [varGrad(g, c.inputs[0]!, c.attrs.dim, c.attrs.keepdim, c.attrs.correction)],
  }),
  std: rule<ReduceAttrs & { correction: number }>({
    name: 'StdBackward0',
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => {
      const std = c.outputs[0]!;
      // d std = d var / (2 std); where std is 0 PyTorch gives 0 rather than NaN.
      const gVar = where(std.eq(0), 0, g.div(std.mul(2)));
      return [varGrad(gVar, c.inputs[0]!, c.attrs.dim, c.attrs.keepdim, c.attrs.correction)];
    },
  }),
  prod: rule<ReduceAttrs>({
    name: (a, inputs) => (!a.keepdim && a.dim.length === inputs[0]!.dim() ? 'ProdBackward0' : 'ProdBackward1'),
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => [prodGrad(g, c.inputs[0]!, c.outputs[0]!, c.attrs.dim, c.attrs.keepdim)],
  }),
  nansum: rule<ReduceAttrs>({
    name: 'NansumBackward0',
    saveInputs: [0],
    backward: (g, c) => {
      const x = c.inputs[0]!;
      return [where(x.isnan(), 0, restoreDims(g, x.shape, c.attrs.dim, c.attrs.keepdim))];
    },
  }),
  norm: rule<ReduceAttrs & { p: number }>({
    name: 'NormBackward1',
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => [normGrad(g, c.inputs[0]!, c.outputs[0]!, c.attrs.p, c.attrs.dim, c.attrs.keepdim)],
  }),
  logcumsumexp: rule<{ dim: number }>({
    name: 'LogcumsumexpBackward0',
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => [logcumsumexpGrad(g, c.inputs[0]!, c.outputs[0]!, c.attrs.dim)],
  }),
  cummax: valuesIndicesRule<{ dim: number }>('CummaxBackward0'),
  cummin: valuesIndicesRule<{ dim: number }>('CumminBackward0'),
  kthvalue: valuesIndicesRule<DimAttrs>('KthvalueBackward0'),
  cumsum: rule<{ dim: number }>({ name: 'CumsumBackward0', backward: (g, c) => [reverseCumsum(g, c.attrs.dim)] }),
  cumprod: rule<{ dim: number }>({
    name: 'CumprodBackward0',
    saveInputs: [0],
    saveOutputs: [0],
    backward: (g, c) => [cumprodGrad(g, c.inputs[0]!, c.outputs[0]!, c.attrs.dim)],
  }),
} satisfies Partial<Record<DifferentiableOpName, Rule>>;
