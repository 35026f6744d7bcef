import {
  type Backend,
  type DType,
  formatShape,
  GdTypeError,
  readArgs,
  RuntimeError,
  scalarTypeName,
  shapesEqual,
  Tensor,
  ValueError,
  withGradMode,
} from '@gd/tensor';
import { AttributeError, KeyError, NotImplementedError } from '@gd/tensor';
import { Parameter } from './parameter.js';

/** What `registerForwardHook` and friends return: `handle.remove()` unregisters the hook. */
export interface RemovableHandle {
  remove(): void;
}

/** Runs before forward; returning an array (or a single value) replaces forward's arguments. */
export type ForwardPreHook = (module: Module, args: unknown[]) => unknown;
/** Runs after forward; returning something other than undefined replaces the output. */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const DTYPE_NAMES: ReadonlySet<string> = new Set(['float32', 'float64', 'int32', 'int64', 'bool']);
let nextHookId = 0;

/**
 * torch.nn.Module. Parameters and submodules are found from the instance's own fields, in the
 * order they were first assigned: a field holding a Parameter is a parameter and a field holding
 * a Module is a child, whether it is a class field (`linear = new Linear(1, 1)`) or assigned in
 * the constructor. Buffers are tensors named through `registerBuffer`. The `register*` methods
 * also cover names chosen at run time (Sequential's `0`, `1`, …).
 *
 * Internal state lives in `#private` fields, which `Object.keys` does not list, so the scan sees
 * only what the user assigned.
 */
export class Module {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  training = true;

  /** Every field name ever seen holding a parameter, buffer or module, in first-seen order. */
  #names = new Set<string>();
  #buffers = new Set<string>();
  #nonPersistent = new Set<string>();
  #forwardPreHooks = new Map<number, ForwardPreHook>();
  #forwardHooks = new Map<number, ForwardHook>();

  /** The computation. Subclasses override it; call the module with `module.call(...)` to run hooks too. */
  // biome-ignore lint/suspicious/noExplicitAny: subclasses narrow the signature, and `call` takes its types from theirs
  forward(..._args: any[]): any {
    throw new NotImplementedError(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /** PyTorch's `module(x)`: forward pre-hooks, `forward`, then forward hooks. */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    let input: unknown[] = args;
    for (const hook of this.#forwardPreHooks.values()) {
      const result = hook(this, input);
      if (result !== undefined) input = Array.isArray(result) ? result : [result];
    }
    let output: unknown = this.forward(...input);
    for (const hook of this.#forwardHooks.values()) {
      const result = hook(this, input, output);
      if (result !== undefined) output = result;
    }
    return output as ReturnType<this['forward']>;
  }

  // ------------------------------------------------------------ registration

  #field(name: string): unknown {
    return (this as unknown as Record<string, unknown>)[name];
  }

  #setField(name: string, value: unknown): void {
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /**
   * PyTorch's checks on a registered name; like PyTorch it refuses a name that already means
   * something else on the module (a method such as `forward`, or a plain field), which would be
   * shadowed or lost.
   */
  #checkName(name: string, what: string): void {
    if (typeof name !== 'string') throw new GdTypeError(`${what} name should be a string. Got ${typeof name}`);
    if (name.includes('.')) throw new KeyError(`${what} name can't contain "."`);
    if (name === '') throw new KeyError(`${what} name can't be empty string ""`);
    this.#scan();
    const own = Object.hasOwn(this, name);
    if (!this.#names.has(name) && (own ? this.#field(name) !== undefined : name in this))
      throw new KeyError(`attribute '${name}' already exists`);
  }

  /** Picks up fields assigned since the last look that hold a parameter or a module. */
  #scan(): void {
    for (const key of Object.keys(this)) {
      if (this.#names.has(key)) continue;
      const v = this.#field(key);
      if (v instanceof Parameter || v instanceof Module) this.#names.add(key);
    }
  }

