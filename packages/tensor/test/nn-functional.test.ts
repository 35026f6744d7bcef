import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  avgPool2d,
  batchNorm,
  bilinear,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  celu,
  conv1d,
  conv2d,
  convTranspose2d,
  cosineSimilarity,
  crossEntropy,
  dropout,
  dropout2d,
  elu,
  elu_,
  embedding,
  Generator,
  gelu,
  hardsigmoid,
  hardswish,
  hardtanh,
  klDiv,
  layerNorm,
  leakyRelu,
  leakyRelu_,
  linear,
  logSigmoid,
  maxPool2d,
  mish,
  mseLoss,
  nllLoss,
  oneHot,
  ones,
  pairwiseDistance,
  relu6,
  selu,
  silu,
  softsign,
  type Tensor,
  tanhshrink,
  arange,
  tensor,
  zeros,
} from '../src/index.js';
import { expectClose, fixtureTensor, type RawTensor, readCases } from './golden-cases.js';

interface FunctionalCase {
  id: string;
  inputs: RawTensor[];
  kwargs: Record<string, any>;
  output: RawTensor;
  rtol: number;
  atol: number;
}

type Run = (inputs: Tensor[], o: Record<string, any>) => Tensor;

// fixtures/functional.json (generate_functional.py): F calls the golden ops.json does not cover.
const RUNNERS: Record<string, Run> = {
  elu: ([x], o) => elu(x!, o.alpha),
  selu: ([x]) => selu(x!),
  celu: ([x], o) => celu(x!, o.alpha),
  silu: ([x]) => silu(x!),
  mish: ([x]) => mish(x!),
  hardtanh: ([x], o) => hardtanh(x!, o.minVal, o.maxVal),
  relu6: ([x]) => relu6(x!),
  hardsigmoid: ([x]) => hardsigmoid(x!),
  hardswish: ([x]) => hardswish(x!),
  logSigmoid: ([x]) => logSigmoid(x!),
  softsign: ([x]) => softsign(x!),
  tanhshrink: ([x]) => tanhshrink(x!),
  klDiv: ([i, t], o) => klDiv(i!, t!, o),
  cosineSimilarity: ([a, b], o) => cosineSimilarity(a!, b!, o),
  pairwiseDistance: ([a, b], o) => pairwiseDistance(a!, b!, o),
  bilinear: ([a, b, w, bias]) => bilinear(a!, b!, w!, bias!),
};

describe('functional ops match torch.nn.functional', () => {
  for (const c of readCases<FunctionalCase>(new URL('./fixtures/functional.json', import.meta.url))) {
    it(c.id, () => {
      const run = RUNNERS[c.id.split('/')[0]!]!;
      expectClose(run(c.inputs.map(fixtureTensor), c.kwargs), c.output, c.rtol, c.atol, c.id);
    });
  }
});

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return 'no error';
};

describe('activations', () => {
  it('refuse integral inputs with the kernel name PyTorch reports', () => {
    expect(message(() => leakyRelu(tensor([1, 2], { dtype: 'int64' })))).toBe(`RuntimeError: "leaky_relu_cpu" not implemented for 'Long'`);
    expect(message(() => gelu(tensor([1, 2], { dtype: 'int64' })))).toBe(`RuntimeError: "GeluKernelImpl" not implemented for 'Long'`);
    expect(message(() => gelu(tensor([1]), { approximate: 'erf' as never }))).toBe(
      'RuntimeError: approximate argument must be either none or tanh.',
    );
    expect(message(() => celu(tensor([1]), 0))).toBe('RuntimeError: ZeroDivisionError: alpha cannot be 0 for CELU');
  });
  it('relu6 and hardtanh keep an integral dtype', () => {
    const r = relu6(tensor([-3, 2, 9], { dtype: 'int64' }));
    expect(r.dtype).toBe('int64');
    expect(r.tolist()).toEqual([0, 2, 6]);
  });
  it('in-place forms write into their argument and bump its version', () => {
    const x = tensor([-2, 0.5]);
    const v = x.version;
    expect(leakyRelu_(x, 0.5)).toBe(x);
    expect(x.tolist()).toEqual([-1, 0.5]);
    expect(elu(x, { alpha: 1, inplace: true })).toBe(x);
    expect(x.version).toBe(v + 2);
    const y = tensor([-1]);
    elu_(y, 2);
    expect(y.item()).toBeCloseTo(2 * Math.expm1(-1), 6);
  });
});

