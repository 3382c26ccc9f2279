// fromPretrained: a Hub folder (config.json, model.safetensors or its shards, tokenizer or
// preprocessor files) → a qkv model in eval mode, its tokenizer or image processor, and the config.
import type { Module } from '@qkv/nn';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import type { BertForMaskedLM, BertForSequenceClassification, BertModel, GPT, VisionTransformer } from '@qkv/transformer';
import { HubConfig, PretrainedError, parseJsonFile } from './config.js';
import type { Built, Family } from './family.js';
import { bert } from './families/bert.js';
import { gpt2 } from './families/gpt2.js';
import { vit } from './families/vit.js';
import { ImageProcessor } from './image-processor.js';
import { fromHub } from './names.js';
import { readHeader } from './safetensors.js';
import type { StoredTensor } from './safetensors.js';
import { checkFileName, filesSource, urlSource } from './source.js';
import type { FileLike, PretrainedSource, Progress } from './source.js';
import { loadTokenizer } from './tokenizers.js';

/** The families qkv opens, by `model_type`. */
export const FAMILIES: ReadonlyMap<string, Family> = new Map([gpt2, bert, vit].map((f) => [f.modelType, f]));

/** Options of `fromPretrained`. */
export interface FromPretrainedOptions {
  /** Called as bytes of each file are read: `{ file, loaded, total }`. */
  onProgress?: (progress: Progress) => void;
  /** Load the tokenizer too (default true). */
  tokenizer?: boolean;
  /** Which architecture to build (default: config.json's `architectures[0]`). */
  architecture?: string;
}

/** The models `fromPretrained` builds. */
export type PretrainedModel = GPT | BertModel | BertForMaskedLM | BertForSequenceClassification | VisionTransformer;

/** What `fromPretrained` returns (name the model's class as `M` when you know it: `fromPretrained<GPT>(…)`). */
export interface Pretrained<M extends Module = PretrainedModel> {
  /** The model, in eval mode: GPT, BertModel / BertForMaskedLM / BertForSequenceClassification, or VisionTransformer. */
  model: M;
  /** The text tokenizer (null for ViT, or with `{ tokenizer: false }`). */
  tokenizer: PretrainedTokenizer | null;
  /** ViT's preprocessing (null for text models, or when preprocessor_config.json is absent). */
  imageProcessor: ImageProcessor | null;
  /** config.json, its fields validated, plus the architecture built. */
  config: HubConfig;
  architecture: string;
  /** `id2label` in id order, when config.json has it. */
  labels: string[] | null;
}

/** A source: a PretrainedSource, browser Files (a FileList or File[]), or an http(s) / relative URL string. */
export type SourceInput = PretrainedSource | ArrayLike<FileLike> | readonly FileLike[] | string | URL;

const WHERE = 'fromPretrained';
const original = new WeakMap<Module, HubConfig>();

/** The config.json a model was loaded from (so `savePretrained` keeps its other fields). */
export function loadedConfig(model: Module): HubConfig | undefined {
  return original.get(model);
}

function isSource(x: unknown): x is PretrainedSource {
  return typeof x === 'object' && x !== null && typeof (x as PretrainedSource).read === 'function' && typeof (x as PretrainedSource).has === 'function';
}

/** Whether a string source is a URL (outside Node every string is). */
function isUrl(input: string): boolean {
  return /^(https?:|blob:|data:|\/\/)/.test(input) || typeof process === 'undefined' || !process.versions?.node;
}

/** Turns any accepted input into a source; a directory path needs `@qkv/pretrained/node` (loaded on demand in Node). */
export async function toSource(input: SourceInput, onProgress?: (p: Progress) => void): Promise<PretrainedSource> {
  if (isSource(input)) return input;
  if (input instanceof URL) return urlSource(input.href, { onProgress });
  if (typeof input === 'string') {
    if (isUrl(input)) return urlSource(input, { onProgress });
    const entry = '@qkv/pretrained/node'; // a variable, so bundlers leave the Node-only module out of browser builds
    const node = (await import(/* @vite-ignore */ entry)) as { directorySource(dir: string): PretrainedSource };
    return node.directorySource(input);
  }
  return filesSource(input as ArrayLike<FileLike>);
}

