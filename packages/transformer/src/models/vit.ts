// The Vision Transformer (Dosovitskiy et al. 2020): image patches as tokens, a CLS token, learned
// positions, a pre-norm GELU encoder and a linear head on the CLS output.
import { LayerNorm, Linear, Module, Parameter, init } from '@qkv/nn';
import { cat, ShapeError, ValueError, fmtShape, zeros } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { TransformerEncoder } from '../layers/encoder.js';
import { TransformerEncoderLayer } from '../layers/encoder-layer.js';

/** Hyper-parameters of `VisionTransformer`. */
export interface ViTConfig {
  /** Image side in pixels (square images). */
  imageSize: number;
  /** Patch side P; must divide imageSize. */
  patchSize: number;
  /** C (default 3). */
  inChannels?: number;
  /** Classes of the linear `head`; 0 builds no head (`forward` then returns the CLS features [B, E]). */
  numClasses: number;
  /** E (default 64). */
  dModel?: number;
  /** Encoder layers (default 4). */
  depth?: number;
  /** H (default 4). */
  nhead?: number;
  /** Feed-forward hidden size (default 4·dModel). */
  mlpDim?: number;
  /** Default 0. */
  dropout?: number;
  /** LayerNorm epsilon of every norm (default: 1e-5 in the layers and 1e-6 in the final norm). */
  layerNormEps?: number;
  /** A `pooler` tanh(Linear(E, E)) on the CLS features, used when there is no head (default false; Hugging Face's ViTModel has one). */
  pooler?: boolean;
  generator?: Generator;
}

/**
 * ViT: x [B, C, H, W] → patches [B, N, C·P·P] (a reshape, no convolution) → `patch_embedding`
 * Linear → prepend `cls_token`, add `pos_embedding` [1, N+1, E] → pre-norm GELU encoder with a final
 * LayerNorm → `head` on the CLS position. N = (H/P)·(W/P) patches · E dModel.
 * @example
 * const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, inChannels: 1, numClasses: 10, dModel: 32, depth: 2 });
 * vit.forward(images) // [B, 1, 28, 28] → [B, 10]
 */
export class VisionTransformer extends Module {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly inChannels: number;
  readonly numPatches: number;
  readonly config: ViTConfig;
  patchEmbedding: Linear;
  clsToken: Tensor;
  posEmbedding: Tensor;
  encoder: TransformerEncoder;
  head: Linear | null;
  pooler: Linear | null;

  constructor(config: ViTConfig) {
    super();
    const { imageSize, patchSize, inChannels = 3, dModel = 64, depth = 4, nhead = 4, dropout = 0, generator } = config;
    if (!Number.isInteger(imageSize / patchSize) || patchSize <= 0) throw new ValueError(`VisionTransformer: patchSize ${patchSize} must divide imageSize ${imageSize}`);
    this.config = { ...config, generator: undefined };
    this.imageSize = imageSize;
    this.patchSize = patchSize;
    this.inChannels = inChannels;
    this.numPatches = (imageSize / patchSize) ** 2;
    this.patchEmbedding = new Linear(inChannels * patchSize * patchSize, dModel, { generator });
    this.clsToken = Parameter(zeros([1, 1, dModel]));
    this.posEmbedding = init.normal_(Parameter(zeros([1, this.numPatches + 1, dModel])), 0, 0.02, { generator });
    const layerNormEps = config.layerNormEps;
    const layer = new TransformerEncoderLayer(dModel, nhead, { dimFeedforward: config.mlpDim ?? 4 * dModel, dropout, activation: 'gelu', normFirst: true, batchFirst: true, layerNormEps, generator });
    this.encoder = new TransformerEncoder(layer, depth, { norm: new LayerNorm(dModel, { eps: layerNormEps ?? 1e-6 }) });
    this.head = config.numClasses === 0 ? null : new Linear(dModel, config.numClasses, { generator });
    this.pooler = config.pooler ? new Linear(dModel, dModel, { generator }) : null;
  }

  /** images [B, C, H, W] → [B, N, C·P·P], patches in row-major order, each flattened as (c, py, px). */
  patchify(images: Tensor): Tensor {
    const [C, S, P] = [this.inChannels, this.imageSize, this.patchSize];
    if (images.ndim !== 4 || images.shape[1] !== C || images.shape[2] !== S || images.shape[3] !== S) {
      throw new ShapeError(`VisionTransformer.forward: images must be [B, ${C}, ${S}, ${S}], got ${fmtShape(images.shape)}`);
    }
    const B = images.shape[0]!;
    const g = S / P;
    return images.reshape([B, C, g, P, g, P]).permute(0, 2, 4, 1, 3, 5).reshape([B, g * g, C * P * P]);
  }

  /** images [B, C, H, W] → logits [B, numClasses] (without a head: the pooled, else the plain CLS features [B, E]). */
  override forward(images: Tensor): Tensor {
    return this.run(images, false).logits;
  }

  /** As `forward`, also returning each layer's attention weights [B, H, N+1, N+1] (row 0: the CLS token). */
  forwardWithAttention(images: Tensor): { logits: Tensor; attention: Tensor[] } {
    return this.run(images, true);
  }

  /**
   * The encoder's output after the final LayerNorm, hidden [B, N+1, E] (position 0: the CLS token),
   * and each layer's attention weights [B, H, N+1, N+1] (an empty list without `needWeights`).
   * @example const { hidden } = vit.forwardFeatures(images) // [B, N+1, E]
   */
  forwardFeatures(images: Tensor, options: { needWeights?: boolean } = {}): { hidden: Tensor; attention: Tensor[] } {
    const tokens = this.patchEmbedding.forward(this.patchify(images)); // [B, N, E]
    const B = tokens.shape[0]!;
    const x = cat([this.clsToken.expand([B, 1, tokens.shape[2]!]), tokens], 1).add(this.posEmbedding); // [B, N+1, E]
    const { output, selfAttention } = options.needWeights ? this.encoder.forwardWithAttention(x) : { output: this.encoder.forward(x), selfAttention: [] };
    return { hidden: output, attention: selfAttention };
  }

  private run(images: Tensor, needWeights: boolean): { logits: Tensor; attention: Tensor[] } {
    const { hidden, attention } = this.forwardFeatures(images, { needWeights });
    const cls = hidden.select(1, 0); // [B, E]
    const logits = this.head ? this.head.forward(cls) : this.pooler ? this.pooler.forward(cls).tanh() : cls;
    return { logits, attention };
  }
}
