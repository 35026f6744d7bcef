import { IndexError, type Tensor } from '@gd/tensor';
import { KeyError } from '@gd/tensor';
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
  /** The names of the held modules in order; a module held twice runs twice, as in PyTorch. */
  #names: string[] = [];

  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first !== undefined && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first)) this.#add(name, m);
    } else (modules as Module[]).forEach((m, i) => this.#add(String(i), m));
  }

  #add(name: string, module: Module): void {
    this.registerModule(name, module);
    if (!this.#names.includes(name)) this.#names.push(name);
  }

  #modules(): Module[] {
    const fields = this as unknown as Record<string, Module>;
    return this.#names.map((name) => fields[name]!);
  }

  override forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this.#modules()) x = m.call(x) as Tensor;
    return x;
  }

  get length(): number {
    return this.#names.length;
  }

  /** The module at an index (negative counts from the end). */
  at(index: number): Module {
    const list = this.#modules();
    return list[normalizeIndex(index, list.length)]!;
  }

  /** A new Sequential over modules start..end (Python's `seq[start:end]`), keeping their names. */
  slice(start?: number, end?: number): Sequential {
    const fields = this as unknown as Record<string, Module>;
    return new Sequential(Object.fromEntries(this.#names.slice(start, end).map((name) => [name, fields[name]!])));
  }

  append(module: Module): this {
    this.#add(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts before `index`, renumbering the modules after it (for a Sequential built from modules). */
  insert(index: number, module: Module): this {
    const list = this.#modules();
    const i = index < 0 ? index + list.length : index;
    if (!Number.isInteger(index) || i < 0 || i > list.length) throw new IndexError(`Index out of range: ${index}`);
    list.splice(i, 0, module);
    list.forEach((m, k) => this.#add(String(k), m));
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
  /** The keys in insertion order; a module held under two keys is listed under both, as in PyTorch. */
  #keys: string[] = [];

  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    this.update(modules);
  }

  get(key: string): Module {
    if (!this.has(key)) throw new KeyError(`'${key}'`);
    return (this as unknown as Record<string, Module>)[key]!;
  }

  /** Adds or replaces the module under `key` (a key that names a method or field is refused). */
  set(key: string, module: Module): this {
    this.registerModule(key, module);
    if (!this.#keys.includes(key)) this.#keys.push(key);
    return this;
  }

  has(key: string): boolean {
    return this.#keys.includes(key);
  }

  update(modules: Record<string, Module> | Iterable<[string, Module]>): this {
    const entries = Symbol.iterator in modules ? (modules as Iterable<[string, Module]>) : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
    return this;
  }

  get length(): number {
    return this.#keys.length;
  }

  keys(): string[] {
    return this.#keys.slice();
  }

  values(): Module[] {
    return this.#keys.map((k) => this.get(k));
  }

  items(): [string, Module][] {
    return this.#keys.map((k) => [k, this.get(k)]);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}
