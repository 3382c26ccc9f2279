// TransformerEncoderLayer: self-attention and a feed-forward block, each with a residual
// connection and LayerNorm, exactly as `nn.TransformerEncoderLayer`.
import { MultiheadAttention } from '@qkv/attention';
import { Dropout, LayerNorm, Linear, Module } from '@qkv/nn';
import type { Tensor } from '@qkv/tensor-core';
import { activate, assertSequence, resolveLayerOptions } from './options.js';
import type { ResolvedLayerOptions, TransformerLayerOptions } from './options.js';

/** Masks of `TransformerEncoderLayer.forward`, as PyTorch's (MultiheadAttention's conventions). */
export interface EncoderLayerForwardOptions {
  /** [S, S] or [N·H, S, S]; bool `true` = masked out, float added. */
  srcMask?: Tensor | null;
  /** [N, S]; bool `true` = padding. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (builds the causal mask when `srcMask` is not given). */
  isCausal?: boolean;
}

/**
 * One encoder layer. Post-norm (default): x = norm1(x + SA(x)); x = norm2(x + FF(x)).
 * Pre-norm (`normFirst`): x = x + SA(norm1(x)); x = x + FF(norm2(x)). FF = linear2(dropout(act(linear1(x)))).
 * State dict: `self_attn.in_proj_weight`, `self_attn.in_proj_bias`, `self_attn.out_proj.{weight,bias}`,
 * `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`, so PyTorch's checkpoints load with `strict: true`.
 * S sequence length · N batch · E dModel · H nhead.
 * @example
 * const layer = new TransformerEncoderLayer(512, 8, { batchFirst: true });
 * const y = layer.forward(x, { srcKeyPaddingMask: paddingMask(ids, 0) }); // [N, S, 512]
 * const { selfAttention } = layer.forwardWithAttention(x); // [N, 8, S, S]
 */
export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly options: ResolvedLayerOptions;
  selfAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super();
    const o = resolveLayerOptions('TransformerEncoderLayer', dModel, nhead, options);
    const { dimFeedforward: F, dropout: p, bias, batchFirst, generator } = o;
    this.dModel = dModel;
    this.nhead = nhead;
    this.options = o;
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, bias, batchFirst, generator });
    this.linear1 = new Linear(dModel, F, { bias, generator });
    this.dropout = new Dropout(p, { generator });
    this.linear2 = new Linear(F, dModel, { bias, generator });
    this.norm1 = new LayerNorm(dModel, { eps: o.layerNormEps, bias });
    this.norm2 = new LayerNorm(dModel, { eps: o.layerNormEps, bias });
    this.dropout1 = new Dropout(p, { generator });
    this.dropout2 = new Dropout(p, { generator });
  }

  /** src [S, N, E] (or [N, S, E]) → same shape. */
  override forward(src: Tensor, options: EncoderLayerForwardOptions = {}): Tensor {
    return this.run(src, options, false).output;
  }

  /** As `forward`, also returning the self-attention weights per head [N, H, S, S]. */
  forwardWithAttention(src: Tensor, options: EncoderLayerForwardOptions = {}): { output: Tensor; selfAttention: Tensor } {
    const { output, weights } = this.run(src, options, true);
    return { output, selfAttention: weights! };
  }

  private run(src: Tensor, options: EncoderLayerForwardOptions, needWeights: boolean): { output: Tensor; weights: Tensor | null } {
    assertSequence('TransformerEncoderLayer.forward', 'src', src, this.dModel, this.options.batchFirst);
    let weights: Tensor | null = null;
    const sa = (x: Tensor) => {
      const [out, w] = this.selfAttn.forward(x, x, x, {
        attnMask: options.srcMask ?? null, keyPaddingMask: options.srcKeyPaddingMask ?? null,
        isCausal: options.isCausal ?? false, needWeights, averageAttnWeights: false,
      });
      weights = w;
      return this.dropout1.forward(out);
    };
    let x = src;
    if (this.options.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(this.feedForward(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(this.feedForward(x)));
    }
    return { output: x, weights };
  }

  /** dropout2(linear2(dropout(act(linear1(x))))). */
  private feedForward(x: Tensor): Tensor {
    const hidden = this.dropout.forward(activate(this.options.activation, this.linear1.forward(x)));
    return this.dropout2.forward(this.linear2.forward(hidden));
  }

  /** A new layer with the same options and a copy of the weights (PyTorch's deepcopy in `_get_clones`). */
  clone(): TransformerEncoderLayer {
    const copy = new TransformerEncoderLayer(this.dModel, this.nhead, this.options);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }
}
