import { amax, norm, readArgs, RuntimeError, stack, type Tensor, tensor, withGradMode } from '@gd/tensor';

type Params = Tensor | Iterable<Tensor>;

function gradsOf(parameters: Params): Tensor[] {
  const list = 'storage' in (parameters as object) ? [parameters as Tensor] : [...(parameters as Iterable<Tensor>)];
  return list.flatMap((p) => (p.grad ? [p.grad.detach()] : []));
}

type ClipNormOptions = {
  normType?: number;
  errorIfNonfinite?: boolean;
};

/**
 * Scales the gradients in place so that their joint norm (the norm of the per-gradient norms) is
 * at most maxNorm; returns that total norm as it was before clipping. normType may be Infinity.
 */
export function clipGradNorm_(
  parameters: Params,
  maxNorm: number,
  normType?: number | ClipNormOptions,
  errorIfNonfinite?: boolean,
): Tensor {
  const o = readArgs<Required<ClipNormOptions>>([normType, errorIfNonfinite], ['normType', 'errorIfNonfinite'], {
    normType: 2,
    errorIfNonfinite: false,
  });
  const grads = gradsOf(parameters);
  if (grads.length === 0) return tensor(0);
  return withGradMode(false, () => {
    const total =
      o.normType === Infinity
        ? grads.length === 1
          ? amax(grads[0]!.abs())
          : amax(stack(grads.map((g) => amax(g.abs()))))
        : norm(stack(grads.map((g) => norm(g, o.normType))), o.normType);
    if (o.errorIfNonfinite && !Number.isFinite(total.item() as number))
      throw new RuntimeError(
        `The total norm of order ${o.normType === Infinity ? 'inf' : Number.isInteger(o.normType) ? `${o.normType}.0` : o.normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``,
      );
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

/** Clamps every gradient in place to [-clipValue, clipValue]. */
export function clipGradValue_(parameters: Params, clipValue: number): void {
  withGradMode(false, () => {
    for (const g of gradsOf(parameters)) g.clamp_(-clipValue, clipValue);
  });
}
