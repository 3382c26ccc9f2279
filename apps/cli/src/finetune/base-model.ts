// Base models for `qkv finetune`: a folder is read into a causal LM with its tokenizer and written
// back in the same layout: a Hugging Face Hub GPT-2 folder (config.json, through @qkv/pretrained,
// whose name map also names the PEFT adapter's keys), or the layout qkv writes itself
// (model.safetensors + manifest.json from `qkv train` / `qkv export`).
import { access, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { load, save } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import type { Tensor } from '@qkv/tensor-core';
import { CharTokenizer } from '@qkv/tokenizer';
import { FAMILIES } from '@qkv/pretrained';
import { fromPretrained, savePretrained } from '@qkv/pretrained/node';
import { GPT } from '@qkv/transformer';
import type { GPTConfig } from '@qkv/transformer';
import { UsageError } from '../errors.js';

/** A causal language model ready to fine-tune. */
export interface BaseModel {
  /** What the folder held, for messages: `qkv GPT (char tokenizer)`. */
  description: string;
  model: Module;
  /** ids int32 [B, T] → logits [B, T, V]. */
  logits(ids: Tensor): Tensor;
  vocabSize: number;
  /** Longest context the model takes. */
  blockSize: number;
  /** Text → token ids (characters the vocabulary lacks become its unknown token). */
  encode(text: string): number[];
  /** Default LoRA layers and whether the Hugging Face layers store [in, out] (GPT-2's Conv1D). */
  lora: { targets: string[]; fanInFanOut: boolean };
  /** qkv parameter name → the transformers model's name, for PEFT adapter files (identity if absent). */
  nameMap?: (qkvName: string) => string | undefined;
  /** Writes the (merged) model to `dir` in the folder's own layout; `extra` goes into its manifest. */
  save(dir: string, extra: Record<string, unknown>): Promise<void>;
}

/** Reads the folder qkv train / qkv export write: a GPT with a char tokenizer. */
export async function loadQkvFolder(dir: string): Promise<BaseModel> {
  const manifestPath = join(dir, 'manifest.json');
  const text = await readFile(manifestPath, 'utf8').catch(() => {
    throw new UsageError(`finetune: --model ${dir} has no manifest.json (expected a folder written by qkv train or qkv export)`);
  });
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`finetune: ${manifestPath} is not valid JSON (${(err as Error).message})`);
  }
  const spec = manifest.model as (GPTConfig & { kind?: string }) | undefined;
  if (spec?.kind !== 'GPT') throw new UsageError(`finetune: ${manifestPath} describes a ${spec?.kind ?? 'missing'} model; finetune takes a GPT (causal LM)`);
  const tok = manifest.tokenizer as { type?: string } | undefined;
  if (tok?.type !== 'char') throw new UsageError(`finetune: ${manifestPath} has a '${tok?.type ?? 'missing'}' tokenizer; the qkv layout is read with a char tokenizer`);
  const tokenizer = CharTokenizer.load(tok as never);
  const { kind: _kind, ...config } = spec;
  const model = new GPT(config);
  const weights = load(new Uint8Array(await readFile(join(dir, 'model.safetensors'))));
  model.loadStateDict(weights.tensors, { strict: true });
  for (const t of Object.values(weights.tensors)) t.dispose();
  return {
    description: `qkv GPT (${config.nLayer} layers, width ${config.nEmbd}, ${tokenizer.vocabSize} characters)`,
    model,
    logits: (ids) => model.forward(ids),
    vocabSize: config.vocabSize,
    blockSize: config.blockSize,
    encode: (s) => tokenizer.encode(s),
    lora: { targets: ['c_attn'], fanInFanOut: false },
    async save(out, extra) {
      await mkdir(out, { recursive: true });
      await writeFile(join(out, 'model.safetensors'), save(model.stateDict(), { metadata: typeof manifest.recipe === 'string' ? { recipe: manifest.recipe } : {} }));
      await writeFile(join(out, 'manifest.json'), `${JSON.stringify({ ...manifest, ...extra }, null, 2)}\n`);
    },
  };
}

/**
 * Reads a Hub GPT-2 folder (config.json `model_type: gpt2`, model.safetensors, vocab.json +
 * merges.txt or tokenizer.json). LoRA targets `c_attn` with `fan_in_fan_out` (GPT-2's Conv1D), and
 * adapter keys use GPT2LMHeadModel's module paths (`transformer.h.0.attn.c_attn`) from the family's
 * name map.
 */
export async function loadHubFolder(dir: string): Promise<BaseModel> {
  const { model, tokenizer } = await fromPretrained(dir);
  if (!(model instanceof GPT)) throw new UsageError(`finetune: ${dir} holds a ${model.constructor.name}; finetune takes a GPT-2 (causal LM)`);
  if (!tokenizer) throw new UsageError(`finetune: ${dir} has no tokenizer files (vocab.json + merges.txt or tokenizer.json)`);
  const hubNames = new Map<string, string>();
  for (const rule of FAMILIES.get('gpt2')!.describe(model)!.names.rules) if (typeof rule.hub === 'string') hubNames.set(rule.qkv, rule.hub);
  const g = model.config;
  return {
    description: `Hub GPT-2 (${g.nLayer} layers, width ${g.nEmbd}, ${g.vocabSize.toLocaleString()} tokens)`,
    model,
    logits: (ids) => model.forward(ids),
    vocabSize: g.vocabSize,
    blockSize: g.blockSize,
    encode: (s) => tokenizer.encode(s),
    lora: { targets: ['c_attn'], fanInFanOut: true },
    nameMap: (name) => hubNames.get(name),
    async save(out) {
      await savePretrained(model, out, { tokenizer });
    },
  };
}

/** Reads a base model folder: a Hub folder when it has config.json, else qkv's own layout. */
export async function loadBaseModel(dir: string): Promise<BaseModel> {
  const hub = await access(join(dir, 'config.json')).then(() => true, () => false);
  return hub ? loadHubFolder(dir) : loadQkvFolder(dir);
}
