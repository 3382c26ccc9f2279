// A spelling typed by a person, made into the form CMUdict's training words have, or refused with
// a message a person can act on: the G2P models only ever saw lower-case a–z with ' - . inside.
import { DatasetError, describe } from '../core/errors.js';
import { isPlainWord } from './parse.js';

/** Options for {@link normalizeWord}. */
export interface NormalizeWordOptions {
  /** Longest spelling accepted (default 34, CMUdict's longest plain word). */
  maxLength?: number;
}

/**
 * A user's word in the form CMUdict's training words have: Unicode NFKC, trimmed, lower-cased
 * (`"  HeLLo "` → `"hello"`). Throws a {@link DatasetError} that says what is accepted when the
 * input is empty, holds anything but letters a–z and ' - . (digits, spaces, Hangul, accents), has
 * no letter, or is longer than `maxLength`.
 * @example normalizeWord(' Hello ') // 'hello'
 * @example normalizeWord('42') // throws: normalizeWord: expected a word of letters a–z (and ' - .), got "4" in "42"
 */
export function normalizeWord(raw: string, options: NormalizeWordOptions = {}): string {
  const fn = 'normalizeWord';
  const { maxLength = 34 } = options;
  if (typeof raw !== 'string') throw new DatasetError(`${fn}: expected a word as a string, got ${describe(raw)}`);
  const word = raw.normalize('NFKC').trim().toLowerCase();
  if (word.length === 0) throw new DatasetError(`${fn}: expected a word of letters a–z, got an empty input`);
  const bad = [...word].find((c) => !/[a-z'.-]/.test(c));
  if (bad !== undefined) throw new DatasetError(`${fn}: expected a word of letters a–z (and ' - .), got ${JSON.stringify(bad)} in ${describe(raw.trim())}`);
  if (!isPlainWord(word)) throw new DatasetError(`${fn}: expected at least one letter a–z, got ${describe(word)}`);
  if (word.length > maxLength) throw new DatasetError(`${fn}: expected at most ${maxLength} letters, got ${word.length}`);
  return word;
}
