/**
 * tokenizer.json `model`s with `tokenizers`' semantics: BPE (byte-level or not, with
 * `continuing_subword_prefix`, `end_of_word_suffix`, `fuse_unk`, `byte_fallback`, `ignore_merges`;
 * `dropout` refused unless null/0) and WordPiece. A model turns one pre-tokenised piece into tokens
 * whose spans are code-point indices into that piece.
 */
import { mergeIds, PAIR_STRIDE, type MergeTable } from '../bpe/merge.js';
import { MAX_ENTRIES, MAX_ID, type JsonReader } from './json-reader.js';

/** A model's token: id, vocabulary string and code points [from, to) of the piece. */
export interface ModelToken {
  id: number;
  value: string;
  from: number;
  to: number;
}

/** A tokenizer.json model: vocabulary and the piece → tokens function. */
export interface Model {
  /** Tokens in id order. */
  tokens: string[];
  /** Token → id. */
  ids: Map<string, number>;
  tokenize(chars: readonly string[]): ModelToken[];
}

/** Longest word WordPiece looks at; longer ones are `[UNK]` (`tokenizers`' default is 100). */
export const MAX_INPUT_CHARS_PER_WORD_LIMIT = 1000;
const CACHE_LIMIT = 50_000;
const utf8 = new TextEncoder();

/** Reads `model.vocab` (token → id, ids exactly 0…N-1) into tokens in id order and a Map. */
export function readVocab(value: unknown, r: JsonReader, field: string): { tokens: string[]; ids: Map<string, number> } {
  const obj = r.object(value, field);
  const entries = Object.entries(obj);
  if (entries.length > MAX_ENTRIES) throw r.error(field, `at most ${MAX_ENTRIES} tokens`, `${entries.length} tokens`);
  const tokens: string[] = new Array<string>(entries.length);
  const ids = new Map<string, number>();
  for (const [token, id] of entries) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) {
      throw r.error(`${field}[${JSON.stringify(token)}]`, `an integer id in [0, ${MAX_ID}]`, id);
    }
    if (id >= entries.length) throw r.error(`${field}[${JSON.stringify(token)}]`, `ids 0…${entries.length - 1} without gaps`, id);
    if (tokens[id] !== undefined) throw r.error(`${field}[${JSON.stringify(token)}]`, `a unique id (${id} is also ${JSON.stringify(tokens[id])})`, id);
    tokens[id] = token;
    ids.set(token, id);
  }
  return { tokens, ids };
}

/** Options of a `tokenizers` BPE model. */
export interface BpeOptions {
  unkToken: string | undefined;
  prefix: string;
  suffix: string;
  fuseUnk: boolean;
  byteFallback: boolean;
  ignoreMerges: boolean;
}

/**
 * `tokenizers`' BPE: code points (with prefix/suffix) → ids, unknown ones as byte tokens `<0xNN>`
 * or `unk` (fused when asked), then ranked merges; results cached per piece.
 */
