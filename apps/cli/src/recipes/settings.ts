// Recipe settings from `--set key=value`, read with a default and checked, and the pieces of a
// session every recipe shares: the per-epoch batch order and the warmup + cosine schedule.
import { cosineWithWarmup } from '@qkv/nn';
import { batchOrder } from '@qkv/datasets';
import { UsageError } from '../errors.js';
import type { RunOptions } from './types.js';

/**
 * A numeric `--set` value, or `fallback` when absent; a non-number is a usage error.
 * @example setting(run, 'dModel', 64) // 128 after `--set dModel=128`
 */
export function setting(run: RunOptions, key: string, fallback: number): number {
  const v = run.set[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--set ${key} must be a number, got '${v}'`);
  return n;
}

/**
 * The batches of each epoch as row indices (a seeded permutation of 0…n−1 per epoch), remembering
 * only the current epoch, so `batch(epoch, index)` replays exactly after a resume. With `lengths`
 * (one per row), batches group rows of similar length (see `batchOrder`), which cuts padding.
 * @example const order = epochOrder(1000, 32, 0); order(3)[7] // the 8th batch of the 4th epoch
 */
export function epochOrder(n: number, batchSize: number, seed: number, lengths?: readonly number[]): (epoch: number) => number[][] {
  let cached: { epoch: number; batches: number[][] } | undefined;
  return (epoch) => {
    if (cached?.epoch !== epoch) cached = { epoch, batches: batchOrder(n, { batchSize, seed, epoch, ...(lengths ? { lengths } : {}) }) };
    return cached.batches;
  };
}

/**
 * Learning rate at optimizer step `step` (1-based): linear warmup over `--set warmup` steps, then
 * half a cosine down to a tenth of `--lr` at the run's last step.
 */
export function warmupCosine(run: RunOptions, batchesPerEpoch: number, defaultWarmup: number): (step: number) => number {
  const total = Math.max(2, run.maxSteps ?? run.epochs * batchesPerEpoch);
  const warmup = Math.min(setting(run, 'warmup', defaultWarmup), total - 1);
  const schedule = cosineWithWarmup(warmup, total, { minFactor: 0.1 });
  return (step) => run.lr * schedule(step);
}

/**
 * At most `limit` items spread evenly over `items` (indices ⌊i·n/limit⌋), in order; all of them
 * without a limit. A validation subset taken this way samples the whole split even when it is
 * sorted (CMUdict's splits keep the dictionary's alphabetical order), where its first `limit`
 * items would all be words beginning with an apostrophe or "a".
 * @example evenlySpaced([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4) // [0, 2, 5, 7]
 */
export function evenlySpaced<T>(items: readonly T[], limit?: number): T[] {
  const n = items.length;
  if (limit === undefined || limit >= n) return [...items];
  return Array.from({ length: Math.max(0, limit) }, (_, i) => items[Math.floor((i * n) / limit)]!);
}
