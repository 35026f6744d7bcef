import { addInterceptor, installAutograd } from '@gd/tensor';
import { backward, registerHook, retainGrad } from './api.js';
import { recordOp } from './recorder.js';
import { savedTensors } from './saved-graph.js';
import { inplaceHistory, refreshView } from './view-inplace.js';

export { backward, grad, type BackwardOptions, type GradOptions } from './api.js';
export { noGrad, enableGrad, inferenceMode, isGradEnabled, setGradEnabled } from './grad-mode.js';
export { Function, FunctionCtx } from './function.js';
export { gradcheck, gradgradcheck, GradcheckError, type GradcheckOptions } from './gradcheck.js';
export { detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from './anomaly.js';
export { GradNode, AccumulateGrad } from './node.js';
export { DERIVATIVES, registerDerivative, type Rule, type BackwardContext, type TensorMeta } from './derivatives/index.js';
export { sumToShape } from './unbroadcast.js';

// Importing @gd/autograd turns recording on: the recorder joins dispatch, and Tensor.backward,
// retainGrad and registerHook are routed here.
const INSTALLED = Symbol.for('@gd/autograd/installed');
const holder = globalThis as unknown as Record<symbol, boolean | undefined>;
if (!holder[INSTALLED]) {
  holder[INSTALLED] = true;
  addInterceptor(recordOp, { onlyRecordable: true });
}
installAutograd({
  backward: (t, gradient, options) => backward(t, gradient, options),
  retainGrad,
  registerHook,
  inplaceHistory,
  refreshView,
  savedTensors,
});