describe('linear', () => {
  it("refuses mismatched shapes with F.linear's messages", () => {
    expect(message(() => linear(zeros(4, 3), zeros(2, 5)))).toBe('RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)');
    expect(message(() => linear(zeros(2, 4, 3), zeros(2, 5)))).toBe(
      'RuntimeError: mat1 and mat2 shapes cannot be multiplied (8x3 and 5x2)',
    );
    expect(message(() => linear(zeros(3), zeros(2, 5)))).toBe('RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3 and 5x2)');
    expect(message(() => linear(zeros(4, 3), zeros(2, 3), zeros(3)))).toBe(
      'RuntimeError: The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [4, 2].  Tensor sizes: [3]',
    );
    expect(message(() => linear(zeros(4, 3), zeros(2, 3, { dtype: 'float64' })))).toBe(
      'RuntimeError: expected scalar type Float but found Double',
    );
  });
});

describe('losses', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  it('nll and cross entropy name an out-of-range class', () => {
    const x = zeros(4, 5);
    expect(message(() => nllLoss(x, tensor([0, 1, 5, 2], { dtype: 'int64' })))).toBe('IndexError: Target 5 is out of bounds.');
    expect(message(() => crossEntropy(x, tensor([0, -3, 1, 2], { dtype: 'int64' })))).toBe('IndexError: Target -3 is out of bounds.');
    expect(message(() => nllLoss(x, tensor([0, 1, 3, 2])))).toBe('RuntimeError: expected scalar type Long but found Float');
    expect(message(() => nllLoss(x, tensor([0, 1, 3], { dtype: 'int64' })))).toBe(
      'ValueError: Expected input batch_size (4) to match target batch_size (3).',
    );
    expect(message(() => nllLoss(x, tensor([0, 1, 3, 1], { dtype: 'int64' }), { weight: ones(3) }))).toBe(
      'RuntimeError: weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [3]',
    );
    expect(message(() => nllLoss(zeros(2, 3, 4), zeros(2, 3, { dtype: 'int64' })))).toBe(
      'RuntimeError: Expected target size [2, 4], got [2, 3]',
    );
  });
  it('cross entropy checks probability targets and label smoothing like PyTorch', () => {
    const x = zeros(4, 5);
    expect(message(() => crossEntropy(x, zeros(4, 5), { ignoreIndex: 1 }))).toBe(
      'RuntimeError: ignore_index is not supported for floating point target',
    );
    expect(message(() => crossEntropy(x, zeros(4, 5, { dtype: 'int64' })))).toBe(
      'RuntimeError: Expected floating point type for target with class probabilities, got Long',
    );
    expect(message(() => crossEntropy(x, zeros(4, { dtype: 'int64' }), { labelSmoothing: 1.5 }))).toBe(
      'RuntimeError: label_smoothing must be between 0.0 and 1.0. Got: 1.5',
    );
    expect(message(() => crossEntropy(x, zeros(4, { dtype: 'int64' }), { reduction: 'avg' as never }))).toBe(
      'ValueError: avg is not a valid value for reduction',
    );
  });
  it('a mean over only ignored targets is NaN', () => {
    expect(nllLoss(zeros(2, 3), tensor([-100, -100], { dtype: 'int64' })).item()).toBeNaN();
  });
  it('binary cross entropy refuses other target sizes and inputs outside [0, 1]', () => {
    expect(message(() => binaryCrossEntropy(zeros(3, 1), zeros(3)))).toBe(
      'ValueError: Using a target size (torch.Size([3])) that is different to the input size (torch.Size([3, 1])) is deprecated. Please ensure they have the same size.',
    );
    expect(message(() => binaryCrossEntropy(tensor([1.5]), zeros(1)))).toBe(
      'RuntimeError: all elements of input should be between 0 and 1',
    );
    expect(message(() => binaryCrossEntropy(tensor([NaN]), zeros(1)))).toBe(
      'RuntimeError: all elements of input should be between 0 and 1',
    );
    expect(message(() => binaryCrossEntropyWithLogits(zeros(3, 1), zeros(3)))).toBe(
      'ValueError: Target size (torch.Size([3])) must be the same as input size (torch.Size([3, 1]))',
    );
  });
  it('mse warns about a broadcast target, as PyTorch does, and broadcasts', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const loss = mseLoss(tensor([[1], [2], [3]]), tensor([1, 2, 3]), { reduction: 'sum' });
    expect(loss.item()).toBe(12);
    expect(warn).toHaveBeenCalledWith(
      'UserWarning: Using a target size (torch.Size([3])) that is different to the input size (torch.Size([3, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
    );
  });
});

