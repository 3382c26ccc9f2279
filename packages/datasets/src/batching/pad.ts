import type { Tokenizer } from '@qkv/tokenizer';

/** B rows · L padded length. A padded block of token ids, flat and row-major, ready for a tensor. */
export interface PaddedIds {
  /** [B·L] token ids, padded with the tokenizer's pad id. */
  ids: Int32Array;
  /** [B·L] 1 for a real token, 0 for padding (`paddingMask` is its complement). */
  mask: Uint8Array;
  /** [B, L] */
  shape: [number, number];
}

/** Options for {@link padTexts}. */
export interface PadOptions {
  /** Wrap each text in `<sos>` … `<eos>`. Default false. */
  addSpecialTokens?: boolean;
  /** Cut rows to at most this many tokens (specials included). Default: no limit. */
  maxLength?: number;
}

/**
 * B texts → padded ids and mask, via the tokenizer's `encodeBatch` (padding to the longest row).
 * @example padTexts(chars, ['ab', 'a']) // { ids: [a, b, a, pad], mask: [1, 1, 1, 0], shape: [2, 2] }
 */
export function padTexts(tokenizer: Tokenizer, texts: readonly string[], options: PadOptions = {}): PaddedIds {
  const truncate = options.maxLength !== undefined;
  const { inputIds, attentionMask } = tokenizer.encodeBatch(texts, {
    padding: 'longest',
    addSpecialTokens: options.addSpecialTokens ?? false,
    ...(truncate ? { truncation: true, maxLength: options.maxLength } : {}),
  });
  const B = inputIds.length;
  const L = B === 0 ? 0 : inputIds[0]!.length;
  const ids = new Int32Array(B * L);
  const mask = new Uint8Array(B * L);
  for (let b = 0; b < B; b++) {
    ids.set(inputIds[b]!, b * L);
    mask.set(attentionMask[b]!, b * L);
  }
  return { ids, mask, shape: [B, L] };
}