/** Wraps a source so that every read reports `{ file, loaded, total }`; `done(file)` reports the bytes never read (unused tensors) as loaded. */
function withProgress(source: PretrainedSource, onProgress: (p: Progress) => void): PretrainedSource & { done(file: string): Promise<void> } {
  const loaded = new Map<string, number>();
  return {
    async done(file) {
      const total = await source.size(file);
      if ((loaded.get(file) ?? 0) < total) onProgress({ file, loaded: total, total });
      loaded.set(file, total);
    },
    ...source,
    description: source.description,
    has: (f) => source.has(f),
    size: (f) => source.size(f),
    async read(file, begin, end) {
      const bytes = await source.read(file, begin, end);
      const total = await source.size(file);
      const now = Math.min(total, (loaded.get(file) ?? 0) + bytes.length);
      loaded.set(file, now);
      onProgress({ file, loaded: now, total });
      return bytes;
    },
  };
}

async function readJson(source: PretrainedSource, file: string): Promise<unknown> {
  const size = await source.size(file);
  if (size > 50_000_000) throw new PretrainedError(`${WHERE}: ${file} is ${size} bytes, more than the 50 MB a JSON file of a Hub folder may have`);
  return parseJsonFile(new TextDecoder().decode(await source.read(file)), file, WHERE);
}

/** Every tensor of the checkpoint (one file, or the shards model.safetensors.index.json lists), by name. */
async function readCheckpoint(source: PretrainedSource): Promise<Map<string, StoredTensor>> {
  let files: string[];
  if (await source.has('model.safetensors')) files = ['model.safetensors'];
  else if (await source.has('model.safetensors.index.json')) {
    const index = new HubConfig('model.safetensors.index.json', await readJson(source, 'model.safetensors.index.json'));
    const map = index.fields.get('weight_map');
    if (typeof map !== 'object' || map === null || Array.isArray(map)) throw index.error('must be an object { tensor: file }', 'weight_map');
    const entries = Object.entries(map);
    if (entries.some(([, f]) => typeof f !== 'string')) throw index.error('must map each tensor to a file name', 'weight_map');
    for (const [name, f] of entries) {
      try {
        checkFileName(f as string, WHERE);
      } catch (err) {
        throw new PretrainedError(`${(err as Error).message} (model.safetensors.index.json field 'weight_map', tensor '${name.slice(0, 60)}')`);
      }
    }
    files = [...new Set(entries.map(([, f]) => f as string))];
    if (files.length > 10_000) throw index.error(`names ${files.length} shards, more than 10,000`, 'weight_map');
    const all = new Map<string, StoredTensor>();
    for (const file of files) for (const t of await readHeader(source, file, WHERE)) all.set(t.name, t);
    for (const [name, file] of entries) {
      const t = all.get(name);
      if (!t || t.file !== file) throw index.error(`says '${name}' is in ${file as string}, but ${t ? `it is in ${t.file}` : 'no shard holds it'}`, 'weight_map');
    }
    for (const t of all.values()) if (!new Map(entries).has(t.name)) throw index.error(`does not list '${t.name}', which ${t.file} holds`, 'weight_map');
    return all;
  } else if (await source.has('pytorch_model.bin')) {
    throw new PretrainedError(`${WHERE}: ${source.description} holds pytorch_model.bin (a pickle, which qkv does not execute); convert it to model.safetensors first`);
  } else {
    throw new PretrainedError(`${WHERE}: ${source.description} has neither model.safetensors nor model.safetensors.index.json`);
  }
  const all = new Map<string, StoredTensor>();
  for (const t of await readHeader(source, files[0]!, WHERE)) all.set(t.name, t);
  return all;
}

/** config.json's `model_type` → its family, and the architecture to build (checked to be one the family builds). */
function chooseArchitecture(config: HubConfig, architectureOption?: string): { modelType: string; family: Family; architecture: string } {
  const modelType = config.string('model_type');
  const family = FAMILIES.get(modelType);
  if (!family) throw config.error(`is '${modelType.slice(0, 40)}', which qkv does not open (it opens ${[...FAMILIES.keys()].join(', ')})`, 'model_type');
  const architecture = architectureOption ?? config.architecture(family.architectures[0]!);
  if (!family.architectures.includes(architecture)) {
    throw config.error(`is '${architecture.slice(0, 60)}', which qkv does not build for ${modelType} (it builds ${family.architectures.join(', ')})`, 'architectures');
  }
  return { modelType, family, architecture };
}

