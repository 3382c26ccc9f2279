/**
 * tokenizer.json `added_tokens`: tokens found whole inside the text before the model runs, as
 * `tokenizers`' AddedVocabulary does — `normalized: false` ones in the raw text first, then
 * `normalized: true` ones (spelled as the normaliser spells them) in each normalised piece; the
 * leftmost, then longest, match wins; `single_word`, `lstrip` and `rstrip` as documented there.
 */
import { TokenizerError } from '../core/errors.js';
import type { JsonReader } from './json-reader.js';
import { MAX_ENTRIES, MAX_ID } from './json-reader.js';
import { NormalizedString } from './normalized-string.js';
import type { Normalizer } from './normalizers.js';

/** One entry of `added_tokens`. */
export interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A piece of text, or an added token found whole (with the text it covered). */
export interface Piece {
  normalized: NormalizedString;
  token?: { id: number; value: string };
}

/** The longest added token accepted (the matcher is one regex of all of them). */
const MAX_ADDED_TOKEN = 10_000;

// The Rust `regex` crate's Unicode \w and \s, as `tokenizers` uses them for these checks.
const WORD_CHAR = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u;
const SPACE = /^\p{White_Space}$/u;

/** Reads `added_tokens`, checking ids against the model vocabulary; returns them in file order. */
export function readAddedTokens(value: unknown, r: JsonReader, modelIds: ReadonlyMap<string, number>, modelSize: number): AddedToken[] {
  if (value === undefined || value === null) return [];
  const list = r.array(value, 'added_tokens', MAX_ENTRIES);
  const seen = new Map<string, number>();
  let next = modelSize;
  return list.map((item, i) => {
    const field = `added_tokens[${i}]`;
    const obj = r.object(item, field);
    r.onlyKeys(obj, field, ['id', 'content', 'single_word', 'lstrip', 'rstrip', 'normalized', 'special']);
    const at = (key: string) => r.get(obj, key);
    const id = r.integer(at('id'), `${field}.id`, 0, MAX_ID);
    const content = r.string(at('content'), `${field}.content`, { nonEmpty: true });
    if (content.length > MAX_ADDED_TOKEN) throw r.error(`${field}.content`, `at most ${MAX_ADDED_TOKEN} characters`, `${content.length} characters`);
    const first = seen.get(content);
    if (first !== undefined) throw r.error(`${field}.content`, `a token not already added (added_tokens[${first}])`, content);
    seen.set(content, i);
    const inModel = modelIds.get(content);
    const expected = inModel ?? next;
    if (id !== expected) {
      const why = inModel === undefined ? 'the next free id' : 'its id in model.vocab';
      throw r.error(`${field}.id`, `${expected} (${why})`, id);
    }
    if (inModel === undefined) next++;
    const special = r.boolean(at('special'), `${field}.special`, false);
    return {
      id,
      content,
      special,
      singleWord: r.boolean(at('single_word'), `${field}.single_word`, false),
      lstrip: r.boolean(at('lstrip'), `${field}.lstrip`, false),
      rstrip: r.boolean(at('rstrip'), `${field}.rstrip`, false),
      normalized: r.boolean(at('normalized'), `${field}.normalized`, !special),
    };
  });
}

/** A set of added tokens matched in one kind of text (raw or normalised). */
class Matcher {
  readonly #regex: RegExp | undefined;
  readonly #byText = new Map<string, AddedToken>();

  constructor(entries: readonly [pattern: string, token: AddedToken][]) {
    for (const [pattern, token] of entries) if (pattern !== '' && !this.#byText.has(pattern)) this.#byText.set(pattern, token);
    // Longest first, so at each position the alternation takes the longest token (leftmost-longest).
    const patterns = [...this.#byText.keys()].sort((a, b) => b.length - a.length);
    try {
      this.#regex = patterns.length === 0 ? undefined : new RegExp(patterns.map(escape).join('|'), 'gu');
    } catch (error) {
      throw new TokenizerError(`fromTokenizerJson: tokenizer.json added_tokens: expected tokens that fit in one regex, got ${patterns.length} (${(error as Error).message})`, 'tokenizer.json', 'added_tokens');
    }
  }

  /** Splits one piece: text around the matches, and the matches as tokens. */
  split(piece: NormalizedString): Piece[] {
    if (this.#regex === undefined || piece.length === 0) return [{ normalized: piece }];
    const chars = piece.chars;
    const text = chars.join('');
    const cpIndex = codePointIndex(chars, text.length);
    const out: Piece[] = [];
    let last = 0; // code points already emitted
    for (const match of text.matchAll(this.#regex)) {
      const token = this.#byText.get(match[0])!;
      let start = cpIndex[match.index]!;
      let stop = cpIndex[match.index + match[0].length]!;
      if (start < last) continue; // inside the spaces an rstrip token already took
      if (token.singleWord) {
        const startOk = start === 0 || !WORD_CHAR.test(chars[start - 1]!);
        const stopOk = stop === chars.length || !WORD_CHAR.test(chars[stop]!);
        if (!startOk || !stopOk) continue;
      }
      if (token.lstrip) {
        let s = start;
        while (s > 0 && SPACE.test(chars[s - 1]!)) s--;
        start = Math.max(s, last);
      }
      if (token.rstrip) while (stop < chars.length && SPACE.test(chars[stop]!)) stop++;
      if (last < start) out.push({ normalized: piece.slice(last, start) });
      const covered = piece.slice(start, stop);
      out.push({ normalized: covered, token: { id: token.id, value: covered.text } });
      last = stop;
    }
    if (last < chars.length) out.push({ normalized: piece.slice(last, chars.length) });
    return out;
  }
}

/**
 * Finds added tokens in a text and normalises the rest.
 * @example new AddedVocabulary(tokens, normalizer).extract('a [MASK] b') // 'a ', [MASK], ' b' (normalised)
 */
export class AddedVocabulary {
  readonly #raw: Matcher;
  readonly #normalized: Matcher;
  readonly #normalizer: Normalizer | undefined;

  constructor(tokens: readonly AddedToken[], normalizer: Normalizer | undefined) {
    this.#normalizer = normalizer;
    this.#raw = new Matcher(tokens.filter((t) => !t.normalized).map((t) => [t.content, t]));
    this.#normalized = new Matcher(
      tokens
        .filter((t) => t.normalized)
        .map((t) => {
          if (normalizer === undefined) return [t.content, t];
          const n = NormalizedString.from(t.content);
          normalizer(n);
          return [n.text, t];
        }),
    );
  }

  /** The text as pieces: added tokens found in the raw text, the rest normalised and searched again. */
  extract(text: string): Piece[] {
    const out: Piece[] = [];
    for (const piece of this.#raw.split(NormalizedString.from(text))) {
      if (piece.token !== undefined) {
        out.push(piece);
        continue;
      }
      this.#normalizer?.(piece.normalized);
      for (const sub of this.#normalized.split(piece.normalized)) if (sub.normalized.length > 0) out.push(sub);
    }
    return out.filter((p) => p.normalized.length > 0);
  }
}

function escape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** UTF-16 index → code-point index for the string of `chars`. */
function codePointIndex(chars: readonly string[], length: number): Int32Array {
  const index = new Int32Array(length + 1);
  let unit = 0;
  chars.forEach((char, i) => {
    index[unit] = i;
    if (char.length === 2) index[unit + 1] = i;
    unit += char.length;
  });
  index[length] = chars.length;
  return index;
}
