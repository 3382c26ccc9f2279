// A Session for any text-to-text task on Seq2SeqTransformer: batching, loss, greedy/beam
// evaluation, prediction with cross-attention. The g2p and date recipes only supply data and metrics.
import { AdamW, crossEntropy } from '@qkv/nn';
import { noam } from '@qkv/nn';
import { Generator, noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { Tokenizer } from '@qkv/tokenizer';
import { Seq2SeqTransformer, beamSearch, greedyDecode } from '@qkv/transformer';
import type { Seq2SeqTransformerConfig } from '@qkv/transformer';
import { batchOrder, padTexts } from '@qkv/datasets';
import type { TextPair } from '@qkv/datasets';
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
}

/** Reads integer settings from `--set`, with defaults. */
export function setting(run: RunOptions, key: string, fallback: number): number {
  const v = run.set[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--set ${key} must be a number, got '${v}'`);
  return n;
}

function ids(p: { ids: Int32Array; shape: [number, number] }): Tensor {
  return tensor(p.ids, { shape: p.shape, dtype: 'int32' });
}

/** Builds the model, optimizer, batches, loss, metrics and prediction for a seq2seq task. */
export function seq2seqSession(run: RunOptions, task: Seq2SeqTask, modelConfig: Omit<Seq2SeqTransformerConfig, 'srcVocabSize' | 'tgtVocabSize'>, extraManifest: Record<string, unknown>): Session {
  const { source, target } = task.tokenizers;
  const sos = target.specialTokens.sos!;
  const eos = target.specialTokens.eos!;
  const pad = target.specialTokens.pad!;
  const config = { srcVocabSize: source.vocabSize, tgtVocabSize: target.vocabSize, padId: pad, ...modelConfig };
  const model = new Seq2SeqTransformer({ ...config, generator: new Generator(run.seed) });
  const optimizer = new AdamW(model.parameters(), { lr: run.lr, betas: [0.9, 0.98], eps: 1e-9, weightDecay: 0.01 });
  const train = run.limit ? task.train.slice(0, run.limit) : task.train;
  const batchesPerEpoch = Math.ceil(train.length / run.batchSize);
  const warmup = setting(run, 'warmup', 400); // recipes set their own default through `defaults.set`
  const dModel = config.dModel ?? 512;
  const peakNoam = noam(dModel, warmup)(warmup);
  const orders = new Map<number, number[][]>();
  const order = (epoch: number) => {
    if (!orders.has(epoch)) {
      orders.clear();
      orders.set(epoch, batchOrder(train.length, { batchSize: run.batchSize, seed: run.seed, epoch }));
    }
    return orders.get(epoch)!;
  };
  const decode = (srcTexts: string[], beam: number) =>
    tidy(() => {
      const src = ids(padTexts(source, srcTexts, { addSpecialTokens: false }));
      const prompt = tensor(new Int32Array(srcTexts.length).fill(sos), { shape: [srcTexts.length, 1], dtype: 'int32' });
      return noGrad(() => {
        if (beam > 1) {
          return beamSearch(model.stepper(src), { prompt, beamWidth: beam, eosId: eos, maxNewTokens: task.maxTargetLength }).map((hyps) => target.decode(hyps[0]!.tokens, { skipSpecialTokens: true }));
        }
        const out = greedyDecode(model.stepper(src), { prompt, eosId: eos, maxNewTokens: task.maxTargetLength });
        const rows = out.toArray() as number[][];
        return rows.map((r) => target.decode(r.slice(1), { skipSpecialTokens: true }));
      });
    });
  return {
    model,
    optimizer,
    // Noam's shape (warm up, then decay as step^-0.5), scaled so that its peak equals --lr
    lrAt: (step) => (run.lr * noam(dModel, warmup)(step)) / peakNoam,
    batchesPerEpoch,
    clipNorm: 1,
    batch: (epoch, index) => order(epoch)[index]!.map((i) => train[i]!),
    loss: (batch) => {
      const rows = batch as TextPair[];
      const src = ids(padTexts(source, rows.map((r) => r.source), { addSpecialTokens: false }));
      const tgt = ids(padTexts(target, rows.map((r) => r.target), { addSpecialTokens: true })); // [B, T] <sos> … <eos>
      const T = tgt.shape[1]!;
      const tgtIn = tgt.narrow(1, 0, T - 1);
      const tgtOut = tgt.narrow(1, 1, T - 1);
      const logits = model.forward(src, tgtIn); // [B, T-1, V]
      const V = logits.shape[2]!;
      const loss = crossEntropy(logits.reshape([-1, V]), tgtOut.reshape([-1]), { ignoreIndex: pad, labelSmoothing: setting(run, 'labelSmoothing', 0.1) });
      const count = (tgtOut.ne(pad).sum().item()) + src.size;
      return { loss, count };
    },
    evaluate: (split, limit) => {
      const items = task.evalItems(split).slice(0, limit ?? Infinity);
      const predictions: string[] = [];
      const beam = setting(run, 'evalBeam', 1);
      for (let i = 0; i < items.length; i += 128) predictions.push(...decode(items.slice(i, i + 128).map((it) => it.source), beam));
      return task.score(predictions, items);
    },
    predict: (input, options = {}) => predictWithAttention(model, task, input, Number(options.beam ?? 1), decode),
    manifest: () => ({ model: { kind: 'Seq2SeqTransformer', ...config }, tokenizers: { source: JSON.parse(source.save()) as unknown, target: JSON.parse(target.save()) as unknown }, ...extraManifest }),
  };
}

function predictWithAttention(model: Seq2SeqTransformer, task: Seq2SeqTask, input: string, beam: number, decode: (s: string[], beam: number) => string[]): Prediction {
  const { source, target } = task.tokenizers;
  const output = decode([input], beam)[0]!;
  const attention = tidy(() =>
    noGrad(() => {
      const srcIds = source.encode(input);
      const tgtIds = [target.specialTokens.sos!, ...target.encode(output)];
      const src = tensor(Int32Array.from(srcIds), { shape: [1, srcIds.length], dtype: 'int32' });
      const tgt = tensor(Int32Array.from(tgtIds), { shape: [1, tgtIds.length], dtype: 'int32' });
      const all = model.forwardWithAttention(src, tgt);
      const last = all.crossAttention[all.crossAttention.length - 1]!; // [1, H, T, S]
      const avg = last.mean(1).squeeze(0); // [T, S]
      return avg.toArray() as number[][];
    }),
  );
  const srcTokens = source.encodeWithOffsets(input).tokens;
  const outTokens = output === '' ? [] : task.joiner === ' ' ? output.split(' ') : [...output];
  return {
    output,
    attention: { weights: attention.slice(0, outTokens.length + 1), rowLabels: [...outTokens, '<eos>'], colLabels: srcTokens, title: 'cross-attention, last decoder layer, mean over heads (rows: output, columns: input)' },
  };
}
