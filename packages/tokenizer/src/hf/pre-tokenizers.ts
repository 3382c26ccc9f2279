/**
 * tokenizer.json `pre_tokenizer`s with `tokenizers`' semantics: ByteLevel, BertPreTokenizer,
 * Whitespace, WhitespaceSplit, Punctuation, Digits, Split, Metaspace, CharDelimiterSplit, Sequence.
 * Each maps one normalised piece of text to the pieces the model tokenises separately.
 */
import { BYTE_TO_CHAR } from '../bpe/byte-unicode.js';
import { GPT2_PATTERN } from '../bpe/gpt2-split.js';
import type { JsonReader } from './json-reader.js';
import { charMatches, invert, regexMatches, type Change, type NormalizedString, type SplitBehavior } from './normalized-string.js';
import { onigToRegExp } from './onig-regex.js';
import { readPattern } from './patterns.js';

/** One piece → its sub-pieces (empty ones are dropped by the caller). */
export type PreTokenizer = (piece: NormalizedString) => NormalizedString[];

const WHITE_SPACE = /^\p{White_Space}$/u;
const PUNCTUATION = /^\p{P}$/u;
const NUMERIC = /^\p{N}$/u;
// The Rust `regex` crate's Unicode \w (Whitespace pre-tokenizer), and \s.
const WORDS = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\p{White_Space}]+/gu;
/** GPT-2's pattern with Oniguruma's `\s` (Unicode White_Space), as `tokenizers`' ByteLevel runs it. */
const BYTE_LEVEL_SPLIT = onigToRegExp(GPT2_PATTERN, 'ByteLevel', 'pattern');
const BEHAVIORS: readonly SplitBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];
const utf8 = new TextEncoder();

const isWhitespace = (c: string) => WHITE_SPACE.test(c);
/** Rust's `is_ascii_punctuation() || is_punctuation()`. */
export const isPunctuation = (c: string): boolean => {
  const cp = c.codePointAt(0)!;
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126) || PUNCTUATION.test(c);
};

/** Each code point → its UTF-8 bytes spelled with GPT-2's byte characters (all keep its span). */
export function byteLevelMap(piece: NormalizedString): void {
  const changes: Change[] = [];
  for (const char of piece.chars) {
    const bytes = char.length === 1 && char.charCodeAt(0) < 128 ? [char.charCodeAt(0)] : utf8.encode(char);
    let i = 0;
    for (const b of bytes) changes.push([BYTE_TO_CHAR[b]!, i++ === 0 ? 0 : 1]);
  }
  piece.transform(changes);
}

/**
 * ByteLevel: optional prefix space, GPT-2's split, then bytes as characters.
 * @example byteLevel(false, true) // GPT-2
 */
export function byteLevel(addPrefixSpace: boolean, useRegex: boolean): PreTokenizer {
  return (piece) => {
    if (addPrefixSpace && piece.chars[0] !== ' ') piece.prepend(' ');
    const pieces = useRegex ? piece.split(regexMatches(piece.chars, BYTE_LEVEL_SPLIT), 'Isolated') : [piece];
    for (const p of pieces) byteLevelMap(p);
    return pieces;
  };
}

/** BertPreTokenizer: split on white space (removed), then isolate punctuation. */
export const bertPreTokenizer: PreTokenizer = (piece) =>
  piece.split(charMatches(piece.chars, isWhitespace), 'Removed').flatMap((p) => p.split(charMatches(p.chars, isPunctuation), 'Isolated'));

/**
 * Metaspace: spaces become `replacement`, which is prepended per `scheme`, then split before each.
 * @example metaspace('▁', 'always', true)
 */
export function metaspace(replacement: string, scheme: 'always' | 'first' | 'never', split: boolean): PreTokenizer {
  return (piece) => {
    piece.map((c) => (c === ' ' ? replacement : c));
    const starts = piece.chars[0] === replacement;
    if (!starts && (scheme === 'always' || (scheme === 'first' && piece.originalStart === 0))) piece.prepend(replacement);
    return split ? piece.split(charMatches(piece.chars, (c) => c === replacement), 'MergedWithNext') : [piece];
  };
}

function readBehavior(value: unknown, r: JsonReader, field: string, fallback?: SplitBehavior): SplitBehavior {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(BEHAVIORS as readonly string[]).includes(value)) {
    throw r.error(field, `one of ${BEHAVIORS.join(', ')}`, value);
  }
  return value as SplitBehavior;
}

