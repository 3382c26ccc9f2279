// TransformerDecoderLayer: masked self-attention, cross-attention to the encoder's memory and a
// feed-forward block, each with a residual connection and LayerNorm (`nn.TransformerDecoderLayer`).
import { MultiheadAttention } from '@qkv/attention';
import { Dropout, LayerNorm, Linear, Module } from '@qkv/nn';
import { cat } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { attendCached, projectMemory, projectQuery, projectSelf } from './kv-cache.js';
import type { DecoderLayerCache, DecoderStepMasks } from './kv-cache.js';
import { activate, assertSequence, resolveLayerOptions } from './options.js';
import type { ResolvedLayerOptions, TransformerLayerOptions } from './options.js';

/** Masks of `TransformerDecoderLayer.forward`, as PyTorch's (MultiheadAttention's conventions). */
export interface DecoderLayerForwardOptions {
  /** [T, T] or [N·H, T, T]; usually `causalMask(T)`. bool `true` = masked out, float added. */
  tgtMask?: Tensor | null;
  /** [T, S] or [N·H, T, S]. */
  memoryMask?: Tensor | null;
  /** [N, T]; bool `true` = padding. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]; bool `true` = padding in the source. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (builds the causal mask when `tgtMask` is not given). */
  tgtIsCausal?: boolean;
  memoryIsCausal?: boolean;
}

/** What `forwardWithAttention` returns. */
export interface DecoderLayerAttention {
  output: Tensor;
  /** [N, H, T, T] */
  selfAttention: Tensor;
  /** [N, H, T, S] */
  crossAttention: Tensor;
}

/**
 * One decoder layer. Post-norm (default): x = norm1(x + SA(x)); x = norm2(x + CA(x, memory));
 * x = norm3(x + FF(x)). Pre-norm: x = x + SA(norm1(x)); x = x + CA(norm2(x), memory); x = x + FF(norm3(x)).
 * State dict: `self_attn.*`, `multihead_attn.*`, `linear1.*`, `linear2.*`, `norm1.*` … `norm3.*`.
 * T target length · S source length · N batch · E dModel · H nhead.
 * @example
 * const layer = new TransformerDecoderLayer(512, 8);
 * const y = layer.forward(tgt, memory, { tgtMask: causalMask(T) }); // [T, N, 512]
 */
