// TransformerDecoder: a stack of decoder layers and an optional final LayerNorm (`nn.TransformerDecoder`).
import { Module, ModuleList } from '@qkv/nn';
import type { LayerNorm } from '@qkv/nn';
import { ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { DecoderLayerForwardOptions, TransformerDecoderLayer } from './decoder-layer.js';

/**
 * `numLayers` copies of `decoderLayer` and an optional final `norm`. State dict:
 * `layers.0.self_attn.*`, `layers.0.multihead_attn.*`, …, `norm.weight`.
 * @example
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(64, 4), 3, { norm: new LayerNorm(64) });
 * const out = decoder.forward(tgt, memory, { tgtMask: causalMask(T) }); // [T, N, 64]
 */
export class TransformerDecoder extends Module {
  readonly numLayers: number;
  layers: ModuleList<TransformerDecoderLayer>;
  norm: LayerNorm | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, options: { norm?: LayerNorm | null } = {}) {
    super();
    if (!Number.isInteger(numLayers) || numLayers <= 0) throw new ValueError(`TransformerDecoder: numLayers must be a positive integer, got ${numLayers}`);
    this.numLayers = numLayers;
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => decoderLayer.clone()));
    this.norm = options.norm ?? null;
  }

  /** tgt [T, N, E], memory [S, N, E] (or batch-first) → [T, N, E]. */
  override forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, options);
    return this.norm ? this.norm.forward(x) : x;
  }

  /** As `forward`, also returning each layer's self- [N, H, T, T] and cross-attention [N, H, T, S] weights. */
  forwardWithAttention(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): { output: Tensor; selfAttention: Tensor[]; crossAttention: Tensor[] } {
    let x = tgt;
    const selfAttention: Tensor[] = [];
    const crossAttention: Tensor[] = [];
    for (const layer of this.layers) {
      const out = layer.forwardWithAttention(x, memory, options);
      x = out.output;
      selfAttention.push(out.selfAttention);
      crossAttention.push(out.crossAttention);
    }
    return { output: this.norm ? this.norm.forward(x) : x, selfAttention, crossAttention };
  }
}
