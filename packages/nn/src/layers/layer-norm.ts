// LayerNorm over the trailing dims (PyTorch's `nn.LayerNorm`).
import { layerNorm, ones, zeros } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { assertPositiveInt } from './util.js';

/** Options of `LayerNorm` (PyTorch's defaults). */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn `weight` and `bias` (default true). */
  elementwiseAffine?: boolean;
  /** Learn `bias` when affine (default true). */
  bias?: boolean;
}

/**
 * (x − mean) / √(var + eps) · weight + bias over the last `normalizedShape` dims, biased variance.
 * State dict: `weight`, `bias`, both of shape normalizedShape, initialised to ones and zeros.
 * @example const norm = new LayerNorm(512); norm.forward(x) // [B, T, 512]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    for (const d of this.normalizedShape) assertPositiveInt('LayerNorm', 'normalizedShape', d);
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? Parameter(ones(this.normalizedShape)) : null;
    this.bias = affine && options.bias !== false ? Parameter(zeros(this.normalizedShape)) : null;
  }

  /** x [..., *normalizedShape] → same shape. */
  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')},), eps=${this.eps}, elementwise_affine=${this.weight !== null}`;
  }
}
