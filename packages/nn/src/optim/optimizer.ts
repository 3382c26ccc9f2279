// Optimizer: parameter groups, per-parameter state, zeroGrad and state dicts shared by SGD, Adam
// and AdamW (PyTorch's `torch.optim.Optimizer`).
import { keep, noGrad, ShapeError, tidy, ValueError, fmtShape, zerosLike } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** One parameter group: its tensors and the hyper-parameters that override the defaults. */
export type ParamGroup<O> = O & { params: Tensor[] };

/** What an optimizer constructor accepts: parameters, or groups with their own options. */
export type ParamsInput<O> = Iterable<Tensor> | Array<Partial<O> & { params: Tensor[] }>;

/** Per-parameter state: tensors (moments, buffers) and numbers (the step count). */
export type ParamState = Record<string, Tensor | number>;

/**
 * A serialisable optimizer state (PyTorch's layout): `state` by parameter index (counting through
 * the groups in order) and the groups' hyper-parameters with the indices of their parameters.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** Base class of the optimizers. Subclasses implement `updateParam`. */
export abstract class Optimizer<O extends object> {
  readonly paramGroups: ParamGroup<O>[];
  /** State per parameter, created on its first update. */
  readonly state = new Map<Tensor, ParamState>();
  readonly #name: string;

  protected constructor(name: string, params: ParamsInput<O>, defaults: O) {
    this.#name = name;
    const list = [...params] as (Tensor | (Partial<O> & { params: Tensor[] }))[];
    const groups = list.length > 0 && !isTensorLike(list[0]) ? (list as (Partial<O> & { params: Tensor[] })[]) : [{ params: list as Tensor[] } as Partial<O> & { params: Tensor[] }];
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      if (!Array.isArray(g.params)) throw new ValueError(`${name}: param group ${gi} needs a 'params' array`);
      for (const p of g.params) {
        if (seen.has(p)) throw new ValueError(`${name}: a parameter appears in more than one group (group ${gi})`);
        if (!p.requiresGrad) throw new ValueError(`${name}: every parameter must require grad; group ${gi} has one of shape ${fmtShape(p.shape)} that does not`);
        seen.add(p);
      }
      return { ...defaults, ...g, params: [...g.params] };
    });
    if (seen.size === 0) throw new ValueError(`${name}: got an empty parameter list`);
  }

  /** Drops every parameter's gradient (`zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        p.grad?.dispose();
        p.grad = null;
      }
    }
  }

  /**
   * Updates every parameter that has a gradient, in place, without leaking intermediates. Each
   * parameter's temporaries are freed before the next one's are made, so the step needs a few
   * copies of the largest parameter, not of the whole model (GPT-2's 124 M: ~0.5 GB, not ~5 GB).
   */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) if (p.grad) tidy(() => this.updateParam(p, p.grad!, group, this.stateOf(p)));
      }
    });
  }

  /** One parameter's update; runs inside `tidy` and `noGrad`. Write results with `assign`. */
  protected abstract updateParam(p: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /** Names and initial values of a fresh parameter's state. */
  protected abstract initialState(p: Tensor, group: ParamGroup<O>): ParamState;

  private stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      const group = this.paramGroups.find((g) => g.params.includes(p))!;
      s = this.initialState(p, group);
      for (const v of Object.values(s)) if (typeof v !== 'number') keep(v);
      this.state.set(p, s);
    }
    return s;
  }

  /** A zero tensor like `p` that outlives tidy scopes, for moment buffers. */
  protected zerosState(p: Tensor): Tensor {
    return keep(zerosLike(p));
  }

  /**
   * The state to resume from: moments and step counts by parameter index, and the groups'
   * hyper-parameters. The tensors are the optimizer's own; `saveCheckpoint` serialises them.
   */
  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const { params, ...options } = group;
      const ids: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s) state[index] = { ...s };
        ids.push(index++);
      }
      paramGroups.push({ ...options, params: ids });
    }
    return { state, paramGroups };
  }

  /**
   * Restores hyper-parameters and state saved by `stateDict` (copies the tensors). Groups must
   * have the same sizes, and each state tensor its parameter's shape.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.#name;
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(`${name}.loadStateDict: expected ${this.paramGroups.length} param groups, got ${sd.paramGroups.length}`);
    }
    const flat = this.paramGroups.flatMap((g) => g.params);
    sd.paramGroups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i]!.params.length) {
        throw new ValueError(`${name}.loadStateDict: group ${i} has ${this.paramGroups[i]!.params.length} parameters, the state dict ${g.params.length}`);
      }
    });
    for (const [key, s] of Object.entries(sd.state)) {
      const p = flat[Number(key)];
      if (!p) throw new ValueError(`${name}.loadStateDict: state for parameter ${key}, but there are only ${flat.length}`);
      for (const [k, v] of Object.entries(s)) {
        if (typeof v !== 'number' && (v.ndim !== p.ndim || v.shape.some((d, j) => d !== p.shape[j]))) {
          throw new ShapeError(`${name}.loadStateDict: state '${k}' of parameter ${key} must be ${fmtShape(p.shape)}, got ${fmtShape(v.shape)}`);
        }
      }
    }
    for (const old of this.state.values()) for (const v of Object.values(old)) if (typeof v !== 'number') v.dispose();
    this.state.clear();
    sd.paramGroups.forEach((g, i) => {
      const { params: _ids, ...options } = g;
      Object.assign(this.paramGroups[i]!, options);
    });
    for (const [key, s] of Object.entries(sd.state)) {
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) copy[k] = typeof v === 'number' ? v : keep(noGrad(() => v.to('float32').clone()));
      this.state.set(flat[Number(key)]!, copy);
    }
  }
}

function isTensorLike(x: unknown): boolean {
  return typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x;
}

/** Reads a numeric state entry. */
export function num(state: ParamState, key: string): number {
  return state[key] as number;
}

/** Reads a tensor state entry. */
export function buf(state: ParamState, key: string): Tensor {
  return state[key] as Tensor;
}
