// LoRA adapters in PEFT's file format, so Python's `PeftModel.from_pretrained` loads what qkv
// saves and the other way round: `adapter_model.safetensors` holds
// `base_model.model.<module path>.lora_A.weight` [r, in] and `….lora_B.weight` [out, r] (the adapter
// name is not in saved keys), and `adapter_config.json` holds the LoraConfig.
import { ShapeError, ValueError, fmtShape, noGrad } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { load, save } from '../io/safetensors.js';
import { Linear } from '../layers/linear.js';
import type { Module } from '../module.js';
import { injectLoRA, loraLayers } from './inject.js';
import { LoRALinear } from './lora-linear.js';

/** The file names PEFT reads and writes. */
export const ADAPTER_WEIGHTS_NAME = 'adapter_model.safetensors';
export const ADAPTER_CONFIG_NAME = 'adapter_config.json';

/** PEFT's `LoraConfig` as written to `adapter_config.json` (the fields qkv reads or writes). */
export interface PeftLoraConfig {
  peft_type: 'LORA';
  task_type: string | null;
  base_model_name_or_path: string | null;
  revision: string | null;
  inference_mode: boolean;
  r: number;
  lora_alpha: number;
  lora_dropout: number;
  target_modules: string[] | string;
  fan_in_fan_out: boolean;
  bias: 'none';
  use_rslora: boolean;
  use_dora: boolean;
  init_lora_weights: boolean;
  modules_to_save: string[] | null;
  layers_to_transform: null;
  layers_pattern: null;
  rank_pattern: Record<string, number>;
  alpha_pattern: Record<string, number>;
  [field: string]: unknown;
}

/** How qkv names map onto the Python model's, for `adapterFiles` and `loadAdapterFiles`. */
export interface AdapterNameOptions {
  /**
   * Maps a qkv parameter name (`bert.encoder.layer.0.attention.self.query.weight`) to the
   * parameter's name in the live transformers model PEFT wraps (GPT2LMHeadModel:
   * `transformer.h.0.attn.c_attn.weight`). Default: the identity. The `@qkv/pretrained` families
   * provide one per architecture.
   */
  nameMap?: (qkvName: string) => string | undefined;
  /** Prefix PEFT puts before module paths (default `base_model.model.`, as every LoRA PeftModel). */
  prefix?: string;
}

/** Options of `adapterFiles` (and `saveAdapter`). */
export interface AdapterSaveOptions extends AdapterNameOptions {
  /** Recorded as `base_model_name_or_path` (default null). */
  baseModelNameOrPath?: string | null;
  /** Recorded as `task_type`: 'CAUSAL_LM', 'SEQ_CLS', … (default null). */
  taskType?: string | null;
  /**
   * Hugging Face module names trained in full next to the adapters (`modules_to_save`, default none):
   * recorded in the config, and the parameters of every module whose Hugging Face name equals an
   * entry or ends in `.` + it, submodules included, are saved whole as `base_model.model.<name>.weight`
   * (PEFT's keys; `pooler` saves `bert.pooler.dense.weight`, and
   * `base_model.model.classifier.weight` for BertForSequenceClassification's `['classifier', 'score']`).
   */
  modulesToSave?: string[] | null;
}

/** The two files of a PEFT adapter. */
export interface AdapterFiles {
  /** `adapter_model.safetensors` bytes. */
  weights: Uint8Array;
  /** `adapter_config.json` content. */
  config: PeftLoraConfig;
}

/**
 * The model's adapters as PEFT files: safetensors with PEFT's names and metadata `{format: 'pt'}`,
 * and the LoraConfig. `target_modules` is the list of the adapted layers' last name parts when that
 * selects exactly the adapted layers in PEFT's list rule, else a full-match regular expression of
 * their names. `fan_in_fan_out` comes from the layers (true for GPT-2's Conv1D weights).
 * @example const { weights, config } = adapterFiles(gpt, { nameMap, taskType: 'CAUSAL_LM' })
 */
export function adapterFiles(model: Module, options: AdapterSaveOptions = {}): AdapterFiles {
  const layers = loraLayers(model);
  if (layers.length === 0) throw new ValueError('adapterFiles: the model has no LoRA layers (call injectLoRA first)');
  const first = layers[0]![1];
  const toHf = moduleNameMap('adapterFiles', options);
  const prefix = options.prefix ?? 'base_model.model.';
  const tensors: Record<string, Tensor> = {};
  const hfNames: string[] = [];
  for (const [name, layer] of layers) {
    for (const field of ['r', 'alpha', 'scaling', 'fanInFanOut'] as const) {
      if (layer[field] !== first[field]) throw new ValueError(`adapterFiles: '${name}' has ${field} = ${layer[field]} but '${layers[0]![0]}' has ${first[field]}; one adapter config needs one value`);
    }
    if (layer.lora_dropout.p !== first.lora_dropout.p) throw new ValueError(`adapterFiles: layers have different dropout (${first.lora_dropout.p}, ${layer.lora_dropout.p})`);
    const hf = toHf(name, true)!;
    hfNames.push(hf);
    tensors[`${prefix}${hf}.lora_A.weight`] = layer.lora_A.weight;
    tensors[`${prefix}${hf}.lora_B.weight`] = layer.lora_B.weight;
  }
  for (const [hf, p] of savedModuleParameters(model, toHf, options.modulesToSave ?? [])) tensors[`${prefix}${hf}`] = p;
  const allLinears = model.namedModules().filter(([n, m]) => n !== '' && m instanceof Linear).flatMap(([n]) => toHf(n, false) ?? []);
  const config: PeftLoraConfig = {
    peft_type: 'LORA',
    task_type: options.taskType ?? null,
    base_model_name_or_path: options.baseModelNameOrPath ?? null,
    revision: null,
    inference_mode: true,
    r: first.r,
    lora_alpha: first.alpha,
    lora_dropout: first.lora_dropout.p,
    target_modules: targetModulesFor(hfNames, allLinears),
    fan_in_fan_out: first.fanInFanOut,
    bias: 'none',
    use_rslora: first.scaling !== first.alpha / first.r,
    use_dora: false,
    init_lora_weights: true,
    modules_to_save: options.modulesToSave ?? null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
  };
  return { weights: save(tensors, { metadata: { format: 'pt' } }), config };
}

