import { ValueError } from '@gd/tensor';
import type { SchedulerOptimizer } from './lr-scheduler.js';

/**
 * Where a cycling scheduler writes momentum: the group's `momentum`, or `betas[0]` for
 * Adam-style optimizers. PyTorch's check and message when there is neither.
 */
export function usesBeta1(optimizer: SchedulerOptimizer): boolean {
  const defaults = optimizer.defaults as Record<string, unknown>;
  if (!('momentum' in defaults) && !('betas' in defaults))
    throw new ValueError('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
  return 'betas' in defaults;
}

export function setMomentum(group: Record<string, unknown>, momentum: number, beta1: boolean): void {
  if (beta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
  else group.momentum = momentum;
}
