// A character-level qkv GPT ↔ a GPT-2-family Hub folder. A char tokenizer of ASCII characters is
// byte-level BPE with no merges: each character is one byte, written in GPT-2's byte ↔ unicode
// alphabet in vocab.json, keeping its id. A byte-level vocabulary holds all 256 bytes, so the bytes
// the char vocabulary lacks are appended (ids after it) and their embedding rows are copies of
// <unk>'s: they read as unknown, and, tied to the output, each gets <unk>'s small probability.
// The way back finds that tail again (the rows equal to <unk>'s, bit for bit) and drops it.
import type { CharTokenizer, SpecialTokensConfig } from '@qkv/tokenizer';
import { UsageError } from '../errors.js';

/** GPT-2's bytes_to_unicode: bytes 33–126, 161–172, 174–255 stand for themselves, the rest are shifted to 256+. */
export const BYTE_TO_UNICODE: readonly string[] = (() => {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let shift = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : 256 + shift++));
})();

const UNICODE_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_UNICODE.map((u, b) => [u, b]));

/** `<pad>`, `<eos>`…: how the char tokenizers of qkv spell special tokens. */
const isSpecialSpelling = (token: string) => token.length > 2 && token.startsWith('<') && token.endsWith('>');

/**
 * The byte-level vocabulary (vocab.json's token → id, in id order) of a char tokenizer of ASCII
 * characters: its ids 0…n−1 unchanged, then the bytes it lacks in byte order.
 * @example byteLevelVocabulary(chars).vocab.get('Ġ') // the id of ' '
 */
export function byteLevelVocabulary(chars: CharTokenizer): { vocab: Map<string, number>; added: number } {
  const vocab = new Map<string, number>();
  const seen = new Set<number>();
  for (let id = 0; id < chars.vocabSize; id++) {
    const token = chars.idToToken(id)!;
    if (chars.specialTokens.isSpecial(id) && isSpecialSpelling(token)) {
      vocab.set(token, id);
      continue;
    }
    if (token.length !== 1 || token.charCodeAt(0) > 127) throw new UsageError(`convert: the char tokenizer's token ${id} ${JSON.stringify(token)} is not one ASCII character, so it is no single byte of GPT-2's byte-level vocabulary`);
    seen.add(token.charCodeAt(0));
    vocab.set(BYTE_TO_UNICODE[token.charCodeAt(0)]!, id);
  }
  const before = vocab.size;
  for (let b = 0; b < 256; b++) if (!seen.has(b)) vocab.set(BYTE_TO_UNICODE[b]!, vocab.size);
  return { vocab, added: vocab.size - before };
}

/**
 * The byte each vocab.json token (by id) stands for, or undefined for a `<special>` token; refuses a
 * tokenizer that is not character-level: merges (`merges` lines of merges.txt), or a longer token.
 * @example byteTokens(['<pad>', 'a', 'Ġ'], 0) // [undefined, 97, 32]
 */
export function byteTokens(tokens: readonly string[], merges: number): (number | undefined)[] {
  if (merges > 0) throw new UsageError(`convert: merges.txt has ${merges} merges, so the tokenizer is subword BPE, not characters; qkv's char-gpt reads character-level GPTs only (--format hub re-saves the Hub folder instead)`);
  return tokens.map((t, id) => {
    if (isSpecialSpelling(t)) return undefined;
    const b = UNICODE_TO_BYTE.get(t);
    if (b === undefined) throw new UsageError(`convert: vocab.json token ${id} ${JSON.stringify(t.slice(0, 20))} is neither one byte nor a <special> token, so the vocabulary is not character-level`);
    return b;
  });
}

/**
 * The char vocabulary inside a byte-level one that `byteLevelVocabulary` wrote: `tokens` by id
 * (vocab.json, ids 0…V−1), `bytes` from `byteTokens`, and `sameAsUnk(id)` whether embedding row
 * `id` equals <unk>'s bit for bit. The char vocabulary is every id before the tail of appended
 * bytes: the longest run at the end that are bytes in increasing order with rows equal to <unk>'s
 * (vocab.json's keys are unique, so none of them occurs before it).
 */
export function charVocabulary(tokens: readonly string[], bytes: readonly (number | undefined)[], sameAsUnk: (id: number) => boolean): { vocab: string[]; specialTokens: SpecialTokensConfig } {
  const unk = tokens.indexOf('<unk>');
  let n = tokens.length;
  if (unk >= 0) {
    while (n - 1 > unk && bytes[n - 1] !== undefined && (n === tokens.length || bytes[n - 1]! < bytes[n]!) && sameAsUnk(n - 1)) n--;
  }
  const vocab = tokens.slice(0, n).map((t, id) => {
    if (isSpecialSpelling(t)) return t;
    const b = bytes[id]!;
    if (b > 127) throw new UsageError(`convert: vocab.json token ${id} is byte 0x${b.toString(16)}, part of a UTF-8 sequence, not a whole character`);
    return String.fromCharCode(b);
  });
  const specials = vocab.filter(isSpecialSpelling);
  const role = (name: string) => (specials.includes(`<${name}>`) ? `<${name}>` : null);
  const roles = new Set(['<pad>', '<sos>', '<eos>', '<unk>']);
  return { vocab, specialTokens: { pad: role('pad'), sos: role('sos'), eos: role('eos'), unk: role('unk'), additional: specials.filter((s) => !roles.has(s)) } };
}
