// injectLoRA and friends: put LoRALinear adapters into any model by module name, freeze the rest,
// merge them into the base weights or take them out again (PEFT's get_peft_model,
// merge_adapter, unmerge_adapter, merge_and_unload, get_peft_model_state_dict).
import { ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { ModuleDict, ModuleList } from '../layers/containers.js';
import { Linear } from '../layers/linear.js';
import type { Module, StateDict } from '../module.js';
import { LoRALinear } from './lora-linear.js';
import type { LoRALinearOptions } from './lora-linear.js';

/**
 * Which Linear layers get adapters, by dotted module name (`transformer.h.0.attn.c_attn`):
 * - a RegExp is tested against the whole name (`/c_attn|query|value/`; anchor it to match exactly);
 * - a string is a regular expression that must match the whole name (PEFT's `re.fullmatch`);
 * - a string array matches a name equal to an entry or ending in `.` + entry (PEFT's list rule).
 */
export type TargetModules = RegExp | string | readonly string[];

/** Options of `injectLoRA`. */
export interface InjectLoRAOptions extends LoRALinearOptions {
  /** The Linear layers to adapt (see `TargetModules`). */
  targetModules: TargetModules;
  /**
   * Modules trained in full next to the adapters (PEFT's `modules_to_save`; for sequence
   * classification PEFT adds `classifier` and `score`): each entry names the modules equal to it or
   * ending in `.` + it, whose parameters stay trainable. Entries that match nothing are skipped, as
   * PEFT does, but at least one must match. Default none.
   */
  modulesToSave?: readonly string[];
}

/**
 * Replaces every Linear submodule whose name matches `targetModules` by a `LoRALinear` around it
 * and freezes every other parameter of the model (`requiresGrad` false) but those of `modulesToSave`, so an optimizer over
 * `model.parameters().filter((p) => p.requiresGrad)` trains only the adapters. Names, shapes and
 * forward signatures are unchanged; the state dict gains `<name>.lora_A.weight` [r, in] and
 * `<name>.lora_B.weight` [out, r]. Returns the adapted names, in model order.
 * Defaults: r 8, alpha 8, dropout 0.
 * @example
 * injectLoRA(gpt, { r: 8, alpha: 16, dropout: 0.05, targetModules: ['c_attn'] })
 * // ['transformer.h.0.attn.c_attn', 'transformer.h.1.attn.c_attn', …]
 */
export function injectLoRA(model: Module, options: InjectLoRAOptions): string[] {
  const matches = matcher(options.targetModules);
  const named = model.namedModules();
  const linears = named.filter(([name, m]) => name !== '' && m instanceof Linear);
  const already = linears.filter(([, m]) => m instanceof LoRALinear);
  if (already.length > 0) throw new ValueError(`injectLoRA: the model already has LoRA adapters (${already[0]![0]}…); merge or unload them first`);
  const targets = linears.filter(([name]) => matches(name));
  if (targets.length === 0) {
    const some = linears.slice(0, 6).map(([n]) => n).join(', ');
    throw new ValueError(`injectLoRA: targetModules ${String(options.targetModules)} match no Linear layer; the model's Linear layers are: ${some || 'none'}${linears.length > 6 ? ', …' : ''}`);
  }
  const saved = options.modulesToSave ?? [];
  if (!Array.isArray(saved) || !saved.every((t) => typeof t === 'string' && t !== '')) throw new ValueError(`injectLoRA: modulesToSave must be an array of module names, got ${JSON.stringify(saved)}`);
  const kept = saved.length === 0 ? [] : named.filter(([name]) => name !== '' && saved.some((t) => name === t || name.endsWith(`.${t}`)));
  if (saved.length > 0 && kept.length === 0) throw new ValueError(`injectLoRA: modulesToSave ${saved.join(', ')} match no module of the model`);
  for (const p of model.parameters()) p.requiresGrad_(false);
  for (const [, m] of kept) for (const p of m.parameters()) p.requiresGrad_(true);
  const parents = parentIndex(named);
  for (const [name, linear] of targets) {
    replaceChild(parents, name, linear, new LoRALinear(linear as Linear, options));
  }
  return targets.map(([name]) => name);
}

/** The model's LoRA layers with their dotted names. @example loraLayers(model).length // 12 */
export function loraLayers(model: Module): [string, LoRALinear][] {
  return model.namedModules().filter((e): e is [string, LoRALinear] => e[1] instanceof LoRALinear);
}

/**
 * Adds every adapter's B·A·scaling into its base weight (PEFT's `merge_adapter`): forward then
 * gives the same outputs as the adapter path at the cost of the base model alone.
 * @example mergeLoRA(model); model.forward(ids) // as before, one GEMM per layer
 */
export function mergeLoRA(model: Module): void {
  for (const [, layer] of loraLayers(model)) layer.merge();
}

/** Undoes `mergeLoRA` (PEFT's `unmerge_adapter`), so training can go on. */
export function unmergeLoRA(model: Module): void {
  for (const [, layer] of loraLayers(model)) layer.unmerge();
}

/**
 * Takes the adapters out again, putting each original Linear back in place (PEFT's
 * `merge_and_unload` with `merge` true, the default, or `unload` with false). The base parameters
 * stay frozen as they are; returns the model.
 * @example unloadLoRA(model); savePretrained(model, dir) // a plain model with tuned weights
 */
export function unloadLoRA<M extends Module>(model: M, options: { merge?: boolean } = {}): M {
  const { merge = true } = options;
  const named = model.namedModules();
  const parents = parentIndex(named);
  for (const [name, layer] of loraLayers(model)) {
    if (merge) layer.merge();
    else layer.unmerge();
    replaceChild(parents, name, layer, layer.base);
  }
  return model;
}

/**
 * The adapters' tensors by qkv name (`transformer.h.0.attn.c_attn.lora_A.weight`), PEFT's
 * `get_peft_model_state_dict` before renaming. The values are the model's own tensors.
 * @example saveFile('adapter.safetensors', loraStateDict(model))
 */
export function loraStateDict(model: Module): StateDict {
  const out: StateDict = {};
  for (const [name, layer] of loraLayers(model)) {
    out[`${name}.lora_A.weight`] = layer.lora_A.weight;
    out[`${name}.lora_B.weight`] = layer.lora_B.weight;
  }
  return out;
}

/** The trainable parameters (after `injectLoRA`: the adapters only). @example new AdamW(trainableParameters(model)) */
export function trainableParameters(model: Module): Tensor[] {
  return model.parameters().filter((p) => p.requiresGrad);
}

function matcher(target: TargetModules): (name: string) => boolean {
  if (target instanceof RegExp) {
    const re = new RegExp(target.source, target.flags.replace(/[gy]/g, '')); // no lastIndex state
    return (name) => re.test(name);
  }
  if (typeof target === 'string') {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${target})$`);
    } catch (err) {
      throw new ValueError(`injectLoRA: targetModules '${target}' is not a valid regular expression (${(err as Error).message})`);
    }
    return (name) => re.test(name);
  }
  if (Array.isArray(target) && target.length > 0 && target.every((t) => typeof t === 'string' && t !== '')) {
    const list = target as readonly string[];
    return (name) => list.some((t) => name === t || name.endsWith(`.${t}`));
  }
  throw new ValueError(`injectLoRA: targetModules must be a RegExp, a string or a non-empty array of names, got ${JSON.stringify(target) ?? String(target)}`);
}

/** Dotted name → module, to find each target's parent. */
function parentIndex(named: [string, Module][]): Map<string, Module> {
  return new Map(named);
}

/** Puts `next` where `current` sits under its parent: a ModuleList slot, a ModuleDict key or a field. */
function replaceChild(modules: Map<string, Module>, name: string, current: Module, next: Module): void {
  const dot = name.lastIndexOf('.');
  const parent = modules.get(dot < 0 ? '' : name.slice(0, dot))!;
  const key = name.slice(dot + 1);
  if (parent instanceof ModuleList) {
    parent.set(Number(key), next);
    return;
  }
  if (parent instanceof ModuleDict) {
    parent.set(key, next);
    return;
  }
  const fields = parent as unknown as Record<string, unknown>;
  const field = Object.keys(fields).find((f) => fields[f] === current);
  if (field === undefined) throw new ValueError(`injectLoRA: cannot find the field that holds '${name}' in ${parent.constructor.name}`);
  fields[field] = next;
}
