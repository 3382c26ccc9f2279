// `qkv finetune --task classify`: a Hub BERT folder as a sequence classifier, labelled texts from a
// JSON Lines file, held-out accuracy, and a Session for the generic training loop.
import { readFile } from 'node:fs/promises';
import { AdamW, crossEntropy, weightDecayGroups } from '@qkv/nn';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { argmaxRows, shuffle } from '@qkv/datasets';
import { fromPretrained, savePretrained } from '@qkv/pretrained/node';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import { BertForMaskedLM, BertForSequenceClassification, BertModel } from '@qkv/transformer';
import { UsageError } from '../errors.js';
import { epochOrder, warmupCosine } from '../recipes/settings.js';
import type { RunOptions, Session } from '../recipes/types.js';

/** One labelled text of the data file. */
export interface Example {
  text: string;
  label: string;
}

/** Lines of a data file that are read at most (a bound on the work a file can ask for). */
const MAX_EXAMPLES = 1_000_000;

/**
 * Reads JSON Lines of `{"text": string, "label": string | integer}` (blank lines skipped); the
 * errors name the flag, the file and the line.
 */
export async function readExamples(file: string, flag: '--data' | '--eval-data'): Promise<Example[]> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new UsageError(`finetune: cannot read ${flag} ${file} (${err.message})`);
  });
  const out: Example[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (out.length >= MAX_EXAMPLES) throw new UsageError(`finetune: ${flag} ${file} holds more than ${MAX_EXAMPLES.toLocaleString()} examples`);
    const where = `${flag} ${file} line ${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new UsageError(`finetune: ${where} is not JSON (${(err as Error).message}); expected {"text": "…", "label": …} per line`);
    }
    const r = row as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null || Array.isArray(r) || typeof r.text !== 'string') throw new UsageError(`finetune: ${where} must be an object with a string "text", got ${line.slice(0, 60)}`);
    const label = r.label;
    if (!(typeof label === 'string' && label !== '') && !(typeof label === 'number' && Number.isInteger(label) && label >= 0)) {
      throw new UsageError(`finetune: ${where} must have a "label" that is a non-empty string or an integer ≥ 0, got ${JSON.stringify(label) ?? 'none'}`);
    }
    out.push({ text: r.text, label: String(label) });
  }
  if (out.length === 0) throw new UsageError(`finetune: ${flag} ${file} holds no examples`);
  return out;
}

/** A Hub BERT folder as a sequence classifier, with what fine-tuning needs. */
export interface Classifier {
  description: string;
  model: BertForSequenceClassification;
  tokenizer: PretrainedTokenizer;
  /** Label names by class id. */
  labels: string[];
  /** Modules built here with fresh weights: [] for a classifier folder, else `classifier` (and `pooler` when the folder had none). */
  newModules: string[];
  /**
   * PEFT's `modules_to_save` for LoRA: `classifier` and `score` (what PEFT adds for SEQ_CLS), and
   * `pooler` when it is new (a frozen random pooler would cap what the adapters can do).
   */
  modulesToSave: string[];
  /** Tokens kept of each text, [CLS] and [SEP] included. */
  maxTokens: number;
  /** Text → ids `[CLS] … [SEP]`, the text's first maxTokens − 2 tokens. */
  encode(text: string): number[];
  pad: number;
}

/**
 * The first `n` tokens of `text` without tokenizing all of a long text: a prefix cut at whitespace
 * (which BERT's pre-tokenizer splits on, so the words before the cut tokenize as in the whole text),
 * doubled until it yields `n` tokens or is the whole text. Equal to `encode(text).slice(0, n)`.
 */
export function headTokens(tokenizer: PretrainedTokenizer, text: string, n: number): number[] {
  for (let length = 16 * n; ; length *= 2) {
    if (length >= text.length) return tokenizer.encode(text, { addSpecialTokens: false }).slice(0, n);
    const cut = text.slice(0, length).search(/\s\S*$/); // the last whitespace of the prefix
    if (cut <= 0) continue;
    const ids = tokenizer.encode(text.slice(0, cut), { addSpecialTokens: false });
    if (ids.length >= n) return ids.slice(0, n);
  }
}

/** Sorted label names: integers in numeric order when every label is one, else strings in code-point order. */
function labelNames(examples: readonly Example[]): string[] {
  const names = [...new Set(examples.map((e) => e.label))];
  return names.every((n) => /^\d+$/.test(n)) ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}

/**
 * Opens `dir` (a Hub BERT folder) as a BertForSequenceClassification for `examples`' labels: a
 * classifier folder keeps its labels (the data's must be among them, by name or id); a masked LM
 * or bare encoder gets a new pooler and classifier (Linear init) over the data's sorted labels.
 */
export async function loadClassifier(dir: string, examples: readonly Example[], blockSize: number | undefined): Promise<Classifier> {
  const { model: loaded, tokenizer, labels: folderLabels } = await fromPretrained(dir).catch((err: Error) => {
    throw new UsageError(`finetune: --model ${dir} is not a Hub folder qkv opens (${err.message})`);
  });
  if (!tokenizer) throw new UsageError(`finetune: ${dir} has no tokenizer files (vocab.txt or tokenizer.json)`);
  let model: BertForSequenceClassification;
  let labels: string[];
  let newModules: string[] = [];
  if (loaded instanceof BertForSequenceClassification) {
    model = loaded;
    labels = folderLabels ?? Array.from({ length: loaded.numLabels }, (_, i) => String(i));
    const known = new Set([...labels, ...labels.map((_, i) => String(i))]);
    const unknown = labelNames(examples).filter((l) => !known.has(l));
    if (unknown.length > 0) throw new UsageError(`finetune: ${dir}'s classifier knows the labels ${labels.join(', ')} (or ids 0–${labels.length - 1}); the data has ${unknown.slice(0, 5).join(', ')}`);
  } else if (loaded instanceof BertForMaskedLM || loaded instanceof BertModel) {
    const bert = loaded instanceof BertModel ? loaded : loaded.bert;
    labels = labelNames(examples);
    if (labels.length < 2) throw new UsageError(`finetune: classification needs at least two labels in --data, got ${labels.join(', ')}`);
    model = new BertForSequenceClassification({ ...bert.config, dropout: 0.1 }, labels.length);
    const own = new Map(model.bert.namedParameters());
    noGrad(() => {
      for (const [name, p] of bert.namedParameters()) own.get(name)?.assign(p);
    });
    newModules = bert.pooler ? ['classifier'] : ['pooler', 'classifier'];
  } else {
    throw new UsageError(`finetune: --task classify takes a BERT folder, got a ${loaded.constructor.name} in ${dir}`);
  }
  const [cls, sep, padId] = ['[CLS]', '[SEP]', '[PAD]'].map((t) => tokenizer.tokenToId(t));
  if (cls === undefined || sep === undefined || padId === undefined) throw new UsageError(`finetune: ${dir}'s tokenizer lacks [CLS], [SEP] or [PAD]; --task classify takes a BERT WordPiece tokenizer`);
  const maxPositions = model.bert.config.maxPositionEmbeddings;
  const maxTokens = blockSize ?? Math.min(128, maxPositions);
  if (maxTokens < 3 || maxTokens > maxPositions) throw new UsageError(`finetune: --block-size must be in [3, ${maxPositions}] for this model (maxPositionEmbeddings), got ${maxTokens}`);
  const c = model.bert.config;
  return {
    description: `Hub BERT (${c.numHiddenLayers} layers, width ${c.hiddenSize}, ${c.vocabSize.toLocaleString()} tokens) as BertForSequenceClassification over ${labels.length} labels (${labels.join(', ')})${newModules.length > 0 ? `; new ${newModules.join(' + ')}` : ''}`,
    model,
    tokenizer,
    labels,
    newModules,
    modulesToSave: [...(newModules.includes('pooler') ? ['pooler'] : []), 'classifier', 'score'],
    maxTokens,
    encode: (text) => [cls, ...headTokens(tokenizer, text, maxTokens - 2), sep],
    pad: padId,
  };
}

