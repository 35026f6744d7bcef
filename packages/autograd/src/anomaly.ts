import { RuntimeError, type Tensor } from '@gd/tensor';

/** Anomaly mode: nodes remember where they were created, and backward checks for NaN gradients. */
export const anomaly = { enabled: false };

/**
 * Runs fn with anomaly detection on (torch.autograd.detect_anomaly): a backward inside it raises
 * as soon as a node returns a NaN gradient, naming the node, with the forward call's stack as
 * the error's `cause`.
 */
export function detectAnomaly<T>(fn: () => T): T {
  const prev = anomaly.enabled;
  anomaly.enabled = true;
  try {
    return fn();
  } finally {
    anomaly.enabled = prev;
  }
}

export function isAnomalyEnabled(): boolean {
  return anomaly.enabled;
}

export function setDetectAnomaly(enabled: boolean): void {
  anomaly.enabled = enabled;
}

/** Where a node's forward op was called from (only recorded in anomaly mode). */
export function forwardTrace(): Error {
  return new Error('Traceback of forward call that caused the error');
}

export function checkForNan(nodeName: string, grads: readonly (Tensor | null | undefined)[], trace: Error | undefined): void {
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (!g?.isFloatingPoint()) continue;
    const data = g.dataSync();
    for (let j = 0; j < data.length; j++) {
      if (Number.isNaN(data[j])) {
        throw new RuntimeError(`Function '${nodeName}' returned nan values in its ${i}th output.`, trace ? { cause: trace } : undefined);
      }
    }
  }
}
