import { sub, type Tensor } from '@gd/tensor';

/** The fixture problems' losses, written in the order optim.json's `lossFormula` evaluates them. */
export const problems: Record<string, (params: Tensor[], data: Record<string, Tensor>) => Tensor> = {
  rosenbrock: ([x, y]) =>
    sub(1, x!)
      .pow(2)
      .add(y!.sub(x!.pow(2)).pow(2).mul(100))
      .sum(),
  linreg: ([W, b], { X, Y }) => X!.matmul(W!.t()).add(b!).sub(Y!).pow(2).mean(),
  seed_thermometer: ([params], { tUn, tC }) => params!.select(0, 0).mul(tUn!).add(params!.select(0, 1)).sub(tC!).pow(2).mean(),
};
