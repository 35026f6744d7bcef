import { ones, RuntimeError, type Tensor, tensor, zeros } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, callable, Linear, Module, ModuleDict, ModuleList, Parameter, ReLU, Sequential, Tanh } from '../src/index.js';
import { construct, readJson } from './helpers.js';

interface Reference {
  reprs: Record<string, string>;
  errors: Record<string, { type: string; message: string }>;
  names: Record<string, string[]>;
}
const ref = readJson<Reference>('./fixtures/reference.json');

/** The seed lesson's model, written the way a gd user writes it. */
class LinearRegressionModel extends Module {
  linear = new Linear(1, 1, { bias: false });
  override forward(x: Tensor): Tensor {
    return this.linear.call(x);
  }
}

class ConstructorAssigned extends Module {
  scale: Parameter;
  body: Linear;
  constructor() {
    super();
    this.scale = new Parameter(ones(1));
    this.body = new Linear(2, 2);
    this.registerBuffer('steps', zeros(1));
  }
  override forward(x: Tensor): Tensor {
    return this.body.call(x).mul(this.scale);
  }
}

const names = (it: Iterable<[string, unknown]>) => [...it].map(([n]) => n);
const values = (t: Tensor) => t.tolist();

describe('parameters and submodules are found from fields', () => {
  it('a class field holding a Linear is a child, named as PyTorch names it', () => {
    const m = new LinearRegressionModel();
    expect(names(m.namedParameters())).toEqual(ref.names['LinearRegressionModel.namedParameters']);
    expect(names(m.namedChildren())).toEqual(['linear']);
    expect([...m.parameters()]).toEqual([m.linear.weight]);
  });

  it('constructor assignment and registerBuffer work alike, in assignment order', () => {
    const m = new ConstructorAssigned();
    expect(names(m.namedParameters())).toEqual(['scale', 'body.weight', 'body.bias']);
    expect(names(m.namedBuffers())).toEqual(['steps']);
    expect(Object.keys(m.stateDict())).toEqual(['scale', 'steps', 'body.weight', 'body.bias']);
    expect(names(m.namedModules())).toEqual(['', 'body']);
  });

  it('Sequential names children 0, 1, … and skips parameter-free ones in namedParameters', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    expect(names(seq.namedParameters())).toEqual(ref.names['Sequential.namedParameters']);
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBeInstanceOf(Linear);
  });

  it("BatchNorm keeps PyTorch's state-dict keys", () => {
    expect(Object.keys(new BatchNorm1d(2).stateDict())).toEqual(ref.names['BatchNorm1d.stateDict']);
  });

  it('a null placeholder keeps its place, and a later parameter takes it', () => {
    class M extends Module {
      constructor() {
        super();
        this.registerParameter('a', null);
        this.registerParameter('b', new Parameter(zeros(1)));
      }
    }
    const m = new M();
    expect(names(m.namedParameters())).toEqual(['b']);
    (m as unknown as { a: Parameter }).a = new Parameter(ones(1));
    expect(names(m.namedParameters())).toEqual(['a', 'b']);
  });

  it('a shared module is reported once by namedParameters but saved under each name, as in PyTorch', () => {
    const shared = new Linear(2, 2);
    const seq = new Sequential(shared, shared);
    expect(names(seq.namedParameters())).toEqual(ref.names['shared.namedParameters']);
    expect([...seq.modules()].length).toBe(2);
    expect(Object.keys(seq.stateDict())).toEqual(ref.names['shared.stateDict']);
  });

  it('non-persistent buffers stay out of the state dict', () => {
    const m = new Module();
    m.registerBuffer('kept', zeros(1));
    m.registerBuffer('scratch', zeros(1), { persistent: false });
    expect(names(m.namedBuffers())).toEqual(['kept', 'scratch']);
    expect(Object.keys(m.stateDict())).toEqual(['kept']);
  });

  it('registering a dotted name or a plain tensor as a parameter is refused', () => {
    const m = new Module();
    expect(() => m.registerParameter('a.b', new Parameter(zeros(1)))).toThrow('parameter name can\'t contain "."');
    expect(() => m.registerParameter('w', zeros(1) as Parameter)).toThrow(
      "cannot assign 'torch.FloatTensor' object to parameter 'w' (torch.nn.Parameter or None required)",
    );
  });

  it('getSubmodule and getParameter follow dotted paths', () => {
    const seq = new Sequential(new Linear(2, 3), new Sequential(new Linear(3, 1)));
    expect(seq.getSubmodule('1.0')).toBe((seq.at(1) as Sequential).at(0));
    expect(seq.getParameter('1.0.bias').shape).toEqual([1]);
    expect(() => seq.getSubmodule('7')).toThrow('Sequential has no attribute `7`');
  });
});

