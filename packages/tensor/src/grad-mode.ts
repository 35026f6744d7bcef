/**
 * Whether operations are recorded for autograd. The flag lives here, beside dispatch, so that
 * ops can ask it cheaply; @gd/autograd exposes `noGrad`, `enableGrad` and `inferenceMode` over it.
 */
const state = { enabled: true, inference: false };

export function isGradEnabled(): boolean {
  return state.enabled;
}

export function setGradEnabled(enabled: boolean): void {
  state.enabled = enabled;
}

export function isInferenceModeEnabled(): boolean {
  return state.inference;
}

/** Runs fn with grad mode set to `enabled`, restoring the previous mode afterwards. */
export function withGradMode<T>(enabled: boolean, fn: () => T, inference = state.inference): T {
  const prev = state.enabled;
  const prevInference = state.inference;
  state.enabled = enabled;
  state.inference = inference;
  try {
    return fn();
  } finally {
    state.enabled = prev;
    state.inference = prevInference;
  }
}
