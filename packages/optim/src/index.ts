export {
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type Closure,
  type ParamState,
  type OptimizerStateDict,
  type StepPreHook,
  type StepPostHook,
  type RemovableHandle,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { NAdam, type NAdamOptions } from './nadam.js';
export { RAdam, type RAdamOptions } from './radam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { ASGD, type ASGDOptions } from './asgd.js';
export { Rprop, type RpropOptions } from './rprop.js';
export { LBFGS, type LBFGSOptions } from './lbfgs.js';
export { stateDictToJSON, stateDictFromJSON, type JsonTensor, type JsonNonFinite } from './state-dict-json.js';
export { optimizers } from './optimizers.js';
export * as lrScheduler from './lr-scheduler/index.js';
export * from './lr-scheduler/index.js';
export * as swaUtils from './swa-utils.js';
