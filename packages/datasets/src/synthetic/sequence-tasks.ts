import { CharTokenizer } from '@qkv/tokenizer';
import { checkInteger, datasetError } from '../core/errors.js';
import { Random } from '../core/random.js';
import type { TextPair } from '../core/types.js';

/** Options for the copy, reverse and sort tasks. */
export interface SequenceTaskOptions {
  /** Number of pairs. */
  count: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** Characters to draw from. Default `'abcdefghij'`. */
  alphabet?: string;
  /** Shortest sequence. Default 1. */
  minLength?: number;
  /** Longest sequence. Default 10. */
  maxLength?: number;
}

/** The toy seq2seq tasks: what the target is, given a random source string. */
export type SequenceTask = 'copy' | 'reverse' | 'sort';

const TRANSFORMS: Record<SequenceTask, (chars: string[], order: Map<string, number>) => string[]> = {
  copy: (chars) => chars,
  reverse: (chars) => [...chars].reverse(),
  sort: (chars, order) => [...chars].sort((a, b) => order.get(a)! - order.get(b)!),
};

/**
 * Random strings and their copy, reversal or sort (in alphabet order): the classic sanity checks
 * for attention models.
 * @example sequenceTask('reverse', { count: 2, seed: 1 }) // [{ source: 'cgab', target: 'bagc' }, …]
 */
export function sequenceTask(task: SequenceTask, options: SequenceTaskOptions): TextPair[] {
  const fn = `sequenceTask(${task})`;
  const alphabet = [...(options.alphabet ?? 'abcdefghij')];
  const minLength = options.minLength ?? 1;
  const maxLength = options.maxLength ?? 10;
  checkInteger(fn, 'count', options.count, 0);
  checkInteger(fn, 'minLength', minLength, 1);
  checkInteger(fn, 'maxLength', maxLength, minLength);
  if (alphabet.length === 0 || new Set(alphabet).size !== alphabet.length) throw datasetError(fn, 'a non-empty alphabet of distinct characters', options.alphabet);
  if (!(task in TRANSFORMS)) throw datasetError(fn, 'task copy, reverse or sort', task);
  const order = new Map(alphabet.map((ch, i) => [ch, i]));
  const rng = new Random(options.seed ?? 0);
  return Array.from({ length: options.count }, () => {
    const chars = Array.from({ length: rng.intBetween(minLength, maxLength) }, () => rng.pick(alphabet));
    return { source: chars.join(''), target: TRANSFORMS[task](chars, order).join('') };
  });
}

/** Copy task: target = source. @example copyTask({ count: 100 }) */
export const copyTask = (options: SequenceTaskOptions): TextPair[] => sequenceTask('copy', options);
/** Reverse task: target = source reversed. @example reverseTask({ count: 100 }) */
export const reverseTask = (options: SequenceTaskOptions): TextPair[] => sequenceTask('reverse', options);
/** Sort task: target = source's characters in alphabet order. @example sortTask({ count: 100 }) */
export const sortTask = (options: SequenceTaskOptions): TextPair[] => sequenceTask('sort', options);

/**
 * One character tokenizer for both sides of a sequence task (`<pad> <sos> <eos> <unk>`, then the alphabet).
 * @example sequenceTaskTokenizer('abcdefghij').vocabSize // 14
 */
export function sequenceTaskTokenizer(alphabet = 'abcdefghij'): CharTokenizer {
  return CharTokenizer.fromAlphabet(alphabet);
}
