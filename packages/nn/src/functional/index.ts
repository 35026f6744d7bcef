/**
 * torch.nn.functional as `F`: the stateless forms of the layers, activations and losses. The math
 * lives in @gd/tensor; this namespace gathers it under PyTorch's F names (camelCase), adding only
 * the nn-level argument handling (relu's `inplace`, softmax's legacy default dim).
 */
export { relu, softmax, logSoftmax } from './activation.js';
export {
  // activations
  relu_,
  sigmoid,
  tanh,
  leakyRelu,
  leakyRelu_,
  gelu,
  softplus,
  elu,
  elu_,
  selu,
  celu,
  silu,
  mish,
  hardtanh,
  hardtanh_,
  relu6,
  hardsigmoid,
  hardswish,
  logSigmoid,
  softsign,
  tanhshrink,
  // linear layers
  linear,
  bilinear,
  // losses
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  nllLoss,
  klDiv,
  cosineSimilarity,
  pairwiseDistance,
  // convolution, pooling, normalisation, embedding, dropout
  conv1d,
  conv2d,
  maxPool2d,
  avgPool2d,
  adaptiveAvgPool2d,
  layerNorm,
  batchNorm,
  embedding,
  oneHot,
  dropout,
  dropout2d,
  // F.unfold / F.fold are torch's names for im2col / col2im
  im2col as unfold,
  col2im as fold,
} from '@gd/tensor';
