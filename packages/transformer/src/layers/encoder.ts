// TransformerEncoder: a stack of encoder layers and an optional final LayerNorm (`nn.TransformerEncoder`).
import { Module, ModuleList } from '@qkv/nn';
import type { LayerNorm } from '@qkv/nn';
import { ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { checkpointLayer } from './checkpointing.js';
import type { EncoderLayerForwardOptions, TransformerEncoderLayer } from './encoder-layer.js';

/** Masks of `TransformerEncoder.forward` (PyTorch calls the attention mask `mask`). */
export interface EncoderForwardOptions {
  /** [S, S] or [N·H, S, S]; bool `true` = masked out, float added. */
  mask?: Tensor | null;
  /** [N, S]; bool `true` = padding. */
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
}

/**
 * `numLayers` copies of `encoderLayer` (each starts with its weights, as PyTorch's deepcopy) and an
 * optional final `norm`. State dict: `layers.0.self_attn.in_proj_weight`, …, `norm.weight`.
 * Unlike PyTorch in eval mode, padded positions are not turned into zeros (no nested tensors).
 * @example
 * const encoder = new TransformerEncoder(new TransformerEncoderLayer(64, 4), 3, { norm: new LayerNorm(64) });
 * const memory = encoder.forward(src, { srcKeyPaddingMask }); // [S, N, 64]
 */
export class TransformerEncoder extends Module {
  readonly numLayers: number;
  layers: ModuleList<TransformerEncoderLayer>;
  norm: LayerNorm | null;
  /**
   * Recompute each layer's activations in backward instead of keeping them (training mode only;
   * default false): less memory, one more forward pass per step, the same gradients.
   */
  gradientCheckpointing = false;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: { norm?: LayerNorm | null } = {}) {
    super();
    if (!Number.isInteger(numLayers) || numLayers <= 0) throw new ValueError(`TransformerEncoder: numLayers must be a positive integer, got ${numLayers}`);
    this.numLayers = numLayers;
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.clone()));
    this.norm = options.norm ?? null;
  }

  /** src [S, N, E] (or [N, S, E]) → same shape. */
  override forward(src: Tensor, options: EncoderForwardOptions = {}): Tensor {
    let x = src;
    const layerOptions = this.layerOptions(options);
    for (const layer of this.layers) {
      x = this.gradientCheckpointing && this.training ? checkpointLayer(layer, (h) => layer.forward(h, layerOptions), x) : layer.forward(x, layerOptions);
    }
    return this.norm ? this.norm.forward(x) : x;
  }

  /** As `forward`, also returning each layer's self-attention weights [N, H, S, S]. */
  forwardWithAttention(src: Tensor, options: EncoderForwardOptions = {}): { output: Tensor; selfAttention: Tensor[] } {
    let x = src;
    const selfAttention: Tensor[] = [];
    for (const layer of this.layers) {
      const out = layer.forwardWithAttention(x, this.layerOptions(options));
      x = out.output;
      selfAttention.push(out.selfAttention);
    }
    return { output: this.norm ? this.norm.forward(x) : x, selfAttention };
  }

  private layerOptions(o: EncoderForwardOptions): EncoderLayerForwardOptions {
    return { srcMask: o.mask ?? null, srcKeyPaddingMask: o.srcKeyPaddingMask ?? null, isCausal: o.isCausal ?? false };
  }
}
