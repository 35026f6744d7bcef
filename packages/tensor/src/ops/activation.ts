import type { UnaryOp, UnaryParams } from '../backend/backend.js';
import { readArgs } from '../args.js';
import type { Attrs } from '../dispatch.js';
import { isFloatingPoint, scalarTypeName } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { abs, add, div, sub, tanh } from './arithmetic.js';
import { unary, unaryInplace } from './elementwise.js';

// torch.nn.functional's activations. Each is one recorded op (named as in the dispatch contract)
// computed by a parameterised unary kernel; `inplace: true` (or the `_` form) writes into x.

interface InplaceOption {
  inplace?: boolean;
}

/** PyTorch's refusal to run a float-only activation kernel on an integral or bool tensor. */
function checkFloat(kernelName: string, x: Tensor): void {
  if (!isFloatingPoint(x.dtype)) throw new RuntimeError(`"${kernelName}" not implemented for '${scalarTypeName(x.dtype)}'`);
}

function activation(op: string, kernel: UnaryOp, x: Tensor, inplace: boolean, params?: UnaryParams, attrs: Attrs = {}): Tensor {
  return inplace ? unaryInplace(op, kernel, x, params, attrs) : unary(op, kernel, x, params, attrs);
}

/** F.leaky_relu(input, negative_slope=0.01, inplace=False). */
export function leakyRelu(x: Tensor, negativeSlope?: number | ({ negativeSlope?: number } & InplaceOption), inplace?: boolean): Tensor {
  const a = readArgs<{ negativeSlope: number; inplace: boolean }>([negativeSlope, inplace], ['negativeSlope', 'inplace'], {
    negativeSlope: 0.01,
    inplace: false,
  });
  checkFloat('leaky_relu_cpu', x);
  return activation('leakyRelu', 'leakyRelu', x, a.inplace, { a: a.negativeSlope }, { negativeSlope: a.negativeSlope });
}
export const leakyRelu_ = (x: Tensor, negativeSlope = 0.01): Tensor => leakyRelu(x, negativeSlope, true);

/** F.gelu(input, approximate='none'): the exact erf form, or the tanh approximation. */
export function gelu(x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') throw new RuntimeError('approximate argument must be either none or tanh.');
  checkFloat('GeluKernelImpl', x);
  return unary('gelu', approximate === 'tanh' ? 'geluTanh' : 'gelu', x, undefined, { approximate });
}

/** F.softplus(input, beta=1, threshold=20): log(1 + exp(beta x)) / beta, linear where beta x > threshold. */
export function softplus(x: Tensor, beta?: number | { beta?: number; threshold?: number }, threshold?: number): Tensor {
  const a = readArgs<{ beta: number; threshold: number }>([beta, threshold], ['beta', 'threshold'], { beta: 1, threshold: 20 });
  checkFloat('softplus_cpu', x);
  return unary('softplus', 'softplus', x, { a: a.beta, b: a.threshold }, { beta: a.beta, threshold: a.threshold });
}

/** F.elu(input, alpha=1.0, inplace=False). */
export function elu(x: Tensor, alpha?: number | ({ alpha?: number } & InplaceOption), inplace?: boolean): Tensor {
  const a = readArgs<{ alpha: number; inplace: boolean }>([alpha, inplace], ['alpha', 'inplace'], { alpha: 1, inplace: false });
  checkFloat('elu_cpu', x);
  return activation('elu', 'elu', x, a.inplace, { a: a.alpha }, { alpha: a.alpha });
}
export const elu_ = (x: Tensor, alpha = 1): Tensor => elu(x, alpha, true);

/** F.selu(input, inplace=False): scale * elu(x, alpha) with the self-normalising constants. */
export function selu(x: Tensor, inplace: boolean | InplaceOption = false): Tensor {
  checkFloat('elu_cpu', x);
  return activation('selu', 'selu', x, typeof inplace === 'boolean' ? inplace : inplace.inplace === true);
}
export const selu_ = (x: Tensor): Tensor => selu(x, true);

