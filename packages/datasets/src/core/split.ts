import { DatasetError } from './errors.js';
import { shuffle } from './random.js';

/** The three parts of a data set. */
export type SplitName = 'train' | 'validation' | 'test';

/** Fractions of the data for each part; they must sum to 1. */
export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

/** The three parts of a data set, disjoint. */
export interface Splits<T> {
  train: T[];
  validation: T[];
  test: T[];
}

/** 80 % train, 10 % validation, 10 % test. */
export const DEFAULT_FRACTIONS: Readonly<SplitFractions> = Object.freeze({ train: 0.8, validation: 0.1, test: 0.1 });

/**
 * How many of `n` items each part gets: validation and test get `round(n·fraction)`, train the rest,
 * so the three sizes always sum to n.
 * @example splitSizes(10, DEFAULT_FRACTIONS) // { train: 8, validation: 1, test: 1 }
 */
export function splitSizes(n: number, fractions: SplitFractions = DEFAULT_FRACTIONS): Record<SplitName, number> {
  checkFractions('splitSizes', fractions);
  const validation = Math.round(n * fractions.validation);
  const test = Math.round(n * fractions.test);
  return { train: n - validation - test, validation, test };
}

/**
 * Splits items into train/validation/test: shuffles them by `seed`, then cuts test, validation
 * and train (in that order) off the shuffled list. The same seed and input give the same split.
 * @example splitItems(['a', 'b', 'c', 'd'], { seed: 1, fractions: { train: 0.5, validation: 0.25, test: 0.25 } })
 */
export function splitItems<T>(items: readonly T[], options: { seed: number; fractions?: SplitFractions }): Splits<T> {
  const sizes = splitSizes(items.length, options.fractions ?? DEFAULT_FRACTIONS);
  const order = shuffle(items, options.seed);
  return {
    test: order.slice(0, sizes.test),
    validation: order.slice(sizes.test, sizes.test + sizes.validation),
    train: order.slice(sizes.test + sizes.validation),
  };
}

/**
 * Splits items so that all items with the same key land in the same part (e.g. all pronunciations
 * of one word). Keys are split with {@link splitItems}; items keep their input order within a part.
 * @example splitByKey(entries, (e) => e.word, { seed: 0 })
 */
export function splitByKey<T>(items: readonly T[], key: (item: T) => string, options: { seed: number; fractions?: SplitFractions }): Splits<T> {
  const keys = [...new Set(items.map(key))].sort();
  const parts = splitItems(keys, options);
  const partOf = new Map<string, SplitName>();
  for (const name of ['train', 'validation', 'test'] as const) for (const k of parts[name]) partOf.set(k, name);
  const out: Splits<T> = { train: [], validation: [], test: [] };
  for (const item of items) out[partOf.get(key(item))!].push(item);
  return out;
}

function checkFractions(fn: string, fractions: SplitFractions): void {
  const values = [fractions.train, fractions.validation, fractions.test];
  const sum = values.reduce((a, b) => a + b, 0);
  if (values.some((v) => !Number.isFinite(v) || v < 0) || Math.abs(sum - 1) > 1e-9) {
    throw new DatasetError(`${fn}: expected fractions { train, validation, test } ≥ 0 summing to 1, got ${values.join(' + ')} = ${sum}`);
  }
}

/**
 * Splits each class separately with {@link splitItems} so every part has about the class
 * proportions of the whole, then shuffles each part by `seed`.
 * @example splitStratified(messages, (m) => m.label, { seed: 0 })
 */
export function splitStratified<T>(items: readonly T[], label: (item: T) => string | number, options: { seed: number; fractions?: SplitFractions }): Splits<T> {
  const classes = new Map<string | number, T[]>();
  for (const item of items) {
    const key = label(item);
    const list = classes.get(key) ?? [];
    list.push(item);
    classes.set(key, list);
  }
  const out: Splits<T> = { train: [], validation: [], test: [] };
  const keys = [...classes.keys()].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  for (const key of keys) {
    const parts = splitItems(classes.get(key)!, options);
    for (const name of ['train', 'validation', 'test'] as const) out[name].push(...parts[name]);
  }
  for (const name of ['train', 'validation', 'test'] as const) out[name] = shuffle(out[name], options.seed + 1);
  return out;
}
