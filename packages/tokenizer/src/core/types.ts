/**
 * Shapes used across tokenizers. Legend: N tokens in one text · B texts in a batch · L padded length.
 */

/** One encoded text with everything needed to draw it: N tokens. */
export interface Encoding {
  /** [N] token ids. */
  ids: number[];
  /** [N] token strings as stored in the vocabulary (byte-level BPE shows `Ġ` for a space). */
  tokens: string[];
  /**
   * [N] `[start, end)` UTF-16 spans of the input each token came from. Added special tokens
   * (`sos`/`eos`) get an empty span `[0, 0]`; a byte-level token holding part of a character gets
   * the whole character's span.
   */
  offsets: [number, number][];
  /** [N] 1 where the token was added by `addSpecialTokens` (or parsed as a special token), else 0. */
  specialTokensMask: number[];
}

/** Options shared by `encode` and `encodeWithOffsets`. */
export interface EncodeOptions {
  /** Wrap the text in the tokenizer's `sos` … `eos` tokens where they are defined. Default false. */
  addSpecialTokens?: boolean;
  /**
   * Turn occurrences of special-token strings in the text (e.g. `<|endoftext|>`) into their ids.
   * Default false: they are ordinary text, which is what js-tiktoken and gpt-tokenizer would refuse.
   */
  parseSpecialTokens?: boolean;
}

/** Options for `decode`. */
export interface DecodeOptions {
  /** Leave special tokens (pad, sos, eos, …) out of the text. Default false. */
  skipSpecialTokens?: boolean;
}

/** Options for `encodeBatch`. */
export interface BatchOptions extends EncodeOptions {
  /** `'longest'` pads to the longest text in the batch, `'max_length'` to `maxLength`, `false` not at all. Default `'longest'`. */
  padding?: 'longest' | 'max_length' | false;
  /** Cut texts longer than `maxLength` (special tokens are kept). Default false: a longer text is an error. */
  truncation?: boolean;
  /** Upper bound on each row's length, special tokens included. */
  maxLength?: number;
  /** Pad on the right (default, for encoders) or on the left (for decoder-only generation). */
  paddingSide?: 'right' | 'left';
  /** Id used for padding; defaults to the tokenizer's `pad` token. */
  padId?: number;
  /** Also return per-token character offsets. Default false. */
  returnOffsets?: boolean;
}

/** A padded batch in the shape a model and `paddingMask(ids, padId)` expect: B rows of length L. */
export interface BatchEncoding {
  /** [B, L] token ids, padded with the pad id. */
  inputIds: number[][];
  /** [B, L] 1 for a real token, 0 for padding. */
  attentionMask: number[][];
  /** [B] number of real tokens in each row. */
  lengths: number[];
  /** [B, L] 1 for special tokens (added or padding), else 0. */
  specialTokensMask: number[][];
  /** [B, L] character spans when `returnOffsets` is set; padding gets `[0, 0]`. */
  offsets?: [number, number][][];
}
