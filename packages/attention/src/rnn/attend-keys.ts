// What the RNN-decoder attentions share: input checks, the source mask, softmax and the context.
import { assertMaskDType, dims, fmtShape, ShapeError, toAdditiveMask } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { batchedMatmul } from '../util.js';

/** Options of the RNN-decoder attentions' `forward`. */
export interface SourceAttentionOptions {
  /** Encoder values to average, [N, S, Dv]; default: `keys`. */
  values?: Tensor | null;
  /** [N, S]: bool `true` = padding, ignored (as MultiheadAttention's keyPaddingMask); float is added to the scores. */
  keyPaddingMask?: Tensor | null;
}

/** What the RNN-decoder attentions return. */
export interface SourceAttentionResult {
  /** The weighted average of the values: [N, Dv], or [N, T, Dv] for a [N, T, Dq] query. */
  context: Tensor;
  /** Attention over the source: [N, S] or [N, T, S]; rows sum to 1 (0 if every key is masked). */
  weights: Tensor;
}

/** Checks query/keys/values and returns the query as [N, T, Dq] plus the values to average. */
export function checkSourceInputs(op: string, query: Tensor, keys: Tensor, values: Tensor | null | undefined, queryDim: number, keyDim: number): { query3: Tensor; values: Tensor; single: boolean } {
  if (query.ndim !== 2 && query.ndim !== 3) throw new ShapeError(`${op}: query must be [N, Dq] or [N, T, Dq], got ${fmtShape(query.shape)}`);
  if (query.shape[query.ndim - 1] !== queryDim) throw new ShapeError(`${op}: query must end in queryDim = ${queryDim}, got ${fmtShape(query.shape)}`);
  if (keys.ndim !== 3 || keys.shape[2] !== keyDim) throw new ShapeError(`${op}: keys must be [N, S, keyDim] = [N, S, ${keyDim}], got ${fmtShape(keys.shape)}`);
  const v = values ?? keys;
  if (v.ndim !== 3 || v.shape[0] !== keys.shape[0] || v.shape[1] !== keys.shape[1]) {
    throw new ShapeError(`${op}: values must be [N, S, Dv] = [${keys.shape[0]}, ${keys.shape[1]}, Dv] like keys, got ${fmtShape(v.shape)}`);
  }
  if (query.shape[0] !== keys.shape[0]) throw new ShapeError(`${op}: query and keys must have the same batch size, got query ${fmtShape(query.shape)} and keys ${fmtShape(keys.shape)}`);
  const single = query.ndim === 2;
  return { query3: single ? query.unsqueeze(1) : query, values: v, single };
}

/**
 * softmax over the source of `scores` [N, T, S] (after the mask), then the context weights·values.
 * Drops T again when the query was a single step.
 */
export function attendToSource(op: string, scores: Tensor, values: Tensor, keyPaddingMask: Tensor | null | undefined, single: boolean): SourceAttentionResult {
  const [N, , S] = dims(scores, 3, op, 'N, T, S');
  let masked = scores;
  if (keyPaddingMask) {
    assertMaskDType(op, 'keyPaddingMask', keyPaddingMask, { bool: 'true = padding', float32: '' });
    if (keyPaddingMask.ndim !== 2 || keyPaddingMask.shape[0] !== N || keyPaddingMask.shape[1] !== S) {
      throw new ShapeError(`${op}: keyPaddingMask must be [N, S] = ${fmtShape([N, S])}, got ${fmtShape(keyPaddingMask.shape)}`);
    }
    masked = scores.add(toAdditiveMask({ masked: keyPaddingMask }).unsqueeze(1)); // [N, T, S] + [N, 1, S]
  }
  const weights = masked.softmax(-1); // [N, T, S]
  const context = batchedMatmul(weights, values); // [N, T, S]·[N, S, Dv] → [N, T, Dv]
  return single ? { context: context.squeeze(1), weights: weights.squeeze(1) } : { context, weights };
}
