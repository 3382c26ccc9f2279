// Luong (multiplicative) attention for RNN decoders: dot, score = sᵀh, and general, score = sᵀ·Wa·h.
import { ValueError } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Linear, Module } from '@qkv/nn';
import { matmulTransposed } from '../util.js';
import { attendToSource, checkSourceInputs } from './attend-keys.js';
import type { SourceAttentionOptions, SourceAttentionResult } from './attend-keys.js';

/**
 * Luong's "dot" attention: score(sₜ, hⱼ) = sₜ·hⱼ (no parameters, no scaling), weights = softmax
 * over j, context = Σⱼ weightⱼ·valuesⱼ. The decoder state and encoder outputs need the same size D.
 *
 * Legend: N batch · T decoder steps · S source length · D state size · Dv value size.
 * @example
 * const { context, weights } = new DotProductAttention(256).forward(state, encoderOutputs);
 * // state [N, 256], encoderOutputs [N, S, 256] → context [N, 256], weights [N, S]
 */
export class DotProductAttention extends Module {
  readonly dim: number;

  constructor(dim: number) {
    super();
    if (!Number.isInteger(dim) || dim <= 0) throw new ValueError(`DotProductAttention: dim must be a positive integer, got ${dim}`);
    this.dim = dim;
  }

  /** query [N, D] or [N, T, D] · keys [N, S, D] → context [N, (T,) Dv], weights [N, (T,) S]. */
  override forward(query: Tensor, keys: Tensor, options: SourceAttentionOptions = {}): SourceAttentionResult {
    const op = 'DotProductAttention.forward';
    const { query3, values, single } = checkSourceInputs(op, query, keys, options.values, this.dim, this.dim);
    const scores = matmulTransposed(query3, keys); // [N, T, D]·[N, D, S] → [N, T, S]
    return attendToSource(op, scores, values, options.keyPaddingMask, single);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Luong's "general" attention: score(sₜ, hⱼ) = sₜᵀ·Wa·hⱼ with `Wa.weight` [Dq, Dk] (no bias),
 * weights = softmax over j, context = Σⱼ weightⱼ·valuesⱼ.
 *
 * Legend: N batch · T decoder steps · S source length · Dq decoder state · Dk encoder output.
 * @example
 * const attn = new GeneralAttention(256, 512);
 * const { context, weights } = attn.forward(decoderOutputs, encoderOutputs, { keyPaddingMask });
 * // decoderOutputs [N, T, 256], encoderOutputs [N, S, 512] → context [N, T, 512], weights [N, T, S]
 */
export class GeneralAttention extends Module {
  readonly queryDim: number;
  readonly keyDim: number;
  declare readonly Wa: Linear;

  constructor(queryDim: number, keyDim: number = queryDim, options: { generator?: Generator } = {}) {
    super();
    this.queryDim = queryDim;
    this.keyDim = keyDim;
    this.registerModule('Wa', new Linear(keyDim, queryDim, { bias: false, generator: options.generator }));
  }

  /** query [N, Dq] or [N, T, Dq] · keys [N, S, Dk] → context [N, (T,) Dv], weights [N, (T,) S]. */
  override forward(query: Tensor, keys: Tensor, options: SourceAttentionOptions = {}): SourceAttentionResult {
    const op = 'GeneralAttention.forward';
    const { query3, values, single } = checkSourceInputs(op, query, keys, options.values, this.queryDim, this.keyDim);
    const scores = matmulTransposed(query3, this.Wa.forward(keys)); // [N, T, Dq]·[N, Dq, S] → [N, T, S]
    return attendToSource(op, scores, values, options.keyPaddingMask, single);
  }

  override extraRepr(): string {
    return `query_dim=${this.queryDim}, key_dim=${this.keyDim}`;
  }
}
