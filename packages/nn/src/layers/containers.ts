// Containers: Sequential (a pipeline), ModuleList (an indexed list) and ModuleDict (named modules).
// Their children are named as PyTorch names them: '0', '1', … or the dict's keys.
import { IndexError, ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';

/** A module whose forward takes and returns one tensor. */
export interface TensorModule extends Module {
  forward(x: Tensor): Tensor;
}

function checkModule(op: string, m: unknown, at: string): Module {
  if (!(m instanceof Module)) throw new ValueError(`${op}: ${at} must be a Module, got ${m === null ? 'null' : typeof m}`);
  return m;
}

/**
 * Holds submodules in a list, registered as '0', '1', … (`nn.ModuleList`). It has no forward.
 * @example this.layers = new ModuleList(Array.from({ length: 6 }, () => new Block(cfg)))
 */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  readonly #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Adds a module at the end; returns this. */
  append(m: M): this {
    this.#items.push(checkModule('ModuleList.append', m, 'module') as M);
    return this;
  }

  /** Module `i` (negative counts from the end). */
  get(i: number): M {
    const n = this.#items.length;
    if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`ModuleList.get: index ${i} is out of range for length ${n}`);
    return this.#items[i < 0 ? i + n : i]!;
  }

  /** Replaces module `i` (PyTorch's `list[i] = m`); returns this. */
  set(i: number, m: M): this {
    const n = this.#items.length;
    if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`ModuleList.set: index ${i} is out of range for length ${n}`);
    this.#items[i < 0 ? i + n : i] = checkModule('ModuleList.set', m, 'module') as M;
    return this;
  }

  get length(): number {
    return this.#items.length;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  override namedChildren(): [string, Module][] {
    return this.#items.map((m, i) => [String(i), m]);
  }
}

/**
 * Runs its modules one after another (`nn.Sequential`); children are named '0', '1', ….
 * @example const mlp = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2)); mlp.forward(x)
 */
export class Sequential extends ModuleList<TensorModule> {
  constructor(...modules: TensorModule[]) {
    super(modules);
  }

  /** x → m_{n−1}(…m_1(m_0(x))). */
  override forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this) y = m.forward(y);
    return y;
  }
}

/**
 * Holds submodules by name, in insertion order (`nn.ModuleDict`); names are used verbatim.
 * @example this.heads = new ModuleDict({ cls: new Linear(64, 2), lm: new Linear(64, V) })
 */
export class ModuleDict<M extends Module = Module> extends Module {
  readonly #items = new Map<string, M>();

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    const entries = Symbol.iterator in modules ? [...(modules)] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  /** Adds or replaces the module under `key`; returns this. */
  set(key: string, m: M): this {
    if (key === '' || key.includes('.')) throw new ValueError(`ModuleDict.set: key must be non-empty and contain no '.', got '${key}'`);
    this.#items.set(key, checkModule('ModuleDict.set', m, `module '${key}'`) as M);
    return this;
  }

  /** The module under `key`. */
  get(key: string): M {
    const m = this.#items.get(key);
    if (!m) throw new IndexError(`ModuleDict.get: no module '${key}', have: ${[...this.#items.keys()].join(', ')}`);
    return m;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  entries(): [string, M][] {
    return [...this.#items.entries()];
  }

  get size(): number {
    return this.#items.size;
  }

  override namedChildren(): [string, Module][] {
    return this.entries();
  }
}
