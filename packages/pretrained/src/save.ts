// savePretrained: a qkv GPT, BERT model or ViT → config.json + model.safetensors (F32) in Hugging
// Face's layout and names (+ the tokenizer's files), through the same name maps loading reads.
import type { Module } from '@qkv/nn';
import { save } from '@qkv/nn';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import { PretrainedError } from './config.js';
import { FAMILIES, loadedConfig } from './load.js';
import { toHub } from './names.js';
import type { PretrainedSink } from './source.js';
import { tokenizerFiles } from './tokenizers.js';

/** Options of `savePretrained`. */
export interface SavePretrainedOptions {
  /** Also write its files (vocab.json + merges.txt, or vocab.txt + tokenizer_config.json). */
  tokenizer?: PretrainedTokenizer | null;
  /** Extra config.json fields (e.g. `id2label`, `bos_token_id`); they override the defaults. */
  config?: Record<string, unknown>;
}

const WHERE = 'savePretrained';

/**
 * The files of a Hub folder for `model`, by name: config.json, model.safetensors and the tokenizer's.
 * A model that came from `fromPretrained` keeps its config.json's other fields (labels, token ids).
 * @example const files = pretrainedFiles(gpt, { tokenizer }); files.get('model.safetensors') // Uint8Array
 */
export function pretrainedFiles(model: Module, options: SavePretrainedOptions = {}): Map<string, Uint8Array> {
  let described = null;
  for (const family of FAMILIES.values()) {
    described = family.describe(model);
    if (described) break;
  }
  if (!described) throw new PretrainedError(`${WHERE}: a ${model.constructor.name} has no Hub layout (GPT, BertModel, BertForMaskedLM, BertForSequenceClassification and VisionTransformer do)`);
  const tensors = toHub(model, described.names, WHERE);
  const config = { ...described.config, ...Object.fromEntries(keptFields(model, described.config)), ...options.config };
  const files = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  files.set('config.json', encoder.encode(`${JSON.stringify(sortKeys(config), null, 2)}\n`));
  files.set('model.safetensors', save(Object.fromEntries(tensors), { metadata: { format: 'pt' } }));
  if (options.tokenizer) for (const [name, text] of tokenizerFiles(options.tokenizer, WHERE)) files.set(name, encoder.encode(text));
  return files;
}

/** The loaded config.json's fields that the model does not determine (labels, token ids, names). */
function keptFields(model: Module, described: Record<string, unknown>): [string, unknown][] {
  const loaded = loadedConfig(model);
  if (!loaded) return [];
  return [...loaded.fields].filter(([k]) => !(k in described) || k === 'id2label' || k === 'label2id');
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Writes `model` as a Hugging Face Hub folder that Python's `transformers` loads unchanged
 * (`AutoModel.from_pretrained(dir)`): config.json, model.safetensors in F32 with Hugging Face's names
 * (GPT-2's Conv1D weights transposed, ViT's q/k/v split), and the tokenizer's files.
 * In Node, pass a directory with `@qkv/pretrained/node`'s `savePretrained`; anywhere, pass a sink.
 * @example await savePretrained(gpt, { description: 'memory', write: async (name, bytes) => files.set(name, bytes) }, { tokenizer })
 */
export async function savePretrained(model: Module, sink: PretrainedSink, options: SavePretrainedOptions = {}): Promise<void> {
  if (typeof sink !== 'object' || sink === null || typeof sink.write !== 'function') {
    throw new PretrainedError(`${WHERE}: expected a sink { write(file, bytes) } (or a directory with @qkv/pretrained/node), got ${typeof sink}`);
  }
  for (const [name, bytes] of pretrainedFiles(model, options)) await sink.write(name, bytes);
}

/**
 * The parameter-name map PEFT adapter files need (`nameMap` of `@qkv/nn`'s `saveAdapter` /
 * `loadAdapter`): a qkv parameter name of `model` → the name of the same tensor in the live
 * `transformers` model (BertForSequenceClassification: `bert.encoder.layers.0.self_attn.query.weight`
 * → `bert.encoder.layer.0.attention.self.query.weight`; GPT2LMHeadModel:
 * `transformer.h.0.attn.c_attn.weight` → itself), from the family's name map; undefined for a name
 * the Hub layout has no single tensor for (ViT's packed in_proj).
 * @example await saveAdapter(bert, dir, { nameMap: adapterNameMap(bert), taskType: 'SEQ_CLS', modulesToSave: ['classifier', 'score'] })
 */
export function adapterNameMap(model: Module): (qkvName: string) => string | undefined {
  for (const family of FAMILIES.values()) {
    const described = family.describe(model);
    if (!described) continue;
    const map = new Map<string, string>();
    for (const rule of described.names.rules) if (typeof rule.hub === 'string') map.set(rule.qkv, rule.hub);
    return (name) => map.get(name);
  }
  throw new PretrainedError(`adapterNameMap: a ${model.constructor.name} has no Hub layout (GPT, BertModel, BertForMaskedLM, BertForSequenceClassification and VisionTransformer do)`);
}
