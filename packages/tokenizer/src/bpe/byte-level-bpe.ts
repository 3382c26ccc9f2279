import { TokenizerError } from '../core/errors.js';
import type { Vocabulary } from '../core/vocabulary.js';
import { BYTE_TO_CHAR, tokenToBytes } from './byte-unicode.js';
import { nextPieceEnd } from './gpt2-split.js';
import { mergeIds, PAIR_STRIDE, type MergeTable } from './merge.js';
import { codePointAt, encodeUtf8, utf8Length } from './utf8.js';

const CACHE_LIMIT = 100_000;
// ignoreBOM: a leading U+FEFF is text, not a byte-order mark to drop.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * The byte-level BPE engine: GPT-2 pieces → UTF-8 bytes → byte tokens → ranked merges, with a
 * per-piece cache. Vocabulary tokens are spelled with GPT-2's byte ↔ character table.
 */
export class ByteLevelBPE {
  /** byteIds[b] is the id of the single-byte token for byte b. */
  readonly byteIds: Int32Array;
  readonly table: MergeTable;
  /** tokenBytes[id] is the bytes the token stands for. */
  readonly tokenBytes: Uint8Array[];
  readonly #cache = new Map<string, number[]>();
  readonly #scratch: number[] = [];

  /**
   * @param vocab every byte token plus every merge result
   * @param merges pairs of ids in rank order (rank 0 merges first)
   */
  constructor(vocab: Vocabulary, merges: readonly (readonly [number, number])[], fn = 'BPETokenizer') {
    this.byteIds = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      const id = vocab.id(BYTE_TO_CHAR[b]!);
      if (id === undefined) {
        throw new TokenizerError(
          `${fn}: expected a byte-level vocabulary with all 256 byte tokens, got none for byte 0x${b.toString(16).padStart(2, '0')} (${JSON.stringify(BYTE_TO_CHAR[b])})`,
        );
      }
      this.byteIds[b] = id;
    }
    if (vocab.size > PAIR_STRIDE) throw new TokenizerError(`${fn}: expected at most ${PAIR_STRIDE} tokens, got ${vocab.size}`);
    const ranks = new Map<number, number>();
    const merged = new Int32Array(merges.length);
    merges.forEach(([left, right], rank) => {
      const result = vocab.id(vocab.token(left)! + vocab.token(right)!);
      if (result === undefined) {
        throw new TokenizerError(
          `${fn}: expected merge ${rank} (${JSON.stringify(vocab.token(left))} ${JSON.stringify(vocab.token(right))}) to produce a vocabulary token, got none`,
        );
      }
      const key = left * PAIR_STRIDE + right;
      if (!ranks.has(key)) ranks.set(key, rank); // a repeated merge keeps its first (lowest) rank
      merged[rank] = result;
    });
    this.table = { ranks, merged };
    this.tokenBytes = vocab.tokens().map((token) => tokenToBytes(token) ?? utf8Encoder.encode(token));
  }

  /** Appends the ids of `text` to `out`. */
  encodeInto(text: string, out: number[]): void {
    const cache = this.#cache;
    for (let i = 0; i < text.length; ) {
      const end = nextPieceEnd(text, i);
      const piece = text.slice(i, end);
      const ids = cache.get(piece) ?? this.#miss(piece);
      if (ids.length === 1) out.push(ids[0]!);
      else for (const id of ids) out.push(id);
      i = end;
    }
  }

  /** Calls `emit(id, start, end)` for each token of `text`, with UTF-16 spans. */
  encodeSpans(text: string, emit: (id: number, start: number, end: number) => void): void {
    for (let i = 0; i < text.length; ) {
      const end = nextPieceEnd(text, i);
      const piece = text.slice(i, end);
      this.#spans(text, i, this.#cache.get(piece) ?? this.#miss(piece), emit);
      i = end;
    }
  }

  /** The concatenated bytes of N ids. */
  decodeBytes(ids: readonly number[]): Uint8Array {
    let length = 0;
    for (const id of ids) length += this.tokenBytes[id]!.length;
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const id of ids) {
      bytes.set(this.tokenBytes[id]!, at);
      at += this.tokenBytes[id]!.length;
    }
    return bytes;
  }

  /** UTF-8 decode of the bytes of N ids; invalid sequences become U+FFFD (WHATWG rules). */
  decode(ids: readonly number[]): string {
    return utf8Decoder.decode(this.decodeBytes(ids));
  }

  /** Ids of one piece, computed and cached. */
  #miss(piece: string): number[] {
    const parts = this.#scratch;
    parts.length = 0;
    encodeUtf8(piece, 0, piece.length, parts, this.byteIds);
    const ids = mergeIds(parts.slice(), this.table);
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(piece, ids);
    return ids;
  }

  /** Maps the tokens of the piece starting at `start` back to character spans. */
  #spans(text: string, start: number, ids: readonly number[], emit: (id: number, s: number, e: number) => void): void {
    let char = start; // the character holding the next unconsumed byte
    let charBytesLeft = 0; // bytes of `char` not yet given to a token
    for (const id of ids) {
      let need = this.tokenBytes[id]!.length;
      const spanStart = char;
      let spanEnd = char;
      while (need > 0) {
        if (charBytesLeft === 0) charBytesLeft = utf8Length(codePointOrFffd(text, char));
        const take = Math.min(need, charBytesLeft);
        need -= take;
        charBytesLeft -= take;
        spanEnd = char + (codePointAt(text, char) > 0xffff ? 2 : 1);
        if (charBytesLeft === 0) char = spanEnd;
      }
      emit(id, spanStart, spanEnd);
    }
  }
}

/** The code point at `i`, with a lone surrogate read as U+FFFD (its encoded form). */
function codePointOrFffd(text: string, i: number): number {
  const cp = codePointAt(text, i);
  return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}