  /** Adds a parameter (or a null placeholder that keeps its place) under `name`; also sets `this[name]`. */
  registerParameter(name: string, param: Parameter | null): void {
    this.#checkName(name, 'parameter');
    if (param !== null && !(param instanceof Parameter))
      throw new GdTypeError(`cannot assign '${describe(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    this.#buffers.delete(name);
    this.#names.add(name);
    this.#setField(name, param);
  }

  /**
   * Adds a tensor that belongs to the module's state but is not trained (BatchNorm's running
   * mean). Persistent buffers are part of `stateDict()`. Also sets `this[name]`.
   */
  registerBuffer(name: string, value: Tensor | null, persistent: boolean | { persistent?: boolean } = true): void {
    const opts = readArgs<{ persistent: boolean }>([persistent], ['persistent'], { persistent: true });
    this.#checkName(name, 'buffer');
    if (value !== null && !(value instanceof Tensor))
      throw new GdTypeError(`cannot assign '${describe(value)}' object to buffer '${name}' (torch Tensor or None required)`);
    this.#names.add(name);
    this.#buffers.add(name);
    if (opts.persistent) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    this.#setField(name, value);
  }

  /** Adds a child module (or a null placeholder) under `name`; also sets `this[name]`. */
  registerModule(name: string, module: Module | null): void {
    this.#checkName(name, 'module');
    if (module !== null && !(module instanceof Module)) throw new GdTypeError(`${describe(module)} is not a Module subclass`);
    this.#buffers.delete(name);
    this.#names.add(name);
    this.#setField(name, module);
  }

  /** PyTorch's older spelling of `registerModule`. */
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }

  /** This module's own entries of one kind, after picking up fields assigned since the last look. */
  #own(kind: 'parameter'): [string, Parameter][];
  #own(kind: 'buffer'): [string, Tensor][];
  #own(kind: 'module'): [string, Module][];
  #own(kind: 'parameter' | 'buffer' | 'module'): [string, unknown][] {
    this.#scan();
    const out: [string, unknown][] = [];
    for (const name of this.#names) {
      const v = this.#field(name);
      const isBuffer = this.#buffers.has(name);
      if (
        kind === 'buffer'
          ? isBuffer && v instanceof Tensor
          : !isBuffer && (kind === 'parameter' ? v instanceof Parameter : v instanceof Module)
      )
        out.push([name, v]);
    }
    return out;
  }

  // ------------------------------------------------------------ traversal

  /** `[name, child]` for each direct child. */
  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [name, m] of this.#own('module')) {
      if (seen.has(m)) continue;
      seen.add(m);
      yield [name, m];
    }
  }

  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** `[dottedName, module]` for this module (name `''`) and every descendant, depth first. */
  namedModules(
    prefix: string | { prefix?: string; removeDuplicate?: boolean } = '',
    removeDuplicate?: boolean,
  ): Generator<[string, Module]> {
    const o = readArgs<{ prefix: string; removeDuplicate: boolean }>([prefix, removeDuplicate], ['prefix', 'removeDuplicate'], {
      prefix: '',
      removeDuplicate: true,
    });
    return this.#namedModules(o.prefix, o.removeDuplicate ? new Set() : null);
  }

  *#namedModules(prefix: string, memo: Set<Module> | null): Generator<[string, Module]> {
    if (memo) {
      if (memo.has(this)) return;
      memo.add(this);
    }
    yield [prefix, this];
    for (const [name, m] of this.#own('module')) yield* m.#namedModules(join(prefix, name), memo);
  }

  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** `[dottedName, parameter]` pairs: `linear.weight`, `0.bias`. Shared parameters appear once. */
  namedParameters(
    prefix: string | { prefix?: string; recurse?: boolean; removeDuplicate?: boolean } = '',
    recurse?: boolean,
    removeDuplicate?: boolean,
  ): Generator<[string, Parameter]> {
    const o = readMemberArgs(prefix, recurse, removeDuplicate);
    return this.#namedMembers('parameter', o.prefix, o.recurse, o.removeDuplicate) as Generator<[string, Parameter]>;
  }

  *parameters(recurse: boolean | { recurse?: boolean } = true): Generator<Parameter> {
    const o = readArgs<{ recurse: boolean }>([recurse], ['recurse'], { recurse: true });
    for (const [, p] of this.namedParameters('', o.recurse)) yield p;
  }

  namedBuffers(
    prefix: string | { prefix?: string; recurse?: boolean; removeDuplicate?: boolean } = '',
    recurse?: boolean,
    removeDuplicate?: boolean,
  ): Generator<[string, Tensor]> {
    const o = readMemberArgs(prefix, recurse, removeDuplicate);
    return this.#namedMembers('buffer', o.prefix, o.recurse, o.removeDuplicate);
  }

  *buffers(recurse: boolean | { recurse?: boolean } = true): Generator<Tensor> {
    const o = readArgs<{ recurse: boolean }>([recurse], ['recurse'], { recurse: true });
    for (const [, b] of this.namedBuffers('', o.recurse)) yield b;
  }

  *#namedMembers(kind: 'parameter' | 'buffer', prefix: string, recurse: boolean, removeDuplicate: boolean): Generator<[string, Tensor]> {
    const memo = new Set<Tensor>();
    const modules: Iterable<[string, Module]> = recurse ? this.namedModules(prefix, removeDuplicate) : [[prefix, this]];
    for (const [modulePrefix, m] of modules) {
      const members: [string, Tensor][] = kind === 'parameter' ? m.#own('parameter') : m.#own('buffer');
      for (const [name, t] of members) {
        if (removeDuplicate) {
          if (memo.has(t)) continue;
          memo.add(t);
        }
        yield [join(modulePrefix, name), t];
      }
    }
  }

  /** The module at a dotted path (`'encoder.0'`); `''` is this module. */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let m: Module = this;
    for (const part of target.split('.')) {
      const child = m.#own('module').find(([n]) => n === part)?.[1];
      if (!child) throw new AttributeError(`${m.constructor.name} has no attribute \`${part}\``);
      m = child;
    }
    return m;
  }

  getParameter(target: string): Parameter {
    const [path, name] = splitLast(target);
    const m = this.getSubmodule(path);
    const p = m.#own('parameter').find(([n]) => n === name)?.[1];
    if (!p) throw new AttributeError(`${m.constructor.name} has no parameter \`${name}\``);
    return p;
  }

  getBuffer(target: string): Tensor {
    const [path, name] = splitLast(target);
    const m = this.getSubmodule(path);
    const b = m.#own('buffer').find(([n]) => n === name)?.[1];
    if (!b) throw new AttributeError(`${m.constructor.name} has no buffer \`${name}\``);
    return b;
  }

  // ------------------------------------------------------------ modes and bulk changes

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('training mode is expected to be boolean');
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Calls fn on every descendant (children first) and then on this module. */
  apply(fn: (module: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /** Resets the gradients of all parameters: to null (default), or to zeros with `setToNone = false`. */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = true): void {
    const o = readArgs<{ setToNone: boolean }>([setToNone], ['setToNone'], { setToNone: true });
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (o.setToNone) p.grad = null;
      else {
        const g = p.grad.gradFn ? p.grad.detach() : p.grad;
        if (g.requiresGrad) g.requiresGrad = false;
        withGradMode(false, () => g.zero_());
        p.grad = g;
      }
    }
  }

  /** Sets `requiresGrad` on every parameter (freezing with `false`). */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Moves parameters and buffers to a backend (`'cpu'`, `'wasm'` or a Backend) or casts the
   * floating-point ones to a dtype (integer buffers such as BatchNorm's counter stay as they are).
   * Parameters keep their identity, as in PyTorch, so an optimizer built earlier still holds them.
   */
  to(target: DType | string | Backend): this {
    const isDtype = typeof target === 'string' && DTYPE_NAMES.has(target);
    const convert = (t: Tensor): Tensor => (isDtype && !t.isFloatingPoint() ? t : t.detach().to(target));
    for (const m of this.modules()) {
      for (const [, p] of m.#own('parameter')) {
        const moved = convert(p);
        if (moved.storage !== p.storage || moved.dtype !== p.dtype) p.data = moved;
        if (p.grad) p.grad = convert(p.grad);
      }
      for (const [name, b] of m.#own('buffer')) m.#setField(name, convert(b));
    }
    return this;
  }

  float(): this {
    return this.to('float32');
  }

  double(): this {
    return this.to('float64');
  }

  cpu(): this {
    return this.to('cpu');
  }

  // ------------------------------------------------------------ state dict

  /**
   * The module's state as a plain object in PyTorch's key order: each module's parameters, then
   * its persistent buffers, then its children's entries under `child.` prefixes. Values are
   * detached tensors sharing storage with the module (the live ones with `keepVars`).
   */
  stateDict(options: { prefix?: string; keepVars?: boolean } = {}): StateDict {
    const out: StateDict = {};
    this.#saveTo(out, options.prefix ?? '', options.keepVars ?? false);
    return out;
  }

  /** Like PyTorch, a module (or parameter) held under two names is saved under both. */
  #saveTo(out: StateDict, prefix: string, keepVars: boolean): void {
    for (const [name, p] of this.#own('parameter')) out[prefix + name] = keepVars ? p : p.detach();
    for (const [name, b] of this.#own('buffer')) if (!this.#nonPersistent.has(name)) out[prefix + name] = keepVars ? b : b.detach();
    for (const [name, m] of this.#own('module')) m.#saveTo(out, `${prefix}${name}.`, keepVars);
  }

  /**
   * Copies values from a state dict into this module's parameters and buffers. Every check runs
   * before anything is copied: with `strict` (default), missing or unexpected keys raise PyTorch's
   * error, and a shape mismatch always does; after a refused load the module is unchanged.
   */
  loadStateDict(stateDict: StateDict, strict: boolean | { strict?: boolean } = true): LoadStateDictResult {
    const o = readArgs<{ strict: boolean }>([strict], ['strict'], { strict: true });
    const own = this.stateDict({ keepVars: true });
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    for (const [key, target] of Object.entries(own)) {
      if (!Object.hasOwn(stateDict, key)) {
        missingKeys.push(key);
        continue;
      }
      const source = stateDict[key];
      if (!(source instanceof Tensor))
        errors.push(
          `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${describe(source)}`,
        );
      else if (!shapesEqual(source.shape, target.shape))
        errors.push(
          `size mismatch for ${key}: copying a param with shape torch.Size(${formatShape(source.shape)}) from checkpoint, the shape in current model is torch.Size(${formatShape(target.shape)}).`,
        );
    }
    for (const key of Object.keys(stateDict)) if (!Object.hasOwn(own, key)) unexpectedKeys.push(key);
    if (o.strict) {
      if (unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length > 0) throw new RuntimeError(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    withGradMode(false, () => {
      for (const [key, target] of Object.entries(own)) if (Object.hasOwn(stateDict, key)) target.copy_(stateDict[key]!);
    });
    return { missingKeys, unexpectedKeys };
  }

  // ------------------------------------------------------------ hooks

  /** `hook(module, args)` runs before every `call`; it may return replacement arguments. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this.#forwardPreHooks, hook);
  }

  /** `hook(module, args, output)` runs after every `call`; it may return a replacement output. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this.#forwardHooks, hook);
  }

  // ------------------------------------------------------------ printing

  /** The part inside the parentheses of this module's own line (PyTorch's `extra_repr`). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's `repr(module)`: the class name, extraRepr and each child indented as `(name): …`. */
  toString(): string {
    const extraLines = this.extraRepr() === '' ? [] : this.extraRepr().split('\n');
    const childLines = this.#own('module').map(([name, m]) => `(${name}): ${indentAfterFirst(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.constructor.name}(`;
    if (lines.length > 0) s += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join('\n  ')}\n`;
    return `${s})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A plain function that runs `module.call(...)`, for APIs that want `model(x)` as a function. */
export function callable<M extends Module>(module: M): ((...args: Parameters<M['forward']>) => ReturnType<M['forward']>) & { module: M } {
  const fn = (...args: Parameters<M['forward']>): ReturnType<M['forward']> => module.call(...(args as Parameters<M['forward']>));
  return Object.assign(fn, { module });
}

function addHook<H>(hooks: Map<number, H>, hook: H): RemovableHandle {
  const id = nextHookId++;
  hooks.set(id, hook);
  return { remove: () => void hooks.delete(id) };
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

function splitLast(target: string): [string, string] {
  const i = target.lastIndexOf('.');
  return i < 0 ? ['', target] : [target.slice(0, i), target.slice(i + 1)];
}

function indentAfterFirst(s: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return s
    .split('\n')
    .map((line, i) => (i === 0 ? line : pad + line))
    .join('\n');
}

/** How PyTorch names a value's type in messages. */
function describe(v: unknown): string {
  if (v instanceof Tensor) return `torch.${scalarTypeName(v.dtype)}Tensor`;
  if (v === null) return 'NoneType';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

type MemberArgs = { prefix: string; recurse: boolean; removeDuplicate: boolean };

/** PyTorch's `(prefix='', recurse=True, remove_duplicate=True)`, positional or as an options object. */
function readMemberArgs(prefix: string | Partial<MemberArgs>, recurse?: boolean, removeDuplicate?: boolean): MemberArgs {
  return readArgs<MemberArgs>([prefix, recurse, removeDuplicate], ['prefix', 'recurse', 'removeDuplicate'], {
    prefix: '',
    recurse: true,
    removeDuplicate: true,
  });
}