/** [Hugging Face parameter name, tensor] of every parameter of a `modulesToSave` module (not the adapters). */
function savedModuleParameters(model: Module, toHf: (name: string, strict: boolean) => string | undefined, modules: readonly string[]): [string, Tensor][] {
  if (modules.length === 0) return [];
  const out: [string, Tensor][] = [];
  for (const [name, p] of model.namedParameters()) {
    if (/\.lora_[AB]\.weight$/.test(name)) continue;
    const dot = name.lastIndexOf('.');
    const hfModule = toHf(name.slice(0, dot), false);
    // the parameter belongs to a module named t or ending in `.t`, or to one of its submodules (PEFT wraps that module whole)
    if (hfModule === undefined || !modules.some((t) => `.${hfModule}.`.includes(`.${t}.`))) continue;
    out.push([`${hfModule}${name.slice(dot)}`, p]);
  }
  return out;
}

/**
 * Loads PEFT adapter files into `model`: validates the config (LORA, bias 'none', no DoRA, one r,
 * no rank/alpha patterns), adapts exactly the layers the weights name (injecting LoRA there if the
 * model has no adapters yet) and copies lora_A [r, in] / lora_B [out, r] in, checking every name
 * and shape first. Whole tensors of `modules_to_save` modules (`base_model.model.classifier.weight`)
 * are copied into the model's parameters of that name. Returns the adapted qkv module names.
 * @example loadAdapterFiles(gpt, bytes, JSON.parse(configText), { nameMap })
 */
