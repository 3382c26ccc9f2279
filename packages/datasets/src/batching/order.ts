import { checkInteger } from '../core/errors.js';
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
  const order = Array.from({ length: n }, (_, i) => i);
  if (options.shuffle ?? true) new Random(((options.seed ?? 0) + Math.imul(epoch + 1, 0x9e3779b9)) | 0).shuffleInPlace(order);
  const batches: number[][] = [];
  for (let start = 0; start < n; start += options.batchSize) {
    const batch = order.slice(start, start + options.batchSize);
    if (batch.length < options.batchSize && options.dropLast) break;
    batches.push(batch);
  }
  return batches;
}
