// Linear: y = x·Wᵀ + b (PyTorch's `nn.Linear`).
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';
import { affine } from './affine.js';
import { assertLastDim, assertPositiveInt, uniformParameter } from './util.js';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
  /** Random source for the initial weights (default: the global seeded generator). */
  generator?: Generator;
}

/**
 * Affine map of the last dim. State dict: `weight` [out, in], `bias` [out].
 * Init as PyTorch: weight and bias from U(±1/√in) (kaiming_uniform with a = √5).
 * @example const fc = new Linear(512, 2048); fc.forward(x) // [B, T, 512] → [B, T, 2048]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    assertPositiveInt('Linear', 'inFeatures', inFeatures);
    assertPositiveInt('Linear', 'outFeatures', outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = uniformParameter([outFeatures, inFeatures], bound, options.generator);
    this.bias = options.bias === false ? null : uniformParameter([outFeatures], bound, options.generator);
  }

  /** x [..., in] → [..., out]. */
  override forward(x: Tensor): Tensor {
    assertLastDim('Linear.forward', x, this.inFeatures, 'inFeatures');
    return affine(x, this.weight, this.bias); // [..., in]·[in, out] → [..., out]
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