describe('modes and bulk changes', () => {
  it('train() and eval() reach every descendant', () => {
    const seq = new Sequential(new Linear(1, 1), new Sequential(new ReLU()));
    seq.eval();
    expect([...seq.modules()].every((m) => !m.training)).toBe(true);
    seq.train();
    expect([...seq.modules()].every((m) => m.training)).toBe(true);
  });

  it('apply visits children before the parent', () => {
    const seq = new Sequential(new Linear(1, 1), new ReLU());
    const order: string[] = [];
    seq.apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(['Linear', 'ReLU', 'Sequential']);
  });

  it('zeroGrad sets grads to null by default and to zeros with setToNone = false', () => {
    const m = new Linear(2, 1);
    m.weight.grad = ones(1, 2);
    m.bias!.grad = ones(1);
    const g = m.weight.grad;
    m.zeroGrad(false);
    expect(m.weight.grad).toBe(g);
    expect(values(g)).toEqual([[0, 0]]);
    m.zeroGrad();
    expect(m.weight.grad).toBeNull();
    expect(m.bias!.grad).toBeNull();
  });

  it('requiresGrad_(false) freezes every parameter', () => {
    const m = new Sequential(new Linear(2, 2), new Linear(2, 1));
    m.requiresGrad_(false);
    expect([...m.parameters()].some((p) => p.requiresGrad)).toBe(false);
  });

  it('to(dtype) converts floating parameters in place and leaves integer buffers alone', () => {
    const bn = new BatchNorm1d(2);
    const w = bn.weight!;
    bn.to('float64');
    expect(bn.weight).toBe(w);
    expect(w.dtype).toBe('float64');
    expect(w.requiresGrad).toBe(true);
    expect(bn.runningMean!.dtype).toBe('float64');
    expect(bn.numBatchesTracked!.dtype).toBe('int64');
  });
});

describe('stateDict and loadStateDict', () => {
  it('stateDict holds detached tensors that share storage with the parameters', () => {
    const m = new Linear(2, 1);
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd.weight!.requiresGrad).toBe(false);
    expect(sd.weight!.storage).toBe(m.weight.storage);
    expect(m.stateDict({ keepVars: true }).weight).toBe(m.weight);
  });

  it('loadStateDict copies values into the existing parameters', () => {
    const m = new Linear(2, 1);
    const w = m.weight;
    const result = m.loadStateDict({ weight: tensor([[1, 2]]), bias: tensor([3]) });
    expect(m.weight).toBe(w);
    expect(values(m.weight)).toEqual([[1, 2]]);
    expect(values(m.bias!)).toEqual([3]);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
  });

  for (const [name, fixture] of [
    ['load missing and unexpected', { weight: zeros(3, 3), foo: zeros(1) }],
    ['load size mismatch', { weight: zeros(2, 3), bias: zeros(3) }],
    ['load all three', { weight: zeros(2, 3), foo: zeros(1) }],
  ] as const) {
    it(`a refused load (${name}) raises PyTorch's error and changes nothing`, () => {
      const m = new Linear(3, 3);
      const before = [values(m.weight), values(m.bias!)];
      const err = (() => {
        try {
          m.loadStateDict(fixture);
        } catch (e) {
          return e as Error;
        }
        throw new Error('expected loadStateDict to throw');
      })();
      expect(err).toBeInstanceOf(RuntimeError);
      expect(err.message).toBe(ref.errors[name]!.message);
      expect([values(m.weight), values(m.bias!)]).toEqual(before);
    });
  }

  it('strict = false reports missing and unexpected keys instead of raising', () => {
    const m = new Linear(3, 3);
    const result = m.loadStateDict({ weight: ones(3, 3), foo: zeros(1) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['foo'] });
    expect(values(m.weight)).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it('a state dict round-trips between two models of the same architecture', () => {
    const a = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 1));
    const b = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 1));
    b.loadStateDict(a.stateDict());
    for (const [k, v] of Object.entries(a.stateDict())) expect(values(b.stateDict()[k]!)).toEqual(values(v));
  });
});

