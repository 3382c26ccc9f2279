import { checkInteger } from '../core/errors.js';
import { batchOrder, type BatchOrderOptions } from './order.js';

/** One batch for next-token prediction. B rows · T block size. */
export interface LanguageModelBatch {
  /** [B·T] tokens t…t+T−1 of each window, shape [B, T]. */
  input: { ids: Int32Array; shape: [number, number] };
  /** [B·T] tokens t+1…t+T (the input shifted by one), shape [B, T]. */
  target: { ids: Int32Array; shape: [number, number] };
  /** [B] start offset of each window in the stream. */
  starts: number[];
}

/**
 * Cuts a token stream into non-overlapping windows of `blockSize + 1` tokens (input and its
 * one-step shift) starting at multiples of `blockSize`, batched in an order fixed by (seed, epoch).
 * A tail shorter than a window is left out.
 * @example languageModelBatches(tok.encode(brownText(train)), { blockSize: 128, batchSize: 32 })
 */
export function* languageModelBatches(stream: ArrayLike<number>, options: BatchOrderOptions & { blockSize: number }): Generator<LanguageModelBatch> {
  const T = options.blockSize;
  checkInteger('languageModelBatches', 'blockSize', T, 1);
  const windows = Math.max(0, Math.floor((stream.length - 1) / T));
  for (const rows of batchOrder(windows, options)) {
    const input = new Int32Array(rows.length * T);
    const target = new Int32Array(rows.length * T);
    for (const [b, w] of rows.entries()) {
      for (let t = 0; t < T; t++) {
        input[b * T + t] = stream[w * T + t]!;
        target[b * T + t] = stream[w * T + t + 1]!;
      }
    }
    yield { input: { ids: input, shape: [rows.length, T] }, target: { ids: target, shape: [rows.length, T] }, starts: rows.map((w) => w * T) };
  }
}
