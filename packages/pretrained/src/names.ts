// The name maps between Hub checkpoints and qkv modules, as data read in both directions: one rule
// says which Hub tensor(s) hold which qkv parameter and how (as is, transposed, regrouped, or
// q/k/v concatenated), and the same rule drives loading and saving, so the two cannot drift apart.
import type { Module } from '@qkv/nn';
import { cat, noGrad } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { PretrainedError } from './config.js';
import { readTensor } from './safetensors.js';
import type { StoredTensor } from './safetensors.js';
import type { PretrainedSource } from './source.js';

/** One parameter: `qkv` name ↔ `hub` name(s); `{i}` stands for the layer index. */
export interface NameRule {
  qkv: string;
  /** Several names: concatenated along dim 0 in qkv (q, k, v → `in_proj_weight`), split on save. */
  hub: string | readonly [string, ...string[]];
  /** 'transpose': the Hub stores the 2-D weight as [in, out] (GPT-2's Conv1D). 'reshape': same values, Hub shape `hubShape`. */
  transform?: 'transpose' | 'reshape';
  hubShape?: readonly number[];
}

/** A family's complete map for one model. */
export interface NameMap {
  rules: NameRule[];
  /** qkv state-dict names that share another rule's tensor (tied weights). */
  tied: readonly string[];
  /** Hub tensors a checkpoint may hold that the model does not use (causal-mask buffers, tied copies). */
  ignore: readonly RegExp[];
  /** Hugging Face's `base_model_prefix`: a checkpoint may carry it or not. */
  prefix: string;
  /** [name, older name] pairs a checkpoint may use instead. */
  aliases?: readonly (readonly [string, string])[];
}

/** Rules with `{i}` repeated for each layer, every name given `qkvPrefix` / `hubPrefix`. */
export function expandRules(template: readonly NameRule[], layers: number, qkvPrefix = '', hubPrefix = ''): NameRule[] {
  const out: NameRule[] = [];
  for (const rule of template) {
    const count = rule.qkv.includes('{i}') ? layers : 1;
    for (let i = 0; i < count; i++) {
      const name = (s: string) => s.replaceAll('{i}', String(i));
      const hub = typeof rule.hub === 'string' ? hubPrefix + name(rule.hub) : (rule.hub.map((h) => hubPrefix + name(h)) as unknown as [string, ...string[]]);
      out.push({ ...rule, qkv: qkvPrefix + name(rule.qkv), hub });
    }
  }
  return out;
}

const hubNames = (rule: NameRule): readonly string[] => (typeof rule.hub === 'string' ? [rule.hub] : rule.hub);

/** The Hub shape of each of a rule's tensors, given the qkv parameter's shape. */
function hubShapes(rule: NameRule, shape: readonly number[]): number[][] {
  const names = hubNames(rule);
  if (rule.transform === 'transpose') return [[...shape].reverse()];
  if (rule.transform === 'reshape') return [[...rule.hubShape!]];
  if (names.length > 1) return names.map(() => [shape[0]! / names.length, ...shape.slice(1)]);
  return [[...shape]];
}

/** The Hub tensors of `model`, by Hub name in rule order (what `savePretrained` writes). */
export function toHub(model: Module, map: NameMap, where: string): Map<string, Tensor> {
  const own = new Map(Object.entries(model.stateDict()));
  const out = new Map<string, Tensor>();
  for (const rule of map.rules) {
    const t = own.get(rule.qkv);
    if (!t) throw new PretrainedError(`${where}: the model has no parameter '${rule.qkv}' (expected by the name map)`);
    const names = hubNames(rule);
    const shapes = hubShapes(rule, t.shape);
    if (rule.transform === 'transpose') out.set(names[0]!, t.transpose(0, 1).contiguous());
    else if (rule.transform === 'reshape') out.set(names[0]!, t.reshape(shapes[0]!));
    else if (names.length > 1) t.split(shapes[0]![0]!, 0).forEach((part, k) => out.set(names[k]!, part.contiguous()));
    else out.set(names[0]!, t);
  }
  checkCovered(own, map, where);
  return out;
}

