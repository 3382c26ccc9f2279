import type { Tokenizer } from '@qkv/tokenizer';
import type { TextPair } from '../core/types.js';
import { batchOrder, type BatchOrderOptions } from './order.js';
import { padTexts, type PaddedIds } from './pad.js';

/** One batch for a seq2seq model. B rows · S source length · T target length. */
export interface Seq2SeqBatch {
  /** [B, S] source ids and mask. */
  src: PaddedIds;
  /** [B, T] target ids and mask, `<sos>` … `<eos>` by default: feed `tgt[:, :-1]`, predict `tgt[:, 1:]`. */
  tgt: PaddedIds;
  /** [B] positions of these pairs in the input list. */
  indices: number[];
}

/** Options for {@link seq2seqBatches}. */
export interface Seq2SeqBatchOptions extends BatchOrderOptions {
  /** Wrap sources in `<sos>` … `<eos>`. Default false. */
  sourceSpecialTokens?: boolean;
  /** Wrap targets in `<sos>` … `<eos>`. Default true. */
  targetSpecialTokens?: boolean;
  /** Cut sources and targets to at most this many tokens. Default: no limit. */
  maxLength?: number;
}

/**
 * Batches of text pairs, padded per batch by the tokenizers, in an order fixed by (seed, epoch).
 * @example for (const { src, tgt } of seq2seqBatches(pairs, g2pTokenizers(cmu), { batchSize: 64, seed: 1 })) { … }
 */
export function* seq2seqBatches(
  pairs: readonly TextPair[],
  tokenizers: { source: Tokenizer; target: Tokenizer },
  options: Seq2SeqBatchOptions,
): Generator<Seq2SeqBatch> {
  for (const indices of batchOrder(pairs.length, options)) {
    const rows = indices.map((i) => pairs[i]!);
    yield {
      src: padTexts(tokenizers.source, rows.map((p) => p.source), { addSpecialTokens: options.sourceSpecialTokens ?? false, maxLength: options.maxLength }),
      tgt: padTexts(tokenizers.target, rows.map((p) => p.target), { addSpecialTokens: options.targetSpecialTokens ?? true, maxLength: options.maxLength }),
      indices,
    };
  }
}