describe('calling a module', () => {
  it('call runs forward; forward pre-hooks may replace the input and forward hooks the output', () => {
    const m = new Linear(1, 1, false);
    m.loadStateDict({ weight: tensor([[2]]) });
    const seen: number[] = [];
    const pre = m.registerForwardPreHook((_m, [x]) => [(x as Tensor).add(1)]);
    const post = m.registerForwardHook((_m, _args, out) => {
      seen.push((out as Tensor).item() as number);
      return (out as Tensor).neg();
    });
    expect(m.call(tensor([[1]])).tolist()).toEqual([[-4]]);
    expect(m.forward(tensor([[1]])).tolist()).toEqual([[2]]);
    pre.remove();
    post.remove();
    expect(m.call(tensor([[1]])).tolist()).toEqual([[2]]);
    expect(seen).toEqual([4]);
  });

  it('callable(model) is a plain function that runs the module', () => {
    const m = new LinearRegressionModel();
    m.loadStateDict({ 'linear.weight': tensor([[3]]) });
    const model = callable(m);
    expect(model(tensor([[2]])).tolist()).toEqual([[6]]);
    expect(model.module).toBe(m);
  });

  it("a module without forward says so in PyTorch's words", () => {
    expect(() => new Module().call()).toThrow('Module [Module] is missing the required "forward" function');
  });

  it("Linear fed the wrong width refuses with PyTorch's message", () => {
    expect(() => new Linear(5, 2).call(zeros(4, 3))).toThrow(ref.errors['linear width']!.message);
  });
});

describe('printing', () => {
  for (const [expression, expected] of Object.entries(ref.reprs)) {
    it(`String(${expression}) matches print() in PyTorch`, () => {
      const m = expression === 'LinearRegressionModel' ? new LinearRegressionModel() : construct(expression);
      expect(String(m)).toBe(expected);
    });
  }

  it('Parameter prints `Parameter containing:` before the tensor', () => {
    const p = new Parameter(tensor([1]));
    expect(String(p).startsWith('Parameter containing:\ntensor(')).toBe(true);
    expect(p.requiresGrad).toBe(true);
    expect(new Parameter(tensor([1]), false).requiresGrad).toBe(false);
  });
});

describe('containers', () => {
  it('ModuleList and ModuleDict register what they hold', () => {
    const list = new ModuleList([new Linear(1, 1), new Tanh()]);
    list.append(new Linear(1, 2));
    expect(names(list.namedParameters())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect([...list].length).toBe(3);
    const dict = new ModuleDict({ act: new ReLU(), fc: new Linear(2, 2) });
    expect(dict.keys()).toEqual(['act', 'fc']);
    expect(names(dict.namedParameters())).toEqual(['fc.weight', 'fc.bias']);
    expect(dict.get('act')).toBeInstanceOf(ReLU);
    expect(() => dict.get('nope')).toThrow("'nope'");
  });

  it('a name that already means something on the module is refused, as in PyTorch', () => {
    expect(() => new ModuleDict({ keys: new ReLU() })).toThrow("attribute 'keys' already exists");
    const m = new Linear(1, 1);
    expect(() => m.registerBuffer('inFeatures', zeros(1))).toThrow("attribute 'inFeatures' already exists");
    expect(() => m.registerModule('forward', new ReLU())).toThrow("attribute 'forward' already exists");
    m.registerParameter('weight', new Parameter(zeros(1, 1)));
    expect(names(m.namedParameters())).toEqual(['weight', 'bias']);
  });

  it('Sequential from named modules keeps the names', () => {
    const seq = new Sequential({ hidden: new Linear(2, 2), act: new ReLU() });
    expect(names(seq.namedChildren())).toEqual(['hidden', 'act']);
  });
});

describe('Sequential with a module held twice', () => {
  it('runs it twice, as PyTorch does', () => {
    const double = new Linear(1, 1, false);
    double.loadStateDict({ weight: tensor([[2]]) });
    const seq = new Sequential(double, double);
    expect(seq.length).toBe(2);
    expect(seq.call(tensor([[3]])).tolist()).toEqual([[12]]);
    seq.insert(0, new ReLU());
    expect([...seq].map((m) => m.constructor.name)).toEqual(['ReLU', 'Linear', 'Linear']);
    expect(seq.call(tensor([[-3]])).tolist()).toEqual([[0]]);
  });
});