/** A padded batch: ids and attention mask int32 [B, T] (T = the longest row). */
function padded(rows: readonly (readonly number[])[], pad: number): { ids: Tensor; attentionMask: Tensor } {
  const T = Math.max(...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * T).fill(pad);
  const mask = new Int32Array(rows.length * T);
  rows.forEach((r, b) => {
    ids.set(r, b * T);
    mask.fill(1, b * T, b * T + r.length);
  });
  return { ids: tensor(ids, { shape: [rows.length, T], dtype: 'int32' }), attentionMask: tensor(mask, { shape: [rows.length, T], dtype: 'int32' }) };
}

/** Encoded examples: token rows and class ids. */
export interface EncodedSplit {
  rows: number[][];
  labels: number[];
}

/** Examples → token rows and class ids (a label is a name of `labels` or, if not, its index). */
export function encodeSplit(c: Classifier, examples: readonly Example[]): EncodedSplit {
  const index = new Map(c.labels.map((l, i) => [l, i]));
  return {
    rows: examples.map((e) => c.encode(e.text)),
    labels: examples.map((e) => index.get(e.label) ?? Number(e.label)),
  };
}

/** The data: a seeded `evalFraction` of `examples` held out unless `heldOut` is given. */
export function splitExamples(examples: Example[], heldOut: Example[] | null, evalFraction: number, seed: number): { train: Example[]; heldOut: Example[] } {
  if (heldOut) return { train: examples, heldOut };
  const count = Math.round(examples.length * evalFraction);
  if (count < 1 || count >= examples.length) throw new UsageError(`finetune: --data needs enough examples to hold out ${evalFraction} of them, got ${examples.length}`);
  const order = shuffle(examples.map((_, i) => i), seed);
  const held = new Set(order.slice(0, count));
  return { train: examples.filter((_, i) => !held.has(i)), heldOut: examples.filter((_, i) => held.has(i)) };
}