function checkCovered(own: Map<string, Tensor>, map: NameMap, where: string): void {
  const covered = new Set([...map.rules.map((r) => r.qkv), ...map.tied]);
  const left = [...own.keys()].filter((k) => !covered.has(k));
  if (left.length > 0) throw new PretrainedError(`${where}: the name map leaves ${left.slice(0, 5).join(', ')} unmapped`);
}

/** The checkpoint's file names for messages (the folder's description when it holds no tensor). */
function checkpointFiles(stored: Map<string, StoredTensor>, source: PretrainedSource): string {
  const files = [...new Set([...stored.values()].map((t) => t.file))];
  return files.length > 0 ? files.join(', ') : `no tensors in ${source.description}`;
}

/**
 * Loads the checkpoint's tensors into `model` one rule at a time (each parameter is replaced as soon
 * as it is read, so the model's initial weights are freed as the load goes). Checks, before any
 * byte of a tensor is read: every rule's tensor exists with the expected shape, and every tensor of
 * the checkpoint is used or known to be ignorable.
 */
export async function fromHub(model: Module, map: NameMap, stored: Map<string, StoredTensor>, source: PretrainedSource, where: string, architecture: string): Promise<void> {
  const own = new Map(Object.entries(model.stateDict()));
  checkCovered(own, map, where);
  const used = new Set<string>();
  const resolve = (name: string): StoredTensor | undefined => {
    const p = `${map.prefix}.`;
    const candidates = [name, name.startsWith(p) ? name.slice(p.length) : p + name];
    for (const [now, old] of map.aliases ?? []) if (name.endsWith(now)) candidates.push(...candidates.map((c) => c.slice(0, c.length - now.length) + old));
    for (const c of [...candidates]) {
      if (c.endsWith('LayerNorm.weight')) candidates.push(c.replace(/weight$/, 'gamma'));
      if (c.endsWith('LayerNorm.bias')) candidates.push(c.replace(/bias$/, 'beta'));
    }
    for (const c of candidates) if (stored.has(c)) return stored.get(c);
    return undefined;
  };
  const plan = map.rules.map((rule) => {
    const target = own.get(rule.qkv)!;
    const shapes = hubShapes(rule, target.shape);
    const entries = hubNames(rule).map((name, k) => {
      const entry = resolve(name);
      if (!entry) throw new PretrainedError(`${where}: the checkpoint has no tensor '${name}' (or '${map.prefix}.${name}'), which ${architecture} needs for ${rule.qkv} (checkpoint: ${checkpointFiles(stored, source)})`);
      const want = shapes[k]!;
      if (entry.shape.length !== want.length || entry.shape.some((s, d) => s !== want[d])) {
        throw new PretrainedError(`${where}: ${entry.file}: tensor '${entry.name}' must be [${want.join(', ')}] for this config.json, got [${entry.shape.join(', ')}]`);
      }
      used.add(entry.name);
      return entry;
    });
    return { rule, target, entries };
  });
  const unexpected = [...stored.keys()].filter((k) => !used.has(k) && !map.ignore.some((re) => re.test(k)));
  if (unexpected.length > 0) {
    throw new PretrainedError(`${where}: ${stored.get(unexpected[0]!)!.file} holds ${unexpected.length} tensor(s) that ${architecture} does not have: ${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', …' : ''}`);
  }
  for (const { rule, target, entries } of plan) {
    const parts = await Promise.all(entries.map((e) => readTensor(source, e, where)));
    noGrad(() => {
      const value = rule.transform === 'transpose' ? parts[0]!.transpose(0, 1).contiguous()
        : rule.transform === 'reshape' ? parts[0]!.reshape(target.shape)
          : parts.length > 1 ? cat(parts, 0) : parts[0]!;
      target.assign(value);
      if (value !== parts[0]) value.dispose();
      for (const p of parts) p.dispose();
    });
  }
}
