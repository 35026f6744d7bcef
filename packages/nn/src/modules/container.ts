import { IndexError, type Tensor } from '@gd/tensor';
import { KeyError } from '../errors.js';
import { Module } from '../module.js';

function normalizeIndex(index: number, length: number): number {
  const i = index < 0 ? index + length : index;
  if (!Number.isInteger(index) || i < 0 || i >= length) throw new IndexError(`index ${index} is out of range`);
  return i;
}

/** The modules held under the fields `0`, `1`, … (a module held twice counts twice, as in PyTorch). */
function indexedChildren(m: Module): Module[] {
  const fields = m as unknown as Record<string, unknown>;
  const out: Module[] = [];
  for (let i = 0; fields[String(i)] instanceof Module; i++) out.push(fields[String(i)] as Module);
  return out;
}

/**
 * Runs its modules in order, feeding each one's output to the next. Built from modules
 * (`new Sequential(a, b)`, named `0`, `1`, …) or from an object of named modules.
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first !== undefined && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first)) this.registerModule(name, m);
    } else (modules as Module[]).forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Every held module in order, whatever its name. */
  #modules(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  override forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this.#modules()) x = m.call(x) as Tensor;
    return x;
  }

  get length(): number {
    return this.#modules().length;
  }

  /** The module at an index (negative counts from the end). */
  at(index: number): Module {
    const list = this.#modules();
    return list[normalizeIndex(index, list.length)]!;
  }

  /** A new Sequential over modules start..end (Python's `seq[start:end]`), keeping their names. */
  slice(start?: number, end?: number): Sequential {
    const named = [...this.namedChildren()].slice(start, end);
    return new Sequential(Object.fromEntries(named));
  }

  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  insert(index: number, module: Module): this {
    const list = indexedChildren(this);
    const i = index < 0 ? index + list.length : index;
    if (!Number.isInteger(index) || i < 0 || i > list.length) throw new IndexError(`Index out of range: ${index}`);
    list.splice(i, 0, module);
    list.forEach((m, k) => this.registerModule(String(k), m));
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#modules()[Symbol.iterator]();
  }
}

/** Holds submodules in a list, so their parameters are found; it has no forward of its own. */
export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  get length(): number {
    return indexedChildren(this).length;
  }

  at(index: number): Module {
    const list = indexedChildren(this);
    return list[normalizeIndex(index, list.length)]!;
  }

  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  insert(index: number, module: Module): this {
    const list = indexedChildren(this);
    const i = index < 0 ? Math.max(0, index + list.length) : Math.min(index, list.length);
    list.splice(i, 0, module);
    list.forEach((m, k) => this.registerModule(String(k), m));
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return indexedChildren(this)[Symbol.iterator]();
  }
}

/** Holds submodules by name, in insertion order; it has no forward of its own. */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  get(key: string): Module {
    const m = [...this.namedChildren()].find(([name]) => name === key)?.[1];
    if (!m) throw new KeyError(`'${key}'`);
    return m;
  }

  set(key: string, module: Module): this {
    this.registerModule(key, module);
    return this;
  }

  has(key: string): boolean {
    return [...this.namedChildren()].some(([name]) => name === key);
  }

  update(modules: Record<string, Module> | Iterable<[string, Module]>): this {
    const entries = Symbol.iterator in modules ? (modules as Iterable<[string, Module]>) : Object.entries(modules);
    for (const [k, m] of entries) this.registerModule(k, m);
    return this;
  }

  get length(): number {
    return [...this.namedChildren()].length;
  }

  keys(): string[] {
    return [...this.namedChildren()].map(([k]) => k);
  }

  values(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  items(): [string, Module][] {
    return [...this.namedChildren()];
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}
