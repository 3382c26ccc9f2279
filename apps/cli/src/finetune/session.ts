// The training session of `qkv finetune` for causal-LM text: a seeded line split into train and
// held-out text, windows of blockSize + 1 tokens, AdamW over the trainable weights, perplexity.
import { AdamW, crossEntropy, weightDecayGroups } from '@qkv/nn';
import { noGrad, tensor, tidy } from '@qkv/tensor-core';
import { perplexity, shuffle } from '@qkv/datasets';
import { UsageError } from '../errors.js';
import { epochOrder, warmupCosine } from '../recipes/settings.js';
import type { RunOptions, Session } from '../recipes/types.js';
import type { BaseModel } from './base-model.js';

/** Train and held-out token streams from the lines of `text`: a seeded `evalFraction` of lines is held out. */
export function splitText(text: string, base: BaseModel, evalFraction: number, seed: number): { train: Int32Array; heldOut: Int32Array; lines: [number, number] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const heldCount = Math.round(lines.length * evalFraction);
  if (lines.length < 2 || heldCount < 1 || heldCount >= lines.length) {
    throw new UsageError(`finetune: --data needs enough non-empty lines to hold out ${evalFraction} of them, got ${lines.length} line(s)`);
  }
  const order = shuffle(lines.map((_, i) => i), seed);
  const held = new Set(order.slice(0, heldCount));
  const join = (keep: boolean) => Int32Array.from(base.encode(lines.filter((_, i) => held.has(i) === !keep).join('\n') + '\n'));
  return { train: join(true), heldOut: join(false), lines: [lines.length - heldCount, heldCount] };
}

/** Windows of `blockSize + 1` tokens of `ids` at `starts` → input and target int32 [B, T]. */
function windows(ids: Int32Array, starts: readonly number[], blockSize: number) {
  const input = new Int32Array(starts.length * blockSize);
  const target = new Int32Array(starts.length * blockSize);
  starts.forEach((s, b) => {
    input.set(ids.subarray(s, s + blockSize), b * blockSize);
    target.set(ids.subarray(s + 1, s + blockSize + 1), b * blockSize);
  });
  const shape = [starts.length, blockSize];
  return { input: tensor(input, { shape, dtype: 'int32' }), target: tensor(target, { shape, dtype: 'int32' }) };
}

/**
 * Held-out perplexity of `base` on `ids`: non-overlapping windows from the start, each scoring its
 * blockSize next tokens, at most `limit` windows.
 */
export function heldOutPerplexity(base: BaseModel, ids: Int32Array, blockSize: number, limit?: number): { perplexity: number; tokens: number } {
  const count = Math.min(limit ?? Infinity, Math.floor((ids.length - 1) / blockSize));
  if (count < 1) throw new UsageError(`finetune: the held-out text has ${ids.length} tokens, fewer than one window of ${blockSize + 1}; raise --eval-fraction`);
  const starts = Array.from({ length: count }, (_, w) => w * blockSize);
  let nll = 0;
  const wasTraining = base.model.training;
  base.model.eval();
  for (let i = 0; i < count; i += 32) {
    nll += tidy(() =>
      noGrad(() => {
        const { input, target } = windows(ids, starts.slice(i, i + 32), blockSize);
        return crossEntropy(base.logits(input).reshape([-1, base.vocabSize]), target.reshape([-1]), { reduction: 'sum' }).item();
      }),
    );
  }
  base.model.train(wasTraining);
  return { perplexity: perplexity(nll, count * blockSize), tokens: count * blockSize };
}

/** A Session for the generic training loop (`train/loop.ts`). */
export function finetuneSession(base: BaseModel, data: { train: Int32Array; heldOut: Int32Array }, run: RunOptions, blockSize: number, full: boolean): Session {
  const { model } = base;
  const windowCount = Math.floor((data.train.length - 1) / blockSize);
  if (windowCount < 1) throw new UsageError(`finetune: the training text has ${data.train.length} tokens, fewer than one window of ${blockSize + 1}`);
  const trainable = model.parameters().filter((p) => p.requiresGrad);
  // LoRA adapters train without weight decay (PEFT's examples); full fine-tuning decays matrices only
  const optimizer = full ? new AdamW(weightDecayGroups(model, 0.1), { lr: run.lr }) : new AdamW(trainable, { lr: run.lr, weightDecay: 0 });
  const batchesPerEpoch = Math.ceil(windowCount / run.batchSize);
  const order = epochOrder(windowCount, run.batchSize, run.seed);
  // each epoch cuts the stream at another phase (< the slack left after the last window)
  const slack = data.train.length - 1 - windowCount * blockSize;
  const phase = (epoch: number) => (slack > 0 ? (epoch * 53) % (slack + 1) : 0);
  return {
    model,
    optimizer,
    lrAt: warmupCosine(run, batchesPerEpoch, 20),
    batchesPerEpoch,
    clipNorm: 1,
    batch: (epoch, index) => order(epoch)[index]!.map((w) => phase(epoch) + w * blockSize),
    loss: (batch) => {
      const { input, target } = windows(data.train, batch as number[], blockSize);
      return { loss: crossEntropy(base.logits(input).reshape([-1, base.vocabSize]), target.reshape([-1])), count: input.size };
    },
    evaluate: (_split, limit) => ({ perplexity: heldOutPerplexity(base, data.heldOut, blockSize, limit).perplexity }),
    predict: () => {
      throw new UsageError('finetune: predict is not part of finetune; use the saved model');
    },
    manifest: () => ({}),
  };
}
