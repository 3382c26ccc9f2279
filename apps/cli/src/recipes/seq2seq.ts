// A Session for any text-to-text task on any encoder-decoder (Transformer or GRU): batching, loss,
// greedy/beam evaluation, prediction with cross-attention. The g2p and date recipes only supply
// data and metrics; seq2seq-models.ts supplies the models.
import { AdamW, crossEntropy, noam } from '@qkv/nn';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { Tokenizer } from '@qkv/tokenizer';
import { beamSearch, greedyDecode } from '@qkv/transformer';
import { padTexts } from '@qkv/datasets';
import type { TextPair } from '@qkv/datasets';
import { epochOrder, evenlySpaced, setting, warmupCosine } from './settings.js';
import { UsageError } from '../errors.js';
import type { Seq2SeqModel } from './seq2seq-models.js';
import type { Prediction, RunOptions, Session } from './types.js';

/** The data of a text-to-text task. */
export interface Seq2SeqTask {
  train: TextPair[];
  /** Evaluation items per split: the source and every acceptable target. */
  evalItems(split: 'validation' | 'test'): { source: string; targets: string[] }[];
  tokenizers: { source: Tokenizer; target: Tokenizer };
  /** Metrics from predictions and references (token lists split on the target tokenizer). */
  score(predictions: string[], items: { source: string; targets: string[] }[]): Record<string, number>;
  /** How a target's tokens are joined back into text (' ' for phonemes, '' for characters). */
  joiner: string;
  maxTargetLength: number;
  /**
   * Brings a `predict` input to the form of the training sources (e.g. trimmed, lower-cased) and
   * throws an InputError for input the model cannot take (outside its alphabet, too long).
   */
  prepareInput?(input: string): string;
}

function ids(p: { ids: Int32Array; shape: [number, number] }): Tensor {
  return tensor(p.ids, { shape: p.shape, dtype: 'int32' });
}

/** The vocabulary facts a seq2seq model is built from. */
export interface Seq2SeqVocab {
  srcVocabSize: number;
  tgtVocabSize: number;
  padId: number;
}

/**
 * The `--set` keys that `seq2seqSession` itself reads, with their help lines, for every seq2seq
 * recipe's `settings` (the recipes add their model's keys and their own `warmup` default).
 * @example settings: { dModel: 'model width (128)', warmup: '… (800)', ...seq2seqSettings }
 */
export const seq2seqSettings: Readonly<Record<string, string>> = {
  schedule: '0: Noam (inverse-square-root decay); 1: cosine down to a tenth of --lr at the last step of --epochs/--max-steps (0)',
  labelSmoothing: 'label smoothing (0.1)',
  evalBeam: 'beam width when scoring (1: greedy)',
  beam: 'beam width of predict (1: greedy)',
};

/**
 * The learning rate at optimizer step `step` (1-based) that `--set schedule` picks:
 * `noam` (0): the Transformer paper's shape, a linear warmup over `--set warmup` steps then decay as
 * step^−0.5, scaled so that its peak is `--lr`; `cosine` (1): the same warmup, then half a cosine down
 * to a tenth of `--lr` at the run's last step (`--max-steps`, or `--epochs` × batches per epoch), so a
 * run that is planned to fit a time budget ends annealed instead of mid-decay.
 * @example seq2seqSchedule({ ...run, set: { schedule: '1', warmup: '800' } }, 836)(800) // run.lr, the peak
 */
export function seq2seqSchedule(run: RunOptions, batchesPerEpoch: number): (step: number) => number {
  const kind = setting(run, 'schedule', 0);
  if (kind !== 0 && kind !== 1) throw new UsageError(`--set schedule must be 0 (noam) or 1 (cosine), got ${kind}`);
  if (kind === 1) return warmupCosine(run, batchesPerEpoch, 400);
  const warmup = setting(run, 'warmup', 400); // recipes set their own default through `defaults.set`
  // Noam's d_model factor cancels once the schedule is scaled to peak at --lr, so 1 stands for it
  const schedule = noam(1, warmup);
  const peak = schedule(warmup);
  return (step) => (run.lr * schedule(step)) / peak;
}

/**
 * How the seq2seq recipes turn text into ids, recorded in every manifest so that whoever rebuilds
 * the model (eval, the demo) feeds it what it was trained on: sources as bare tokens, targets
 * wrapped in <sos> … <eos> (the decoder's input starts at <sos>, its output ends at <eos>).
 */
export const SEQ2SEQ_ENCODING = { source: { addSpecialTokens: false }, target: { addSpecialTokens: true } } as const;

/**
 * Builds the optimizer, batches, loss, metrics and prediction for a seq2seq task around the model
 * that `build` makes from the task's vocabularies.
 */
