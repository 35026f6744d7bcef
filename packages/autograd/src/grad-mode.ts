import { isGradEnabled, setGradEnabled, withGradMode } from '@gd/tensor';

export { isGradEnabled, setGradEnabled };

/** `with torch.no_grad():` — runs fn without recording, and returns its value. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** `with torch.enable_grad():` — records again inside a noGrad block. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** `with torch.inference_mode():` — like noGrad, for code that will never need gradients. */
export function inferenceMode<T>(fn: () => T): T {
  return withGradMode(false, fn, true);
}