describe('convolution and pooling argument checks', () => {
  const x = zeros(2, 3, 8, 8);
  it("conv2d refuses bad shapes with PyTorch's messages", () => {
    expect(message(() => conv2d(x, zeros(4, 2, 3, 3)))).toBe(
      'RuntimeError: Given groups=1, weight of size [4, 2, 3, 3], expected input[2, 3, 8, 8] to have 2 channels, but got 3 channels instead',
    );
    expect(message(() => conv2d(zeros(3, 8), zeros(4, 3, 3, 3)))).toBe(
      'RuntimeError: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [3, 8]',
    );
    expect(message(() => conv2d(x, zeros(4, 3, 3, 3), zeros(5)))).toBe(
      'RuntimeError: Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of size [5] instead',
    );
    expect(message(() => conv2d(x, zeros(4, 3, 9, 9)))).toBe(
      "RuntimeError: Calculated padded input size per channel: (8 x 8). Kernel size: (9 x 9). Kernel size can't be greater than actual input size",
    );
    expect(message(() => conv2d(x, zeros(3, 1, 3, 3), { groups: 3, stride: 0 }))).toBe(
      'RuntimeError: non-positive stride is not supported',
    );
    expect(message(() => conv2d(x, zeros(3, 1, 3, 3), { groups: 3, padding: 'same', stride: 2 }))).toBe(
      "RuntimeError: padding='same' is not supported for strided convolutions",
    );
    expect(message(() => conv2d(x, zeros(3, 1, 3, 3), { groups: 0 }))).toBe('RuntimeError: non-positive groups is not supported');
    expect(message(() => conv1d(zeros(2, 3, 8), zeros(4, 3, 3, 3)))).toBe(
      'RuntimeError: Expected 4-dimensional input for 4-dimensional weight [4, 3, 3, 3], but got 3-dimensional input of size [2, 3, 8] instead',
    );
  });
  it("convTranspose2d refuses bad shapes with PyTorch's messages", () => {
    const x4 = zeros(2, 3, 4, 4);
    expect(message(() => convTranspose2d(x4, zeros(4, 2, 3, 3)))).toBe(
      'RuntimeError: Given transposed=1, weight of size [4, 2, 3, 3], expected input[2, 3, 4, 4] to have 4 channels, but got 3 channels instead',
    );
    expect(message(() => convTranspose2d(x4, zeros(3, 2, 3, 3), zeros(3)))).toBe(
      'RuntimeError: Given transposed=1, weight of size [3, 2, 3, 3], expected bias to be 1-dimensional with 2 elements, but got bias of size [3] instead',
    );
    expect(message(() => convTranspose2d(x4, zeros(3, 2, 3, 3), { outputPadding: 1 }))).toBe(
      'RuntimeError: output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1',
    );
    expect(message(() => convTranspose2d(x4, zeros(3, 2, 3, 3), { groups: 2 }))).toBe(
      'RuntimeError: Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[3, 2, 3, 3]] instead',
    );
    expect(message(() => convTranspose2d(zeros(2, 3, 1, 1), zeros(3, 2, 1, 1), { padding: 1 }))).toBe(
      'RuntimeError: Given input size per channel: (1 x 1). Calculated output size per channel: (-1 x -1). Output size is too small',
    );
  });
  it('convTranspose2d works on integer tensors, as on PyTorch CPU', () => {
    const y = convTranspose2d(arange(8).view(1, 2, 2, 2), ones(2, 1, 2, 2, { dtype: 'int64' }));
    expect(y.dtype).toBe('int64');
    expect(y.tolist()).toEqual([
      [
        [
          [4, 10, 6],
          [12, 28, 16],
          [8, 18, 10],
        ],
      ],
    ]);
  });
  it('conv2d with padding "same" keeps the spatial size, also for even kernels', () => {
    expect(conv2d(x, zeros(4, 3, 2, 2), { padding: 'same' }).shape).toEqual([2, 4, 8, 8]);
  });
  it('avgPool2d of an integer tensor divides with truncation, as PyTorch does', () => {
    const y = avgPool2d(arange(16).view(1, 1, 4, 4), 2);
    expect(y.dtype).toBe('int64');
    expect(y.tolist()).toEqual([
      [
        [
          [2, 4],
          [10, 12],
        ],
      ],
    ]);
    expect(message(() => maxPool2d(arange(16).view(1, 1, 4, 4), 2))).toBe(`RuntimeError: "max_pool2d" not implemented for 'Long'`);
  });
  it('pooling refuses too much padding and too small outputs', () => {
    expect(message(() => maxPool2d(x, 3, { padding: 2 }))).toBe(
      'RuntimeError: pad should be at most half of kernel size, but got pad=2 and kernel_size=3',
    );
    expect(message(() => avgPool2d(zeros(1, 2, 2), 3))).toBe(
      'RuntimeError: Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small',
    );
    expect(message(() => maxPool2d(zeros(2, 8), 3))).toBe('RuntimeError: non-empty 3D or 4D (batch mode) tensor expected for input');
    expect(message(() => maxPool2d(x, 3, { stride: 0 }))).toBe('RuntimeError: stride should not be zero');
  });
});

