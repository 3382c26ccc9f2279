// Bahdanau (additive) attention for RNN decoders: score(s, h) = vᵀ·tanh(W·s + U·h).
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Linear, Module } from '@qkv/nn';
import { attendToSource, checkSourceInputs } from './attend-keys.js';
import type { SourceAttentionOptions, SourceAttentionResult } from './attend-keys.js';

/** Options of `AdditiveAttention`. */
export interface AdditiveAttentionOptions {
  /** Size A of the hidden layer inside the score; default queryDim. */
  attnDim?: number;
  /** Biases in Wa, Ua and Va (default true, as the PyTorch tutorial's nn.Linear). */
  bias?: boolean;
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * Bahdanau attention: score(sₜ, hⱼ) = Vaᵀ·tanh(Wa·sₜ + Ua·hⱼ), weights = softmax over j, context =
 * Σⱼ weightⱼ·hⱼ. State-dict names follow PyTorch's seq2seq tutorial (`BahdanauAttention`):
 * `Wa.*` [A, Dq], `Ua.*` [A, Dk], `Va.*` [1, A].
 *
 * Legend: N batch · T decoder steps · S source length · Dq decoder state · Dk encoder output · A attnDim.
 * @example
 * const attn = new AdditiveAttention(decoderHidden, 2 * encoderHidden);
 * const { context, weights } = attn.forward(state, encoderOutputs, { keyPaddingMask: paddingMask(src, 0) });
 * // state [N, Dq], encoderOutputs [N, S, Dk] → context [N, Dk], weights [N, S]
 */
export class AdditiveAttention extends Module {
  readonly queryDim: number;
  readonly keyDim: number;
  readonly attnDim: number;
  declare readonly Wa: Linear;
  declare readonly Ua: Linear;
  declare readonly Va: Linear;

  constructor(queryDim: number, keyDim: number, options: AdditiveAttentionOptions = {}) {
    super();
    const { attnDim = queryDim, bias = true, generator } = options;
    this.queryDim = queryDim;
    this.keyDim = keyDim;
    this.attnDim = attnDim;
    this.registerModule('Wa', new Linear(queryDim, attnDim, { bias, generator }));
    this.registerModule('Ua', new Linear(keyDim, attnDim, { bias, generator }));
    this.registerModule('Va', new Linear(attnDim, 1, { bias, generator }));
  }

  /**
   * query [N, Dq] or [N, T, Dq] · keys [N, S, Dk] (· values [N, S, Dv], default keys) →
   * context [N, (T,) Dv], weights [N, (T,) S].
   */
  override forward(query: Tensor, keys: Tensor, options: SourceAttentionOptions = {}): SourceAttentionResult {
    const op = 'AdditiveAttention.forward';
    const { query3, values, single } = checkSourceInputs(op, query, keys, options.values, this.queryDim, this.keyDim);
    const s = this.Wa.forward(query3).unsqueeze(2); // [N, T, 1, A]
    const h = this.Ua.forward(keys).unsqueeze(1); // [N, 1, S, A]
    const scores = this.Va.forward(s.add(h).tanh()).squeeze(-1); // [N, T, S, A] → [N, T, S]
    return attendToSource(op, scores, values, options.keyPaddingMask, single);
  }

  override extraRepr(): string {
    return `query_dim=${this.queryDim}, key_dim=${this.keyDim}, attn_dim=${this.attnDim}`;
  }
}
