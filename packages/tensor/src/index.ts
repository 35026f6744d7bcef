import { registerBackend, setBackend } from './backend/registry.js';
import { cpuBackend } from './cpu/cpu-backend.js';

export type {
  Backend,
  View,
  UnaryOp,
  BinaryOp,
  ReduceOp,
  ArgReduceOp,
  ScanOp,
  UnaryParams,
  Window2d,
  WindowKernels,
  AdamStepScalars,
  OptimizerKernels,
} from './backend/backend.js';
export { getBackend, listBackends, registerBackend, setBackend } from './backend/registry.js';
export { cpuBackend } from './cpu/cpu-backend.js';
export { Storage } from './storage.js';
export { scope, keep } from './scope.js';
export { Tensor, isTensor, flatSizes, type NestedArray } from './tensor.js';
export * from './dtype.js';
export * from './errors.js';
export * from './shape.js';
export * from './creation.js';
export * from './ops/index.js';
export { Generator, defaultGenerator, manualSeed } from './random.js';
export { formatTensor, setPrintOptions, getPrintOptions, type PrintOptions, type PrintProfile } from './format.js';
export {
  dispatch,
  addInterceptor,
  wouldRecord,
  withoutInterception,
  type OpCall,
  type Interceptor,
  type InterceptorOptions,
  type Attrs,
} from './dispatch.js';
export { isGradEnabled, setGradEnabled, isInferenceModeEnabled, withGradMode } from './grad-mode.js';
export {
  installAutograd,
  autogradLoaded,
  type AutogradHooks,
  type GradFn,
  type BackwardOptions,
  type HookHandle,
} from './autograd-hooks.js';
export { readArgs, isOptions } from './args.js';
export { applyInplace, checkInplaceAllowed } from './ops/inplace.js';
export { broadcastView, commonBackend, emptyTensor, emptyTensorLike, type Scalar, type TensorOrScalar } from './ops/util.js';

registerBackend(cpuBackend);
setBackend(cpuBackend);
export { OP_NAMES, type OpName, type DifferentiableOpName } from './op-names.js';
