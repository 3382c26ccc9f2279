// A Transformer encoder text classifier: embeddings, positions, encoder, mean over the real tokens.
import { paddingMask } from '@qkv/attention';
import { Embedding, LayerNorm, Linear, Module } from '@qkv/nn';
import { DTypeError, ShapeError, fmtShape } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { TransformerEncoder } from '../layers/encoder.js';
import { TransformerEncoderLayer } from '../layers/encoder-layer.js';
import type { Activation } from '../layers/options.js';
import { LearnedPositionalEmbedding } from '../positional/learned.js';
import { SinusoidalPositionalEncoding } from '../positional/sinusoidal.js';

/** Hyper-parameters of `TransformerClassifier`. */
export interface ClassifierConfig {
  vocabSize: number;
  numClasses: number;
  /** E (default 64). */
  dModel?: number;
  /** H (default 4). */
  nhead?: number;
  /** Encoder layers (default 2). */
  numLayers?: number;
  /** Default 4·dModel. */
  dimFeedforward?: number;
  /** Default 0.1. */
  dropout?: number;
  activation?: Activation;
  normFirst?: boolean;
  /** Longest input (default 512). */
  maxLen?: number;
  /** Padding token id: zero embedding, masked as a key, left out of the mean (default 0). */
  padId?: number;
  /** Positional encoding (default 'sinusoidal'). */
  positional?: 'sinusoidal' | 'learned';
  generator?: Generator;
}

/**
 * Classifies token sequences: embedding × √E + positions → encoder (padding keys masked) → mean
 * of the outputs over non-pad tokens → LayerNorm-free linear head. Batch-first.
 * B batch · T tokens · E dModel · C numClasses · H nhead.
 * @example
 * const model = new TransformerClassifier({ vocabSize: 5000, numClasses: 2, dModel: 64 });
 * const logits = model.forward(ids); // ids int32 [B, T] (padded with 0) → [B, 2]
 */
export class TransformerClassifier extends Module {
  readonly dModel: number;
  readonly padId: number;
  embedding: Embedding;
  positional: SinusoidalPositionalEncoding | LearnedPositionalEmbedding;
  encoder: TransformerEncoder;
  classifier: Linear;

  constructor(config: ClassifierConfig) {
    super();
    const { dModel = 64, nhead = 4, numLayers = 2, dropout = 0.1, maxLen = 512, padId = 0, generator } = config;
    this.dModel = dModel;
    this.padId = padId;
    this.embedding = new Embedding(config.vocabSize, dModel, { paddingIdx: padId, generator });
    this.positional = config.positional === 'learned'
      ? new LearnedPositionalEmbedding(maxLen, dModel, { batchFirst: true, generator })
      : new SinusoidalPositionalEncoding(dModel, { maxLen, dropout, batchFirst: true, generator });
    const layer = new TransformerEncoderLayer(dModel, nhead, {
      dimFeedforward: config.dimFeedforward ?? 4 * dModel, dropout, activation: config.activation, normFirst: config.normFirst, batchFirst: true, generator,
    });
    this.encoder = new TransformerEncoder(layer, numLayers, { norm: config.normFirst ? new LayerNorm(dModel) : null });
    this.classifier = new Linear(dModel, config.numClasses, { generator });
  }

  /** ids int32 [B, T] → logits [B, C]. */
  override forward(ids: Tensor): Tensor {
    return this.run(ids, false).logits;
  }

  /** As `forward`, also returning each layer's attention weights [B, H, T, T]. */
  forwardWithAttention(ids: Tensor): { logits: Tensor; attention: Tensor[] } {
    return this.run(ids, true);
  }

  private run(ids: Tensor, needWeights: boolean): { logits: Tensor; attention: Tensor[] } {
    if (ids.dtype !== 'int32' || ids.ndim !== 2) throw (ids.dtype !== 'int32' ? new DTypeError(`TransformerClassifier.forward: ids must be int32, got ${ids.dtype}`) : new ShapeError(`TransformerClassifier.forward: ids must be [B, T], got ${fmtShape(ids.shape)}`));
    const isPad = paddingMask(ids, this.padId); // [B, T], true at pads
    const x = this.positional.forward(this.embedding.forward(ids).mul(Math.sqrt(this.dModel))); // [B, T, E]
    const opts = { srcKeyPaddingMask: isPad };
    const { output, selfAttention } = needWeights ? this.encoder.forwardWithAttention(x, opts) : { output: this.encoder.forward(x, opts), selfAttention: [] };
    return { logits: this.classifier.forward(meanOverTokens(output, isPad)), attention: selfAttention };
  }
}

/** Mean of h [B, T, E] over the positions where isPad [B, T] is false → [B, E]. */
export function meanOverTokens(h: Tensor, isPad: Tensor): Tensor {
  const keep = isPad.logicalNot().float().unsqueeze(-1); // [B, T, 1]
  return h.mul(keep).sum(1).div(keep.sum(1).clamp(1)); // [B, E] / [B, 1]
}