export class TransformerDecoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly options: ResolvedLayerOptions;
  selfAttn: MultiheadAttention;
  multiheadAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const o = resolveLayerOptions('TransformerDecoderLayer', dModel, nhead, options);
    const { dimFeedforward: F, dropout: p, bias, batchFirst, generator } = o;
    this.dModel = dModel;
    this.nhead = nhead;
    this.options = o;
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, bias, batchFirst, generator });
    this.multiheadAttn = new MultiheadAttention(dModel, nhead, { dropout: p, bias, batchFirst, generator });
    this.linear1 = new Linear(dModel, F, { bias, generator });
    this.dropout = new Dropout(p, { generator });
    this.linear2 = new Linear(F, dModel, { bias, generator });
    this.norm1 = new LayerNorm(dModel, { eps: o.layerNormEps, bias });
    this.norm2 = new LayerNorm(dModel, { eps: o.layerNormEps, bias });
    this.norm3 = new LayerNorm(dModel, { eps: o.layerNormEps, bias });
    this.dropout1 = new Dropout(p, { generator });
    this.dropout2 = new Dropout(p, { generator });
    this.dropout3 = new Dropout(p, { generator });
  }

  /** tgt [T, N, E], memory [S, N, E] (or batch-first) → [T, N, E]. */
  override forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    return this.run(tgt, memory, options, false).output;
  }

  /** As `forward`, also returning the self- and cross-attention weights per head. */
  forwardWithAttention(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): DecoderLayerAttention {
    return this.run(tgt, memory, options, true) as DecoderLayerAttention;
  }

  private run(tgt: Tensor, memory: Tensor, o: DecoderLayerForwardOptions, needWeights: boolean) {
    const op = 'TransformerDecoderLayer.forward';
    assertSequence(op, 'tgt', tgt, this.dModel, this.options.batchFirst);
    assertSequence(op, 'memory', memory, this.dModel, this.options.batchFirst);
    const weights: { self: Tensor | null; cross: Tensor | null } = { self: null, cross: null };
    const common = { needWeights, averageAttnWeights: false };
    const sa = (x: Tensor) => {
      const [out, w] = this.selfAttn.forward(x, x, x, { ...common, attnMask: o.tgtMask ?? null, keyPaddingMask: o.tgtKeyPaddingMask ?? null, isCausal: o.tgtIsCausal ?? false });
      weights.self = w;
      return this.dropout1.forward(out);
    };
    const ca = (x: Tensor) => {
      const [out, w] = this.multiheadAttn.forward(x, memory, memory, { ...common, attnMask: o.memoryMask ?? null, keyPaddingMask: o.memoryKeyPaddingMask ?? null, isCausal: o.memoryIsCausal ?? false });
      weights.cross = w;
      return this.dropout2.forward(out);
    };
    return { output: this.blocks(tgt, sa, ca), selfAttention: weights.self, crossAttention: weights.cross };
  }

  /**
   * The cache of this layer for `memory` [S, N, E] (or batch-first) before any target position:
   * the memory's cross-attention keys and values, projected once per source.
   */
  cacheMemory(memory: Tensor): DecoderLayerCache {
    assertSequence('TransformerDecoderLayer.cacheMemory', 'memory', memory, this.dModel, this.options.batchFirst);
    return { self: null, cross: projectMemory(this.multiheadAttn, this.options.batchFirst ? memory : memory.transpose(0, 1)) };
  }

  /**
   * Incremental decoding: the T newest positions `tgt` [T, N, E] (or batch-first) after the t whose
   * self-attention keys/values `cache` holds; `masks` from `decoderStepMasks`. Returns their output
   * (as `forward` over all t + T positions with a causal mask gives there) and the cache grown to t + T.
   */
  forwardWithCache(tgt: Tensor, cache: DecoderLayerCache, masks: DecoderStepMasks): { output: Tensor; cache: DecoderLayerCache } {
    const { batchFirst } = this.options;
    assertSequence('TransformerDecoderLayer.forwardWithCache', 'tgt', tgt, this.dModel, batchFirst);
    let self = cache.self;
    const sa = (x: Tensor) => {
      const [q, key, value] = projectSelf(this.selfAttn, x); // [N, H, T, D] each
      self = self ? { key: cat([self.key, key], 2), value: cat([self.value, value], 2) } : { key, value }; // [N, H, t + T, D]
      return this.dropout1.forward(attendCached(this.selfAttn, q, self, masks.self));
    };
    const ca = (x: Tensor) => this.dropout2.forward(attendCached(this.multiheadAttn, projectQuery(this.multiheadAttn, x), cache.cross, masks.cross));
    const output = this.blocks(batchFirst ? tgt : tgt.transpose(0, 1), sa, ca); // [N, T, E]
    return { output: batchFirst ? output : output.transpose(0, 1), cache: { self, cross: cache.cross } };
  }

  /** The three residual blocks around self-attention `sa` and cross-attention `ca`, post-norm or pre-norm. */
  private blocks(tgt: Tensor, sa: (x: Tensor) => Tensor, ca: (x: Tensor) => Tensor): Tensor {
    let x = tgt;
    if (this.options.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(ca(this.norm2.forward(x)));
      x = x.add(this.feedForward(this.norm3.forward(x)));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(ca(x)));
      x = this.norm3.forward(x.add(this.feedForward(x)));
    }
    return x;
  }

  /** dropout3(linear2(dropout(act(linear1(x))))). */
  private feedForward(x: Tensor): Tensor {
    const hidden = this.dropout.forward(activate(this.options.activation, this.linear1.forward(x)));
    return this.dropout3.forward(this.linear2.forward(hidden));
  }

  /** A new layer with the same options and a copy of the weights (PyTorch's deepcopy). */
  clone(): TransformerDecoderLayer {
    const copy = new TransformerDecoderLayer(this.dModel, this.nhead, this.options);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }
}