export function bpeModel(tokens: string[], ids: Map<string, number>, table: MergeTable, options: BpeOptions): Model {
  const cache = new Map<string, ModelToken[]>();
  const unkId = options.unkToken === undefined ? undefined : ids.get(options.unkToken);
  const tokenize = (chars: readonly string[]): ModelToken[] => {
    if (chars.length === 0) return [];
    const text = chars.join('');
    if (options.ignoreMerges) {
      const whole = ids.get(text);
      if (whole !== undefined) return [{ id: whole, value: text, from: 0, to: chars.length }];
    }
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const symbols: number[] = [];
    const lengths: number[] = [];
    let unk: [id: number, length: number] | undefined;
    const flushUnk = () => {
      if (unk === undefined) return;
      symbols.push(unk[0]);
      lengths.push(unk[1]);
      unk = undefined;
    };
    chars.forEach((char, i) => {
      const s = `${i > 0 ? options.prefix : ''}${char}${i === chars.length - 1 ? options.suffix : ''}`;
      const id = ids.get(s);
      if (id !== undefined) {
        flushUnk();
        symbols.push(id);
        lengths.push(1);
        return;
      }
      if (options.byteFallback) {
        const byteIds = [...utf8.encode(s)].map((b) => ids.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (byteIds.every((b) => b !== undefined)) {
          flushUnk();
          // The byte tokens share the code point: the first takes it, the others are empty after it.
          byteIds.forEach((b, k) => {
            symbols.push(b);
            lengths.push(k === 0 ? 1 : 0);
          });
          return;
        }
      }
      if (unkId === undefined) return; // no unk token: the code point is dropped, as in `tokenizers`
      if (unk !== undefined && options.fuseUnk) unk[1] += 1;
      else {
        flushUnk();
        unk = [unkId, 1];
      }
    });
    flushUnk();
    const merged = mergeIds(symbols, table, lengths);
    const out: ModelToken[] = [];
    let at = 0;
    merged.forEach((id, k) => {
      const length = lengths[k]!;
      out.push({ id, value: tokens[id]!, from: length === 0 ? Math.max(0, at - 1) : at, to: length === 0 ? at : at + length });
      at += length;
    });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, out);
    return out;
  };
  return { tokens, ids, tokenize };
}

/** Reads `model.merges` ("a b" strings or [a, b] pairs) into a rank table, checking every token. */
export function readMerges(value: unknown, r: JsonReader, field: string, ids: Map<string, number>, prefix: string): MergeTable {
  const list = r.array(value, field);
  const ranks = new Map<number, number>();
  const merged = new Int32Array(list.length);
  list.forEach((item: unknown, rank) => {
    const where = `${field}[${rank}]`;
    const pair = typeof item === 'string' ? item.split(' ') : item;
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw r.error(where, '"left right" or ["left", "right"]', item);
    }
    const [left, right] = pair as [string, string];
    const l = ids.get(left);
    const rr = ids.get(right);
    if (l === undefined || rr === undefined) throw r.error(where, 'tokens of model.vocab', l === undefined ? left : right);
    if (prefix !== '' && !right.startsWith(prefix)) throw r.error(where, `a right side starting with the prefix ${JSON.stringify(prefix)}`, right);
    const result = ids.get(left + right.slice(prefix.length));
    if (result === undefined) throw r.error(where, 'a merge whose result is in model.vocab', left + right.slice(prefix.length));
    const key = l * PAIR_STRIDE + rr;
    if (ranks.has(key)) throw r.error(where, `each merge once (the same pair is merge ${ranks.get(key)})`, item);
    ranks.set(key, rank);
    merged[rank] = result;
  });
  return { ranks, merged };
}

/**
 * `tokenizers`' WordPiece: greedy longest match first, `prefix` on non-initial pieces, a word
 * with an unmatched part (or more than `maxChars` code points) is one `unk`. Candidates longer
 * than the longest vocabulary token are skipped, so a word costs O(C · L) look-ups, not O(C²).
 */
export function wordPieceModel(tokens: string[], ids: Map<string, number>, unkToken: string, prefix: string, maxChars: number): Model {
  const unkId = ids.get(unkToken)!;
  let longest = 0;
  for (const token of tokens) longest = Math.max(longest, [...token].length);
  const tokenize = (chars: readonly string[]): ModelToken[] => {
    if (chars.length === 0) return [];
    const unk = [{ id: unkId, value: unkToken, from: 0, to: chars.length }];
    if (chars.length > maxChars) return unk;
    const out: ModelToken[] = [];
    for (let start = 0; start < chars.length; ) {
      let found: ModelToken | undefined;
      for (let end = Math.min(chars.length, start + longest); end > start; end--) {
        const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        const id = ids.get(piece);
        if (id !== undefined) {
          found = { id, value: piece, from: start, to: end };
          break;
        }
      }
      if (found === undefined) return unk;
      out.push(found);
      start = found.to;
    }
    return out;
  };
  return { tokens, ids, tokenize };
}
