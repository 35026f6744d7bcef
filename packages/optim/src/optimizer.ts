import { GdTypeError, isTensor, keep, type Tensor, ValueError, withGradMode } from '@gd/tensor';
import { cloneState } from './state-copy.js';

/** A parameter group as the optimizer keeps it: its tensors and every option, mutable like PyTorch's dict. */
export type ParamGroup<O extends object = Record<string, unknown>> = O & { params: Tensor[]; [key: string]: unknown };

/** A parameter group as the user passes it: tensors plus any options that override the defaults. */
export type ParamGroupInput<O extends object = Record<string, unknown>> = Partial<O> & {
  params: Iterable<Tensor> | Tensor;
  [key: string]: unknown;
};

/** What an optimizer accepts: tensors, or parameter groups. */
export type Params<O extends object = Record<string, unknown>> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** A closure re-evaluates the model and returns the loss (a tensor, or a number). */
export type Closure<L = unknown> = () => L;

/** Per-parameter state: tensors and numbers under PyTorch's keys, in camelCase. */
export type ParamState = Record<string, unknown>;

/** PyTorch's `optimizer.state_dict()` layout: state keyed by parameter index, groups holding index lists. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

export type StepPreHook = (optimizer: Optimizer, args: unknown[]) => unknown[] | void;
export type StepPostHook = (optimizer: Optimizer, args: unknown[]) => void;

export interface RemovableHandle {
  remove(): void;
}

/**
 * torch.optim.Optimizer: parameter groups, per-parameter state, zeroGrad, step with hooks and
 * closures, addParamGroup, stateDict/loadStateDict. Subclasses implement `step(closure?)`; the
 * constructor wraps it (as PyTorch patches `step`) so the step hooks run around every call.
 */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  readonly defaults: O;
  paramGroups: ParamGroup<O>[] = [];
  state = new Map<Tensor, ParamState>();
  private readonly stepPreHooks = new Map<number, StepPreHook>();
  private readonly stepPostHooks = new Map<number, StepPostHook>();
  private nextHookId = 0;

  constructor(params: Params<O>, defaults: O) {
    if (isTensor(params))
      throw new GdTypeError('params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor');
    this.defaults = defaults;
    const list = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new ValueError('optimizer got an empty parameter list');
    const groups = isParamGroupInput(list[0])
      ? (list as ParamGroupInput<O>[])
      : [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const group of groups) this.addParamGroup(group);
    this.installStepHooks();
  }

  abstract step(closure?: Closure): unknown;

  /** Adds a group (e.g. layers unfrozen during fine-tuning); missing options take the defaults. */
  addParamGroup(paramGroup: ParamGroupInput<O>): void {
    if (!isParamGroupInput(paramGroup)) throw new GdTypeError(`param_group must be a dict, but got ${describe(paramGroup)}`);
    const input = paramGroup.params;
    if (input instanceof Set)
      throw new GdTypeError(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.',
      );
    const params: unknown[] = isTensor(input) ? [input] : [...(input as Iterable<unknown>)];
    for (const p of params) {
      if (!isTensor(p)) throw new GdTypeError(`optimizer can only optimize Tensors, but one of the params is ${describe(p)}`);
      if (!(p.isLeaf || p.retainsGrad)) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const taken = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) taken.add(p);
    if ((params as Tensor[]).some((p) => taken.has(p))) throw new ValueError('some parameters appear in more than one parameter group');
    const group: Record<string, unknown> = { ...paramGroup, params };
    for (const [name, value] of Object.entries(this.defaults)) if (group[name] === undefined) group[name] = value;
    this.paramGroups.push(group as ParamGroup<O>);
  }

  /** Resets the gradients of every parameter: to null (PyTorch 2.x's default), or to zeros. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else {
          if (p.grad.gradFn !== null) p.grad.detach_();
          else p.grad.requiresGrad_(false);
          p.grad.zero_();
        }
      }
    }
  }

  /** The state of one parameter, created empty on first access (PyTorch's defaultdict). */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * The loop every step() shares: runs the closure (grad mode on), then with grad mode off calls
   * `update` for each parameter that has a gradient, with that gradient (negated when the group
   * maximizes) and its group. Returns the closure's loss.
   */
  protected updateEach(closure: Closure | undefined, update: (p: Tensor, grad: Tensor, group: ParamGroup<O>) => void): unknown {
    const loss = this.evaluateClosure(closure);
    withGradMode(false, () => {
      for (const group of this.paramGroups) {
        const maximize = (group as { maximize?: boolean }).maximize === true;
        for (const p of group.params) if (p.grad !== null) update(p, maximize ? p.grad.neg() : p.grad, group);
      }
    });
    return loss;
  }

  /**
   * p's state with its step count advanced for this step; on the first step `init` fills the new
   * state after `step` (PyTorch's lazily created state, in its key order).
   */
  protected advanceStep(p: Tensor, init: (state: ParamState) => void): ParamState & { step: number } {
    const state = this.stateOf(p);
    if (state.step === undefined) {
      state.step = 0;
      init(state);
    }
    state.step = (state.step as number) + 1;
    return state as ParamState & { step: number };
  }

  /** Runs the closure with grad mode on, as PyTorch's `with torch.enable_grad(): loss = closure()`. */
  protected evaluateClosure(closure: Closure | undefined): unknown {
    return closure === undefined ? undefined : withGradMode(true, closure, false);
  }

  /**
   * A snapshot in PyTorch's layout: state keyed by the parameter's index (counted across groups in
   * order), groups with their options and index lists. Tensors in it are copies, so further steps
   * do not change a saved state dict; `stateDictToJSON` makes it JSON.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(group)) if (k !== 'params') packed[k] = cloneState(v);
      packed.params = group.params.map((p) => {
        if (!index.has(p)) index.set(p, next++);
        return index.get(p)!;
      });
      return packed as Record<string, unknown> & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = cloneState(s) as ParamState;
    }
    return { state, paramGroups };
  }

  /** Restores a `stateDict()` (from an optimizer with the same group structure); the dict is copied, not shared. */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) throw new ValueError('loaded state dict has a different number of parameter groups');
    if (saved.some((g, i) => g.params.length !== this.paramGroups[i]!.params.length))
      throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, j) => byIndex.set(id, this.paramGroups[i]!.params[j]!)));
    const state = new Map<Tensor, ParamState>();
    for (const [key, value] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p !== undefined) state.set(p, castState(cloneState(value) as ParamState, p));
    }
    this.state = state;
    this.keepState();
    this.paramGroups = saved.map((g, i) => ({ ...(cloneState(g) as object), params: this.paramGroups[i]!.params }) as ParamGroup<O>);
  }

  /** Registers `hook(optimizer, args)` to run before every step; it may return replacement args. */
  registerStepPreHook(hook: StepPreHook): RemovableHandle {
    return this.addHook(this.stepPreHooks, hook);
  }

  /** Registers `hook(optimizer, args)` to run after every step. */
  registerStepPostHook(hook: StepPostHook): RemovableHandle {
    return this.addHook(this.stepPostHooks, hook);
  }

  /** PyTorch's layout: `SGD (`, `Parameter Group 0`, one sorted option per line, `)`. */
  toString(): string {
    let out = `${this.constructor.name} (`;
    this.paramGroups.forEach((group, i) => {
      out += `\nParameter Group ${i}\n`;
      for (const key of Object.keys(group).sort()) if (key !== 'params') out += `    ${key}: ${formatOption(group[key])}\n`;
    });
    return `${out})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  private addHook<H>(hooks: Map<number, H>, hook: H): RemovableHandle {
    const id = this.nextHookId++;
    hooks.set(id, hook);
    return { remove: () => void hooks.delete(id) };
  }

  private installStepHooks(): void {
    const step = this.step;
    this.step = (...args: unknown[]) => {
      let callArgs = args;
      for (const hook of this.stepPreHooks.values()) {
        const replaced = hook(this as Optimizer, callArgs);
        if (replaced !== undefined) callArgs = replaced;
      }
      const result = (step as (...a: unknown[]) => unknown).apply(this, callArgs);
      this.keepState();
      for (const hook of this.stepPostHooks.values()) hook(this as Optimizer, callArgs);
      return result;
    };
  }

  /** State tensors live as long as the optimizer: a scope() around a training step must not dispose them. */
  private keepState(): void {
    for (const s of this.state.values()) {
      for (const v of Object.values(s)) {
        if (isTensor(v)) keep(v);
        else if (Array.isArray(v)) for (const t of v) if (isTensor(t)) keep(t);
      }
    }
  }
}

function isParamGroupInput(v: unknown): v is ParamGroupInput {
  return typeof v === 'object' && v !== null && !isTensor(v) && !Array.isArray(v) && 'params' in v;
}

function describe(v: unknown): string {
  if (v === null) return 'NoneType';
  if (isTensor(v)) return 'Tensor';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}

/**
 * Loaded state moves to its parameter's backend and, when floating point, takes the parameter's
 * dtype, as PyTorch casts it to the parameter's device and dtype.
 */
function castState(state: ParamState, p: Tensor): ParamState {
  const cast = (v: unknown): unknown => {
    if (isTensor(v)) {
      const moved = v.device === p.device ? v : v.to(p.backend);
      return p.isFloatingPoint() && moved.isFloatingPoint() && moved.dtype !== p.dtype ? moved.to(p.dtype) : moved;
    }
    if (Array.isArray(v)) return v.map(cast);
    return v;
  };
  const out: ParamState = {};
  for (const [k, v] of Object.entries(state)) out[k] = cast(v);
  return out;
}

function formatOption(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(formatOption).join(', ')}]`;
  return String(v);
}