/** Accuracy of the classifier on (at most `limit` of) `split`, in eval mode, batches of 64. */
export function heldOutAccuracy(c: Classifier, split: EncodedSplit, limit?: number): { accuracy: number; examples: number } {
  const n = Math.min(limit ?? Infinity, split.rows.length);
  const wasTraining = c.model.training;
  c.model.eval();
  let correct = 0;
  for (let i = 0; i < n; i += 64) {
    const rows = split.rows.slice(i, Math.min(n, i + 64));
    const probs = tidy(() => noGrad(() => {
      const { ids, attentionMask } = padded(rows, c.pad);
      return Array.from(c.model.forward(ids, { attentionMask }).dataSync());
    }));
    argmaxRows(probs, c.labels.length).forEach((p, j) => {
      if (p === split.labels[i + j]) correct++;
    });
  }
  c.model.train(wasTraining);
  return { accuracy: correct / n, examples: n };
}

/** A Session for the generic training loop: shuffled batches of examples, cross-entropy, accuracy. */
export function classifySession(c: Classifier, data: { train: EncodedSplit; heldOut: EncodedSplit }, run: RunOptions, full: boolean): Session {
  const { model } = c;
  const n = data.train.rows.length;
  const trainable = model.parameters().filter((p) => p.requiresGrad);
  // adapters and the saved head without weight decay (PEFT's examples); full fine-tuning decays matrices only
  const optimizer = full ? new AdamW(weightDecayGroups(model, 0.01), { lr: run.lr }) : new AdamW(trainable, { lr: run.lr, weightDecay: 0 });
  const batchesPerEpoch = Math.ceil(n / run.batchSize);
  const order = epochOrder(n, run.batchSize, run.seed);
  return {
    model,
    optimizer,
    lrAt: warmupCosine(run, batchesPerEpoch, 20),
    batchesPerEpoch,
    clipNorm: 1,
    batch: (epoch, index) => order(epoch)[index]!,
    loss: (batch) => {
      const rows = batch as number[];
      const { ids, attentionMask } = padded(rows.map((i) => data.train.rows[i]!), c.pad);
      const labels = tensor(Int32Array.from(rows, (i) => data.train.labels[i]!), { dtype: 'int32' });
      return { loss: crossEntropy(model.forward(ids, { attentionMask }), labels), count: rows.length };
    },
    evaluate: (_split, limit) => ({ accuracy: heldOutAccuracy(c, data.heldOut, limit).accuracy }),
    predict: () => {
      throw new UsageError('finetune: predict is not part of finetune; use the saved model');
    },
    manifest: () => ({}),
  };
}

/** Writes the (merged) classifier as a Hub BertForSequenceClassification folder with its labels and tokenizer. */
export async function saveClassifier(c: Classifier, out: string): Promise<void> {
  const id2label = Object.fromEntries(c.labels.map((l, i) => [String(i), l]));
  const label2id = Object.fromEntries(c.labels.map((l, i) => [l, i]));
  await savePretrained(c.model, out, { tokenizer: c.tokenizer, config: { id2label, label2id } });
}