describe('normalization', () => {
  it('batchNorm checks statistics sizes before touching them', () => {
    const x = ones(2, 3, 4);
    const rm = zeros(3);
    expect(message(() => batchNorm(x, rm, ones(4)))).toBe('RuntimeError: running_var should contain 3 elements not 4');
    expect(message(() => batchNorm(x, rm, ones(3), { weight: ones(4), training: true }))).toBe(
      'RuntimeError: weight should contain 3 elements not 4',
    );
    expect(message(() => batchNorm(x, null, null))).toBe('RuntimeError: running_mean must be defined in evaluation mode');
    expect(message(() => batchNorm(ones(1, 3), zeros(3), ones(3), { training: true }))).toBe(
      'ValueError: Expected more than 1 value per channel when training, got input size torch.Size([1, 3])',
    );
    expect(rm.tolist()).toEqual([0, 0, 0]);
  });
  it('batchNorm in training updates the running statistics in place (unbiased variance)', () => {
    const x = tensor([
      [1, 2],
      [3, 6],
    ]);
    const rm = zeros(2);
    const rv = ones(2);
    batchNorm(x, rm, rv, { training: true, momentum: 0.5 });
    expect(rm.tolist()).toEqual([1, 2]);
    expect(rv.tolist()).toEqual([1.5, 4.5]);
  });
  it('layerNorm refuses a normalized shape the input does not end with', () => {
    expect(message(() => layerNorm(zeros(2, 3, 8, 8), [8, 7]))).toBe(
      'RuntimeError: Given normalized_shape=[8, 7], expected input with shape [*, 8, 7], but got input of size[2, 3, 8, 8]',
    );
    expect(message(() => layerNorm(zeros(2, 4), [4], ones(3)))).toBe(
      'RuntimeError: Expected weight to be of same shape as normalized_shape, but got weight of shape [3] and normalized_shape = [4]',
    );
  });
});

describe('embedding, oneHot and dropout', () => {
  it('embedding checks indices and padding_idx', () => {
    const w = zeros(5, 2);
    expect(message(() => embedding(tensor([0, 5], { dtype: 'int64' }), w))).toBe('IndexError: index out of range in self');
    expect(message(() => embedding(tensor([0, 1]), w))).toBe(
      "RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)",
    );
    expect(message(() => embedding(tensor([0], { dtype: 'int64' }), w, -6))).toBe(
      'AssertionError: Padding_idx must be within num_embeddings',
    );
  });
  it('oneHot gives int64 rows, inferring the class count', () => {
    const h = oneHot(tensor([0, 2], { dtype: 'int64' }));
    expect(h.dtype).toBe('int64');
    expect(h.tolist()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(message(() => oneHot(tensor([0, 3], { dtype: 'int64' }), 3))).toBe(
      'RuntimeError: Class values must be smaller than num_classes.',
    );
    expect(message(() => oneHot(tensor([0, -1], { dtype: 'int64' }), 3))).toBe('RuntimeError: Class values must be non-negative.');
    expect(message(() => oneHot(tensor([0, 1])))).toBe('RuntimeError: one_hot is only applicable to index tensor.');
  });
  it('dropout is the identity outside training and checks p', () => {
    const x = ones(10);
    expect(dropout(x, 0.5, false)).toBe(x);
    expect(message(() => dropout(x, 1.5))).toBe('ValueError: dropout probability has to be between 0 and 1, but got 1.5');
    expect(dropout(x, 1).tolist()).toEqual(new Array(10).fill(0));
  });
  it('dropout keeps about 1 - p of the elements, scaled by 1 / (1 - p), reproducibly per seed', () => {
    const x = ones(10000);
    const a = dropout(x, { p: 0.3, generator: new Generator(7) });
    const values = Array.from(a.dataSync());
    const kept = values.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / 10000 - 0.7)).toBeLessThan(0.02);
    expect(dropout(x, { p: 0.3, generator: new Generator(7) }).tolist()).toEqual(a.tolist());
  });
  it('dropout2d zeroes whole channels', () => {
    const y = dropout2d(ones(4, 8, 3, 3), { p: 0.5, generator: new Generator(1) });
    const perChannel = (y.sum([2, 3]).tolist() as number[][]).flat();
    expect(perChannel.every((s) => s === 0 || s === 18)).toBe(true);
    expect(perChannel.some((s) => s === 0)).toBe(true);
  });
});
