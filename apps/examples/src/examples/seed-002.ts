import { noGrad } from '@gd/autograd';
import { MSELoss } from '@gd/nn';
import { SGD } from '@gd/optim';
import { tensor } from '@gd/tensor';
import type { Example } from '../example.js';
import { pyFloat } from '../py.js';

/** Lesson 002: one gradient step on E = (θx − y)², four ways, always the same result. */
export const seed002: Example = {
  name: 'seed-002',
  description: 'the same gradient step by hand, with backward(), with an optimizer and with MSELoss',
  run(print) {
    const theta0 = 1.0;
    const x = 2.0;
    const y = 3.0;
    const alpha = 0.1;

    // 1. Without gd.
    {
      let theta = theta0;
      const fxY = theta * x - y;
      const E = fxY * fxY;
      const thetaGrad = 2 * x * fxY;
      theta -= alpha * thetaGrad;
      print(`E=${pyFloat(E)}`);
      print(`θgrad=${pyFloat(thetaGrad)}`);
      print(`θ=${pyFloat(theta)}`);
    }
    // 2. backward(), then the update under noGrad.
    {
      const theta = tensor([theta0], { requiresGrad: true });
      const fxY = theta.mul(x).sub(y);
      const E = fxY.mul(fxY);
      E.backward();
      noGrad(() => theta.sub_(theta.grad!.mul(alpha)));
      print(`E=${E}`);
      print(`θ.grad=${theta.grad}`);
      print(`θ=${theta}`);
    }
    // 3. An optimizer does the update.
    {
      const theta = tensor([theta0], { requiresGrad: true });
      const optimizer = new SGD([theta], { lr: alpha });
      const fxY = theta.mul(x).sub(y);
      const E = fxY.mul(fxY);
      optimizer.zeroGrad();
      E.backward();
      optimizer.step();
      print(`E=${E}`);
      print(`θ.grad=${theta.grad}`);
      print(`θ=${theta}`);
    }
    // 4. MSELoss computes the error.
    {
      const xs = tensor([x]);
      const ys = tensor([y]);
      const theta = tensor([theta0], { requiresGrad: true });
      const optimizer = new SGD([theta], { lr: alpha });
      const loss = new MSELoss().forward(theta.mul(xs), ys);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      print(`loss=${loss}`);
      print(`θ.grad=${theta.grad}`);
      print(`θ=${theta}`);
    }
  },
};
