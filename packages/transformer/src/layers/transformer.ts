// Transformer: encoder and decoder stacks with final LayerNorms, as `nn.Transformer`.
import { causalMask } from '@qkv/attention';
import { init, LayerNorm, Module } from '@qkv/nn';
import { ShapeError, fmtShape } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { TransformerDecoder } from './decoder.js';
import type { DecoderLayerForwardOptions } from './decoder-layer.js';
import { TransformerDecoderLayer } from './decoder-layer.js';
import { TransformerEncoder } from './encoder.js';
import { TransformerEncoderLayer } from './encoder-layer.js';
import type { TransformerLayerOptions } from './options.js';

/** Options of `Transformer` (PyTorch's defaults: the base model of "Attention Is All You Need"). */
export interface TransformerOptions extends TransformerLayerOptions {
  /** E (default 512). */
  dModel?: number;
  /** H (default 8). */
  nhead?: number;
  /** Default 6. */
  numEncoderLayers?: number;
  /** Default 6. */
  numDecoderLayers?: number;
}

/** Masks of `Transformer.forward`. */
export interface TransformerForwardOptions extends DecoderLayerForwardOptions {
  /** Encoder self-attention mask [S, S]. */
  srcMask?: Tensor | null;
  /** [N, S]; bool `true` = padding. Pass it as `memoryKeyPaddingMask` too, as PyTorch expects. */
  srcKeyPaddingMask?: Tensor | null;
  srcIsCausal?: boolean;
}

/**
 * The encoder–decoder Transformer. State dict: `encoder.layers.{i}.…`, `encoder.norm.*`,
 * `decoder.layers.{i}.…`, `decoder.norm.*`; every weight matrix is re-initialised with
 * xavier_uniform, as PyTorch's `_reset_parameters`. No embeddings or output projection (see
 * `Seq2SeqTransformer`). S source length · T target length · N batch · E dModel.
 * @example
 * const model = new Transformer({ dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2 });
 * const out = model.forward(src, tgt, { tgtMask: Transformer.generateSquareSubsequentMask(T) }); // [T, N, 32]
 */
export class Transformer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;
  encoder: TransformerEncoder;
  decoder: TransformerDecoder;

  constructor(options: TransformerOptions = {}) {
    super();
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, ...layerOptions } = options;
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = layerOptions.batchFirst ?? false;
    const norm = () => new LayerNorm(dModel, { eps: layerOptions.layerNormEps ?? 1e-5, bias: layerOptions.bias ?? true });
    this.encoder = new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOptions), numEncoderLayers, { norm: norm() });
    this.decoder = new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOptions), numDecoderLayers, { norm: norm() });
    for (const p of this.parameters()) if (p.ndim > 1) init.xavierUniform_(p, 1, { generator: layerOptions.generator });
  }

  /** The causal mask: float [size, size], −∞ above the diagonal (`generate_square_subsequent_mask`). */
  static generateSquareSubsequentMask(size: number): Tensor {
    return causalMask(size);
  }

  /** src [S, N, E], tgt [T, N, E] (or batch-first) → [T, N, E]. */
  override forward(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}): Tensor {
    return this.decoder.forward(tgt, this.encode(src, tgt, options), options);
  }

  /** As `forward`, also returning every layer's encoder self-, decoder self- and cross-attention weights. */
  forwardWithAttention(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}) {
    this.checkPair(src, tgt);
    const enc = this.encoder.forwardWithAttention(src, { mask: options.srcMask, srcKeyPaddingMask: options.srcKeyPaddingMask, isCausal: options.srcIsCausal });
    const dec = this.decoder.forwardWithAttention(tgt, enc.output, options);
    return { output: dec.output, encoderSelfAttention: enc.selfAttention, decoderSelfAttention: dec.selfAttention, crossAttention: dec.crossAttention };
  }

  private encode(src: Tensor, tgt: Tensor, o: TransformerForwardOptions): Tensor {
    this.checkPair(src, tgt);
    return this.encoder.forward(src, { mask: o.srcMask, srcKeyPaddingMask: o.srcKeyPaddingMask, isCausal: o.srcIsCausal });
  }

  /** PyTorch's checks: same batch size, both ending in dModel. */
  private checkPair(src: Tensor, tgt: Tensor): void {
    const nDim = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && tgt.ndim === 3 && src.shape[nDim] !== tgt.shape[nDim]) {
      throw new ShapeError(`Transformer.forward: the batch size of src and tgt must be equal (dim ${nDim}), got src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)}`);
    }
    if (src.shape.at(-1) !== this.dModel || tgt.shape.at(-1) !== this.dModel) {
      throw new ShapeError(`Transformer.forward: src and tgt must end in dModel = ${this.dModel}, got src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)}`);
    }
  }
}