export function seq2seqSession(run: RunOptions, task: Seq2SeqTask, build: (vocab: Seq2SeqVocab) => Seq2SeqModel, extraManifest: Record<string, unknown>): Session {
  const { source, target } = task.tokenizers;
  const sos = target.specialTokens.sos!;
  const eos = target.specialTokens.eos!;
  const pad = target.specialTokens.pad!;
  const net = build({ srcVocabSize: source.vocabSize, tgtVocabSize: target.vocabSize, padId: pad });
  const model = net.module;
  const optimizer = new AdamW(model.parameters(), { lr: run.lr, betas: [0.9, 0.98], eps: 1e-9, weightDecay: 0.01 });
  const train = run.limit ? task.train.slice(0, run.limit) : task.train;
  const batchesPerEpoch = Math.ceil(train.length / run.batchSize);
  const lrAt = seq2seqSchedule(run, batchesPerEpoch);
  // `--set bucket=1`: batches of similar source and target lengths (less padding, same data per epoch)
  const lengths = setting(run, 'bucket', 0) === 1 ? train.map((r) => source.encode(r.source).length * 256 + target.encode(r.target).length) : undefined;
  const order = epochOrder(train.length, run.batchSize, run.seed, lengths);
  const decode = (srcTexts: string[], beam: number) =>
    tidy(() => {
      const src = ids(padTexts(source, srcTexts, SEQ2SEQ_ENCODING.source));
      const prompt = tensor(new Int32Array(srcTexts.length).fill(sos), { shape: [srcTexts.length, 1], dtype: 'int32' });
      return noGrad(() => {
        if (beam > 1) {
          return beamSearch(net.stepper(src), { prompt, beamWidth: beam, eosId: eos, maxNewTokens: task.maxTargetLength }).map((hyps) => target.decode(hyps[0]!.tokens, { skipSpecialTokens: true }));
        }
        const out = greedyDecode(net.stepper(src), { prompt, eosId: eos, maxNewTokens: task.maxTargetLength });
        const rows = out.toArray() as number[][];
        return rows.map((r) => target.decode(r.slice(1), { skipSpecialTokens: true }));
      });
    });
  return {
    model,
    optimizer,
    lrAt,
    batchesPerEpoch,
    clipNorm: 1,
    batch: (epoch, index) => order(epoch)[index]!.map((i) => train[i]!),
    loss: (batch) => {
      const rows = batch as TextPair[];
      const src = ids(padTexts(source, rows.map((r) => r.source), SEQ2SEQ_ENCODING.source));
      const tgt = ids(padTexts(target, rows.map((r) => r.target), SEQ2SEQ_ENCODING.target)); // [B, T] <sos> … <eos>
      const T = tgt.shape[1]!;
      const tgtIn = tgt.narrow(1, 0, T - 1);
      const tgtOut = tgt.narrow(1, 1, T - 1);
      const logits = net.logits(src, tgtIn); // [B, T-1, V]
      const V = logits.shape[2]!;
      const loss = crossEntropy(logits.reshape([-1, V]), tgtOut.reshape([-1]), { ignoreIndex: pad, labelSmoothing: setting(run, 'labelSmoothing', 0.1) });
      const count = (tgtOut.ne(pad).sum().item()) + src.size;
      return { loss, count };
    },
    evaluate: (split, limit) => {
      const items = evenlySpaced(task.evalItems(split), limit); // the split may be sorted: sample all of it
      const predictions: string[] = [];
      const beam = setting(run, 'evalBeam', 1);
      for (let i = 0; i < items.length; i += 128) predictions.push(...decode(items.slice(i, i + 128).map((it) => it.source), beam));
      return task.score(predictions, items);
    },
    predict: (input, options = {}) => predictWithAttention(net, task, task.prepareInput ? task.prepareInput(input) : input, Number(options.beam ?? 1), decode),
    manifest: () => ({ model: net.config, tokenizers: { source: JSON.parse(source.save()) as unknown, target: JSON.parse(target.save()) as unknown }, encoding: SEQ2SEQ_ENCODING, ...extraManifest }),
  };
}

function predictWithAttention(net: Seq2SeqModel, task: Seq2SeqTask, input: string, beam: number, decode: (s: string[], beam: number) => string[]): Prediction {
  const { source, target } = task.tokenizers;
  const output = decode([input], beam)[0]!;
  const attention = tidy(() =>
    noGrad(() => {
      const srcIds = source.encode(input, SEQ2SEQ_ENCODING.source);
      const tgtIds = [target.specialTokens.sos!, ...target.encode(output)];
      const src = tensor(Int32Array.from(srcIds), { shape: [1, srcIds.length], dtype: 'int32' });
      const tgt = tensor(Int32Array.from(tgtIds), { shape: [1, tgtIds.length], dtype: 'int32' });
      return net.crossAttention(src, tgt).squeeze(0).toArray() as number[][]; // [T, S]
    }),
  );
  const srcTokens = source.encodeWithOffsets(input).tokens;
  const outTokens = output === '' ? [] : task.joiner === ' ' ? output.split(' ') : [...output];
  return {
    output,
    attention: { weights: attention.slice(0, outTokens.length + 1), rowLabels: [...outTokens, '<eos>'], colLabels: srcTokens, title: `${net.attentionTitle} (rows: output, columns: input)` },
  };
}