/** F.celu(input, alpha=1.0, inplace=False): max(0, x) + min(0, alpha (exp(x / alpha) - 1)). */
export function celu(x: Tensor, alpha?: number | ({ alpha?: number } & InplaceOption), inplace?: boolean): Tensor {
  const a = readArgs<{ alpha: number; inplace: boolean }>([alpha, inplace], ['alpha', 'inplace'], { alpha: 1, inplace: false });
  if (a.alpha === 0) throw new RuntimeError('ZeroDivisionError: alpha cannot be 0 for CELU');
  checkFloat('elu_cpu', x);
  return activation('celu', 'celu', x, a.inplace, { a: a.alpha }, { alpha: a.alpha });
}
export const celu_ = (x: Tensor, alpha = 1): Tensor => celu(x, alpha, true);

/** F.silu(input, inplace=False): x * sigmoid(x). */
export function silu(x: Tensor, inplace: boolean | InplaceOption = false): Tensor {
  checkFloat('silu_cpu', x);
  return activation('silu', 'silu', x, typeof inplace === 'boolean' ? inplace : inplace.inplace === true);
}

/** F.mish(input, inplace=False): x * tanh(softplus(x)). */
export function mish(x: Tensor, inplace: boolean | InplaceOption = false): Tensor {
  checkFloat('mish_cpu', x);
  return activation('mish', 'mish', x, typeof inplace === 'boolean' ? inplace : inplace.inplace === true);
}

/** F.hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False); integral inputs stay integral. */
export function hardtanh(
  x: Tensor,
  minVal?: number | ({ minVal?: number; maxVal?: number } & InplaceOption),
  maxVal?: number,
  inplace?: boolean,
): Tensor {
  const a = readArgs<{ minVal: number; maxVal: number; inplace: boolean }>([minVal, maxVal, inplace], ['minVal', 'maxVal', 'inplace'], {
    minVal: -1,
    maxVal: 1,
    inplace: false,
  });
  if (x.dtype === 'bool') throw new RuntimeError(`"hardtanh_cpu" not implemented for 'Bool'`);
  return activation('hardtanh', 'hardtanh', x, a.inplace, { a: a.minVal, b: a.maxVal }, { minVal: a.minVal, maxVal: a.maxVal });
}
export const hardtanh_ = (x: Tensor, minVal = -1, maxVal = 1): Tensor => hardtanh(x, minVal, maxVal, true);

/** F.relu6(input, inplace=False) = hardtanh(x, 0, 6), recorded as hardtanh like PyTorch. */
export function relu6(x: Tensor, inplace: boolean | InplaceOption = false): Tensor {
  return hardtanh(x, 0, 6, typeof inplace === 'boolean' ? inplace : inplace.inplace === true);
}

/** F.hardsigmoid(input, inplace=False): relu6(x + 3) / 6. */
export function hardsigmoid(x: Tensor, inplace: boolean | InplaceOption = false): Tensor {
  checkFloat('hardsigmoid_cpu', x);
  return activation('hardsigmoid', 'hardsigmoid', x, typeof inplace === 'boolean' ? inplace : inplace.inplace === true);
}

/** F.hardswish(input, inplace=False): x * relu6(x + 3) / 6. */
export function hardswish(x: Tensor, inplace: boolean | InplaceOption = false): Tensor {
  checkFloat('hardswish_cpu', x);
  return activation('hardswish', 'hardswish', x, typeof inplace === 'boolean' ? inplace : inplace.inplace === true);
}

/** F.logsigmoid(input): log(sigmoid(x)), computed without overflow. */
export function logSigmoid(x: Tensor): Tensor {
  checkFloat('log_sigmoid_cpu', x);
  return unary('logSigmoid', 'logSigmoid', x);
}

/** F.softsign(input) = x / (1 + |x|), a composite recorded as its parts. */
export function softsign(x: Tensor): Tensor {
  return div(x, add(abs(x), 1));
}

/** F.tanhshrink(input) = x - tanh(x), a composite recorded as its parts. */
export function tanhshrink(x: Tensor): Tensor {
  return sub(x, tanh(x));
}
