import type { Tokenizer } from '@qkv/tokenizer';
import type { ImageSet } from '../mnist/load.js';
import { batchOrder, type BatchOrderOptions } from './order.js';
import { padTexts, type PaddedIds } from './pad.js';

/** One batch of labelled texts. B rows · L padded length. */
export interface TextClassificationBatch {
  /** [B, L] token ids and mask. */
  input: PaddedIds;
  /** [B] class ids. */
  labels: Int32Array;
  /** [B] positions of these items in the input list. */
  indices: number[];
}

/**
 * Batches of `{ text, label }` items, tokenized and padded per batch; texts longer than
 * `maxLength` tokens (default 256) are cut.
 * @example textClassificationBatches(spam.train, bpe, { batchSize: 32, maxLength: 256 })
 */
export function* textClassificationBatches(
  items: readonly { text: string; label: number }[],
  tokenizer: Tokenizer,
  options: BatchOrderOptions & { maxLength?: number; addSpecialTokens?: boolean },
): Generator<TextClassificationBatch> {
  for (const indices of batchOrder(items.length, options)) {
    const rows = indices.map((i) => items[i]!);
    yield {
      input: padTexts(tokenizer, rows.map((r) => r.text), { maxLength: options.maxLength ?? 256, addSpecialTokens: options.addSpecialTokens ?? false }),
      labels: Int32Array.from(rows, (r) => r.label),
      indices,
    };
  }
}

/** One batch of images. B rows · H height · W width. */
export interface ImageBatch {
  /** [B·H·W] pixels and their shape [B, H, W]. */
  input: { data: Float32Array; shape: [number, number, number] };
  /** [B] class ids. */
  labels: Int32Array;
  /** [B] positions of these images in the set. */
  indices: number[];
}

/**
 * Batches of an image set (e.g. MNIST) in an order fixed by (seed, epoch).
 * @example for (const { input, labels } of imageBatches(mnist.train, { batchSize: 128, epoch })) { … }
 */
export function* imageBatches(set: ImageSet, options: BatchOrderOptions): Generator<ImageBatch> {
  const [, H, W] = set.shape;
  const pixels = H * W;
  for (const indices of batchOrder(set.labels.length, options)) {
    const data = new Float32Array(indices.length * pixels);
    for (const [row, i] of indices.entries()) data.set(set.images.subarray(i * pixels, (i + 1) * pixels), row * pixels);
    yield { input: { data, shape: [indices.length, H, W] }, labels: Int32Array.from(indices, (i) => set.labels[i]!), indices };
  }
}
