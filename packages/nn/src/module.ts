// Module: the base class of every layer and model (PyTorch's `nn.Module`). Submodules and
// parameters are found in the module's own fields, in the order they were assigned, and named as
// PyTorch names them (`selfAttn.inProjWeight` → `self_attn.in_proj_weight`).
import { noGrad, ShapeError, ValueError, fmtShape, keep, Tensor } from '@qkv/tensor-core';
import { pytorchName } from './names.js';
import { isParameter } from './parameter.js';

/** A state dict: dotted PyTorch names → tensors (`model.stateDict()`). */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` found (PyTorch's `_IncompatibleKeys`). */
export interface LoadResult {
  /** Keys the module has and the state dict lacks. */
  missingKeys: string[];
  /** Keys the state dict has and the module lacks. */
  unexpectedKeys: string[];
}

interface Member {
  name: string;
  kind: 'parameter' | 'buffer' | 'module';
  value: Tensor | Module;
  persistent: boolean;
}

/**
 * Base class for layers and models. Assign submodules and `Parameter`s to fields in the
 * constructor (after `super()`); register non-trainable state with `registerBuffer`.
 * Field names become PyTorch names: camelCase turns into snake_case.
 * @example
 * class MLP extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 2);
 *   override forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * new MLP().stateDict() // { 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias' }
 */
export class Module {
  /** True in training mode (dropout active); set by `train()` / `eval()`. */
  training = true;
  /** Field → persistent, for fields registered as buffers. */
  readonly #buffers = new Map<string, boolean>();
  /** Fields registered under an explicit name, which is used verbatim. */
  readonly #verbatim = new Set<string>();

  /**
   * Runs the module. Subclasses define it with their own signature; the base class throws, as
   * PyTorch's does.
   */
  forward(..._args: never[]): unknown {
    throw new ValueError(`${this.constructor.name}.forward: this module does not define forward`);
  }

  // ---------------------------------------------------------------- registration

  /**
   * Registers a tensor that is state but not trained (PyTorch's `register_buffer`), e.g. a running
   * mean or a fixed positional table. Non-persistent buffers stay out of the state dict. The field
   * `name` is saved under its PyTorch name (`runningMean` → `running_mean`); declare it in the
   * subclass with `declare readonly runningMean: Tensor`.
   * @example this.registerBuffer('pe', table, false)
   */
  registerBuffer(name: string, t: Tensor | null, persistent = true): void {
    if (t) keep(t);
    (this as unknown as Record<string, unknown>)[name] = t;
    this.#buffers.set(name, persistent);
  }

  /**
   * Stores a parameter under an exact name (no camelCase conversion), as PyTorch's
   * `register_parameter`; for names built at run time such as `weight_ih_l0_reverse`.
   */
  registerParameter(name: string, p: Tensor | null): void {
    if (p !== null && !isParameter(p)) throw new ValueError(`${this.constructor.name}.registerParameter: '${name}' must be a Parameter(...)`);
    (this as unknown as Record<string, unknown>)[name] = p;
    this.#verbatim.add(name);
  }

  /** Stores a submodule under an exact name (PyTorch's `add_module`). */
  registerModule(name: string, m: Module | null): void {
    (this as unknown as Record<string, unknown>)[name] = m;
    this.#verbatim.add(name);
  }

  /** This module's own parameters, buffers and submodules, in assignment order. */
  #members(): Member[] {
    const out: Member[] = [];
    for (const [field, value] of Object.entries(this)) {
      const name = this.#verbatim.has(field) ? field : pytorchName(field);
      const persistent = this.#buffers.get(field);
      if (persistent !== undefined && value instanceof Tensor) out.push({ name, kind: 'buffer', value, persistent });
      else if (isParameter(value)) out.push({ name, kind: 'parameter', value, persistent: true });
      else if (value instanceof Module) out.push({ name, kind: 'module', value, persistent: true });
      else if (Array.isArray(value) && value.some((v) => v instanceof Module)) {
        throw new ValueError(`${this.constructor.name}: field '${field}' is an array of Modules; use ModuleList so their parameters are registered`);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- traversal

  /** Direct submodules with their names. Containers (Sequential, ModuleList) override this. */
  namedChildren(): [string, Module][] {
    return this.#members().filter((m) => m.kind === 'module').map((m) => [m.name, m.value as Module]);
  }

  /** Direct submodules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, each once, with dotted names (this one is ''). */
  namedModules(prefix = '', seen = new Set<Module>()): [string, Module][] {
    if (seen.has(this)) return [];
    seen.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(join(prefix, name), seen));
    return out;
  }

  /** This module and every descendant. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Own tensors of one kind, with this module's prefix. */
  #namedTensors(kind: 'parameter' | 'buffer', prefix: string, persistentOnly: boolean): [string, Tensor][] {
    return this.#members()
      .filter((m) => m.kind === kind && (!persistentOnly || m.persistent))
      .map((m) => [join(prefix, m.name), m.value as Tensor]);
  }

  /**
   * Every parameter with its dotted PyTorch name, each tensor once (shared weights appear under
   * their first name), as `named_parameters()`.
   * @example for (const [name, p] of model.namedParameters()) console.log(name, p.shape)
   */
  namedParameters(): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.#namedTensors('parameter', prefix, false)) {
        if (!seen.has(p)) out.push([name, p]);
        seen.add(p);
      }
    }
    return out;
  }

  /** Every parameter, each once. @example new Adam(model.parameters(), { lr: 1e-3 }) */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(): [string, Tensor][] {
    return this.namedModules().flatMap(([prefix, m]) => m.#namedTensors('buffer', prefix, false));
  }

  /** Every buffer. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * Number of parameter elements (each shared tensor counted once).
   * @example new Linear(4, 3).numParameters() // 15
   */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters().filter((p) => !options.trainableOnly || p.requiresGrad).reduce((n, p) => n + p.size, 0);
  }

  // ---------------------------------------------------------------- modes and utilities

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`): dropout becomes the identity. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Calls `fn` on every submodule (children first) and then on this module, as `Module.apply`;
   * used for custom initialisation. Returns this.
   * @example model.apply((m) => { if (m instanceof Linear) init.zeros_(m.bias!) })
   */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  // ---------------------------------------------------------------- state dicts

  /**
   * Parameters and persistent buffers by dotted PyTorch name, in registration order
   * (`state_dict()`). The values are the module's own tensors: read them, do not dispose them.
   * @example Object.keys(new Linear(2, 3).stateDict()) // ['weight', 'bias']
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [prefix, m] of this.namedModules()) {
      for (const member of m.#members()) {
        if (member.kind === 'module' || !member.persistent) continue;
        out[join(prefix, member.name)] = member.value as Tensor;
      }
    }
    return out;
  }

  /**
   * Copies values from `stateDict` into this module's parameters and buffers (in place, so
   * optimizers keep working). Shapes must match. With `strict` (default) a missing or
   * unexpected key is an error too; every problem is reported by name, and nothing is changed
   * unless all checks pass. Values of another dtype are cast.
   * @example model.loadStateDict(load(bytes).tensors)
   */
  loadStateDict(stateDict: Readonly<Record<string, Tensor>>, options: { strict?: boolean } = {}): LoadResult {
    const { strict = true } = options;
    const own = this.stateDict();
    // own keys only: a file's tensor named 'constructor' or '__proto__' is unexpected, not inherited
    const missingKeys = Object.keys(own).filter((k) => !Object.hasOwn(stateDict, k));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !Object.hasOwn(own, k));
    const problems: string[] = [];
    for (const [key, target] of Object.entries(own)) {
      const value = Object.hasOwn(stateDict, key) ? stateDict[key] : undefined;
      if (value && !sameShape(value.shape, target.shape)) {
        problems.push(`size mismatch for ${key}: expected ${fmtShape(target.shape)}, got ${fmtShape(value.shape)}`);
      }
    }
    if (strict) {
      if (missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
      if (unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    }
    if (problems.length > 0) {
      const message = `${this.constructor.name}.loadStateDict: ${problems.join('; ')}`;
      throw problems[0]!.startsWith('size mismatch') ? new ShapeError(message) : new ValueError(message);
    }
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) {
        const value = Object.hasOwn(stateDict, key) ? stateDict[key] : undefined;
        if (!value || value === target) continue;
        if (value.dtype === target.dtype) target.assign(value);
        else {
          const cast = value.to(target.dtype);
          target.assign(cast);
          cast.dispose();
        }
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---------------------------------------------------------------- printing

  /** The constructor arguments shown by `toString()`, e.g. `in_features=4, out_features=2`. */
  extraRepr(): string {
    return '';
  }

  /** PyTorch-style summary: `Linear(in_features=4, out_features=2, bias=true)`, nested. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, m]) => `  (${name}): ${m.toString().replace(/\n/g, '\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
