// CONTRIBUTING.md, recipe 4 ("add a module or a loss"), followed on a toy pair defined here:
// Scale (a learnable per-feature scale and shift) and LogCoshLoss. In the package each class goes
// into its family file under src/modules/ (plus its export line) and its torch case into
// fixtures/generate_layers.py; here fixtures/recipe_module.py writes the same classes for torch.nn.
import '@gd/autograd';
import { ones, type Tensor, zeros } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { Linear, Loss, Module, Parameter, Sequential } from '../src/index.js';
import { expectClose, type FixtureTensor, fromFixture, readJson } from './helpers.js';

class Scale extends Module {
  readonly features: number;
  weight: Parameter;
  bias: Parameter;

  constructor(features: number) {
    super();
    this.features = features;
    this.weight = new Parameter(ones(features));
    this.bias = new Parameter(zeros(features));
  }

  override forward(x: Tensor): Tensor {
    return x.mul(this.weight).add(this.bias);
  }

  override extraRepr(): string {
    return `features=${this.features}`;
  }
}

class LogCoshLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    const loss = input.sub(target).cosh().log();
    return this.reduction === 'none' ? loss : this.reduction === 'sum' ? loss.sum() : loss.mean();
  }
}

interface Reference {
  repr: string;
  lossRepr: string;
  state: Record<string, FixtureTensor>;
  input: FixtureTensor;
  target: FixtureTensor;
  output: FixtureTensor;
  reductions: Record<
    'mean' | 'sum' | 'none',
    { loss: FixtureTensor; gradOutput: FixtureTensor; inputGrad: FixtureTensor; paramGrads: Record<string, FixtureTensor> }
  >;
}
const ref = readJson<Reference>('./fixtures/recipe-module.json');

function model(): Sequential {
  const m = new Sequential(new Linear(3, 4), new Scale(4));
  const result = m.loadStateDict(Object.fromEntries(Object.entries(ref.state).map(([k, v]) => [k, fromFixture(v)])));
  expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
  return m;
}

describe('recipe: add a module and a loss', () => {
  it('registers the parameters under torch state-dict keys and prints as torch does', () => {
    const m = model();
    expect(Object.keys(m.stateDict())).toEqual(Object.keys(ref.state));
    expect(String(m)).toBe(ref.repr);
    expect(String(new LogCoshLoss())).toBe(ref.lossRepr);
  });

  it('computes the torch forward', () => {
    expectClose(model().call(fromFixture(ref.input)), ref.output);
  });

  for (const reduction of ['mean', 'sum', 'none'] as const) {
    it(`computes the torch loss and gradients with reduction '${reduction}'`, () => {
      const m = model();
      const expected = ref.reductions[reduction];
      const x = fromFixture(ref.input).requiresGrad_();
      const loss = new LogCoshLoss({ reduction }).call(m.call(x), fromFixture(ref.target));
      expectClose(loss, expected.loss);
      loss.backward(fromFixture(expected.gradOutput));
      expectClose(x.grad!, expected.inputGrad);
      for (const [name, p] of m.namedParameters()) expectClose(p.grad!, expected.paramGrads[name]!);
    });
  }
});
