import { checkInteger, datasetError } from '../core/errors.js';
import { Random } from '../core/random.js';

/** How a data set is cut into batches. */
export interface BatchOrderOptions {
  /** Rows per batch (B). The last batch may be smaller unless `dropLast`. */
  batchSize: number;
  /** Shuffle the rows each epoch (default true); false keeps the input order. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
  /** Epoch number: each epoch gets its own order, the same for the same (seed, epoch). Default 0. */
  epoch?: number;
  /** Leave out a last batch smaller than `batchSize`. Default false. */
  dropLast?: boolean;
  /**
   * Length of each row (e.g. source tokens). When given, batches hold rows of similar length, so
   * padding to the longest row of a batch wastes little: the shuffled rows are cut into pools of
   * `poolBatches` batches, each pool is sorted by length and cut into batches, and the batches of
   * the epoch are shuffled (fairseq's and torchtext's bucketing). Default: no bucketing.
   */
  lengths?: readonly number[];
  /** Batches per sorting pool when `lengths` is given. Default 64. */
  poolBatches?: number;
}

/**
 * The row indices of each batch for one epoch: a permutation of 0…n−1 fixed by (seed, epoch), cut
 * into runs of `batchSize`. Resuming at (seed, epoch, batch k) reproduces the same batches.
 * @example batchOrder(5, { batchSize: 2, shuffle: false }) // [[0, 1], [2, 3], [4]]
 */
export function batchOrder(n: number, options: BatchOrderOptions): number[][] {
  checkInteger('batchOrder', 'n', n, 0);
  checkInteger('batchOrder', 'batchSize', options.batchSize, 1);
  const epoch = options.epoch ?? 0;
  checkInteger('batchOrder', 'epoch', epoch, 0);
  const { lengths, batchSize } = options;
  if (lengths && lengths.length !== n) throw datasetError('batchOrder', `lengths to have one entry per row (${n})`, lengths.length);
  const poolBatches = options.poolBatches ?? 64;
  checkInteger('batchOrder', 'poolBatches', poolBatches, 1);
  const order = Array.from({ length: n }, (_, i) => i);
  const shuffle = options.shuffle ?? true;
  const random = new Random(((options.seed ?? 0) + Math.imul(epoch + 1, 0x9e3779b9)) | 0);
  if (shuffle) random.shuffleInPlace(order);
  if (lengths) {
    const pool = poolBatches * batchSize;
    for (let start = 0; start < n; start += pool) {
      // a stable sort inside the pool: equal lengths keep their shuffled order
      const sorted = order.slice(start, start + pool).sort((a, b) => lengths[a]! - lengths[b]!);
      for (let i = 0; i < sorted.length; i++) order[start + i] = sorted[i]!;
    }
  }
  const batches: number[][] = [];
  for (let start = 0; start < n; start += batchSize) {
    const batch = order.slice(start, start + batchSize);
    if (batch.length < batchSize && options.dropLast) break;
    batches.push(batch);
  }
  if (lengths && shuffle) random.shuffleInPlace(batches); // otherwise every epoch would run short rows first
  return batches;
}
