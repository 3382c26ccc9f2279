import { padRows, validateBatchOptions } from './batch.js';
import { TokenizerError } from './errors.js';
import type { SpecialTokens } from './special-tokens.js';
import type { BatchEncoding, BatchOptions, DecodeOptions, EncodeOptions, Encoding } from './types.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * What every tokenizer shares: special tokens, encode/decode, offsets and padded batches.
 * A subclass supplies only how plain text (no special tokens) becomes ids and back.
 */
export abstract class Tokenizer {
  /** The token ↔ id table (special tokens included). */
  readonly vocab: Vocabulary;
  /** Role ids (`pad`, `sos`, `eos`, `unk`) and the set of special ids. */
  readonly specialTokens: SpecialTokens;
  /** String put between decoded pieces: '' for lossless tokenizers, ' ' for word-level ones. */
  protected readonly joiner: string = '';

  protected constructor(vocab: Vocabulary, specialTokens: SpecialTokens) {
    this.vocab = vocab;
    this.specialTokens = specialTokens;
  }

  /** Appends the ids of `text` (which holds no special tokens) to `out`. */
  protected abstract encodeIdsInto(text: string, out: number[]): void;
  /** Appends ids, tokens and offsets (shifted by `start`) of `text` to `out`. */
  protected abstract encodeSpansInto(text: string, start: number, out: Encoding): void;
  /** Text of a run of non-special ids. */
  protected abstract decodeRun(ids: readonly number[]): string;
  /** A plain object that `load` turns back into an equal tokenizer. */
  abstract toJSON(): { type: string };

  /** Number of ids, special tokens included. */
  get vocabSize(): number {
    return this.vocab.size;
  }

  /** The id of a token string, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.vocab.id(token);
  }

  /** The token string of an id, or undefined. */
  idToToken(id: number): string | undefined {
    return this.vocab.token(id);
  }

  /**
   * Text → N ids.
   * @example tok.encode('hello', { addSpecialTokens: true }) // [sos, …, eos]
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    if (options.parseSpecialTokens) {
      for (const part of this.specialTokens.split(text)) {
        if ('id' in part) ids.push(part.id);
        else this.encodeIdsInto(part.text, ids);
      }
    } else {
      this.encodeIdsInto(text, ids);
    }
    return options.addSpecialTokens ? this.#wrapIds(ids) : ids;
  }

  /**
   * Text → ids, tokens and `[start, end)` character spans (for pictures and highlighting).
   * @example tok.encodeWithOffsets('hi there').offsets // [[0, 2], [2, 8]] for GPT-2
   */
  encodeWithOffsets(text: string, options: EncodeOptions = {}): Encoding {
    return this.#encodeSpans(text, options, Number.POSITIVE_INFINITY);
  }

  /** `encodeWithOffsets` keeping at most `maxContent` tokens before `sos`/`eos` are added. */
  #encodeSpans(text: string, options: EncodeOptions, maxContent: number): Encoding {
    const out: Encoding = { ids: [], tokens: [], offsets: [], specialTokensMask: [] };
    const parts = options.parseSpecialTokens ? this.specialTokens.split(text) : [{ text, start: 0 }];
    for (const part of parts) {
      if ('id' in part) this.#push(out, part.id, [part.start, part.end], 1);
      else this.encodeSpansInto(part.text, part.start, out);
    }
    if (out.ids.length > maxContent) {
      for (const key of ['ids', 'tokens', 'offsets', 'specialTokensMask'] as const) out[key].length = maxContent;
    }
    if (!options.addSpecialTokens) return out;
    const wrapped: Encoding = { ids: [], tokens: [], offsets: [], specialTokensMask: [] };
    if (this.specialTokens.sos !== undefined) this.#push(wrapped, this.specialTokens.sos, [0, 0], 1);
    for (let i = 0; i < out.ids.length; i++) {
      this.#push(wrapped, out.ids[i]!, out.offsets[i]!, out.specialTokensMask[i]!);
    }
    if (this.specialTokens.eos !== undefined) this.#push(wrapped, this.specialTokens.eos, [0, 0], 1);
    return wrapped;
  }

  /**
   * N ids → text. Byte-level tokenizers decode bytes that are not valid UTF-8 to U+FFFD.
   * @example tok.decode(tok.encode('héllo')) // 'héllo'
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const pieces: string[] = [];
    let run: number[] = [];
    const flush = () => {
      if (run.length > 0) pieces.push(this.decodeRun(run));
      run = [];
    };
    for (const [i, id] of ids.entries()) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocab.size) {
        throw new TokenizerError(`decode: expected ids in [0, ${this.vocab.size}), got ${id} at position ${i}`);
      }
      if (!this.specialTokens.isSpecial(id)) run.push(id);
      else {
        flush();
        if (!options.skipSpecialTokens) pieces.push(this.vocab.token(id)!);
      }
    }
    flush();
    return pieces.join(this.joiner);
  }

  /**
   * B texts → [B, L] `inputIds` and `attentionMask` (1 = real token, 0 = pad).
   * @example tok.encodeBatch(['a b', 'a'], { padding: 'longest' }).attentionMask // [[1,1],[1,0]] for words
   */
  encodeBatch(texts: readonly string[], options: BatchOptions = {}): BatchEncoding {
    validateBatchOptions(options);
    const added = options.addSpecialTokens
      ? Number(this.specialTokens.sos !== undefined) + Number(this.specialTokens.eos !== undefined)
      : 0;
    const maxContent = options.truncation ? Math.max(0, options.maxLength! - added) : Number.POSITIVE_INFINITY;
    const rows = texts.map((text) => {
      if (options.returnOffsets) return this.#encodeSpans(text, options, maxContent);
      const content = this.encode(text, { ...options, addSpecialTokens: false });
      if (content.length > maxContent) content.length = maxContent;
      const ids = options.addSpecialTokens ? this.#wrapIds(content) : content;
      return { ids, offsets: [], specialTokensMask: ids.map((id) => Number(this.specialTokens.isSpecial(id))) };
    });
    return padRows(rows, options, options.padId ?? this.specialTokens.pad);
  }

  /** The tokenizer as a JSON string; `loadTokenizer(json)` or the class's `load` reads it back. */
  save(): string {
    return JSON.stringify(this.toJSON());
  }

  #wrapIds(ids: number[]): number[] {
    const { sos, eos } = this.specialTokens;
    return [...(sos === undefined ? [] : [sos]), ...ids, ...(eos === undefined ? [] : [eos])];
  }

  #push(out: Encoding, id: number, span: [number, number], special: number): void {
    out.ids.push(id);
    out.tokens.push(this.vocab.token(id)!);
    out.offsets.push(span);
    out.specialTokensMask.push(special);
  }
}
