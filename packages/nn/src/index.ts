// Training modules need gradients: importing @gd/nn installs the autograd recorder, as importing
// @gd/autograd does.
import '@gd/autograd';

export {
  Module,
  callable,
  type ForwardHook,
  type ForwardPreHook,
  type LoadStateDictResult,
  type RemovableHandle,
  type StateDict,
} from './module.js';
export { Parameter, isParameter } from './parameter.js';
export { AssertionError, AttributeError, KeyError, NotImplementedError } from '@gd/tensor';
export * as init from './init.js';
export * as F from './functional/index.js';
export * as functional from './functional/index.js';
export { Identity, Linear, Bilinear, type FactoryOptions } from './modules/linear.js';
export { Flatten, Unflatten } from './modules/flatten.js';
export { Sequential, ModuleList, ModuleDict } from './modules/container.js';
export { Dropout } from './modules/dropout.js';
export { Embedding } from './modules/sparse.js';
export { LayerNorm } from './modules/normalization.js';
export { BatchNorm1d, BatchNorm2d } from './modules/batchnorm.js';
export { Conv1d, Conv2d } from './modules/conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './modules/pooling.js';
export { ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Hardtanh, Softmax, LogSoftmax } from './modules/activation.js';
export {
  Loss,
  WeightedLoss,
  MSELoss,
  L1Loss,
  SmoothL1Loss,
  HuberLoss,
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  NLLLoss,
  KLDivLoss,
  type Reduction,
} from './modules/loss.js';
export { clipGradNorm_, clipGradValue_ } from './utils/clip-grad.js';
export { parametersToVector, vectorToParameters } from './utils/convert-parameters.js';
export * as safetensors from './serialization/safetensors.js';