/** The number of values (tensor elements) a checkpoint holds. */
export function storedValues(stored: ReadonlyMap<string, StoredTensor>): number {
  let n = 0;
  for (const t of stored.values()) n += t.shape.reduce((a, s) => a * s, 1);
  return n;
}

/**
 * config.json → its family, architecture (`architecture`, else `architectures[0]`, else the family's
 * default) and the model with its name map, as `fromPretrained` builds it before reading weights
 * (with `config.parameterBudget` set from the checkpoint's headers, sizes that need more parameters
 * than the checkpoint holds are refused before anything is allocated). A model too large to
 * allocate is a PretrainedError naming config.json, not a raw RangeError.
 */
export function buildFromConfig(config: HubConfig, architectureOption?: string): Built & { modelType: string; architecture: string } {
  const { modelType, family, architecture } = chooseArchitecture(config, architectureOption);
  try {
    return { modelType, architecture, ...family.build(config, architecture) };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw config.error(`describes a ${architecture} too large to allocate here (its widths, depth, vocabulary and positions; ${err.message})`);
  }
}

/**
 * preprocessor_config.json's ImageProcessor for the ViT of `config` (its `num_channels`), whose
 * `size` must be config.json's `image_size` when it resizes: the position embeddings fix the image
 * size, so pixels of another size would fail every forward (and the model bounds the work).
 */
export function imageProcessorFor(processorConfig: HubConfig, config: HubConfig): ImageProcessor {
  const processor = new ImageProcessor(processorConfig, config.int('num_channels', 1, 64, 3));
  const side = config.int('image_size', 1, 16_384, 224);
  if (processor.doResize && (processor.height !== side || processor.width !== side)) {
    throw processorConfig.error(`resizes to ${processor.width} × ${processor.height}, but config.json's image_size is ${side}`, 'size');
  }
  return processor;
}

/**
 * Opens a Hugging Face Hub-layout folder: GPT-2 (`gpt2`), BERT (`bert`) or ViT (`vit`), weights in
 * F32, F16 or BF16 safetensors (upcast to float32), one file or sharded. Every config field that
 * changes the maths is checked; an unknown model_type, architecture or unsupported value is an error
 * naming the file and field. The model is in eval mode.
 * @example
 * const { model, tokenizer } = await fromPretrained('./gpt2');            // Node: a directory
 * const { model } = await fromPretrained(input.files, { onProgress });     // browser: a FileList
 * const ids = tokenizer.encode('The attention mechanism');
 * const { logits, attentions } = model.forwardWithAttention(tensor([ids], { dtype: 'int32' })); // [1, T, V], per layer [1, H, T, T]
 */
export async function fromPretrained<M extends Module = PretrainedModel>(input: SourceInput, options: FromPretrainedOptions = {}): Promise<Pretrained<M>> {
  const base = await toSource(input, options.onProgress);
  const fetched = input instanceof URL || (typeof input === 'string' && isUrl(input)); // urlSource reports its own progress
  const tracked = options.onProgress && !fetched ? withProgress(base, options.onProgress) : null;
  const source = tracked ?? base;
  if (!(await source.has('config.json'))) throw new PretrainedError(`${WHERE}: ${source.description} has no config.json`);
  const config = new HubConfig('config.json', await readJson(source, 'config.json'));
  chooseArchitecture(config, options.architecture); // config.json's own mistakes first, before the weights are opened
  const stored = await readCheckpoint(source);
  config.parameterBudget = storedValues(stored);
  const { modelType, architecture, model, names } = buildFromConfig(config, options.architecture);
  await fromHub(model, names, stored, source, WHERE, architecture);
  if (tracked) for (const file of new Set([...stored.values()].map((t) => t.file))) await tracked.done(file);
  original.set(model, config);
  const tokenizer = options.tokenizer === false ? null : await loadTokenizer(source, modelType, WHERE);
  let imageProcessor: ImageProcessor | null = null;
  if (modelType === 'vit' && (await source.has('preprocessor_config.json'))) {
    imageProcessor = imageProcessorFor(new HubConfig('preprocessor_config.json', await readJson(source, 'preprocessor_config.json')), config);
  }
  return { model: model as M, tokenizer, imageProcessor, config, architecture, labels: config.labels() };
}