/** Reads Metaspace's `prepend_scheme` (and the older `add_prefix_space`). */
export function readPrependScheme(obj: Record<string, unknown>, r: JsonReader, field: string): 'always' | 'first' | 'never' {
  const raw = r.get(obj, 'prepend_scheme');
  const scheme = raw === undefined ? 'always' : raw;
  if (scheme !== 'always' && scheme !== 'first' && scheme !== 'never') throw r.error(`${field}.prepend_scheme`, '"always", "first" or "never"', raw);
  const legacy = r.get(obj, 'add_prefix_space');
  if (legacy !== undefined && legacy !== null && !r.boolean(legacy, `${field}.add_prefix_space`)) {
    if (scheme !== 'never' && raw !== undefined) throw r.error(`${field}.add_prefix_space`, `true with prepend_scheme ${JSON.stringify(scheme)}`, false);
    return 'never';
  }
  return scheme;
}

/**
 * Reads one pre_tokenizer object (or null: none).
 * @example readPreTokenizer({ type: 'Whitespace' }, reader, 'pre_tokenizer')
 */
export function readPreTokenizer(value: unknown, r: JsonReader, field: string, depth = 0): PreTokenizer | undefined {
  const c = r.component(value, field, depth);
  if (c === undefined) return undefined;
  const { obj, type, at } = c;
  switch (type) {
    case 'ByteLevel':
      r.onlyKeys(obj, field, ['type', 'add_prefix_space', 'trim_offsets', 'use_regex']);
      r.boolean(at('trim_offsets'), `${field}.trim_offsets`, true); // used by the post-processor only
      return byteLevel(r.boolean(at('add_prefix_space'), `${field}.add_prefix_space`, true), r.boolean(at('use_regex'), `${field}.use_regex`, true));
    case 'BertPreTokenizer':
      r.onlyKeys(obj, field, ['type']);
      return bertPreTokenizer;
    case 'Whitespace':
      r.onlyKeys(obj, field, ['type']);
      return (piece) => piece.split(invert(regexMatches(piece.chars, WORDS)), 'Removed');
    case 'WhitespaceSplit':
      r.onlyKeys(obj, field, ['type']);
      return (piece) => piece.split(charMatches(piece.chars, isWhitespace), 'Removed');
    case 'Punctuation': {
      r.onlyKeys(obj, field, ['type', 'behavior']);
      const behavior = readBehavior(at('behavior'), r, `${field}.behavior`, 'Isolated');
      return (piece) => piece.split(charMatches(piece.chars, isPunctuation), behavior);
    }
    case 'Digits': {
      r.onlyKeys(obj, field, ['type', 'individual_digits']);
      const behavior = r.boolean(at('individual_digits'), `${field}.individual_digits`, false) ? 'Isolated' : 'Contiguous';
      return (piece) => piece.split(charMatches(piece.chars, (c) => NUMERIC.test(c)), behavior);
    }
    case 'CharDelimiterSplit': {
      r.onlyKeys(obj, field, ['type', 'delimiter']);
      const delimiter = r.char(at('delimiter'), `${field}.delimiter`);
      return (piece) => piece.split(charMatches(piece.chars, (c) => c === delimiter), 'Removed');
    }
    case 'Split': {
      r.onlyKeys(obj, field, ['type', 'pattern', 'behavior', 'invert']);
      const regex = readPattern(at('pattern'), r, `${field}.pattern`);
      const behavior = readBehavior(at('behavior'), r, `${field}.behavior`);
      const inverted = r.boolean(at('invert'), `${field}.invert`);
      return (piece) => {
        const matches = regexMatches(piece.chars, regex);
        return piece.split(inverted ? invert(matches) : matches, behavior);
      };
    }
    case 'Metaspace': {
      r.onlyKeys(obj, field, ['type', 'replacement', 'prepend_scheme', 'split', 'add_prefix_space', 'str_rep']);
      const replacement = r.char(at('replacement'), `${field}.replacement`);
      return metaspace(replacement, readPrependScheme(obj, r, field), r.boolean(at('split'), `${field}.split`, true));
    }
    case 'Sequence': {
      r.onlyKeys(obj, field, ['type', 'pretokenizers']);
      const list = r.array(at('pretokenizers'), `${field}.pretokenizers`, 64);
      const steps = list.map((item, i) => readPreTokenizer(item, r, `${field}.pretokenizers[${i}]`, depth + 1)).filter((s) => s !== undefined);
      return (piece) => {
        let pieces = [piece];
        for (const step of steps) pieces = pieces.flatMap((p) => step(p).filter((q) => q.length > 0));
        return pieces;
      };
    }
    default:
      throw r.unsupported(`${field} type ${JSON.stringify(type)}`);
  }
}