export function loadAdapterFiles(model: Module, weights: Uint8Array | ArrayBuffer, config: unknown, options: AdapterNameOptions = {}): string[] {
  const op = 'loadAdapterFiles';
  const cfg = checkConfig(op, config);
  const prefix = options.prefix ?? 'base_model.model.';
  const toHf = moduleNameMap(op, options);
  const fromHf = new Map<string, string>();
  for (const [name, m] of model.namedModules()) {
    const hf = name !== '' && m instanceof Linear ? toHf(name, false) : undefined;
    if (hf !== undefined) fromHf.set(hf, name);
  }
  const { tensors } = load(weights);
  try {
    const wanted = new Map<string, { A?: Tensor; B?: Tensor }>();
    const whole = new Map<Tensor, Tensor>(); // model parameter ← file tensor (modules_to_save)
    const savedNames = new Map(savedModuleParameters(model, toHf, cfg.modules_to_save));
    for (const [key, t] of Object.entries(tensors)) {
      const full = key.startsWith(prefix) ? savedNames.get(key.slice(prefix.length)) : undefined;
      if (full) {
        if (!sameShape(full.shape, t.shape)) throw new ShapeError(`${op}: '${key}' must be ${fmtShape(full.shape)} like the model's parameter, got ${fmtShape(t.shape)}`);
        whole.set(full, t);
        continue;
      }
      const m = /^(.*)\.lora_([AB])\.weight$/.exec(key);
      const hf = m && key.startsWith(prefix) ? m[1]!.slice(prefix.length) : undefined;
      const qkv = hf === undefined ? undefined : fromHf.get(hf);
      if (qkv === undefined) throw new ValueError(`${op}: '${key}' names no Linear layer of the model (expected ${prefix}<module>.lora_A.weight / .lora_B.weight)`);
      const entry = wanted.get(qkv) ?? {};
      entry[m![2] as 'A' | 'B'] = t;
      wanted.set(qkv, entry);
    }
    if (wanted.size === 0) throw new ValueError(`${op}: the adapter weights hold no tensors`);
    const modules = new Map(model.namedModules());
    for (const [name, { A, B }] of wanted) {
      const linear = modules.get(name) as Linear;
      if (!A || !B) throw new ValueError(`${op}: '${name}' has lora_${A ? 'A' : 'B'} but no lora_${A ? 'B' : 'A'}`);
      const [inF, outF] = [linear.inFeatures, linear.outFeatures];
      if (!sameShape(A.shape, [cfg.r, inF])) throw new ShapeError(`${op}: '${name}.lora_A.weight' must be [r, in] = ${fmtShape([cfg.r, inF])}, got ${fmtShape(A.shape)}`);
      if (!sameShape(B.shape, [outF, cfg.r])) throw new ShapeError(`${op}: '${name}.lora_B.weight' must be [out, r] = ${fmtShape([outF, cfg.r])}, got ${fmtShape(B.shape)}`);
      if (linear instanceof LoRALinear && linear.r !== cfg.r) throw new ValueError(`${op}: '${name}' already has an adapter of rank ${linear.r}, the file's is ${cfg.r}`);
    }
    const names = [...wanted.keys()];
    if (loraLayers(model).length === 0) {
      injectLoRA(model, { r: cfg.r, alpha: cfg.lora_alpha, dropout: cfg.lora_dropout, useRslora: cfg.use_rslora, fanInFanOut: cfg.fan_in_fan_out, targetModules: names.map((n) => `^${escapeRegExp(n)}$`).join('|') });
    }
    const adapted = new Map(loraLayers(model));
    noGrad(() => {
      for (const [name, { A, B }] of wanted) {
        const layer = adapted.get(name);
        if (!layer) throw new ValueError(`${op}: '${name}' has no LoRA adapter in the model, which has adapters elsewhere`);
        layer.lora_A.weight.assign(A!);
        layer.lora_B.weight.assign(B!);
      }
      for (const [param, t] of whole) param.assign(t);
    });
    return names;
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

type CheckedConfig = Pick<PeftLoraConfig, 'r' | 'lora_alpha' | 'lora_dropout' | 'use_rslora' | 'fan_in_fan_out'> & { modules_to_save: string[] };

function checkConfig(op: string, config: unknown): CheckedConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new ValueError(`${op}: the adapter config must be a JSON object, got ${Array.isArray(config) ? 'an array' : String(config)}`);
  const c = config as Record<string, unknown>;
  const bad = (field: string, expected: string): never => {
    throw new ValueError(`${op}: adapter_config.json field '${field}' must be ${expected}, got ${JSON.stringify(c[field])?.slice(0, 60) ?? 'undefined'}`);
  };
  if (c.peft_type !== 'LORA') bad('peft_type', "'LORA'");
  if (!Number.isInteger(c.r) || (c.r as number) <= 0) bad('r', 'a positive integer');
  if (typeof c.lora_alpha !== 'number' || !Number.isFinite(c.lora_alpha)) bad('lora_alpha', 'a finite number');
  const dropout = c.lora_dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) bad('lora_dropout', 'a number in [0, 1]');
  if ((c.bias ?? 'none') !== 'none') bad('bias', "'none' (qkv trains no biases in LoRA)");
  if (c.use_dora === true) bad('use_dora', 'false (DoRA is not supported)');
  for (const field of ['rank_pattern', 'alpha_pattern']) {
    const v = c[field];
    if (v !== undefined && v !== null && (typeof v !== 'object' || Object.keys(v).length > 0)) bad(field, 'empty (one r and alpha for every layer)');
  }
  if (c.use_rslora !== undefined && typeof c.use_rslora !== 'boolean') bad('use_rslora', 'a boolean');
  if (c.fan_in_fan_out !== undefined && typeof c.fan_in_fan_out !== 'boolean') bad('fan_in_fan_out', 'a boolean');
  const saved = c.modules_to_save ?? [];
  if (!Array.isArray(saved) || !saved.every((x) => typeof x === 'string' && x !== '')) bad('modules_to_save', 'null or an array of module names');
  return { r: c.r as number, lora_alpha: c.lora_alpha as number, lora_dropout: dropout as number, use_rslora: c.use_rslora === true, fan_in_fan_out: c.fan_in_fan_out === true, modules_to_save: saved as string[] };
}

/**
 * qkv module name → Hugging Face module name, through a parameter-name map. `strict` throws for a
 * layer the map does not know; otherwise such a layer maps to undefined (it has no counterpart).
 */
function moduleNameMap(op: string, options: AdapterNameOptions): (name: string, strict: boolean) => string | undefined {
  const map = options.nameMap;
  if (!map) return (name) => name;
  return (name, strict) => {
    const hf = map(`${name}.weight`);
    if (hf === undefined && !strict) return undefined;
    if (typeof hf !== 'string' || !hf.endsWith('.weight')) throw new ValueError(`${op}: nameMap('${name}.weight') must return a name ending in '.weight', got ${JSON.stringify(hf)}`);
    return hf.slice(0, -'.weight'.length);
  };
}

/** PEFT's list rule when it picks exactly `adapted` among `all`; else a full-match pattern. */
function targetModulesFor(adapted: string[], all: string[]): string[] | string {
  const suffixes = [...new Set(adapted.map((n) => n.slice(n.lastIndexOf('.') + 1)))].sort();
  const picked = all.filter((n) => suffixes.some((s) => n === s || n.endsWith(`.${s}`)));
  const exact = picked.length === adapted.length && picked.every((n) => adapted.includes(n));
  return exact ? suffixes : adapted.map(escapeRegExp).join('|');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
