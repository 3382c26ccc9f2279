/**
 * tokenizer.json `normalizer`s with `tokenizers`' semantics and alignments: BertNormalizer,
 * Lowercase, NFC/NFD/NFKC/NFKD, StripAccents, Strip, Replace, Prepend, Sequence.
 */
import type { JsonReader } from './json-reader.js';
import type { NormalizedString} from './normalized-string.js';
import { regexMatches } from './normalized-string.js';
import { MAX_TEXT, readPattern } from './patterns.js';
import { normalizeForm } from './unicode-forms.js';

/** Normalises a string in place. */
export type Normalizer = (normalized: NormalizedString) => void;

const OTHER = /^\p{C}$/u;
const WHITE_SPACE = /^\p{White_Space}$/u;
const NONSPACING_MARK = /^\p{Mn}$/u;
const MARK = /^\p{M}$/u;

/**
 * BERT's Chinese-character blocks exactly as `tokenizers`' BertNormalizer lists them: its fifth
 * extension block starts at 0x2B920, where Python's BasicTokenizer (our `isCjkIdeograph`) has
 * 0x2B820. Two functions on purpose, so each pipeline matches its own reference id for id.
 */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Lower-cases per code point (Rust's `char::to_lowercase`: no final-sigma context). */
export const lowercase: Normalizer = (n) => n.map((c) => c.toLowerCase());

/** Drops control/format/unassigned code points, U+0000 and U+FFFD; white space becomes ' '. */
function cleanText(n: NormalizedString): void {
  n.filter((c) => !(c === '\u0000' || c === '\ufffd' || (c !== '\t' && c !== '\n' && c !== '\r' && OTHER.test(c))));
  n.map((c) => (c === '\t' || c === '\n' || c === '\r' || WHITE_SPACE.test(c) ? ' ' : c));
}

/** Puts a space on each side of every Chinese character (the spaces share its span). */
function padChineseChars(n: NormalizedString): void {
  const changes: [string, number][] = [];
  for (const c of n.chars) {
    if (isChineseChar(c.codePointAt(0)!)) changes.push([' ', 0], [c, 1], [' ', 1]);
    else changes.push([c, 0]);
  }
  n.transform(changes);
}

/**
 * BertNormalizer. @example bertNormalizer(true, true, undefined, true) // bert-base-uncased
 */
export function bertNormalizer(cleanTextOn: boolean, chinese: boolean, stripAccents: boolean | undefined, lower: boolean): Normalizer {
  return (n) => {
    if (cleanTextOn) cleanText(n);
    if (chinese) padChineseChars(n);
    if (stripAccents ?? lower) {
      normalizeForm(n, 'NFD');
      n.filter((c) => !NONSPACING_MARK.test(c));
    }
    if (lower) lowercase(n);
  };
}

/**
 * Reads one normalizer object (or null: none).
 * @example readNormalizer({ type: 'Lowercase' }, reader, 'normalizer')
 */
export function readNormalizer(value: unknown, r: JsonReader, field: string, depth = 0): Normalizer | undefined {
  const c = r.component(value, field, depth);
  if (c === undefined) return undefined;
  const { obj, type, at } = c;
  switch (type) {
    case 'BertNormalizer': {
      r.onlyKeys(obj, field, ['type', 'clean_text', 'handle_chinese_chars', 'strip_accents', 'lowercase']);
      const strip = at('strip_accents');
      return bertNormalizer(
        r.boolean(at('clean_text'), `${field}.clean_text`, true),
        r.boolean(at('handle_chinese_chars'), `${field}.handle_chinese_chars`, true),
        strip === null || strip === undefined ? undefined : r.boolean(strip, `${field}.strip_accents`),
        r.boolean(at('lowercase'), `${field}.lowercase`, true),
      );
    }
    case 'Lowercase':
      r.onlyKeys(obj, field, ['type']);
      return lowercase;
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      r.onlyKeys(obj, field, ['type']);
      return (n) => normalizeForm(n, type);
    case 'StripAccents':
      r.onlyKeys(obj, field, ['type']);
      return (n) => n.filter((c) => !MARK.test(c));
    case 'Strip': {
      r.onlyKeys(obj, field, ['type', 'strip_left', 'strip_right']);
      const left = r.boolean(at('strip_left'), `${field}.strip_left`);
      const right = r.boolean(at('strip_right'), `${field}.strip_right`);
      return (n) => n.strip(left, right);
    }
    case 'Replace': {
      r.onlyKeys(obj, field, ['type', 'pattern', 'content']);
      const regex = readPattern(at('pattern'), r, `${field}.pattern`);
      const content = r.string(at('content'), `${field}.content`);
      if (content.length > MAX_TEXT) throw r.error(`${field}.content`, `at most ${MAX_TEXT} characters`, `${content.length} characters`);
      return (n) => n.replace(regexMatches(n.chars, regex), content);
    }
    case 'Prepend': {
      r.onlyKeys(obj, field, ['type', 'prepend']);
      const prefix = r.string(at('prepend'), `${field}.prepend`);
      if (prefix.length > MAX_TEXT) throw r.error(`${field}.prepend`, `at most ${MAX_TEXT} characters`, `${prefix.length} characters`);
      return (n) => n.prepend(prefix);
    }
    case 'Sequence': {
      r.onlyKeys(obj, field, ['type', 'normalizers']);
      const list = r.array(at('normalizers'), `${field}.normalizers`, 64);
      const steps = list.map((item, i) => readNormalizer(item, r, `${field}.normalizers[${i}]`, depth + 1)).filter((s) => s !== undefined);
      return (n) => {
        for (const step of steps) step(n);
      };
    }
    default:
      throw r.unsupported(`${field} type ${JSON.stringify(type)}`);
  }
}
