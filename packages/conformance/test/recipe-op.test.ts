// CONTRIBUTING.md, recipe 1 ("add an op"), followed end to end on a throwaway op, cube(x) = x³,
// without editing any other file: the op calls dispatch with a name that is not in OP_NAMES,
// its backward rule goes through registerDerivative, and its golden cases (written by real
// PyTorch: fixtures/generate_cube.py) run through the conformance runner's ops suite.
import { gradcheck, registerDerivative } from '@gd/autograd';
import { dispatch, randn, type Tensor, tensor } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { loadGoldenFile } from '../src/fixtures.js';
import { registerGoldenOp } from '../src/registry.js';
import { runOpsSuite } from '../src/suites/ops.js';

/** The op: a decomposition into existing ops, recorded once under its own name. */
function cube(x: Tensor): Tensor {
  return dispatch('cube', [x], {}, () => x.mul(x).mul(x));
}

// Its derivative: d(x³)/dx = 3x², named as PyTorch names the node of x ** 3.
registerDerivative('cube', {
  name: 'PowBackward0',
  saveInputs: [0],
  backward: (grad, ctx) => [grad.mul(ctx.inputs[0]!.square()).mul(3)],
});

// Its golden adapter: the fixture's op name and arguments, as a gd call.
registerGoldenOp('cube', ([x]) => cube(x as Tensor));

describe('recipe: add an op', () => {
  it('records the op under its own name and back-propagates 3x² through the registered rule', () => {
    const x = tensor([-2, 0.5, 3]).requiresGrad_();
    const y = cube(x);
    expect(String(y.gradFn)).toBe('<PowBackward0>');
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([12, 0.75, 27]);
  });

  it('passes gradcheck in float64', () => {
    const x = randn([3, 4], { dtype: 'float64' }).requiresGrad_();
    expect(gradcheck(cube, [x])).toBe(true);
  });

  it('matches the PyTorch golden cases, outputs and gradients, through the ops suite', () => {
    const golden = loadGoldenFile(new URL('fixtures/cube.json', import.meta.url).pathname);
    expect(golden.cases.map((c) => c.id)).toEqual(['cube/basic/0', 'cube/vector/0', 'cube/scalar0d/0', 'cube/transposed/0']);
    expect(runOpsSuite(golden.cases).filter((r) => r.failure !== null)).toEqual([]);
  });

  it('refuses to replace the derivative of a built-in op', () => {
    expect(() => registerDerivative('mul', { name: 'MulBackward0', backward: (g) => [g, g] })).toThrow(
      "registerDerivative: 'mul' is a built-in op; its derivative cannot be replaced",
    );
  });
});
