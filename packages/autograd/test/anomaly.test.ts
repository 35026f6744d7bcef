import { detectAnomaly } from '@gd/autograd';
import { tensor, zeros } from '@gd/tensor';
import { describe, expect, it } from 'vitest';

describe('detectAnomaly', () => {
  it('names the node whose gradient turned NaN', () => {
    const x = tensor([0, 0]).requiresGrad_();
    detectAnomaly(() => {
      // d(x / 0)/dx = 0 / 0 when the incoming gradient is 0.
      const y = x.div(zeros(2)).mul(0).sum();
      expect(() => y.backward()).toThrowError("Function 'DivBackward0' returned nan values in its 0th output.");
    });
  });

  it('keeps the forward call stack as the error cause', () => {
    const x = tensor([0]).requiresGrad_();
    const err = detectAnomaly(() => {
      try {
        x.div(x).sum().backward();
      } catch (e) {
        return e as Error;
      }
      return null;
    });
    expect(err!.message).toBe("Function 'DivBackward0' returned nan values in its 1th output.");
    expect((err!.cause as Error).stack).toMatch(/anomaly\.test\.ts/);
  });

  it('does not check outside detectAnomaly', () => {
    const x = tensor([0, 0]).requiresGrad_();
    x.div(zeros(2)).mul(0).sum().backward();
    expect(x.grad!.isnan().all().item()).toBe(true);
  });
});
