// `qkv inspect --model DIR --text TEXT`: one forward of a Hub-layout GPT-2, BERT or ViT folder with
// every layer's attention probabilities — a terminal heatmap of one head (--layer/--head), or a
// summary of all heads — and what the model predicts (next token, [MASK] fills, labels).
import { existsSync } from 'node:fs';
import { noGrad, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import { BertForMaskedLM, BertForSequenceClassification, BertModel, GPT, VisionTransformer } from '@qkv/transformer';
import { terminalHeatmap } from '@qkv/viz';
import { InputError, UsageError } from '../errors.js';
import { readImage } from '../image/read-image.js';
import { colorMode, hasTokenizer, hubFolder, intFlag, loadFolder, parseFlags, softmaxRow, tokenizerFilesOf, tokenLabel, topK, useBackend } from './common.js';
import type { FolderKind } from './common.js';

/** The usage text of `qkv inspect`. */
export const INSPECT_USAGE = `usage: qkv inspect --model DIR --text TEXT [--layer L --head H] [options]
       qkv inspect --model DIR --image FILE [--layer L --head H]     (ViT)

Runs a Hugging Face Hub-layout folder (GPT-2, BERT or ViT: config.json + model.safetensors, with
its tokenizer or preprocessor_config.json) once, with every layer's attention probabilities.

  --model DIR       the folder
  --text TEXT       GPT-2 / BERT input, encoded with the folder's tokenizer (BERT adds [CLS] … [SEP];
                    write [MASK] where a masked LM should fill in); an input longer than the
                    model's positions (n_positions, max_position_embeddings) is refused
  --ids a,b,c       token ids instead of --text (for folders without a tokenizer)
  --image FILE      ViT input: a PGM (grey) or PPM (RGB) image, resized and normalised as
                    preprocessor_config.json says
  --layer L --head H
                    a heatmap of that head (1-based, as the demo counts), queries down, keys across,
                    then each query's most attended key and its weight
  --top <k>         how many predictions to list (default 5)
  --quiet           no loading progress on stderr

Without --layer/--head it prints, for every layer × head, the mean entropy of the attention rows
(bits) and which key the last query (GPT-2) or the first, [CLS], query (BERT, ViT) attends to most.
Then what the model predicts: GPT-2 the next token's top-k, a BERT masked LM the top-k fills of
each [MASK], a classifier its top-k labels (BertModel and ViTModel have no head: none).`;

/** One forward's attention and labels, whatever the family. */
interface Inspected {
  /** Per layer, [1, H, T, T]. */
  attentions: Tensor[];
  labels: string[];
  /** Which query the summary follows (0-based). */
  summaryQuery: number;
  predictions: string[];
}

function parseIds(value: string, vocabSize: number): number[] {
  const parsed = value.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (parsed.some((n) => !Number.isInteger(n) || n < 0 || n >= vocabSize)) throw new UsageError(`inspect: --ids must be comma-separated token ids from 0 to ${vocabSize - 1}, got '${value}'`);
  return parsed;
}

const quote = (s: string) => `'${s}'`;

/** The encoder inside any BERT model. */
const bertOf = (m: BertModel | BertForMaskedLM | BertForSequenceClassification): BertModel => (m instanceof BertModel ? m : m.bert);

function ranked(scores: ArrayLike<number>, k: number, name: (i: number) => string): string {
  return topK(softmaxRow(scores), k).map(([i, p]) => `${quote(name(i))} ${p.toFixed(4)}`).join(', ');
}

/** Runs the text models: GPT-2 (next token), BERT (fills of [MASK], labels, or none). */
function inspectText(model: GPT | BertModel | BertForMaskedLM | BertForSequenceClassification, tokenizer: PretrainedTokenizer | null, ids: number[], k: number, classLabels: string[] | null): Inspected {
  const input = tensor(Int32Array.from(ids), { shape: [1, ids.length], dtype: 'int32' });
  const labels = ids.map((id) => tokenLabel(tokenizer, id));
  const word = (id: number) => tokenLabel(tokenizer, id);
  if (model instanceof GPT) {
    const { logits, attentions } = model.forwardWithAttention(input); // [1, T, V]
    const V = logits.shape[2]!;
    const last = logits.dataSync().subarray((ids.length - 1) * V, ids.length * V);
    return { attentions, labels, summaryQuery: ids.length - 1, predictions: [`next token after ${quote(labels.at(-1)!)}: ${ranked(last, k, word)}`] };
  }
  if (model instanceof BertForMaskedLM) {
    const { logits, attentions } = model.forwardWithAttention(input);
    const V = logits.shape[2]!;
    const values = logits.dataSync();
    const mask = tokenizer?.specialTokens.mask;
    const at = ids.flatMap((id, t) => (id === mask ? [t] : []));
    const predictions = at.length === 0 ? ['(no [MASK] in the input: write one where the masked LM should fill in)'] : at.map((t) => `[MASK] at ${t + 1}: ${ranked(values.subarray(t * V, (t + 1) * V), k, word)}`);
    return { attentions, labels, summaryQuery: 0, predictions };
  }
  if (model instanceof BertForSequenceClassification) {
    const { logits, attentions } = model.forwardWithAttention(input); // [1, numLabels]
    return { attentions, labels, summaryQuery: 0, predictions: [`labels: ${ranked(logits.dataSync(), k, (i) => classLabels?.[i] ?? `LABEL_${i}`)}`] };
  }
  const { attentions } = model.forwardWithAttention(input);
  return { attentions, labels, summaryQuery: 0, predictions: ['(BertModel has no prediction head)'] };
}

/** The attention of layer `l` (0-based), head `h`, as rows [T][T]. */
function headMatrix(attentions: Tensor[], l: number, h: number): number[][] {
  const a = attentions[l]!; // [1, H, T, T]
  const T = a.shape[2]!;
  const data = a.dataSync().subarray(h * T * T, (h + 1) * T * T);
  return Array.from({ length: T }, (_, i) => Array.from(data.subarray(i * T, (i + 1) * T)));
}

function entropyBits(row: readonly number[]): number {
  return -row.reduce((s, p) => (p > 0 ? s + p * Math.log2(p) : s), 0);
}

/** Every layer × head: mean row entropy and the summary query's most attended key. */
function summary(found: Inspected): string[] {
  const { attentions, labels, summaryQuery } = found;
  const H = attentions[0]!.shape[1]!;
  const T = labels.length;
  const short = (s: string) => (s.length > 6 ? `${s.slice(0, 5)}…` : s);
  const head = `${''.padEnd(9)}${Array.from({ length: H }, (_, h) => `h${h + 1}`.padStart(7)).join('')}`;
  const entropy = attentions.map((_, l) => `layer ${String(l + 1).padEnd(3)}${Array.from({ length: H }, (_, h) => {
    const rows = headMatrix(attentions, l, h);
    return (rows.reduce((s, r) => s + entropyBits(r), 0) / T).toFixed(2).padStart(7);
  }).join('')}`);
  const argmax = attentions.map((_, l) => `layer ${String(l + 1).padEnd(3)}${Array.from({ length: H }, (_, h) => {
    const row = headMatrix(attentions, l, h)[summaryQuery]!;
    const [j, p] = topK(row, 1)[0]!;
    return ` ${short(labels[j]!).padStart(6)} ${p.toFixed(2).slice(1)}`;
  }).join('')}`);
  return [
    `mean attention entropy per row, bits (uniform over all ${T} keys: ${Math.log2(T).toFixed(2)}):`, head, ...entropy, '',
    `the key query ${summaryQuery + 1} ${quote(labels[summaryQuery]!)} attends to most, with its weight:`,
    `${''.padEnd(9)}${Array.from({ length: H }, (_, h) => `h${h + 1}`.padStart(10)).join('')}`, ...argmax,
  ];
}

/** The flags of `qkv inspect`, checked against the folder's config.json before any weight is read. */
function checkFlags(v: { text?: string; ids?: string; image?: string; layer?: string; head?: string; top?: string }, folder: FolderKind) {
  const vision = folder.modelType === 'vit';
  if (!['gpt2', 'bert', 'vit'].includes(folder.modelType)) throw new UsageError(`inspect: --model ${folder.dir} has model_type '${folder.modelType}'; inspect opens gpt2, bert and vit folders`);
  if (vision && v.image === undefined) throw new UsageError(`inspect: --model ${folder.dir} is a ViT; give --image FILE (PGM or PPM)`);
  if (vision && (v.text !== undefined || v.ids !== undefined)) throw new UsageError('inspect: a ViT takes --image, not --text or --ids');
  if (!vision && v.image !== undefined) throw new UsageError(`inspect: --image goes with ViT folders; ${folder.dir} is ${folder.modelType}, give --text`);
  if (!vision && (v.text === undefined) === (v.ids === undefined)) throw new UsageError('inspect: give --text TEXT or --ids a,b,c (one of them)');
  if (!vision && v.text !== undefined && !hasTokenizer(folder)) throw new UsageError(`inspect: --model ${folder.dir} has no tokenizer (${tokenizerFilesOf(folder.modelType)}), so --text cannot be encoded; give token ids with --ids a,b,c`);
  if ((v.layer === undefined) !== (v.head === undefined)) throw new UsageError('inspect: give --layer and --head together (or neither, for the summary of all heads)');
  const k = intFlag('inspect', 'top', v.top, 5, 1, 1000);
  // ranges from config.json, so that a wrong --layer, --head or --ids is reported before loading
  const gpt2 = folder.modelType === 'gpt2';
  const declared = { layers: folder.int(gpt2 ? 'n_layer' : 'num_hidden_layers') ?? Number.MAX_SAFE_INTEGER, heads: folder.int(gpt2 ? 'n_head' : 'num_attention_heads') ?? Number.MAX_SAFE_INTEGER };
  const chosen = v.layer === undefined ? null : { layer: intFlag('inspect', 'layer', v.layer, 1, 1, declared.layers), head: intFlag('inspect', 'head', v.head, 1, 1, declared.heads) };
  const givenIds = v.ids === undefined ? null : parseIds(v.ids, folder.int('vocab_size') ?? Number.MAX_SAFE_INTEGER);
  if (vision && !existsSync(v.image!)) throw new UsageError(`inspect: --image ${v.image} does not exist`);
  const image = vision ? readImage(v.image!) : null;
  return { k, chosen, givenIds, image };
}

/**
 * Runs `qkv inspect …` (the flags after the command name); returns the exit code.
 * @example await inspectCommand(['--model', 'gpt2', '--text', 'The attention', '--layer', '1', '--head', '1'])
 */
export async function inspectCommand(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const s = { type: 'string' } as const;
  const v = parseFlags('inspect', argv, { model: s, text: s, ids: s, image: s, layer: s, head: s, top: s });
  if (v.help) {
    write(`${INSPECT_USAGE}\n`);
    return 0;
  }
  const folder = hubFolder('inspect', '--model', v.model);
  const { k, chosen, givenIds, image } = checkFlags(v, folder);
  const vision = image !== null;
  await useBackend('inspect', v.backend, v.threads);
  const { model, tokenizer, imageProcessor, labels: classLabels } = await loadFolder(folder.dir, { tokenizer: !vision && v.text !== undefined, quiet: v.quiet });

  const [L, H] = model instanceof GPT ? [model.config.nLayer, model.config.nHead]
    : model instanceof VisionTransformer ? [model.config.depth ?? 4, model.config.nhead ?? 4]
      : [bertOf(model).config.numHiddenLayers, bertOf(model).config.numAttentionHeads];
  if (chosen && (chosen.layer > L || chosen.head > H)) throw new UsageError(`inspect: the model has ${L} layers × ${H} heads; --layer ${chosen.layer} --head ${chosen.head} is outside them`);

  const found = noGrad((): Inspected => {
    if (model instanceof VisionTransformer) {
      if (!imageProcessor) throw new UsageError(`inspect: ${folder.dir} has no preprocessor_config.json, so the image cannot be prepared`);
      const { logits, attention } = model.forwardWithAttention(imageProcessor.preprocess(image!));
      const g = Math.sqrt(model.numPatches);
      const labels = ['CLS', ...Array.from({ length: model.numPatches }, (_, i) => `${Math.floor(i / g) + 1},${(i % g) + 1}`)];
      const predictions = model.head ? [`labels: ${ranked(logits.dataSync(), k, (i) => classLabels?.[i] ?? `LABEL_${i}`)}`] : ['(ViTModel has no classification head)'];
      return { attentions: attention, labels, summaryQuery: 0, predictions };
    }
    const [vocabSize, limit] = model instanceof GPT ? [model.config.vocabSize, model.config.blockSize] : [bertOf(model).config.vocabSize, bertOf(model).config.maxPositionEmbeddings];
    const ids = givenIds ?? tokenizer!.encode(v.text!);
    if (ids.some((id) => id >= vocabSize)) throw new UsageError(`inspect: ${givenIds ? '--ids has' : 'the tokenizer gives'} ids up to ${Math.max(...ids)}, beyond the model's ${vocabSize} embeddings`);
    if (ids.length === 0) throw new InputError('inspect: the input encodes to no tokens');
    if (ids.length > limit) throw new InputError(`inspect: the input has ${ids.length} tokens, more than the model's ${limit} positions`);
    return inspectText(model, tokenizer, ids, k, classLabels);
  });

  write(`${found.labels.length} ${vision ? 'positions (CLS + patches row,column)' : 'tokens'}: ${found.labels.map(quote).join(' ')}\n${L} layers × ${H} heads\n\n`);
  if (chosen) {
    const { layer, head: headIndex } = chosen;
    const rows = headMatrix(found.attentions, layer - 1, headIndex - 1);
    write(`layer ${layer}, head ${headIndex}: queries down, keys across\n`);
    write(`${terminalHeatmap(rows, { xLabels: found.labels, yLabels: found.labels, color: colorMode() })}\n\n`);
    write('each query\'s most attended key:\n');
    const width = String(rows.length).length;
    rows.forEach((row, i) => {
      const [j, p] = topK(row, 1)[0]!;
      write(`  q ${String(i + 1).padStart(width)} ${quote(found.labels[i]!)} → k ${String(j + 1).padStart(width)} ${quote(found.labels[j]!)} ${p.toFixed(4)}\n`);
    });
  } else {
    write(`${summary(found).join('\n')}\n`);
  }
  write(`\n${found.predictions.join('\n')}\n`);
  return 0;
}
